/**
 * Runs once per `vitest run`, in the main process: finds the PostgreSQL server every test
 * database is made on (see ./test-server.ts), sweeps databases left by crashed runs, prepares
 * the run's pool of reusable test databases (./db-pool.ts; dropped again at teardown), and
 * hands the server and the pool to the workers through `provide` (read back with `testServerInfo()`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { findTestServer } from './test-server.js';
import type { TestServerInfo } from './test-server.js';
import { sweepLeftoverDatabases } from './test-databases.js';
import { dropPool, preparePool } from './db-pool.js';
import { redactUrl } from '../../src/db/redact.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await findTestServer();
  try {
    const swept = await sweepLeftoverDatabases(server.adminUrl);
    const version = await serverVersion(server.adminUrl);
    const sweptNote = swept.length > 0 ? `; dropped ${swept.length} leftover test database(s)` : '';
    console.log(`pgreconcile tests: ${version} (${server.source}, ${redactUrl(server.adminUrl)})${sweptNote}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const info: TestServerInfo = { source: server.source, adminUrl: server.adminUrl };
  project.provide('pgreconcileTestServer', info);
  // Test databases are reused through a pool (DROP DATABASE is slow): see ./db-pool.ts.
  const pool = await preparePool(server.adminUrl);
  project.provide('pgreconcileTestPool', pool ?? null);
  // The first worker that opens a PGlite database leaves its fresh files here for the others.
  const scratch = await mkdtemp(join(tmpdir(), 'pgr-test-run-'));
  project.provide('pgreconcilePgliteTemplate', join(scratch, 'pglite-template.tar'));
  return async () => {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    try {
      if (pool !== undefined) await dropPool(server.adminUrl, pool).catch(() => undefined);
    } finally {
      await server.stop();
    }
  };
}

async function serverVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(`select 'PostgreSQL ' || current_setting('server_version') as v`);
    return rows[0]?.v ?? 'PostgreSQL (unknown version)';
  } finally {
    await client.end().catch(() => undefined);
  }
}
