/**
 * Introspection: the live database read into the schema model, in a constant number of
 * catalog queries (the kinds' own, `ObjectKind.introspect.queries`, whatever the schema's size;
 * one more on PostgreSQL 15+ for NULLS NOT DISTINCT) inside one read-only REPEATABLE READ
 * transaction.
 */
import type { Db } from '../db/db.js';
import { quoteLiteral } from '../model/ident.js';
import { normalizeModel } from '../model/normalize.js';
import type { SchemaModel, TableStats } from '../model/types.js';
import { contextQuery, defaultOpclassesQuery, kindQueries, loadQueries, runQuery } from './catalog-queries.js';
import type { DefaultOpclassRow } from './catalog-queries.js';
import { catalogResults, type CatalogQuery, type CatalogResults, type QueryConnection } from './catalog-query.js';
import { buildModel } from './model-builder.js';
import { unmanagedObjects, unmanagedQuery, type UnmanagedObject, type UnmanagedRow } from './unmanaged.js';
import type { LockSettings } from '../plan/lock-budget.js';

export { matchesIgnore } from './ignore-glob.js';
export { IntrospectError } from './catalog-codes.js';
export {
  UNMANAGED,
  describeUnmanaged,
  describeUnmanagedObjects,
  isUnmanagedObject,
  leftUnmanagedLine,
  unmanagedLabel,
  type UnmanagedKind,
  type UnmanagedObject,
} from './unmanaged.js';

export interface IntrospectOptions {
  /** Glob patterns over "schema.name" (`*`, `?`; no dot = `public.`) of objects left out. */
  readonly ignore?: readonly string[];
  /** `false`: one connection only (default: a second one where the Db can open it). */
  readonly parallel?: boolean;
}

export type { TableStats };

export interface LiveSchema {
  /** The live schema, normalised (normalizeModel). */
  readonly model: SchemaModel;
  /** Per table, keyed `nameKey(schema, name)` (../model/object-ref.ts). */
  readonly stats: ReadonlyMap<string, TableStats>;
  /** server_version_num, e.g. 150020. */
  readonly serverVersion: number;
  /** Statements this introspection sent to the database (transaction control included). */
  readonly queryCount: number;
  /** Default operator classes, keyed `${method} ${type}` (`hnsw vector` → `vector_l2_ops`). */
  readonly defaultOpclasses: ReadonlyMap<string, string>;
  /** The settings the server's lock table is sized by. */
  readonly lockSettings?: LockSettings;
  /**
   * What the format does not manage (./unmanaged.ts): neither matched by `ignore` nor covered by
   * a kind. `pull` warns about each; the plan's summary counts the objects; `plan --strict` fails on them.
   */
  readonly unmanaged: readonly UnmanagedObject[];
}

/** Settings the catalog functions print with, for this transaction only. */
const SETTINGS =
  "SELECT set_config('search_path', 'public', true), set_config('TimeZone', 'UTC', true), " +
  "set_config('DateStyle', 'ISO, MDY', true), set_config('IntervalStyle', 'postgres', true), " +
  // JIT compilation costs ~100 ms per catalog query once the planner's cost estimate passes
  // jit_above_cost (a large schema, or catalogs with statistics) and saves nothing here.
  "set_config('jit', 'off', true), " +
  // Reading a column default locks its table (ACCESS SHARE): behind someone's ACCESS EXCLUSIVE
  // lock, fail with the lock timeout's error instead of waiting without end.
  // A lock_timeout the session already has (apply sets its own) is kept.
  "set_config('lock_timeout', CASE current_setting('lock_timeout') WHEN '0' THEN '30s' ELSE current_setting('lock_timeout') END, true)";

/** Opens the snapshot. */
const BEGIN = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${SETTINGS}`;

/**
 * Reads the live schema. `public` objects print unqualified, others schema-qualified, because
 * the queries run with `search_path = public`. Skips system schemas, the `pgreconcile` ledger
 * schema, objects owned by extensions and objects matched by `ignore`.
 *
 * Where the Db can open a second connection (a server, not PGlite), half of the catalog queries
 * run on it at the same time, in the same snapshot (pg_export_snapshot): the same result, in
 * about half the wall time on a large schema.
 *
 * The Db must not be inside a transaction: introspection opens and ends its own.
 *
 * @example
 * const live = await introspect(db, { ignore: ['tmp_*', 'audit.*'] });
 * live.model.tables.map((t) => t.name); // ['app_users', …]
 * live.stats.get(nameKey('public', 'app_users'));   // { rows: 1200, bytes: 245760 }
 */
export async function introspect(db: Db, opts: IntrospectOptions = {}): Promise<LiveSchema> {
  return liveFromCatalog(await fetchCatalog(db, opts), opts.ignore ?? []);
}

/** The catalog rows of one introspection, before they become the model. */
export interface CatalogSnapshot {
  readonly rows: CatalogResults;
  readonly opclassRows: readonly DefaultOpclassRow[];
  readonly unmanagedRows: readonly UnmanagedRow[];
  readonly serverVersion: number;
  readonly queryCount: number;
  readonly lockSettings?: LockSettings;
}

/**
 * The live schema from fetched catalog rows; `ignore` is applied here, so the rows can be
 * fetched before the desired state (which names the ignore patterns) is loaded.
 */
export function liveFromCatalog(snapshot: CatalogSnapshot, ignore: readonly string[]): LiveSchema {
  const { model, stats } = buildModel(snapshot.rows, ignore);
  const defaultOpclasses = new Map(snapshot.opclassRows.map((r) => [`${r.method} ${r.type}`, r.opclass]));
  return {
    model: normalizeModel(model),
    stats,
    serverVersion: snapshot.serverVersion,
    queryCount: snapshot.queryCount,
    defaultOpclasses,
    unmanaged: unmanagedObjects(snapshot.unmanagedRows, ignore),
    ...(snapshot.lockSettings !== undefined ? { lockSettings: snapshot.lockSettings } : {}),
  };
}

/**
 * Runs the catalog queries (the I/O half of `introspect`).
 *
 * @example
 * const live = liveFromCatalog(await fetchCatalog(db), desired.ignore);
 */
export async function fetchCatalog(db: Db, opts: Pick<IntrospectOptions, 'parallel'> = {}): Promise<CatalogSnapshot> {
  const queries = await loadQueries();
  let queryCount = 0;
  // The Db's kept second connection where it has one (no new session per introspection), else a new one.
  const kept = db.sibling !== undefined;
  const opening = opts.parallel === false ? undefined : kept ? db.sibling!() : db.fork?.();
  const forking = opening?.catch(() => undefined);
  let second: Db | undefined;
  const runOn = <R>(target: Db, query: CatalogQuery<R>): Promise<readonly R[]> => {
    queryCount++;
    return runQuery(target, queries, query);
  };

  queryCount++;
  await db.exec(BEGIN);
  let rows: CatalogResults;
  let serverVersion: number;
  let lockSettings: LockSettings;
  let opclassRows: readonly DefaultOpclassRow[];
  let unmanagedRows: readonly UnmanagedRow[];
  try {
    const [context] = await runOn(db, contextQuery);
    if (context === undefined) throw new Error('introspection: the server returned no version');
    serverVersion = context.server_version;
    lockSettings = {
      maxLocksPerTransaction: context.max_locks_per_transaction,
      maxConnections: context.max_connections,
      maxPreparedTransactions: context.max_prepared_transactions,
    };
    second = forking && !context.single_session ? await forking : undefined;
    if (second) {
      queryCount++;
      const exported = await db.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
      const snapshot = exported.rows[0]?.snapshot ?? '';
      queryCount++;
      try {
        await second.exec(
          `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}; ${SETTINGS}`,
        );
      } catch {
        // No shared snapshot there (a pooler, a standby that refuses it): one connection it is.
        second = undefined;
      }
    }
    // With a second connection the queries are split in two halves of about equal server time
    // (the tables query alone is about a third; each query names its half), run at once on the
    // same snapshot. A query for a newer server than this one is not run: its rows are empty.
    const other = second ?? db;
    const byName = new Map<string, readonly unknown[]>();
    const version = serverVersion;
    const queriesToRun = [...kindQueries(), defaultOpclassesQuery, unmanagedQuery];
    // Each connection runs its queries one after another; the two connections run side by side.
    const runHalf = async (connection: QueryConnection): Promise<void> => {
      for (const query of queriesToRun) {
        if (query.connection !== connection) continue;
        const runs = query.since === undefined || version >= query.since;
        byName.set(query.name, runs ? await runOn(connection === 'second' ? other : db, query) : []);
      }
    };
    // On one connection the halves run one after the other: never two queries in flight on
    // one client, and a failure of the first (a lock timeout) leaves no second one unhandled.
    if (second) await Promise.all([runHalf('first'), runHalf('second')]);
    else {
      await runHalf('first');
      await runHalf('second');
    }
    rows = catalogResults(byName);
    opclassRows = rows.of(defaultOpclassesQuery);
    unmanagedRows = rows.of(unmanagedQuery);
    queryCount++;
    await db.exec('COMMIT');
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    const extra = forking ? await forking : undefined;
    // A kept connection is left with no transaction open (ROLLBACK: its transaction only read);
    // one that cannot even do that is closed, and the Db opens another next time.
    if (extra && kept) await extra.exec('ROLLBACK').catch(() => extra.close());
    else if (extra) await extra.close();
  }
  return { rows, opclassRows, unmanagedRows, serverVersion, queryCount, lockSettings };
}

/**
 * The unmanaged query by itself, outside an introspection: what is left unmanaged now.
 *
 * @example
 * await findUnmanagedObjects(db, ['tmp_*'])
 * // [{ kind: 'view', schema: 'public', name: 'active_users' }]
 */
export async function findUnmanagedObjects(db: Db, ignore: readonly string[] = []): Promise<UnmanagedObject[]> {
  return unmanagedObjects(await runQuery(db, await loadQueries(), unmanagedQuery), ignore);
}
