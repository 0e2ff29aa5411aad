/**
 * Test databases on the shared server: their names, the note each carries, and the sweep of
 * leftovers from runs that crashed. Several runs (and several people) may share one server,
 * so a database is swept only when the process that made it is provably gone.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { processAlive } from '../../src/util/process.js';

/** Every test database's name starts with this. */
export const TEST_DB_PREFIX = 'pgr_t_';

/** Marks a test database in its comment: `pgreconcile-test {"host":…,"pid":…,"created":…}`. */
const NOTE_TAG = 'pgreconcile-test ';

/** Databases on other hosts (a shared remote server) are swept after this long. */
const FOREIGN_MAX_AGE_MS = 6 * 60 * 60 * 1000;

interface Note {
  readonly host: string;
  readonly pid: number;
  readonly created: string;
}

let counter = 0;

/** A new unique database name for this process: `pgr_t_<pid>_<counter>_<random>`. */
export function nextDatabaseName(): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 6);
  return `${TEST_DB_PREFIX}${process.pid}_${counter}_${random}`;
}

/** `"name"`, quoted for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'`, quoted for SQL. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The comment a new test database gets. */
export function databaseNote(): string {
  const note: Note = { host: hostname(), pid: process.pid, created: new Date().toISOString() };
  return NOTE_TAG + JSON.stringify(note);
}

function parseNote(comment: string | null): Note | undefined {
  if (comment === null || !comment.startsWith(NOTE_TAG)) return undefined;
  try {
    const value = JSON.parse(comment.slice(NOTE_TAG.length)) as Partial<Note>;
    if (typeof value.host === 'string' && typeof value.pid === 'number' && typeof value.created === 'string') {
      return { host: value.host, pid: value.pid, created: value.created };
    }
  } catch {
    // not ours
  }
  return undefined;
}

/** Whether a leftover test database may be dropped: its maker is gone (or it is old and foreign). */
export function isAbandoned(name: string, comment: string | null, now = Date.now()): boolean {
  const note = parseNote(comment);
  if (note === undefined) {
    // No note: made by a run that died between CREATE and COMMENT. Trust the pid in the name.
    const pid = /^pgr_t_(\d+)_/.exec(name)?.[1];
    return pid !== undefined && !processAlive(Number(pid));
  }
  if (note.host === hostname()) return !processAlive(note.pid);
  const created = Date.parse(note.created);
  return Number.isFinite(created) && now - created > FOREIGN_MAX_AGE_MS;
}

/** `DROP DATABASE … WITH (FORCE)`, falling back to a plain drop on servers older than 13. */
export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42601') throw error;
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  }
}

/**
 * Drop the `pgr_t_%` databases whose makers are gone. Returns the names dropped. The pool's free
 * databases (`pgr_t_<run pid>_free_…`, see ./db-pool.ts) carry the note of the run's main process,
 * so those of a run that died without its teardown go too.
 */
export async function sweepLeftoverDatabases(adminUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'pgreconcile-test-sweep' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string; note: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as note
         from pg_database
        where datname like $1`,
      [`${TEST_DB_PREFIX.replace(/_/g, '\\_')}%`],
    );
    const dropped: string[] = [];
    for (const row of rows) {
      if (!isAbandoned(row.datname, row.note)) continue;
      try {
        await dropDatabase(client, row.datname);
        dropped.push(row.datname);
      } catch {
        // Someone else dropped it, or it is in use after all: leave it.
      }
    }
    return dropped;
  } finally {
    await client.end().catch(() => undefined);
  }
}
