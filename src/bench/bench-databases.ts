/**
 * The benchmark's own databases on the server: `pgr_bench_<pid>_<tables>_<role>`, created from
 * template0, marked with a comment naming the host and process, dropped when the run ends.
 * Leftovers of runs that died (same host, process gone) are dropped at the next start.
 */
import { hostname } from 'node:os';
import { connectPostgres } from '../db/pg-db.js';
import type { Db } from '../db/db.js';
import { redactUrl } from '../db/redact.js';
import { processAlive } from '../util/process.js';
import { quoteIdent } from '../model/ident.js';

/** Every benchmark database's name starts with this. */
export const BENCH_DB_PREFIX = 'pgr_bench_';

const NOTE_TAG = 'pgreconcile-bench ';

/** A benchmark database: its name and a URL reaching it. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
}

/**
 * The admin URL pointed at another database on the same server.
 *
 * @example databaseUrl('postgres://postgres@127.0.0.1:5432/postgres', 'pgr_bench_1_100_live')
 * // 'postgres://postgres@127.0.0.1:5432/pgr_bench_1_100_live'
 */
export function databaseUrl(adminUrl: string, database: string): string {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw new Error(`--database-url must be a postgres:// URL, got ${redactUrl(adminUrl)}`);
  }
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Creates, fills and drops benchmark databases through one admin connection.
 *
 * @example
 * const admin = await BenchServer.connect(url);
 * const live = await admin.create('100_live');
 * await admin.load(live, schema.sqlChunks);
 * await admin.dropAll();
 */
export class BenchServer {
  readonly #admin: Db;
  readonly #adminUrl: string;
  readonly #created = new Set<string>();

  private constructor(admin: Db, adminUrl: string) {
    this.#admin = admin;
    this.#adminUrl = adminUrl;
  }

  static async connect(adminUrl: string): Promise<BenchServer> {
    const admin = await connectPostgres(adminUrl, { applicationName: 'pgreconcile-bench' });
    return new BenchServer(admin, adminUrl);
  }

  /** `PostgreSQL 15.20 …` as the server reports it. */
  async serverVersion(): Promise<string> {
    const { rows } = await this.#admin.query<{ version: string }>('SELECT version() AS version');
    return rows[0]?.version ?? 'unknown';
  }

  /** Drops benchmark databases that a dead process on this host left behind. */
  async sweepLeftovers(): Promise<string[]> {
    const { rows } = await this.#admin.query<{ datname: string; note: string | null }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS note
         FROM pg_database d WHERE d.datname LIKE $1`,
      [`${BENCH_DB_PREFIX}%`],
    );
    const swept: string[] = [];
    for (const row of rows) {
      const note = parseNote(row.note);
      if (note === undefined || note.host !== hostname() || processAlive(note.pid)) continue;
      await this.#drop(row.datname);
      swept.push(row.datname);
    }
    return swept;
  }

  /** A new empty database named `pgr_bench_<pid>_<suffix>`. */
  async create(suffix: string): Promise<BenchDatabase> {
    const name = `${BENCH_DB_PREFIX}${process.pid}_${suffix}`;
    await this.#drop(name);
    await this.#admin.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`);
    this.#created.add(name);
    const note = JSON.stringify({ host: hostname(), pid: process.pid, created: new Date().toISOString() });
    await this.#admin.exec(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(NOTE_TAG + note)}`);
    return { name, url: databaseUrl(this.#adminUrl, name) };
  }

  /** Runs the SQL chunks in order, each in its own transaction. */
  async load(database: BenchDatabase, chunks: readonly string[]): Promise<void> {
    const db = await connectPostgres(database.url, { applicationName: 'pgreconcile-bench' });
    try {
      for (const [i, chunk] of chunks.entries()) {
        try {
          await db.exec(`BEGIN;\n${chunk}\nCOMMIT;`);
        } catch (error) {
          await db.exec('ROLLBACK').catch(() => undefined);
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(`loading ${database.name}, SQL chunk ${i + 1} of ${chunks.length}: ${message}`, { cause: error });
        }
      }
    } finally {
      await db.close();
    }
  }

  /** Drops one database made by `create`. */
  async drop(database: BenchDatabase): Promise<void> {
    await this.#drop(database.name);
    this.#created.delete(database.name);
  }

  /** Drops every database this run made, then closes the admin connection. */
  async close(keep = false): Promise<void> {
    try {
      if (!keep) for (const name of [...this.#created]) await this.#drop(name);
    } finally {
      await this.#admin.close();
    }
  }

  async #drop(name: string): Promise<void> {
    await this.#admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
}

function parseNote(comment: string | null): { host: string; pid: number } | undefined {
  if (comment === null || !comment.startsWith(NOTE_TAG)) return undefined;
  try {
    const value = JSON.parse(comment.slice(NOTE_TAG.length)) as { host?: unknown; pid?: unknown };
    if (typeof value.host === 'string' && typeof value.pid === 'number') return { host: value.host, pid: value.pid };
  } catch {
    // not ours
  }
  return undefined;
}



function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
