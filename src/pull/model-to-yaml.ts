/**
 * The schema model → the desired-state file (format version 1): the inverse of
 * src/desired/to-model.ts. The file reads back as the same model, leaves out what PostgreSQL
 * does by default (names it generates, `nullable: true`, btree, ascending keys, `no action`,
 * volatile invoker functions, sequence defaults, …), writes serial columns as `serial`, and
 * lists as warnings what the model holds that the format cannot say.
 *
 * This is the driver: each kind writes its part (`ObjectKind.pull`, src/kinds/<kind>/pull.ts)
 * into the document, a schema's map or a table's map, given the writer context
 * (./writer-context.ts). The driver writes the document's own entries (`version`, `ignore`,
 * `external`, `external_types`) and walks the registry.
 */
import type { PullEntry } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import { compareText } from '../model/normalize.js';
import { nameKey } from '../model/object-ref.js';
import type { QualifiedName, SchemaModel } from '../model/types.js';
import { createPullWriter, reference } from './writer-context.js';
import type { ModelToYamlOptions, PullWriter } from './writer-context.js';
import { renderDocument, yamlInteger, yamlMap, yamlSeq, yamlString } from './yaml-writer.js';

export type { ModelToYamlOptions, UnmanagedType } from './writer-context.js';

/** The first line of every written file: editors running the YAML language server check it. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./node_modules/pgreconcile/schema/pgreconcile.schema.json';

export interface PulledYaml {
  /** The desired-state file's text. */
  readonly yaml: string;
  /** What the model holds that the file cannot express, one sentence each. */
  readonly warnings: string[];
}

/**
 * Writes the desired-state file for a model. Deterministic: the same model gives the same
 * bytes. Needs `initParser()` to have run (names, types and expressions are checked with
 * PostgreSQL's parser).
 *
 * @example
 * await initParser();
 * const { yaml, warnings } = modelToYaml((await introspect(db)).model);
 * // yaml: '# yaml-language-server: …\nversion: 1\nschemas:\n  public:\n    tables:\n      users:\n…'
 */
export function modelToYaml(model: SchemaModel, opts: ModelToYamlOptions = {}): PulledYaml {
  const writer = createPullWriter(
    model,
    opts,
    KINDS.flatMap((kind) => kind.pull),
  );
  const ignore = opts.ignore ?? [];
  const external = externalTables(model, writer.ctx.tables);
  const own: PullEntry[] = [
    ['version', yamlInteger('1')],
    ['ignore', ignore.length > 0 ? yamlSeq(ignore.map(yamlString), 'block') : undefined],
    ['external', external.length > 0 ? yamlSeq(external.map(yamlString), 'block') : undefined],
    ['external_types', undefined],
  ];
  const root = writer.ctx.entries('document', own);
  // Known once the kinds have written: the unmanaged types the columns and functions use.
  const externalTypes = usedExternalTypes(writer);
  const at = root.findIndex(([key]) => key === 'external_types');
  root[at] = ['external_types', externalTypes.length > 0 ? yamlSeq(externalTypes.map(yamlString), 'block') : undefined];
  const yaml = renderDocument(yamlMap(root, 'block'), [SCHEMA_COMMENT]);
  return { yaml, warnings: [...new Set(writer.warnings)] };
}

/** Tables foreign keys reference that the model does not hold (ignored or unmanaged). */
function externalTables(model: SchemaModel, tables: ReadonlySet<string>): string[] {
  const found = new Map<string, QualifiedName>();
  for (const t of model.tables) {
    for (const fk of t.foreignKeys) {
      const key = nameKey(fk.references.schema, fk.references.table);
      if (!tables.has(key)) found.set(key, { schema: fk.references.schema, name: fk.references.table });
    }
  }
  return [...found.values()]
    .sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name))
    .map((t) => reference(t, 'public'));
}

/** The unmanaged types the written columns and functions use, as `schema.name`, each with its warning. */
function usedExternalTypes(writer: PullWriter): string[] {
  const used = [...writer.usedExternalTypes.values()].sort(
    (a, b) => compareText(a.type.schema, b.type.schema) || compareText(a.type.name, b.type.name),
  );
  for (const { type, uses } of used) {
    const kind = writer.ctx.options.unmanagedTypes?.find((t) => t.schema === type.schema && t.name === type.name)?.kind ?? 'type';
    const list = [...uses];
    const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? `, and ${list.length - 3} more` : '');
    writer.ctx.warn(
      `${kind} ${type.schema}.${type.name} (used by ${shown}) is listed under external_types: the type itself is not managed ` +
        '(not written, never created, altered or dropped); a plan checks that it exists, so create it first where the file is built',
    );
  }
  return used.map(({ type }) => reference(type, ''));
}
