/**
 * Databases that pgreconcile makes for itself on a server and drops when done (the benchmark's,
 * a rehearsal's scratch copy). Each is named `<prefix><pid>_…` and marked with a comment
 * `<tag>{"host":…,"pid":…,"created":…,…}`, so that a later run can drop the ones a process that
 * died (same host, process gone) left behind. A database whose comment is not ours, or whose
 * maker may still be running, is never touched.
 */
import { hostname } from 'node:os';
import type { Db } from './db.js';
import { quoteIdent, quoteLiteral } from '../model/ident.js';
import { processAlive } from '../util/process.js';

/** How one family of scratch databases is named and marked. */
export interface ScratchFamily {
  /** Every database of the family is named `<prefix><pid>_…`. */
  readonly prefix: string;
  /** The comment starts with this; the JSON note follows. */
  readonly tag: string;
}

/**
 * Creates the database `name` (from template0, UTF8) and marks it with this host, this process
 * and `about` (what made it, shown to whoever finds it), through the connection `admin`.
 *
 * @example
 * await createMarkedDatabase(admin, 'pgr_bench_4242_100_live', BENCH, { purpose: 'benchmark' });
 */
export async function createMarkedDatabase(
  admin: Db,
  name: string,
  family: ScratchFamily,
  about: Readonly<Record<string, string>> = {},
): Promise<void> {
  await admin.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`);
  const note = JSON.stringify({ ...about, host: hostname(), pid: process.pid, created: new Date().toISOString() });
  await admin.exec(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(family.tag + note)}`);
}

/**
 * `DROP DATABASE IF EXISTS … WITH (FORCE)` (PostgreSQL 13 and newer).
 *
 * @example await dropDatabaseIfExists(admin, 'pgr_rehearse_4242_k3x9');
 */
export async function dropDatabaseIfExists(admin: Db, name: string): Promise<void> {
  await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/**
 * Drops the family's databases that a dead process on this host left behind; returns their
 * names. One that cannot be dropped (another role's, or in use) is left and not returned.
 *
 * @example
 * const swept = await sweepDeadDatabases(admin, { prefix: 'pgr_bench_', tag: 'pgreconcile-bench ' });
 */
export async function sweepDeadDatabases(admin: Db, family: ScratchFamily): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string; note: string | null }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS note
       FROM pg_database d WHERE starts_with(d.datname, $1)`,
    [family.prefix],
  );
  const swept: string[] = [];
  for (const row of rows) {
    const note = parseNote(row.note, family.tag);
    if (note === undefined || note.host !== hostname() || processAlive(note.pid)) continue;
    try {
      await dropDatabaseIfExists(admin, row.datname);
      swept.push(row.datname);
    } catch {
      // not ours to drop after all (privileges), or reconnected to: left for its owner
    }
  }
  return swept;
}

function parseNote(comment: string | null, tag: string): { host: string; pid: number } | undefined {
  if (comment === null || !comment.startsWith(tag)) return undefined;
  try {
    const value = JSON.parse(comment.slice(tag.length)) as { host?: unknown; pid?: unknown };
    if (typeof value.host === 'string' && typeof value.pid === 'number') return { host: value.host, pid: value.pid };
  } catch {
    // not ours
  }
  return undefined;
}
