/**
 * `baseline` and `status` — the adoption path — and apply on PGlite, which has one session
 * (the deployment lock and the ledger work on the one connection): the Slidefactory fixture
 * loaded from init.sql is baselined, `status` shows the version, and `plan` with the root
 * schema.yaml shows no changes. On a real server: baseline refuses a database that differs
 * from the desired state unless --force, and status reports pending changes.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlanDocument } from '../src/apply/apply-plan.js';
import { acquireDeploymentLock } from '../src/apply/deployment-lock.js';
import { openPglite, servePglite } from '../src/db/pglite-db.js';
import type { PgliteDb, ServedPglite } from '../src/db/pglite-db.js';
import { loadDesiredState } from '../src/desired/index.js';
import { LEDGER_FORMAT_VERSION, ledgerFormatVersion } from '../src/ledger/ledger-schema.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { createTestDatabase, useTestDatabase } from './support/harness.js';
import { pendingSteps, root, runCli, useWorkFolder, workFolder, writeSchema } from './support/apply-cli.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const fixtureSql = SLIDEFACTORY_INIT_SQL;

describe('baseline of the Slidefactory fixture on PGlite (pgvector, one session)', () => {
  let db: PgliteDb;
  let served: ServedPglite;

  beforeAll(async () => {
    db = await openPglite();
    await db.exec(await readFile(fixtureSql, 'utf8'));
    served = await servePglite(db);
  }, 300_000);

  afterAll(async () => {
    await served?.stop();
    await db?.close();
  });

  it('records the live state as a version; status shows it; plan with the root schema.yaml shows no changes', async () => {
    const before = await runCli(['status', '--database-url', served.url, '--schema', 'schema.yaml'], root);
    expect(before.code).toBe(4);
    expect(before.stdout).toContain('No ledger yet');

    const baseline = await runCli(['baseline', '--database-url', served.url, '--schema', 'schema.yaml'], root);
    expect(baseline.stderr).not.toMatch(/\n\s+at /);
    expect(baseline.code).toBe(0);
    const version = /Recorded baseline version (\S+):/.exec(baseline.stdout)?.[1];
    expect(version).toMatch(/^\d{8}T\d{6}Z_baseline$/);

    const status = await runCli(['status', '--database-url', served.url, '--schema', 'schema.yaml'], root);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Current version: ${version} (baseline, applied `);
    expect(status.stdout).toContain('Changes to apply: none — the database matches schema.yaml');
    const json: unknown = JSON.parse(
      (await runCli(['status', '--json', '--database-url', served.url, '--schema', 'schema.yaml'], root)).stdout,
    );
    expect(json).toMatchObject({
      health: 'up_to_date',
      exit_code: 0,
      ledger_format: LEDGER_FORMAT_VERSION,
      current: { version, kind: 'baseline' },
      pending: { changes: false, steps: 0 },
    });

    const [row] = await listVersions(db);
    expect(row).toMatchObject({ version, kind: 'baseline', status: 'applied', stepsApplied: 0, stepsTotal: 0, replanSteps: 0 });
    expect(row!.fingerprintAfter).toBe(row!.fingerprintBefore);

    const plan = await runCli(['plan', '--database-url', served.url, '--schema', 'schema.yaml'], root);
    expect(plan.stdout).toBe('No changes. The database matches the desired state.\n');
    expect(plan.code).toBe(0);
  });
});

describe('apply on PGlite: the one-session path', () => {
  const work = useWorkFolder();

  it('applies through the CLI (served PGlite) and through the library (in-process PGlite, no second connection)', async () => {
    const t = await createTestDatabase({ pglite: true });
    try {
      const schema = await writeSchema(
        work.dir,
        'docs:\n  columns:\n    id: { type: bigserial }\n    body: { type: text }\n  primary_key: [id]\n',
      );
      const r = await runCli(['apply', '--approve', '--database-url', t.url], work.dir);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      expect(await pendingSteps(t.db, schema)).toEqual([]);

      // In process: the Db has no fork(); the lock and the ledger share the one connection.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- only its absence is looked at
      expect(t.db.fork).toBeUndefined();
      const desired = await loadDesiredState(
        await writeSchema(
          work.dir,
          'docs:\n  columns:\n    id: { type: bigserial }\n    body: { type: text }\n    title: { type: text }\n  primary_key: [id]\n',
        ),
      );
      const { plan, live } = await planDatabase(t.db, desired);
      const doc = newPlanDocument(plan, t.db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
      const lock = await acquireDeploymentLock(t.db);
      expect(lock.dedicated).toBe(false);
      await lock.release();
      const outcome = await applyPlanDocument(t.db, doc, { desired });
      expect(outcome.kind).toBe('applied');
      if (outcome.kind === 'applied') expect(outcome.remaining.steps).toEqual([]);
      expect((await listVersions(t.db)).map((v) => v.status)).toEqual(['applied', 'applied']);
      expect((await planDatabase(t.db, desired)).plan.steps).toEqual([]);
    } finally {
      await t.drop();
    }
  });
});

describe('baseline on a server', () => {
  const database = useTestDatabase();
  const work = useWorkFolder();

  it('refuses a database that differs from the desired state, saying why; --force records it with the pending count', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY, legacy text)');
    const schema = await writeSchema(work.dir, 'users:\n  columns:\n    id: { type: serial }\n  primary_key: [id]\n');

    const refused = await runCli(['baseline', '--database-url', url], work.dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'refused: the database differs from schema.yaml (a plan has 1 step), so a baseline would record a state the database is not in',
    );
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).toContain('- column legacy');
    expect(await ledgerFormatVersion(db)).toBeUndefined();

    const forced = await runCli(['baseline', '--force', '--json', '--database-url', url], work.dir);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ result: 'recorded', pending_steps: 1 });
    const [row] = await listVersions(db);
    expect(row).toMatchObject({ kind: 'baseline', status: 'applied', replanSteps: 1 });

    const status = await runCli(['status', '--database-url', url], work.dir);
    expect(status.code).toBe(2);
    expect(status.stdout).toContain(
      'Changes to apply: 1 to drop (1 step) to make the database match schema.yaml; pgreconcile plan shows them',
    );

    // Nothing was executed: the column is still there.
    expect(await pendingSteps(db, schema)).toHaveLength(1);

    // Status without a schema file: pending unknown, the ledger decides.
    const bare = await workFolder();
    try {
      const noSchema = await runCli(['status', '--database-url', url], bare.dir);
      expect(noSchema.code).toBe(0);
      expect(noSchema.stdout).toContain('Changes to apply: unknown (no schema.yaml; pass --schema FILE)');
    } finally {
      await bare.cleanup();
    }
  });
});
