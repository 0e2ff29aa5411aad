/**
 * Issue 12, item 3: an apply that loses its deployment lock stops at the next step. The first
 * apply waits at a step (a session of the test holds a lock on the table it alters) while a second
 * apply waits for the deployment lock; the first one's lock connection is killed with
 * pg_terminate_backend, so the second takes the lock and applies its own plan. When the first one's
 * step can go on, it must not commit: its ledger row is failed with a message that says the lock
 * was lost, and the database holds the second plan only, never a mix of both.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlanDocument, type ApplyEvent, type ApplyOutcome } from '../src/apply/apply-plan.js';
import { connectPostgres } from '../src/db/pg-db.js';
import type { Db } from '../src/db/db.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { ADVISORY_KEY } from '../src/ledger/ledger-schema.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { useTestDatabase } from './support/harness.js';
import { waitFor } from './support/apply-cli.js';

const database = useTestDatabase();
const opened: (Db | pg.Client)[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await ('exec' in c ? c.close() : c.end()).catch(() => undefined);
});

const BASE = `version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: { type: integer }
`;
/** The first plan: a column on t (its step waits behind the test's lock), then a table. */
const FIRST = `${BASE}          added_by_first: { type: text }
      first_table:
        columns:
          id: { type: integer }
`;
/** The second plan: another table. */
const SECOND = `${BASE}      second_table:
        columns:
          id: { type: integer }
`;

async function planned(db: Db, text: string) {
  const desired = await loadDesiredStateFromText(text, 'schema.yaml');
  const { plan, live } = await planDatabase(db, desired);
  return {
    desired,
    doc: newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired }),
  };
}

async function relationExists(db: Db, name: string): Promise<boolean> {
  return (await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [name])).rows[0]!.ok;
}

describe('the deployment lock lost while applying', () => {
  it('stops the apply at the next step: its transaction is rolled back, the row failed, only the other plan is applied', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE t (id integer)');
    const first = await connectPostgres(url);
    const second = await connectPostgres(url);
    const blocker = new pg.Client({ connectionString: url, application_name: 'lock-loss-blocker' });
    blocker.on('error', () => undefined);
    await blocker.connect();
    opened.push(first, second, blocker);

    const one = await planned(first, FIRST);
    const two = await planned(second, SECOND);
    const alter = one.doc.plan.steps.find((s) => s.sql.includes('added_by_first'))!;
    expect(alter).toBeDefined();

    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE t IN SHARE MODE');
    const firstEvents: ApplyEvent[] = [];
    const firstRun: Promise<ApplyOutcome> = applyPlanDocument(first, one.doc, {
      desired: one.desired,
      lockTimeoutMs: 120_000,
      onEvent: (e) => firstEvents.push(e),
    });
    firstRun.catch(() => undefined);
    // The first apply waits at its ALTER TABLE, holding the deployment lock.
    await waitFor(
      async () =>
        (
          await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1 AND wait_event_type = 'Lock'`, [
            alter.sql,
          ])
        ).rows[0]!.n > 0,
      30_000,
      'the first apply to wait at its ALTER TABLE',
    );

    let secondWaiting = false;
    const secondRun = applyPlanDocument(second, two.doc, {
      desired: two.desired,
      lockWaitMs: 60_000,
      onEvent: (e) => {
        if (e.kind === 'lock_wait') secondWaiting = true;
      },
    });
    secondRun.catch(() => undefined);
    await waitFor(() => secondWaiting, 30_000, 'the second apply to wait for the deployment lock');

    // Someone (a DBA, a pooler, a failover) ends the first apply's lock connection.
    // This database's lock only: the server is shared with other test databases (and runs).
    const holder = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::int8::oid AND objid = 1 AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [ADVISORY_KEY],
    );
    expect(holder.rows).toHaveLength(1);
    await db.query('SELECT pg_terminate_backend($1)', [holder.rows[0]!.pid]);

    const secondOutcome = await secondRun;
    expect(secondOutcome.kind, JSON.stringify(secondOutcome)).toBe('applied');
    // Now the first apply's step can go on.
    await blocker.query('ROLLBACK');
    const firstOutcome = await firstRun;

    expect(firstOutcome.kind).toBe('failed');
    if (firstOutcome.kind !== 'failed') return;
    expect(firstOutcome.lockLost).toBe(true);
    expect(firstOutcome.error).toContain('the deployment lock was lost');
    expect(firstOutcome.stepsApplied).toBe(0);
    const rows = await listVersions(db);
    const firstRow = rows.find((r) => r.version === one.doc.id)!;
    expect(firstRow).toMatchObject({ status: 'failed', stepsApplied: 0 });
    expect(firstRow.error).toContain('the deployment lock was lost');
    expect(rows.find((r) => r.version === two.doc.id)).toMatchObject({ status: 'applied' });

    // The database holds the second plan, and nothing of the first.
    expect(await relationExists(db, 'public.second_table')).toBe(true);
    expect(await relationExists(db, 'public.first_table')).toBe(false);
    const columns = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    expect(columns.rows.map((c) => c.name)).toEqual(['id']);
    const again = await planned(db, SECOND);
    expect(again.doc.plan.steps).toEqual([]);
  });
});
