/**
 * Checks beyond the JSON Schema: types resolve, SQL fragments parse, references point at
 * declared objects, names do not collide, and option combinations PostgreSQL refuses are
 * reported before anything reaches a database. Needs `initParser()` to have run.
 *
 * The driver: every string's text, the document root's own lists (`external`,
 * `external_types`: src/kinds/format-root.ts), then the kinds' checks (`checks` of each kind in
 * src/kinds/registry.ts, in src/kinds/<kind>/checks.ts) level by level; ./check-helpers.ts holds
 * what they share.
 */
import { parseQualifiedName } from '../model/ident.js';
import { checkQualified } from '../model/sql-names.js';
import { KINDS } from '../kinds/registry.js';
import { checkDataChanges } from '../data-changes/read.js';
import type { KindCheck } from '../kinds/kind.js';
import type { DocumentScope, Namespace, SchemaScope, TableScope } from './check-helpers.js';
import { Checker } from './check-helpers.js';
import type { Diagnostic, DocPath } from './diagnostic.js';
import type { RawSchema } from './document.js';
import type { LoadedYaml } from './load-yaml.js';
import type { DeclaredTable } from './resolve.js';

/**
 * All semantic problems of a document that passed the JSON Schema, unsorted.
 *
 * @example
 * checkSemantics(loaded)  // [{ line: 14, column: 15, path: '…email.type', message: 'unknown type "varchr" (did you mean "varchar"?)' }]
 */
export function checkSemantics(doc: LoadedYaml): Diagnostic[] {
  const c = new Checker(doc);
  const levels = checkLevels();
  c.checkAllText();
  checkExternalTables(c);
  checkExternalTypes(c);
  checkDataChanges(c);
  const checkTable = (table: DeclaredTable, relations: Namespace, only?: ReadonlySet<string>): void => {
    const at: TableScope = { table, relations, constraints: new Map() };
    for (const { kind, check } of levels.table) if (only === undefined || only.has(kind)) check(c, at);
    for (const { kind, check } of levels.lateTable) if (only === undefined || only.has(kind)) check(c, at);
  };
  const checkSchema = (schema: string, body: RawSchema): void => {
    const path: DocPath = ['schemas', schema];
    const at: SchemaScope = {
      schema,
      body,
      path,
      relations: new Map(),
      types: new Map(),
      checkTable: (table) => checkTable(table, at.relations),
      checkPartition: (table) => checkTable(table, at.relations, PARTITION_MEMBER_KINDS),
    };
    for (const check of levels.schema) check(c, at);
  };
  const document: DocumentScope = { checkSchema };
  for (const check of levels.document) check(c, document);
  return c.diagnostics;
}

/** The kinds whose objects a partition may hold of its own (src/kinds/table/partition-members.ts). */
const PARTITION_MEMBER_KINDS: ReadonlySet<string> = new Set(['constraint', 'index']);

type Check<Scope> = (c: Checker, at: Scope) => void;

interface Levels {
  readonly document: readonly Check<DocumentScope>[];
  readonly schema: readonly Check<SchemaScope>[];
  readonly table: readonly { readonly kind: string; readonly check: Check<TableScope> }[];
  readonly lateTable: readonly { readonly kind: string; readonly check: Check<TableScope> }[];
}

let levelsCache: Levels | undefined;

/** The kinds' checks by level, in registry order (read once, on first use: the registry imports every kind). */
function checkLevels(): Levels {
  if (levelsCache !== undefined) return levelsCache;
  const all: readonly KindCheck[] = KINDS.flatMap((kind) => kind.checks);
  const named = KINDS.flatMap((kind) => kind.checks.map((k) => ({ kind: kind.name, k })));
  const levels: Levels = {
    document: all.flatMap((k) => (k.in === 'document' ? [k.check] : [])),
    schema: all.flatMap((k) => (k.in === 'schema' ? [k.check] : [])),
    table: named.flatMap(({ kind, k }) => (k.in === 'table' && k.late !== true ? [{ kind, check: k.check }] : [])),
    lateTable: named.flatMap(({ kind, k }) => (k.in === 'table' && k.late === true ? [{ kind, check: k.check }] : [])),
  };
  levelsCache = levels;
  return levels;
}

/** Each `external` entry is a (qualified) table name. */
function checkExternalTables(c: Checker): void {
  (c.raw.external ?? []).forEach((text, i) => {
    const parsed = checkQualified(text, 'external table');
    if ('problem' in parsed) c.report(['external', i], parsed.problem);
  });
}

/** Each external type is a name, listed once, and not a type this file declares itself. */
function checkExternalTypes(c: Checker): void {
  const seen = new Set<string>();
  (c.raw.external_types ?? []).forEach((text, i) => {
    const path = ['external_types', i];
    const parsed = checkQualified(text, 'external type');
    if ('problem' in parsed) {
      c.report(path, parsed.problem);
      return;
    }
    const name = parseQualifiedName(text, 'public');
    const shown = `${name.schema}.${name.name}`;
    if (seen.has(shown)) c.report(path, `type "${shown}" is listed twice under external_types`);
    seen.add(shown);
    if (name.schema === 'pg_catalog' || name.schema === 'information_schema') {
      c.report(path, `type "${shown}" is a system type: built-in types need no listing under external_types`);
    } else if (c.index.enumOf(name.schema, name.name) !== undefined || c.index.table(name.schema, name.name) !== undefined) {
      c.report(
        path,
        `type "${shown}" is declared in this file (an enum or a table's row type): it cannot also be listed under external_types`,
      );
    }
  });
}
