/**
 * Choosing the database a command works on: an explicit URL, else `DATABASE_URL`, else the
 * embedded PGlite database under `<cwd>/.pgreconcile/pglite/` so that `plan` and `apply` work
 * on a machine with nothing installed.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Db } from './db.js';
import { connectPostgres } from './pg-db.js';
import type { PgliteDb } from './pglite-db.js';
import { isUrlForm, redactUrl } from './redact.js';

/** PGlite (WebAssembly PostgreSQL) is loaded only when an embedded database is used. */
async function openPglite(opts?: { dataDir?: string }): Promise<PgliteDb> {
  const { openPglite: open } = await import('./pglite-db.js');
  return open(opts);
}

/** What pglite-db.ts describes an in-memory database as. */
const IN_MEMORY_DESCRIPTION = 'in-memory PGlite';

/** Where the embedded database lives, relative to the working directory. */
export const EMBEDDED_PGLITE_DIR = join('.pgreconcile', 'pglite');

/** Which setting chose the database. */
export type TargetSource = 'option' | 'env' | 'embedded';

interface TargetInfo {
  readonly source: TargetSource;
  /** For PGlite: the folder as shown to the user (relative to cwd when inside it). */
  readonly shownPath?: string;
  /** For a server: the connection string it was opened with (never printed; see `openOnSameServer`). */
  readonly connectionString?: string;
}

const targets = new WeakMap<Db, TargetInfo>();

/**
 * Open the database a command works on. The URL comes from `opts.databaseUrl`, else the
 * environment variable `DATABASE_URL`, else the embedded PGlite database stored under
 * `<cwd>/.pgreconcile/pglite/` (created on first use).
 *
 * Besides `postgres://` URLs and key=value strings, `pglite:<folder>` opens a PGlite
 * database stored in that folder (relative to `cwd`), and `pglite:memory` an in-memory one.
 *
 * @example
 * const db = await openDatabase({ databaseUrl: flags.databaseUrl, cwd: process.cwd() });
 * console.log(describeTarget(db));
 */
export async function openDatabase(opts: { databaseUrl?: string; cwd: string }): Promise<Db> {
  const fromOption = nonEmpty(opts.databaseUrl);
  const fromEnv = nonEmpty(process.env['DATABASE_URL']);
  const url = fromOption ?? fromEnv;
  const source: TargetSource = fromOption !== undefined ? 'option' : fromEnv !== undefined ? 'env' : 'embedded';

  if (url === undefined) {
    return remember(await openPglite({ dataDir: resolve(opts.cwd, EMBEDDED_PGLITE_DIR) }), {
      source,
      shownPath: EMBEDDED_PGLITE_DIR,
    });
  }
  if (/^pglite:/i.test(url)) {
    const where = url.slice('pglite:'.length).replace(/^\/\//, '');
    if (where === '' || where === 'memory') return remember(await openPglite(), { source });
    const dataDir = resolve(opts.cwd, where);
    return remember(await openPglite({ dataDir }), { source, shownPath: shownPath(opts.cwd, dataDir) });
  }
  return remember(await connectPostgres(url, { applicationName: 'pgreconcile' }), { source, connectionString: url });
}

/**
 * The connection string pointed at another database on the same server (same host, port, user,
 * password and options). Both forms: a URL's path is replaced; a key=value string gets `dbname`.
 *
 * @example
 * withDatabaseName('postgres://app:pw@db:5432/app?sslmode=require', 'scratch') // 'postgres://app:pw@db:5432/scratch?sslmode=require'
 * withDatabaseName('host=db user=app dbname=app', 'scratch')                   // "host=db user=app dbname=app dbname='scratch'"
 */
export function withDatabaseName(connectionString: string, database: string): string {
  if (!isUrlForm(connectionString)) {
    // The last dbname wins, in libpq and in pg-db.ts alike.
    return `${connectionString.trim()} dbname='${database.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  }
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new Error(`not a valid connection URL: ${redactUrl(connectionString)}`);
  }
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * A function that opens another database on the server `db` reaches (same connection string, other
 * database name), when `db` was opened by `openDatabase` from a connection string; undefined
 * otherwise (PGlite, or a `Db` made elsewhere, whose connection string is not known).
 *
 * @example
 * const open = sameServerOpener(target);
 * const scratch = open ? await open('pgr_rehearse_4242_k3x9') : undefined;
 */
export function sameServerOpener(db: Db): ((database: string, applicationName?: string) => Promise<Db>) | undefined {
  const connectionString = targets.get(db)?.connectionString;
  if (db.kind !== 'postgres' || connectionString === undefined) return undefined;
  return (database, applicationName = 'pgreconcile') => connectPostgres(withDatabaseName(connectionString, database), { applicationName });
}

/**
 * The connection string `db` was opened with by `openDatabase`, for a tool that connects by itself
 * (pg_dump for a rehearsal's copy); undefined for PGlite or a `Db` made elsewhere. It holds the
 * password: never print it.
 */
export function connectionStringOf(db: Db): string | undefined {
  return db.kind === 'postgres' ? targets.get(db)?.connectionString : undefined;
}

/**
 * The line that tells the user which database a command works on (never a password).
 *
 * @example
 * describeTarget(db)
 * // 'Using embedded PGlite database at .pgreconcile/pglite (no DATABASE_URL or --database-url given)'
 * // 'Using database postgres://app:***@db:5432/app (from DATABASE_URL)'
 */
export function describeTarget(db: Db): string {
  const info = targets.get(db);
  const where =
    db.kind === 'postgres'
      ? `database ${db.description}`
      : info?.shownPath === undefined && db.description === IN_MEMORY_DESCRIPTION
        ? 'in-memory PGlite database'
        : `PGlite database at ${info?.shownPath ?? db.description}`;
  const source = info?.source;
  switch (source) {
    case 'embedded':
      return `Using embedded ${where} (no DATABASE_URL or --database-url given)`;
    case 'env':
      return `Using ${where} (from DATABASE_URL)`;
    case 'option':
      return `Using ${where} (from --database-url)`;
    case undefined:
      return `Using ${where}`;
    default: {
      const unknown: never = source;
      return unknown;
    }
  }
}

function remember<T extends Db>(db: T, info: TargetInfo): T {
  targets.set(db, info);
  return db;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function shownPath(cwd: string, dir: string): string {
  const rel = relative(resolve(cwd), dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
}
