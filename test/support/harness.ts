/**
 * The database test harness: every test gets its own fresh database on a real server
 * (found once per run by ./global-setup.ts), dropped after the test whether it passed or not.
 * "Dropped" means: gone under its name. A database that can be emptied back to a fresh one's
 * state (checked against a fresh database's catalogs) is renamed into the run's pool and given
 * to a later test, because DROP DATABASE is slow (./db-pool.ts); any other is dropped for real.
 *
 * @example
 * import { useTestDatabase } from './support/harness.js';
 * const database = useTestDatabase();
 * it('creates a table', async () => {
 *   const { db } = database();
 *   await db.exec('create table t (id int)');
 * });
 *
 * `{ vector: true }` gives a database where `CREATE EXTENSION vector` works: on the server
 * when it has pgvector, else on an in-memory PGlite (with pgvector and pgcrypto) that is
 * also served on a local port, so `url` works for node-postgres and child processes.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, inject } from 'vitest';
import pg from 'pg';
import type { Db } from '../../src/db/db.js';
import { connectPostgres } from '../../src/db/pg-db.js';
import { dumpPglite, openPglite, servePglite } from '../../src/db/pglite-db.js';
import type { PgliteDb } from '../../src/db/pglite-db.js';
import { databaseNote, dropDatabase, nextDatabaseName, quoteIdent, quoteLiteral } from './test-databases.js';
import { claimPooledDatabase, cleanAndCheck, poolLog, releaseToPool, urlForDatabase, withClient } from './db-pool.js';
import type { PoolInfo } from './db-pool.js';
import type { TestServerInfo } from './test-server.js';

export interface TestDatabase {
  /** A URL reaching this database (the server's, or the PGlite bridge's). */
  readonly url: string;
  /** An open connection to it, closed by `drop()`. */
  readonly db: Db;
  /** The database name (`postgres` for a PGlite database). */
  readonly name: string;
}

export interface TestDatabaseOptions {
  /** A database where `CREATE EXTENSION vector` works (the extension is available, not created). */
  readonly vector?: boolean;
  /** Use an in-memory PGlite database (pgvector and pgcrypto available) even when the server would do. */
  readonly pglite?: boolean;
}

export type OwnedTestDatabase = TestDatabase & {
  /** Close the connection and drop the database (or stop and close the PGlite instance). Idempotent. */
  drop(): Promise<void>;
  /**
   * A fresh database in place of this one, which is no longer to be used: this one emptied back to
   * a fresh database's state and checked (the pool's reset: no database is claimed or renamed), or,
   * where it cannot be, dropped and a new one made. Cheaper than `drop()` and `createTestDatabase()`.
   */
  renew(): Promise<OwnedTestDatabase>;
};

/**
 * The server the run's test databases live on: where it came from and an admin URL.
 *
 * @example testServerInfo().source // 'local'
 */
export function testServerInfo(): { source: TestServerInfo['source']; adminUrl: string } {
  let info: TestServerInfo | undefined;
  try {
    info = inject('pgreconcileTestServer');
  } catch {
    info = undefined;
  }
  if (info === undefined) {
    throw new Error(
      'No test server was provided: run the tests through vitest with test/support/global-setup.ts as globalSetup (see vitest.config.ts).',
    );
  }
  return { source: info.source, adminUrl: info.adminUrl };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(testServerInfo().adminUrl, 'pgreconcile-test-admin', fn);
}

const extensionCache = new Map<string, Promise<boolean>>();

/**
 * Whether the test server can `CREATE EXTENSION name` (it is in `pg_available_extensions`).
 * Cached per worker.
 *
 * @example if (await serverHasExtension('vector')) { … }
 */
export function serverHasExtension(name: string): Promise<boolean> {
  let cached = extensionCache.get(name);
  if (cached === undefined) {
    cached = withAdmin(async (client) => {
      const { rowCount } = await client.query('select 1 from pg_available_extensions where name = $1', [name]);
      return (rowCount ?? 0) > 0;
    });
    extensionCache.set(name, cached);
    // A failed probe is not remembered.
    cached.catch(() => extensionCache.delete(name));
  }
  return cached;
}

/** The run's database pool, or `undefined` when it is off (see ./db-pool.ts). */
function poolInfo(): PoolInfo | undefined {
  try {
    return inject('pgreconcileTestPool') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Drops the database with this oid, whatever its name is now (a test may have renamed it). */
async function dropDatabaseByOid(client: pg.Client, oid: number): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('select datname from pg_catalog.pg_database where oid = $1', [oid]);
  const current = rows[0]?.datname;
  if (current !== undefined) await dropDatabase(client, current);
}

/**
 * A fresh, empty database (created from template0) with an open connection. Call `drop()`
 * when done; `useTestDatabase()` does that for you.
 *
 * @example
 * const t = await createTestDatabase();
 * try { await t.db.exec('create table t (id int)'); } finally { await t.drop(); }
 */
export async function createTestDatabase(opts?: TestDatabaseOptions): Promise<OwnedTestDatabase> {
  // PGRECONCILE_TEST_PGLITE=1: no server at all (`npm run test:unit`, vitest.unit.config.ts).
  if (opts?.pglite || process.env['PGRECONCILE_TEST_PGLITE'] === '1' || (opts?.vector && !(await serverHasExtension('vector')))) {
    return createPgliteDatabase();
  }
  const { adminUrl } = testServerInfo();
  const pool = poolInfo();
  const name = nextDatabaseName();
  const started = performance.now();
  let how = 'created';
  const oid = await withAdmin(async (client) => {
    // A pooled database (emptied and checked as fresh) when there is one free, else a new one.
    if (pool !== undefined && (await claimPooledDatabase(client, pool, name, databaseNote()))) {
      how = 'claimed';
    } else {
      await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`);
      await client.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(databaseNote())}`);
    }
    const { rows } = await client.query<{ oid: number }>('select oid::int8::float8 as oid from pg_catalog.pg_database where datname = $1', [
      name,
    ]);
    const found = rows[0]?.oid;
    if (found === undefined) throw new Error(`test database ${name} vanished as it was made`);
    return found;
  });
  poolLog(`${name} ${how} in ${Math.round(performance.now() - started)} ms`);
  return serverTestDatabase(adminUrl, name, oid, pool, opts);
}

/** The handle of the server test database `name` (oid `oid`): a connection to it, and its drop and renew. */
async function serverTestDatabase(
  adminUrl: string,
  name: string,
  oid: number,
  pool: PoolInfo | undefined,
  opts: TestDatabaseOptions | undefined,
): Promise<OwnedTestDatabase> {
  const url = urlForDatabase(adminUrl, name);
  let db: Db;
  try {
    db = await connectPostgres(url, { applicationName: 'pgreconcile-test' });
  } catch (error) {
    await withAdmin((client) => dropDatabaseByOid(client, oid)).catch(() => undefined);
    throw error;
  }
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await db.close().catch(() => undefined);
    const putAway = performance.now();
    if (pool !== undefined && (await releaseToPool(adminUrl, name, pool))) {
      poolLog(`${name} pooled in ${Math.round(performance.now() - putAway)} ms`);
      return;
    }
    await withAdmin((client) => dropDatabaseByOid(client, oid));
    poolLog(`${name} dropped in ${Math.round(performance.now() - putAway)} ms`);
  };
  return {
    url,
    db,
    name,
    drop,
    async renew() {
      if (dropped) throw new Error(`test database ${name} was dropped: nothing to renew`);
      if (pool !== undefined) {
        dropped = true;
        await db.close().catch(() => undefined);
        const started = performance.now();
        const problem = await cleanAndCheck(adminUrl, name, pool).catch((error: unknown) => String(error));
        if (problem === undefined) {
          poolLog(`${name} renewed in ${Math.round(performance.now() - started)} ms`);
          return serverTestDatabase(adminUrl, name, oid, pool, opts);
        }
        poolLog(`${name} dropped, not renewed: ${problem}`);
        await withAdmin((client) => dropDatabaseByOid(client, oid));
        return createTestDatabase(opts);
      }
      await drop();
      return createTestDatabase(opts);
    },
  };
}

/**
 * A fresh PGlite database's files, made once per worker (or read from the run's copy, which the
 * first worker to make them writes: see global-setup.ts): later instances skip initdb, which
 * takes seconds.
 */
let pgliteTemplate: Promise<Blob> | undefined;

/** The run's file for a fresh PGlite database's files, when the global setup gave one. */
function sharedPgliteTemplate(): string | undefined {
  try {
    return inject('pgreconcilePgliteTemplate') ?? undefined;
  } catch {
    return undefined;
  }
}

async function openFreshPglite(): Promise<PgliteDb> {
  const shared = sharedPgliteTemplate();
  if (pgliteTemplate === undefined && shared !== undefined && existsSync(shared)) {
    const read = readFile(shared).then((bytes) => new Blob([bytes]));
    pgliteTemplate = read;
    try {
      await read;
    } catch {
      if (pgliteTemplate === read) pgliteTemplate = undefined;
    }
  }
  if (pgliteTemplate === undefined) {
    const first = await openPglite();
    // Dumped before anyone writes to it, so the template stays empty.
    const dump = dumpPglite(first);
    pgliteTemplate = dump;
    try {
      const blob = await dump;
      if (shared !== undefined && !existsSync(shared)) {
        // Written aside and renamed: another worker reads the whole file or none.
        const partial = `${shared}.${process.pid}`;
        await writeFile(partial, Buffer.from(await blob.arrayBuffer()))
          .then(() => rename(partial, shared))
          .catch(() => undefined);
      }
    } catch (error) {
      pgliteTemplate = undefined;
      await first.close();
      throw error;
    }
    return first;
  }
  return openPglite({ loadDataDir: await pgliteTemplate });
}

async function createPgliteDatabase(): Promise<OwnedTestDatabase> {
  const db = await openFreshPglite();
  let served: Awaited<ReturnType<typeof servePglite>>;
  try {
    served = await servePglite(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    try {
      await served.stop();
    } finally {
      await db.close();
    }
  };
  return {
    url: served.url,
    db,
    name: 'postgres',
    drop,
    async renew() {
      await drop();
      return createPgliteDatabase();
    },
  };
}

/**
 * Give each test in the enclosing `describe` (or file) its own fresh database: created in
 * `beforeEach`, dropped in `afterEach` (which runs also when the test fails). Returns a
 * getter for the current test's database.
 *
 * @example
 * const database = useTestDatabase({ vector: true });
 * it('indexes vectors', async () => {
 *   await database().db.exec('create extension vector');
 * });
 */
export function useTestDatabase(opts?: TestDatabaseOptions): () => TestDatabase {
  let current: OwnedTestDatabase | undefined;
  beforeEach(async () => {
    current = await createTestDatabase(opts);
  });
  afterEach(async () => {
    const database = current;
    current = undefined;
    await database?.drop();
  });
  return () => {
    if (current === undefined) {
      throw new Error('useTestDatabase(): the database exists only while a test runs (between beforeEach and afterEach).');
    }
    return current;
  };
}
