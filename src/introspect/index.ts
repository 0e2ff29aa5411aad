/**
 * Introspection: the live database read into the schema model, in a constant number of
 * catalog queries (one per object kind, whatever the schema's size; one more on PostgreSQL 15+
 * for NULLS NOT DISTINCT) inside one read-only REPEATABLE READ transaction.
 */
import type { Db } from '../db/db.js';
import { normalizeModel } from '../model/normalize.js';
import type { SchemaModel } from '../model/types.js';
import { loadQueries, runQuery } from './catalog-queries.js';
import type { DefaultOpclassRow, QueryName, QueryRows } from './catalog-queries.js';
import { buildModel } from './model-builder.js';
import type { CatalogRows } from './model-builder.js';

export { matchesIgnore } from './ignore-glob.js';
export { IntrospectError } from './catalog-codes.js';

export interface IntrospectOptions {
  /** Glob patterns over "schema.name" (`*`, `?`; no dot = `public.`) of objects left out. */
  readonly ignore?: readonly string[];
}

/** Size of a table: reltuples (0 when never analysed) and pg_total_relation_size. */
export interface TableStats {
  readonly rows: number;
  readonly bytes: number;
}

export interface LiveSchema {
  /** The live schema, normalised (normalizeModel). */
  readonly model: SchemaModel;
  /** Per table, keyed `${schema}.${name}`. */
  readonly stats: ReadonlyMap<string, TableStats>;
  /** server_version_num, e.g. 150020. */
  readonly serverVersion: number;
  /** Statements this introspection sent to the database (transaction control included). */
  readonly queryCount: number;
  /** Default operator classes, keyed `${method} ${type}` (`hnsw vector` → `vector_l2_ops`). */
  readonly defaultOpclasses: ReadonlyMap<string, string>;
}

/** server_version_num from which pg_index has indnullsnotdistinct. */
const NULLS_NOT_DISTINCT_SINCE = 150000;

/** Opens the snapshot; search_path is set for the transaction only. */
const BEGIN =
  "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT set_config('search_path', 'public', true), " +
  "set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, MDY', true), set_config('IntervalStyle', 'postgres', true)";

/**
 * Reads the live schema. `public` objects print unqualified, others schema-qualified, because
 * the queries run with `search_path = public`. Skips system schemas, the `pgreconcile` ledger
 * schema, objects owned by extensions and objects matched by `ignore`.
 *
 * The Db must not be inside a transaction: introspection opens and ends its own.
 *
 * @example
 * const live = await introspect(db, { ignore: ['tmp_*', 'audit.*'] });
 * live.model.tables.map((t) => t.name); // ['app_users', …]
 * live.stats.get('public.app_users');   // { rows: 1200, bytes: 245760 }
 */
export async function introspect(db: Db, opts: IntrospectOptions = {}): Promise<LiveSchema> {
  const queries = await loadQueries();
  let queryCount = 0;
  const run = <K extends QueryName>(name: K): Promise<readonly QueryRows[K][]> => {
    queryCount++;
    return runQuery(db, queries, name);
  };

  queryCount++;
  await db.exec(BEGIN);
  let rows: CatalogRows;
  let serverVersion: number;
  let opclassRows: readonly DefaultOpclassRow[];
  try {
    const [context] = await run('context');
    if (context === undefined) throw new Error('introspection: the server returned no version');
    serverVersion = context.server_version;
    rows = {
      extensions: await run('extensions'),
      schemas: await run('schemas'),
      enums: await run('enums'),
      sequences: await run('sequences'),
      functions: await run('functions'),
      tables: await run('tables'),
      constraints: await run('constraints'),
      indexes: await run('indexes'),
      triggers: await run('triggers'),
      nullsNotDistinct: serverVersion >= NULLS_NOT_DISTINCT_SINCE ? await run('nulls-not-distinct') : [],
    };
    opclassRows = await run('default-opclasses');
    queryCount++;
    await db.exec('COMMIT');
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const { model, stats } = buildModel(rows, opts.ignore ?? []);
  const defaultOpclasses = new Map(opclassRows.map((r) => [`${r.method} ${r.type}`, r.opclass]));
  return { model: normalizeModel(model), stats, serverVersion, queryCount, defaultOpclasses };
}
