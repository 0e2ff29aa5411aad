/**
 * The catalog queries: every kind's (`ObjectKind.introspect.queries`, `.sql` files in
 * src/kinds/<kind>/), the driver's own two below and the unmanaged objects' (./unmanaged.ts; all
 * three in ./queries/), read once per process from
 * next to their modules, and run.
 *
 * Every query is run wrapped as `SELECT json_strip_nulls(coalesce(json_agg(q), '[]'))::text FROM
 * (<file>) q`, so a query returns one text value whatever its size (NULL columns are left out
 * of the row objects, hence the optional fields of the row types): the result does not depend on
 * how a driver converts types (node-postgres and PGlite differ on arrays, oids and bigints), and
 * one JSON.parse is cheaper than thousands of driver-built row objects.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import { KINDS } from '../kinds/registry.js';
import { catalogQuery, type CatalogQuery } from './catalog-query.js';
import { unmanagedQuery } from './unmanaged.js';

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

/** The server's version and settings: run first, on the first connection. */
export const contextQuery = catalogQuery<ContextRow>('context', new URL('./queries/context.sql', import.meta.url), 'first');

/** Not part of the model (`LiveSchema.defaultOpclasses`): run after the kinds' queries. */
export const defaultOpclassesQuery = catalogQuery<DefaultOpclassRow>(
  'default-opclasses',
  new URL('./queries/default-opclasses.sql', import.meta.url),
  'second',
);

/**
 * Every kind's queries, in registry order (the order the driver runs them in on each connection).
 *
 * @example kindQueries().map((q) => q.name)   // ['extensions', 'schemas', 'enums', 'sequences', …]
 */
export function kindQueries(): readonly CatalogQuery<unknown>[] {
  return KINDS.flatMap((kind) => kind.introspect.queries);
}

/** Every query the driver runs: the context, the kinds', the default operator classes, the unmanaged objects. */
export function allQueries(): readonly CatalogQuery<unknown>[] {
  return [contextQuery, ...kindQueries(), defaultOpclassesQuery, unmanagedQuery];
}

let loaded: Promise<ReadonlyMap<string, string>> | undefined;

/**
 * Reads every query file once per process and wraps it for JSON output, by query name.
 *
 * @example const sql = (await loadQueries()).get('tables');
 */
export function loadQueries(): Promise<ReadonlyMap<string, string>> {
  loaded ??= readQueries(allQueries());
  return loaded;
}

async function readQueries(queries: readonly CatalogQuery<unknown>[]): Promise<ReadonlyMap<string, string>> {
  const names = new Set(queries.map((q) => q.name));
  if (names.size !== queries.length) throw new Error('two introspection queries have the same name');
  const entries = await Promise.all(
    queries.map(async ({ name, url }) => {
      let text: string;
      try {
        text = await readFile(url, 'utf8');
      } catch (e) {
        loaded = undefined;
        const reason = e instanceof Error ? e.message : String(e);
        throw new Error(
          `introspection query file ${url.pathname} cannot be read (${reason}); ` +
            'the build must copy every src/**/*.sql next to its compiled module (scripts/copy-assets.mjs)',
        );
      }
      return [name, wrapAsJson(text)] as const;
    }),
  );
  return new Map(entries);
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
 * @example const tables = await runQuery(db, queries, tablesQuery);
 */
export async function runQuery<R>(db: Db, queries: ReadonlyMap<string, string>, query: CatalogQuery<R>): Promise<readonly R[]> {
  const { name } = query;
  const sql = queries.get(name);
  if (sql === undefined) throw new Error(`introspection query ${name} is not loaded`);
  const result = await db.query<{ rows: string }>(sql);
  const text = result.rows[0]?.rows;
  if (typeof text !== 'string') throw new Error(`introspection query ${name} returned no JSON document`);
  return JSON.parse(text) as R[];
}
