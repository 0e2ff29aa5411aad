/**
 * Runs once per `vitest run`, in the main process: finds the PostgreSQL server every test
 * database is made on (see ./test-server.ts), sweeps databases left by crashed runs, and
 * hands the server to the workers through `provide` (read back with `testServerInfo()`).
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { findTestServer } from './test-server.js';
import type { TestServerInfo } from './test-server.js';
import { sweepLeftoverDatabases } from './test-databases.js';
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
  return async () => {
    await server.stop();
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
