/**
 * What every per-kind diff needs to know beyond its own pair of collections: which objects
 * are unmanaged, and the names live objects will have once the plan's renames have run
 * (so that a foreign key to a renamed table, or a sequence owned by a renamed column, is
 * not seen as changed).
 */
import { displayQualified, parseQualifiedName, quoteLiteral } from '../model/ident.js';
import type { QualifiedName } from '../model/types.js';
import { nameKey } from './match.js';
import type { TableJudge } from '../judge/slots.js';

/** The schema pgreconcile keeps its ledger in; never managed. */
export const LEDGER_SCHEMA = 'pgreconcile';

export interface DiffContext {
  /** True for objects the file leaves unmanaged (`ignore` globs, the ledger schema). */
  readonly isIgnored: (schema: string, name: string) => boolean;
  /** Live table key (`nameKey`) → its desired name, for tables matched through `renamed_from`. */
  readonly renamedTables: ReadonlyMap<string, QualifiedName>;
  /** Live table key → (live column name → desired column name), for renamed columns. */
  readonly renamedColumns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Live sequence key → its desired name, for sequences renamed with their owning column. */
  readonly renamedSequences: ReadonlyMap<string, QualifiedName>;
  /** Live type text → desired type text, for domains renamed through `renamed_from` (`old_amount` → `amount`). */
  readonly renamedTypes?: ReadonlyMap<string, string>;
  /** Live table keys of tables the diff drops. */
  readonly droppedTables: ReadonlySet<string>;
  /** `nameKey(liveTableKey, column)` of columns the diff drops from kept tables. */
  readonly droppedColumns: ReadonlySet<string>;
}

/**
 * The name a live table has after the plan's renames.
 *
 * @example
 * tableAfterRenames(ctx, { schema: 'public', name: 'users' })  // { schema: 'public', name: 'app_users' }
 */
export function tableAfterRenames(ctx: DiffContext, table: QualifiedName): QualifiedName {
  if (ctx.renamedTables.size === 0) return table;
  return ctx.renamedTables.get(nameKey(table.schema, table.name)) ?? table;
}

/**
 * The name a live column has after the plan's renames; `table` is the live table name.
 *
 * @example
 * columnAfterRenames(ctx, { schema: 'public', name: 'users' }, 'old_title')  // 'title'
 */
export function columnAfterRenames(ctx: DiffContext, table: QualifiedName, column: string): string {
  if (ctx.renamedColumns.size === 0) return column;
  return ctx.renamedColumns.get(nameKey(table.schema, table.name))?.get(column) ?? column;
}

/**
 * A live column's type as it reads once the plan's domain renames ran (PostgreSQL keeps the
 * type's OID): `old_amount[]` → `amount[]`. Any other type is returned as it is.
 */
export function typeAfterRenames(ctx: DiffContext, type: string): string {
  if (ctx.renamedTypes === undefined || ctx.renamedTypes.size === 0) return type;
  const array = /(\[\])+$/.exec(type)?.[0] ?? '';
  const renamed = ctx.renamedTypes.get(type.slice(0, type.length - array.length));
  return renamed === undefined ? type : `${renamed}${array}`;
}

const nextvalCall = /^nextval\('((?:[^']|'')+)'::regclass\)$/i;

/**
 * A live column default as it reads once the plan's sequence renames ran: PostgreSQL keeps
 * the sequence's OID in the default, so `nextval('old_seq'::regclass)` then prints the new name.
 * Any other default is returned as it is.
 *
 * @example
 * defaultAfterRenames(ctx, "nextval('people_id_seq'::regclass)")  // "nextval('users_id_seq'::regclass)"
 */
export function defaultAfterRenames(ctx: DiffContext, expression: string | undefined): string | undefined {
  if (expression === undefined || ctx.renamedSequences.size === 0) return expression;
  const literal = nextvalCall.exec(expression.trim())?.[1];
  if (literal === undefined) return expression;
  let sequence: QualifiedName;
  try {
    sequence = parseQualifiedName(literal.replaceAll("''", "'"));
  } catch {
    return expression;
  }
  const renamed = ctx.renamedSequences.get(nameKey(sequence.schema, sequence.name));
  if (renamed === undefined) return expression;
  return `nextval(${quoteLiteral(displayQualified(renamed))}::regclass)`;
}

/**
 * Where a table's nested objects (columns, constraints, indexes, triggers) are diffed:
 * the desired name, the live name, and how live column names map to desired ones.
 */
export interface TableScope {
  /** The desired (post-rename) table name: what every change names. */
  readonly table: QualifiedName;
  /** The live table name (differs when the table is renamed). */
  readonly liveTable: QualifiedName;
  /** The live column name after the plan's column renames. */
  readonly column: (liveColumn: string) => string;
  /**
   * The live name a nested object of this table had, when it declares none: on a renamed
   * table, PostgreSQL kept the names it generated from the old table name
   * (`users_pkey` stays when `users` becomes `app_users`, while the file now derives `app_users_pkey`).
   */
  readonly previousName: (name: string, renamedFrom: string | undefined) => string | undefined;
  /** PostgreSQL's verdicts on this table's expressions (src/judge), when it judged them. */
  readonly judge?: TableJudge;
}

/**
 * The scope of one matched table.
 *
 * @example
 * const scope = tableScope(desiredTable, liveTable, new Map([['old_title', 'title']]));
 * scope.previousName('app_users_pkey', undefined)  // 'users_pkey' when renamed from users
 */
export function tableScope(
  desired: QualifiedName,
  live: QualifiedName,
  columnRenames: ReadonlyMap<string, string>,
  judge?: TableJudge,
): TableScope {
  const renamed = desired.name !== live.name;
  const prefix = `${desired.name}_`;
  return {
    table: { schema: desired.schema, name: desired.name },
    liveTable: { schema: live.schema, name: live.name },
    column: columnRenames.size === 0 ? (name) => name : (name) => columnRenames.get(name) ?? name,
    previousName: (name, renamedFrom) => {
      if (renamedFrom !== undefined) return renamedFrom;
      if (renamed && name.startsWith(prefix)) return `${live.name}_${name.slice(prefix.length)}`;
      return undefined;
    },
    ...(judge !== undefined ? { judge } : {}),
  };
}
