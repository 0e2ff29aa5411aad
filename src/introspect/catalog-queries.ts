/**
 * The catalog queries: one `.sql` file per object kind under ./queries/, read once per process
 * from next to this module, and the row shapes they return.
 *
 * Every query is run wrapped as `SELECT json_strip_nulls(coalesce(json_agg(q), '[]'))::text FROM
 * (<file>) q`, so a query returns one text value whatever its size (NULL columns are left out
 * of the row objects, hence the optional fields below): the result does not depend on how a driver
 * converts types (node-postgres and PGlite differ on arrays, oids and bigints), and one JSON.parse
 * is cheaper than thousands of driver-built row objects.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/db.js';

/** The query files, by object kind. */
export const QUERY_FILES = [
  'context',
  'extensions',
  'schemas',
  'enums',
  'sequences',
  'functions',
  'tables',
  'constraints',
  'indexes',
  'triggers',
  'nulls-not-distinct',
  'default-opclasses',
  'exclusions',
] as const;

export type QueryName = (typeof QUERY_FILES)[number];

export interface ContextRow {
  readonly server_version: number;
  readonly single_session: boolean;
  readonly max_locks_per_transaction: number;
  readonly max_connections: number;
  readonly max_prepared_transactions: number;
}

export interface DefaultOpclassRow {
  readonly method: string;
  readonly type: string;
  readonly opclass: string;
}

export interface ExtensionRow {
  readonly name: string;
  readonly schema: string;
  readonly version: string;
  readonly relocatable: boolean;
}

export interface SchemaRow {
  readonly name: string;
  readonly comment?: string;
}

export interface EnumRow {
  readonly schema: string;
  readonly name: string;
  readonly values: readonly string[];
  readonly comment?: string;
}

export interface SequenceRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min_value: string;
  readonly max_value: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** pg_depend.deptype of the owning column: `a` = OWNED BY (serial), `i` = identity. */
  readonly owner_kind?: 'a' | 'i';
  readonly owner_table_oid?: number;
  readonly owner_schema?: string;
  readonly owner_table?: string;
  readonly owner_column?: string;
  readonly comment?: string;
}

export interface BodyUseRow {
  readonly kind: 'function' | 'table' | 'column' | 'type';
  readonly schema: string;
  readonly name: string;
  readonly sub?: string;
  readonly signature?: readonly string[];
}

export interface FunctionRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly arg_types?: readonly string[];
  /** pg_proc.proargmodes: i, o, b (inout), v (variadic), t (table); absent = all `in`. */
  readonly arg_modes?: readonly string[];
  readonly arg_names?: readonly string[];
  readonly arguments_text: string;
  readonly returns: string;
  readonly language: string;
  readonly body: string;
  /** A SQL-standard body (`RETURN …`, `BEGIN ATOMIC … END`) as pg_get_functiondef prints it. */
  readonly sql_body?: string;
  /** What a SQL-standard body uses (pg_depend): functions by input types, tables, columns, types. */
  readonly body_uses?: readonly BodyUseRow[];
  readonly volatility: string;
  readonly strict: boolean;
  readonly security_definer: boolean;
  readonly leakproof: boolean;
  readonly parallel: string;
  readonly config?: readonly string[];
  readonly comment?: string;
}

export interface ColumnRow {
  readonly name: string;
  readonly type: string;
  readonly not_null: boolean;
  readonly default?: string;
  readonly generated?: string;
  /** pg_attribute.attidentity: '' none, `a` always, `d` by default. */
  readonly identity: string;
  readonly collation?: string;
  readonly comment?: string;
}

export interface TableRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly comment?: string;
  readonly reltuples: number;
  readonly bytes: number;
  readonly columns: readonly ColumnRow[];
}

export interface ConstraintRow {
  readonly table_oid: number;
  readonly name: string;
  readonly type: 'p' | 'u' | 'c' | 'f';
  readonly columns?: readonly string[];
  readonly ref_columns?: readonly string[];
  readonly ref_schema?: string;
  readonly ref_table?: string;
  readonly on_update: string;
  readonly on_delete: string;
  readonly match: string;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  readonly validated: boolean;
  readonly no_inherit: boolean;
  readonly expression?: string;
  /** Unique constraints: their index (see the nulls-not-distinct query). */
  readonly index_oid?: number;
  readonly comment?: string;
}

export interface IndexKeyRow {
  readonly column?: string;
  readonly expression?: string;
  /** pg_index.indoption: bit 0 DESC, bit 1 NULLS FIRST; absent for INCLUDE columns. */
  readonly option?: number;
  readonly opclass?: string;
  readonly opclass_options?: readonly string[];
  /** Column keys only: the key's collation when it differs from the column's. */
  readonly collation?: string;
}

export interface IndexRow {
  readonly oid: number;
  readonly table_oid: number;
  readonly name: string;
  readonly unique: boolean;
  readonly using: string;
  readonly key_count: number;
  readonly valid: boolean;
  readonly predicate?: string;
  readonly options?: readonly string[];
  readonly tablespace?: string;
  /** pg_get_indexdef(indexrelid, 0, true), only for indexes with expression keys. */
  readonly definition?: string;
  readonly keys: readonly IndexKeyRow[];
  readonly comment?: string;
}

export interface TriggerRow {
  readonly table_oid: number;
  readonly name: string;
  readonly type: number;
  readonly enabled: string;
  readonly function_schema: string;
  readonly function_name: string;
  readonly arg_count: number;
  readonly args_hex: string;
  readonly update_of?: readonly string[];
  readonly is_constraint: boolean;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  /** pg_get_triggerdef(oid, true), only for triggers with a WHEN clause. */
  readonly definition?: string;
  readonly comment?: string;
}

/** An exclusion constraint: its index's method and elements, and the server's text of it. */
export interface ExclusionRow {
  readonly table_oid: number;
  readonly name: string;
  readonly using: string;
  readonly key_count: number;
  readonly elements: readonly { readonly column?: string; readonly expression?: string; readonly operator?: string }[] | null;
  readonly predicate?: string;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  readonly definition: string;
  readonly comment?: string;
}

/** An index declared NULLS NOT DISTINCT (PostgreSQL 15+). */
export interface NullsNotDistinctRow {
  readonly oid: number;
}

/** Row type of each query. */
export interface QueryRows {
  readonly context: ContextRow;
  readonly extensions: ExtensionRow;
  readonly schemas: SchemaRow;
  readonly enums: EnumRow;
  readonly sequences: SequenceRow;
  readonly functions: FunctionRow;
  readonly tables: TableRow;
  readonly constraints: ConstraintRow;
  readonly indexes: IndexRow;
  readonly triggers: TriggerRow;
  readonly 'nulls-not-distinct': NullsNotDistinctRow;
  readonly 'default-opclasses': DefaultOpclassRow;
  readonly exclusions: ExclusionRow;
}

let loaded: Promise<ReadonlyMap<QueryName, string>> | undefined;

/** Where a query file is: `queries/<name>.sql` next to this module (in src/ or in dist/). */
export function queryFileUrl(name: QueryName): URL {
  return new URL(`./queries/${name}.sql`, import.meta.url);
}

/**
 * Reads every query file once per process and wraps it for JSON output.
 *
 * @example const sql = (await loadQueries()).get('tables');
 */
export function loadQueries(): Promise<ReadonlyMap<QueryName, string>> {
  loaded ??= Promise.all(
    QUERY_FILES.map(async (name) => {
      const url = queryFileUrl(name);
      let text: string;
      try {
        text = await readFile(url, 'utf8');
      } catch (e) {
        loaded = undefined;
        const reason = e instanceof Error ? e.message : String(e);
        throw new Error(
          `introspection query file ${url.pathname} cannot be read (${reason}); ` +
            'the build must copy src/introspect/queries/*.sql next to the compiled module (scripts/copy-assets.mjs)',
        );
      }
      return [name, wrapAsJson(text)] as const;
    }),
  ).then((entries) => new Map(entries));
  return loaded;
}

/**
 * `SELECT json_strip_nulls(coalesce(json_agg(q), '[]'))::text AS rows FROM (<sql>) AS q`, trailing
 * `;` removed. A column that is NULL is absent from its row object (a third less text to move).
 */
function wrapAsJson(sql: string): string {
  const body = sql.trim().replace(/;\s*$/, '');
  return `SELECT json_strip_nulls(coalesce(json_agg(q), '[]'::json))::text AS rows FROM (\n${body}\n) AS q`;
}

/**
 * Runs one catalog query and parses its rows.
 *
 * @example const tables = await runQuery(db, queries, 'tables');
 */
export async function runQuery<K extends QueryName>(
  db: Db,
  queries: ReadonlyMap<QueryName, string>,
  name: K,
): Promise<readonly QueryRows[K][]> {
  const sql = queries.get(name);
  if (sql === undefined) throw new Error(`introspection query ${name} is not loaded`);
  const result = await db.query<{ rows: string }>(sql);
  const text = result.rows[0]?.rows;
  if (typeof text !== 'string') throw new Error(`introspection query ${name} returned no JSON document`);
  return JSON.parse(text) as QueryRows[K][];
}
