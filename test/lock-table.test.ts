/**
 * Issue 12, item 8: transaction groups fit the server's lock table. On a cluster of the test's
 * own started with max_locks_per_transaction = 10 (the shared server is never reconfigured), a
 * plan of a few hundred tables from an empty database would need thousands of locks in one
 * transaction ("out of shared memory"); the planner reads the settings and cuts the plan into
 * groups that fit. Each group commits with its ledger update: a group that fails (a lock timeout
 * on a table a session of the test holds) leaves the earlier ones applied, and apply --resume
 * goes on from there. The cluster is stopped afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlanDocument } from '../src/apply/apply-plan.js';
import { resumeApply } from '../src/apply/resume.js';
import { connectPostgres } from '../src/db/pg-db.js';
import type { Db } from '../src/db/db.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { lockBudget } from '../src/plan/lock-budget.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { startThrowawayCluster, type ThrowawayCluster } from './support/test-server.js';

const TABLES = 250;
let cluster: ThrowawayCluster | undefined;
let skipped: string | undefined;

beforeAll(async () => {
  const started = await startThrowawayCluster({ max_locks_per_transaction: '10', max_connections: '20' });
  if ('skipped' in started) skipped = started.skipped;
  else cluster = started;
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
}, 120_000);

function schemaText(): string {
  const lines = ['version: 1', 'schemas:', '  public:', '    tables:'];
  for (let i = 1; i <= TABLES; i++) {
    const name = `t${String(i).padStart(3, '0')}`;
    lines.push(
      `      ${name}:`,
      '        columns:',
      '          id: { type: serial }',
      '          body: { type: text }',
      '        primary_key: [id]',
      '        indexes:',
      `          ${name}_body_idx: { columns: [body] }`,
    );
  }
  lines.push('      existing:', '        columns:', '          id: { type: integer }', '          added: { type: text }');
  return `${lines.join('\n')}\n`;
}

async function database(name: string): Promise<{ url: string; db: Db }> {
  const admin = new pg.Client({ connectionString: cluster!.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster!.adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), db: await connectPostgres(url.toString()) };
}

describe('a plan larger than the lock table', () => {
  it('is cut into transaction groups that fit; one failing leaves the earlier ones applied, and a resume finishes', async (context) => {
    if (skipped !== undefined) {
      console.warn(`test/lock-table.test.ts skipped: ${skipped}`);
      context.skip();
    }
    const { url, db } = await database('locks');
    try {
      await db.exec('CREATE TABLE existing (id integer)');
      const settings = await db.query<{ locks: string }>("SELECT current_setting('max_locks_per_transaction') AS locks");
      expect(settings.rows[0]!.locks).toBe('10');

      const desired = await loadDesiredStateFromText(schemaText(), 'schema.yaml');
      const { plan, live } = await planDatabase(db, desired);
      expect(live.lockSettings).toEqual({ maxLocksPerTransaction: 10, maxConnections: 20, maxPreparedTransactions: 0 });
      expect(lockBudget(live.lockSettings!)).toBe(64);
      const groups = new Set(plan.steps.map((s) => s.group));
      expect(plan.steps.length).toBeGreaterThan(3 * TABLES);
      expect(groups.size).toBeGreaterThan(10);
      const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });

      // A session holds the table a group in the middle alters (after every CREATE TABLE, before the
      // indexes): that group times out, the earlier ones stay, the later ones do not run.
      const alter = plan.steps.find((s) => s.sql.includes('"existing"') && s.sql.includes('ADD COLUMN'))!;
      expect(alter.group).toBeGreaterThan(1);
      expect(alter.group).toBeLessThan(plan.steps[plan.steps.length - 1]!.group);
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE existing IN ACCESS SHARE MODE');
      const failed = await applyPlanDocument(db, doc, { desired, lockTimeoutMs: 300, retries: 0 });
      await blocker.query('ROLLBACK');
      await blocker.end();
      expect(failed.kind, JSON.stringify(failed).slice(0, 400)).toBe('failed');
      if (failed.kind !== 'failed') return;
      expect(failed.error).toContain('lock timeout');
      const before = plan.steps.filter((s) => s.group < alter.group).length;
      expect(failed.stepsApplied).toBe(before);
      expect(failed.resumeFrom).toBe(plan.steps.find((s) => s.group === alter.group)!.n);
      const tables = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
      );
      const created = plan.steps.filter((s) => s.group < alter.group && s.sql.startsWith('CREATE TABLE')).length;
      expect(created).toBeGreaterThan(0);
      expect(tables.rows[0]!.n).toBe(created + 1);
      expect((await listVersions(db))[0]).toMatchObject({ status: 'failed', stepsApplied: before });

      const resumed = await resumeApply(db, { doc });
      expect(resumed.kind, JSON.stringify(resumed).slice(0, 400)).toBe('applied');
      if (resumed.kind !== 'applied') return;
      expect(resumed.stepsApplied).toBe(plan.steps.length);
      expect(resumed.remaining.steps).toEqual([]);
      expect((await listVersions(db))[0]).toMatchObject({ status: 'applied', stepsApplied: plan.steps.length });
      expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
    } finally {
      await db.close();
    }
  }, 300_000);
});
