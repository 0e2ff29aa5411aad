/**
 * The benchmark's own databases on the server: `pgr_bench_<pid>_<tables>_<role>`, created from
 * template0, marked with a comment naming the host and process, dropped when the run ends.
 * Leftovers of runs that died (same host, process gone) are dropped at the next start.
 */
import { connectPostgres } from '#pgreconcile/db/pg-db.js';
import type { Db } from '#pgreconcile/db/db.js';
import { withDatabaseName } from '#pgreconcile/db/open.js';
import { createMarkedDatabase, dropDatabaseIfExists, sweepDeadDatabases, type ScratchFamily } from '#pgreconcile/db/scratch-databases.js';

/** Every benchmark database's name starts with this. */
export const BENCH_DB_PREFIX = 'pgr_bench_';

const BENCH_DATABASES: ScratchFamily = { prefix: BENCH_DB_PREFIX, tag: 'pgreconcile-bench ' };

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
  return withDatabaseName(adminUrl, database);
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
    return sweepDeadDatabases(this.#admin, BENCH_DATABASES);
  }

  /** A new empty database named `pgr_bench_<pid>_<suffix>`. */
  async create(suffix: string): Promise<BenchDatabase> {
    const name = `${BENCH_DB_PREFIX}${process.pid}_${suffix}`;
    await this.#drop(name);
    this.#created.add(name);
    await createMarkedDatabase(this.#admin, name, BENCH_DATABASES);
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
    await dropDatabaseIfExists(this.#admin, name);
  }
}
