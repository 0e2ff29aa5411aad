/**
 * The embedded adapter: PGlite (PostgreSQL compiled to WebAssembly, in-process) with the
 * pgvector and pgcrypto extensions available, behind the `Db` interface; and a TCP bridge
 * (pglite-socket) so that anything speaking the PostgreSQL protocol can reach it by URL.
 *
 * Values come back in the same shapes as from node-postgres (./pg-db.ts): int8, numeric,
 * dates, times, timestamps and intervals as strings; everything else as PGlite parses it.
 */
import { unlinkSync } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Db, QueryResult } from './db.js';
import { DbError, toDbError } from './errors.js';
import { pinSessionSettings } from './session-settings.js';
import { processAlive } from '../util/process.js';

export type { PGlite } from '@electric-sql/pglite';

/** A PGlite-backed `Db` that also exposes the instance (for serving it, or PGlite-only APIs). */
export type PgliteDb = Db & { readonly kind: 'pglite'; readonly pglite: PGlite };

/** Type OIDs whose text form is kept as a string (see ./pg-db.ts); array elements follow. */
const KEEP_AS_TEXT: readonly number[] = [20, 1700, 1082, 1083, 1266, 1114, 1184, 1186];

/** `Db.description` of an in-memory PGlite database. */
export const IN_MEMORY_DESCRIPTION = 'in-memory PGlite';

const noScrub = (text: string): string => text;

/**
 * Open an embedded PGlite database with pgvector and pgcrypto available
 * (`CREATE EXTENSION vector` / `CREATE EXTENSION pgcrypto` work). In memory when no
 * `dataDir` is given; else stored in that folder, created if missing, and locked for this
 * process (`<dataDir>.lock`) until `close()`: a second opener gets a `DbError` naming the holder.
 *
 * @example
 * const db = await openPglite({ dataDir: '.pgreconcile/pglite' });
 * await db.exec('create extension if not exists vector');
 * await db.close();
 */
export async function openPglite(opts?: {
  dataDir?: string;
  /** Start from a copy of another database (`dumpPglite()`), skipping initdb: about twice as fast. */
  loadDataDir?: Blob;
}): Promise<PgliteDb> {
  const dataDir = opts?.dataDir === undefined ? undefined : resolve(opts.dataDir);
  const description = dataDir ?? IN_MEMORY_DESCRIPTION;
  let pglite: PGlite;
  const release = dataDir === undefined ? async () => undefined : await lockDataDir(dataDir);
  try {
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    const identity = (value: string): string => value;
    pglite = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      ...(opts?.loadDataDir === undefined ? {} : { loadDataDir: opts.loadDataDir }),
      extensions: { vector, pgcrypto },
      parsers: Object.fromEntries(KEEP_AS_TEXT.map((oid) => [oid, identity])),
    });
  } catch (error) {
    await release();
    throw toDbError(
      error,
      { phase: 'connect', target: description, prefix: `could not open the PGlite database at ${description}: ` },
      noScrub,
    );
  }
  const db = wrapPglite(pglite, description, release);
  try {
    await pinSessionSettings(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/**
 * Take `<dataDir>.lock` (created exclusively, holding host and pid) so that a second process
 * cannot open the same folder: two PGlite instances on one folder corrupt it. A lock left by
 * a dead process on this host is taken over. Returns the release function.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  const mine = JSON.stringify({ host: hostname(), pid: process.pid });
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(mine);
      await handle.close();
      const onExit = (): void => {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', onExit);
      return async () => {
        process.removeListener('exit', onExit);
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLockHolder(lockPath);
      if (holder !== undefined && holder.host === hostname() && !processAlive(holder.pid)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      const who = holder === undefined ? 'another process' : `process ${holder.pid} on ${holder.host}`;
      throw new DbError(
        `the PGlite database at ${dataDir} is in use by ${who} (lock file ${lockPath}; delete it if that process is gone)`,
        { phase: 'connect', target: dataDir },
      );
    }
  }
  throw new DbError(`could not lock the PGlite database at ${dataDir} (lock file ${lockPath})`, {
    phase: 'connect',
    target: dataDir,
  });
}

async function readLockHolder(lockPath: string): Promise<{ host: string; pid: number } | undefined> {
  try {
    const value = JSON.parse(await readFile(lockPath, 'utf8')) as { host?: unknown; pid?: unknown };
    return typeof value.host === 'string' && typeof value.pid === 'number' ? { host: value.host, pid: value.pid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A snapshot of a PGlite database's files (uncompressed tarball), to start others from with
 * `openPglite({ loadDataDir })`.
 *
 * @example
 * const template = await dumpPglite(await openPglite());
 * const copy = await openPglite({ loadDataDir: template });
 */
export async function dumpPglite(db: PgliteDb): Promise<Blob> {
  return db.pglite.dumpDataDir('none');
}

/** The `Db` view of a PGlite instance; `close()` closes the instance. */
function wrapPglite(pglite: PGlite, description: string, release: () => Promise<void>): PgliteDb {
  let closed = false;
  const ensureOpen = (sql: string): void => {
    if (closed) throw new DbError(`the PGlite database ${description} is closed`, { phase: 'query', target: description, sql });
  };
  return {
    kind: 'pglite',
    description,
    pglite,

    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      ensureOpen(sql);
      try {
        const result = await pglite.query<T>(sql, params ? [...params] : []);
        // PGlite reports affected rows for DML only; node-postgres counts SELECT rows too.
        return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
      } catch (error) {
        throw toDbError(error, { phase: 'query', target: description, sql }, noScrub);
      }
    },

    async exec(sql: string): Promise<void> {
      ensureOpen(sql);
      try {
        await pglite.exec(sql);
      } catch (error) {
        throw toDbError(error, { phase: 'query', target: description, sql }, noScrub);
      }
    },

    async *copyOut(select: string): AsyncIterable<Uint8Array> {
      // PGlite has no COPY protocol: it writes the whole output to its virtual /dev/blob.
      const sql = `COPY (${select}) TO '/dev/blob'`;
      ensureOpen(sql);
      let blob: Blob | undefined;
      try {
        blob = (await pglite.query(sql)).blob;
      } catch (error) {
        throw toDbError(error, { phase: 'query', target: description, sql }, noScrub);
      }
      if (blob !== undefined && blob.size > 0) yield new Uint8Array(await blob.arrayBuffer());
    },

    async copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
      const sql = `COPY ${target} FROM '/dev/blob'`;
      ensureOpen(sql);
      const chunks: Uint8Array[] = [];
      for await (const chunk of data) chunks.push(chunk);
      try {
        const result = await pglite.query(sql, [], { blob: new Blob(chunks) });
        return result.affectedRows ?? 0;
      } catch (error) {
        throw toDbError(error, { phase: 'query', target: description, sql }, noScrub);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        if (!pglite.closed) await pglite.close().catch(() => undefined);
      } finally {
        await release();
      }
    },
  };
}

/** A PGlite database reachable through a `postgres://` URL. */
export interface ServedPglite {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (no password: the bridge does not authenticate). */
  readonly url: string;
  /** Stop listening and drop the connected clients; the PGlite instance stays open. */
  stop(): Promise<void>;
}

/**
 * Serve a PGlite database on 127.0.0.1 (a free port) through pglite-socket, so that
 * node-postgres, psql or a child process can reach it by URL.
 *
 * PGlite is one session: connections are multiplexed onto it, so session state (SET,
 * advisory locks, temporary tables) is shared between them, and statements from different
 * connections run one at a time. `maxConnections` (default 4) caps concurrent clients;
 * the one-connection case behaves exactly like a server.
 *
 * @example
 * const db = await openPglite();
 * const served = await servePglite(db);
 * const viaUrl = await connectPostgres(served.url);
 * await viaUrl.close(); await served.stop(); await db.close();
 */
export async function servePglite(db: PGlite | { readonly pglite: PGlite }, opts?: { maxConnections?: number }): Promise<ServedPglite> {
  const pglite = db instanceof PGlite ? db : db.pglite;
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: 0,
    maxConnections: opts?.maxConnections ?? 4,
  });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) {
    await server.stop();
    throw new Error(`pglite-socket reported an unexpected address "${conn}"`);
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await server.stop();
      // Detaching clients may roll back an open transaction asynchronously; let it finish
      // before the caller closes the PGlite instance.
      await new Promise<void>((done) => setTimeout(done, 20));
    },
  };
}
