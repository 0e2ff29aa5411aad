/**
 * `pull`: the desired-state file of a live database. Introspects it, writes the model as YAML
 * (./model-to-yaml.ts), and lists as warnings what the format cannot declare.
 */
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import { describeUnmanagedObjects, introspect, liveFromCatalog } from '../introspect/index.js';
import type { CatalogSnapshot } from '../introspect/index.js';
import { initParser } from '../sql/parser.js';
import { modelToYaml } from './model-to-yaml.js';
import type { PulledYaml } from './model-to-yaml.js';
import { judgeReadable, type ReadableCandidate } from '../judge/readable.js';
import { refKey } from '../model/object-ref.js';

export { modelToYaml, SCHEMA_COMMENT } from './model-to-yaml.js';
export type { ModelToYamlOptions, PulledYaml, UnmanagedType } from './model-to-yaml.js';
// The names pull gave them before the list moved to src/introspect/unmanaged.ts.
export {
  describeUnmanaged as describeUnsupported,
  describeUnmanagedObjects as describeUnsupportedObjects,
  findUnmanagedObjects as findUnsupportedObjects,
} from '../introspect/index.js';
export type { UnmanagedObject as UnsupportedObject } from '../introspect/index.js';
export { readableDefault, readableExpression, readableType } from './readable.js';

export interface PullOptions {
  /** Glob patterns over "schema.name" left unmanaged: not read, and written under `ignore`. */
  readonly ignore?: readonly string[];
  /** The catalog rows already read from `db` (`fetchCatalog(db)`): used instead of introspecting again. */
  readonly catalog?: CatalogSnapshot;
}

/** The kinds of unsupported objects that are types a column or function can use (`external_types`). */
const TYPE_KINDS: ReadonlySet<string> = new Set(['domain', 'composite type', 'range type', 'base type']);

/** Default versions of the installed extensions; empty when the server cannot say. */
async function extensionDefaultVersions(db: Db): Promise<Map<string, string>> {
  try {
    const { rows } = await db.query<{ name: string; default_version: string | null }>(
      'SELECT name::text AS name, default_version::text AS default_version FROM pg_catalog.pg_available_extensions WHERE installed_version IS NOT NULL',
    );
    return new Map(rows.filter((r) => r.default_version !== null).map((r) => [r.name, r.default_version ?? '']));
  } catch (error) {
    if (isDbError(error)) return new Map();
    throw error;
  }
}

/**
 * Introspects the database and writes its desired-state file (format version 1). The same
 * database gives the same bytes; `warnings` names what the file cannot express (foreign tables,
 * partitions, procedures, NOT VALID checks, …), one sentence each.
 *
 * @example
 * const { yaml, warnings } = await pullSchema(db, { ignore: ['audit.*'] });
 * await writeFile('schema.yaml', yaml);
 * for (const w of warnings) console.error(`warning: ${w}`);
 */
export async function pullSchema(db: Db, opts: PullOptions = {}): Promise<PulledYaml> {
  await initParser();
  const ignore = opts.ignore ?? [];
  const live = opts.catalog !== undefined ? liveFromCatalog(opts.catalog, ignore) : await introspect(db, { ignore });
  const unsupported = live.unmanaged;
  const defaults = await extensionDefaultVersions(db);
  const unmanagedTypes = unsupported
    .filter((o) => o.schema !== undefined && TYPE_KINDS.has(o.kind))
    .map((o) => ({ kind: o.kind, schema: o.schema ?? '', name: o.name }));
  // The readable spellings are written only where the server reads them back to the catalog's text.
  const candidates: ReadableCandidate[] = [];
  modelToYaml(live.model, { ignore, extensionDefaultVersions: defaults, unmanagedTypes, choose: (c) => (candidates.push(c), c.catalog) });
  const accepted = candidates.length > 0 ? await judgeReadable(db, candidates) : new Set<ReadableCandidate>();
  // The second pass makes new candidate objects: they are matched to the first pass's by where they stand.
  const where = (c: ReadableCandidate): string =>
    refKey({ kind: 'table', schema: c.table.schema, name: c.table.name, signature: [c.kind, c.name, String(c.key)] });
  const judged = new Map(candidates.map((c) => [where(c), accepted?.has(c) === true ? c.readable : c.catalog]));
  const choose = (c: ReadableCandidate): string => judged.get(where(c)) ?? c.catalog;
  const pulled = modelToYaml(live.model, { ignore, extensionDefaultVersions: defaults, unmanagedTypes, choose });
  const judgeWarning =
    accepted === undefined
      ? [
          'PostgreSQL could not check the readable spellings of expressions (no TEMP privilege, or a read-only server): they are written as the catalog prints them (docs/judge.md)',
        ]
      : [];
  return { yaml: pulled.yaml, warnings: [...pulled.warnings, ...judgeWarning, ...describeUnmanagedObjects(unsupported)] };
}
