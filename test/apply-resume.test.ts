/**
 * `apply --resume` against a real server, as a user runs it (the compiled bin): an apply
 * process SIGKILLed at several steps (a transactional group in the middle, a concurrent index
 * build, the step before the last), a failed unique index build over duplicate data, and
 * refusals (plan edited after it was applied in part, nothing to resume, a newer version since).
 * Kills are deterministic: another session holds a lock or an old snapshot, so the child waits at
 * a known step; the test sees it waiting in pg_stat_activity and kills it then. After every
 * resume the row is applied with each step recorded once, the next plan is empty, and every row
 * of every table is still there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlanDocument } from '../src/apply/apply-plan.js';
import { resumeApply, stepTarget } from '../src/apply/resume.js';
import { format1Effect } from '../src/plan/format-1.js';
import { loadDesiredState } from '../src/desired/index.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import type { Db } from '../src/db/db.js';
import { ADVISORY_KEY } from '../src/ledger/ledger-schema.js';
import { listVersions, type LedgerVersion } from '../src/ledger/ledger-store.js';
import { sha256 } from '../src/model/fingerprint.js';
import type { PlanStep } from '../src/plan/build-plan.js';
import { newPlanDocument, planChecksum, readPlanFile, renderPlanFile, type PlanDocument } from '../src/plan/plan-file.js';
import { createTestDatabase, useTestDatabase } from './support/harness.js';
import { pendingSteps, planToFile, runCli, startCli, useWorkFolder, waitFor, writeSchema, PATIENCE_MS } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();
let blocker: pg.Client | undefined;

afterEach(async () => {
  await blocker?.end().catch(() => undefined);
  blocker = undefined;
});

const SEED = `
CREATE TABLE users (id serial PRIMARY KEY, email text);
CREATE TABLE orders (id serial PRIMARY KEY, user_id int, note text);
CREATE TABLE invoices (id serial PRIMARY KEY, total int);
CREATE TABLE keep_a (id int PRIMARY KEY, v text);
INSERT INTO users (email) SELECT 'u' || g || '@x' FROM generate_series(1, 300) g;
INSERT INTO orders (user_id, note) SELECT (g % 300) + 1, 'n' || g FROM generate_series(1, 500) g;
INSERT INTO invoices (total) SELECT g FROM generate_series(1, 200) g;
INSERT INTO keep_a SELECT g, 'k' || g FROM generate_series(1, 50) g;
`;
const TABLES = ['users', 'orders', 'invoices', 'keep_a'];

/**
 * 8 steps in 6 transactions: 1 CREATE TABLE audit + 2 ADD COLUMN users.name; 3 CREATE UNIQUE INDEX
 * CONCURRENTLY users_email_key; 4 the constraint USING it + 5 invoices' check NOT VALID; 6 its
 * VALIDATE; 7 orders' FK NOT VALID; 8 its VALIDATE.
 */
const SCHEMA = `users:
  columns:
    id: { type: serial }
    email: { type: text }
    name: { type: text }
  primary_key: [id]
  unique:
    - columns: [email]
orders:
  columns:
    id: { type: serial }
    user_id: { type: integer }
    note: { type: text }
  primary_key: [id]
  foreign_keys:
    - columns: [user_id]
      references: { table: users, columns: [id] }
invoices:
  columns:
    id: { type: serial }
    total: { type: integer }
  primary_key: [id]
  checks:
    - name: invoices_total_check
      expression: total >= 0
keep_a:
  columns:
    id: { type: integer }
    v: { type: text }
  primary_key: [id]
audit:
  columns:
    id: { type: bigint }
    what: { type: text }
`;

const ALLOW = ['--allow-hazards', 'all'];

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "public"."${t}"`)).rows[0]!.n;
  return counts;
}

/** A session of the test's own, kept open (closed after the test). */
async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'resume-test-blocker' });
  client.on('error', () => undefined);
  await client.connect();
  blocker = client;
  return client;
}

/** What makes the child wait at a known step: a lock on a table, or an old snapshot. */
type Blocker = { readonly lockTable: string } | { readonly snapshot: true };

async function block(client: pg.Client, how: Blocker): Promise<void> {
  if ('lockTable' in how) {
    // SHARE: catalog reads (ACCESS SHARE) go through, every ALTER TABLE and index build on the table waits.
    await client.query('BEGIN');
    await client.query(`LOCK TABLE "public"."${how.lockTable}" IN SHARE MODE`);
  } else {
    // A snapshot older than the build: CREATE INDEX CONCURRENTLY waits for it with its invalid index in the catalog.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await client.query('SELECT count(*) FROM keep_a');
  }
}

async function sessionsOf(db: Db, sql: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND wait_event_type = 'Lock'`,
    [sql],
  );
  return rows.map((r) => r.pid);
}

async function deploymentLockHeld(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    // This database's lock only: the server is shared with other test databases (and runs).
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int8::oid AND objid = 1 AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [ADVISORY_KEY],
  );
  return rows[0]!.n > 0;
}

/**
 * Starts `apply PLANFILE` in a child process, waits until its step `at` waits on the blocker,
 * SIGKILLs it, waits until its sessions are gone (the deployment lock with them), and ends the
 * blocker's transaction.
 */
async function killDuring(url: string, db: Db, planPath: string, at: PlanStep, how: Blocker): Promise<void> {
  const client = await session(url);
  await block(client, how);
  const child = startCli(['apply', planPath, '--database-url', url, ...ALLOW, '--lock-timeout', '600000'], work.dir);
  let pids: number[] = [];
  await waitFor(
    async () => (pids = await sessionsOf(db, at.sql)).length > 0 || child.child.exitCode !== null,
    PATIENCE_MS,
    `step ${at.n} to wait`,
  );
  expect(child.child.exitCode, child.output().stderr).toBeNull();
  child.child.kill('SIGKILL');
  const end = await child.done;
  expect(end.code).toBe(-1);
  // client_connection_check_interval: the killed apply's statement is cancelled within a second
  // although the blocker still holds what it waits for; without it, it would wait on.
  await waitFor(
    async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).rows[0]!.n === 0,
    PATIENCE_MS,
    'the killed session to end',
  );
  await waitFor(async () => !(await deploymentLockHeld(db)), PATIENCE_MS, 'the deployment lock to be released');
  await client.query('ROLLBACK');
}

function expectEachStepOnce(row: LedgerVersion, doc: PlanDocument): void {
  expect(row).toMatchObject({ status: 'applied', stepsApplied: doc.plan.steps.length, stepsTotal: doc.plan.steps.length, replanSteps: 0 });
  expect([...row.stepHashes].sort((a, b) => a.n - b.n)).toEqual(doc.plan.steps.map((s) => ({ n: s.n, sha256: sha256(s.sql) })));
}

async function indexValid(db: Db, name: string): Promise<boolean | undefined> {
  const { rows } = await db.query<{ valid: boolean }>('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [
    name,
  ]);
  return rows[0]?.valid;
}

describe('an apply killed with SIGKILL', () => {
  const cases = [
    {
      where: 'in a transactional group in the middle (step 5, invoices locked)',
      step: 5,
      how: { lockTable: 'invoices' },
      applied: 3,
      withFile: true,
    },
    {
      where: 'during a concurrent index build (step 3, an old snapshot held)',
      step: 3,
      how: { snapshot: true },
      applied: 2,
      withFile: false,
    },
    { where: 'at the step before the last (step 7, orders locked)', step: 7, how: { lockTable: 'orders' }, applied: 6, withFile: true },
  ] as const;

  it.each(cases)(
    '$where: the row shows the applied count, the lock is free, --resume finishes, each step ran once',
    async ({ step, how, applied, withFile }) => {
      const { url, db } = database();
      await db.exec(SEED);
      const schema = await writeSchema(work.dir, SCHEMA);
      const planPath = await planToFile(url, work.dir);
      const doc = await readPlanFile(planPath);
      expect(doc.plan.steps.map((s) => s.group)).toEqual([1, 1, 2, 3, 3, 4, 5, 6]);
      const before = await rowCounts(db);

      await killDuring(url, db, planPath, doc.plan.steps[step - 1]!, how);
      const [killed] = await listVersions(db);
      expect(killed).toMatchObject({ version: doc.id, status: 'running', stepsApplied: applied });
      expect(killed!.stepHashes.map((h) => h.n)).toEqual(doc.plan.steps.slice(0, applied).map((s) => s.n));
      const interrupted = await runCli(['status', '--database-url', url], work.dir);
      expect(interrupted.code).toBe(3);
      expect(interrupted.stdout).toContain('interrupted: its deployment lock is free (pgreconcile apply --resume PLANFILE continues it)');
      if ('snapshot' in how) expect(await indexValid(db, 'public.users_email_key')).toBe(false);

      if (!withFile) {
        // The ledger's copy of the plan is never run: without the file the resume is refused, naming it.
        const refused = await runCli(['apply', '--resume', '--database-url', url], work.dir);
        expect(refused.code, refused.stderr).toBe(3);
        expect(refused.stderr).toContain(`apply --resume needs the plan file of version ${doc.id}`);
        expect((await listVersions(db))[0]).toMatchObject({ status: 'running', stepsApplied: applied, resumes: [] });
      }
      const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, ...ALLOW], work.dir);
      expect(resumed.stderr).not.toMatch(/\n\s+at /);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`Resuming version ${doc.id} (interrupted; ${applied} of 8 steps were applied before)`);
      expect(resumed.stdout).toContain(`✓ step ${step}/8`);
      expect(resumed.stdout).not.toContain(`✓ step ${applied}/8`);
      expect(resumed.stdout).toContain('The database matches the desired state.');
      if ('snapshot' in how)
        expect(resumed.stdout).toContain(
          '↺ step 3: the invalid index "public"."users_email_key" (a failed or interrupted build) was dropped; the step builds it again',
        );

      const [row] = await listVersions(db);
      expectEachStepOnce(row!, doc);
      expect(row!.resumes).toMatchObject([{ fromStatus: 'running', stepsApplied: applied }]);
      expect(await indexValid(db, 'public.users_email_key')).toBe(true);
      expect(await rowCounts(db)).toEqual(before);
      expect(await pendingSteps(db, schema)).toEqual([]);
      expect((await runCli(['status', '--database-url', url], work.dir)).code).toBe(0);
    },
  );

  it('killed between a concurrent build and its ledger update: the built index counts as applied and is not built again', async () => {
    const { url, db } = database();
    await db.exec(SEED);
    const schema = await writeSchema(work.dir, SCHEMA);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    await killDuring(url, db, planPath, doc.plan.steps[4]!, { lockTable: 'invoices' });
    // The window between the statement and the ledger update: step 3 ran, the ledger does not say so.
    await db.exec(`UPDATE pgreconcile.versions SET steps_applied = 2, step_hashes = step_hashes - 2`);
    expect((await listVersions(db))[0]!.stepHashes.map((h) => h.n)).toEqual([1, 2]);
    const oid = (await db.query<{ oid: number }>(`SELECT 'public.users_email_key'::regclass::oid AS oid`)).rows[0]!.oid;

    const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, '--json', ...ALLOW], work.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      result: 'applied',
      version: doc.id,
      steps_applied: 8,
      in_sync: true,
      resumed: { from_status: 'running', steps_applied_before: 2 },
    });
    expect((out['resumed'] as { repairs: unknown[] }).repairs).toEqual([
      {
        kind: 'found_applied',
        step: 3,
        message:
          'step 3: the index "public"."users_email_key" exists and is valid, so it had run before the interruption; recorded as applied, not run again',
      },
    ]);
    // The same index, not a rebuilt one.
    expect((await db.query<{ oid: number }>(`SELECT 'public.users_email_key'::regclass::oid AS oid`)).rows[0]!.oid).toBe(oid);
    expectEachStepOnce((await listVersions(db))[0]!, doc);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });

  it('a DROP INDEX CONCURRENTLY and an ADD VALUE that ran unrecorded are recorded as applied, not run again', async () => {
    const { url, db } = database();
    await db.exec("CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (id serial PRIMARY KEY, m mood, n int); CREATE INDEX t_n_idx ON t (n)");
    const schemaPath = join(work.dir, 'schema.yaml');
    await writeFile(
      schemaPath,
      [
        'version: 1',
        'schemas:',
        '  public:',
        '    enums:',
        '      mood: { values: [a, b] }',
        '    tables:',
        '      t:',
        '        columns:',
        '          id: { type: serial }',
        '          m: { type: mood, default: "\'b\'" }',
        '          n: { type: integer }',
        '        primary_key: [id]',
        '',
      ].join('\n'),
    );
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const loose = doc.plan.steps.filter((s) => !s.transactional);
    expect(loose.map((s) => s.sql.split(' ').slice(0, 3).join(' '))).toEqual(['ALTER TYPE "public"."mood"', 'DROP INDEX CONCURRENTLY']);
    const applied = await runCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(applied.code, applied.stderr).toBe(0);
    const [enumStep, dropStep] = loose.map((s) => s.n) as [number, number];
    expect(dropStep).toBe(doc.plan.steps.length);
    /** The row as a process killed right after step `n`'s statement leaves it: running, steps from `n` on unrecorded. */
    const unrecordFrom = (n: number): Promise<unknown> =>
      db.query(
        `UPDATE pgreconcile.versions SET status = 'running', finished_at = NULL, steps_applied = $1 - 1,
                step_hashes = (SELECT coalesce(jsonb_agg(h), '[]'::jsonb) FROM jsonb_array_elements(step_hashes) h WHERE (h->>'n')::int < $1)`,
        [n],
      );
    const resume = async (): Promise<{ kind: string; step: number; message: string }[]> => {
      const run = await runCli(['apply', '--resume', planPath, '--database-url', url, '--json', ...ALLOW], work.dir);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      return (JSON.parse(run.stdout) as { resumed: { repairs: { kind: string; step: number; message: string }[] } }).resumed.repairs;
    };

    // The DROP INDEX CONCURRENTLY ran (the index is gone); the ledger did not hear of it.
    await unrecordFrom(dropStep);
    const dropRepairs = await resume();
    expect(dropRepairs.map((r) => [r.kind, r.step])).toEqual([['found_applied', dropStep]]);
    expect(dropRepairs[0]!.message).toContain('t_n_idx');
    expectEachStepOnce((await listVersions(db))[0]!, doc);

    // The ADD VALUE ran (the enum has it); the steps after it did not: the index and the old default are back.
    await db.exec('CREATE INDEX t_n_idx ON t (n); ALTER TABLE t ALTER COLUMN m DROP DEFAULT');
    await unrecordFrom(enumStep);
    const enumRepairs = await resume();
    expect(enumRepairs.map((r) => [r.kind, r.step])).toEqual([['found_applied', enumStep]]);
    expect(enumRepairs[0]!.message).toContain("already has the value 'b'");
    expectEachStepOnce((await listVersions(db))[0]!, doc);
    expect(await pendingSteps(db, schemaPath)).toEqual([]);
  });

  it('a plain plan + apply after the interruption converges too (it repairs the invalid index); a resume of the old row is then refused', async () => {
    const { url, db } = database();
    await db.exec(SEED);
    const schema = await writeSchema(work.dir, SCHEMA);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const before = await rowCounts(db);
    await killDuring(url, db, planPath, doc.plan.steps[2]!, { snapshot: true });
    expect(await indexValid(db, 'public.users_email_key')).toBe(false);

    const history = await runCli(['history', '--database-url', url], work.dir);
    expect(history.stdout).toMatch(new RegExp(`${doc.id}\\s+apply\\s+running\\s+2/8`));
    expect(history.stdout).toContain('  … interrupted: its deployment lock is free (pgreconcile apply --resume PLANFILE continues it)');

    const applied = await runCli(['apply', '--approve', '--database-url', url, ...ALLOW], work.dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('The database matches the desired state.');
    expect(await pendingSteps(db, schema)).toEqual([]);
    expect(await indexValid(db, 'public.users_email_key')).toBe(true);
    expect(await rowCounts(db)).toEqual(before);

    const stale = await runCli(['apply', '--resume', '--database-url', url], work.dir);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(
      new RegExp(
        `refused: version \\S+ \\(apply, applied, started .*\\) was recorded after ${doc.id} \\(running\\); resuming would run an older plan's steps`,
      ),
    );
  });
});

const USERS_UNIQUE = `users:\n  columns:\n    id: { type: serial }\n    email: { type: text }\n  primary_key: [id]\n  unique:\n    - columns: [email]\naudit:\n  columns:\n    id: { type: bigint }\n`;

/** A plan whose step 1 commits and whose step 2 (a unique index built concurrently) fails over duplicate data. */
async function failedUniqueBuild(url: string, db: Db): Promise<{ schema: string; planPath: string; doc: PlanDocument }> {
  await db.exec(
    "CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('dup@x'), ('dup@x'), ('b@x')",
  );
  const schema = await writeSchema(work.dir, USERS_UNIQUE);
  const planPath = await planToFile(url, work.dir);
  const doc = await readPlanFile(planPath);
  expect(doc.plan.steps.map((s) => s.sql.split(' (')[0])).toEqual([
    'CREATE TABLE "public"."audit"',
    'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key" ON "public"."users"',
    'ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE USING INDEX "users_email_key"',
  ]);
  const failed = await runCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('could not create unique index "users_email_key"');
  return { schema, planPath, doc };
}

describe('a failed CREATE UNIQUE INDEX CONCURRENTLY over duplicate data', () => {
  it('the row says failed; after the duplicates are fixed, --resume drops the invalid index, builds it and converges', async () => {
    const { url, db } = database();
    const { schema, doc, planPath } = await failedUniqueBuild(url, db);
    expect((await listVersions(db))[0]).toMatchObject({ status: 'failed', failedStep: 2, stepsApplied: 1 });
    expect(await indexValid(db, 'public.users_email_key')).toBe(false);

    const refused = await runCli(['apply', '--resume', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(refused.code).toBe(1); // still duplicated: the build fails again, and says so
    expect(refused.stdout).toContain('↺ step 2: the invalid index "public"."users_email_key"');
    expect(refused.stderr).toContain('DETAIL: Key (email)=(dup@x) is duplicated.');
    expect((await listVersions(db))[0]).toMatchObject({ status: 'failed', failedStep: 2, stepsApplied: 1 });

    await db.exec('DELETE FROM users WHERE id = 3');
    const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming version ${doc.id} (failed at step 2; 1 of 3 steps were applied before)`);
    expect(resumed.stdout).toContain(
      '↺ step 2: the invalid index "public"."users_email_key" (a failed or interrupted build) was dropped; the step builds it again',
    );
    expect(resumed.stdout).toContain('Resumed: 2 steps run now, 1 applied before the failure.');
    const [row] = await listVersions(db);
    expectEachStepOnce(row!, doc);
    expect(row!.resumes.map((r) => r.fromStatus)).toEqual(['failed', 'failed']);
    expect(row!.resumes[0]!.error).toContain('is duplicated');
    expect(await indexValid(db, 'public.users_email_key')).toBe(true);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});

describe('a resume whose remaining steps delete data', () => {
  it('is held to the backup limit like apply, and backs the data up before the drop', async () => {
    const { url, db } = database();
    await db.exec(
      "CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('dup@x'), ('dup@x');" +
        "CREATE TABLE legacy (id int PRIMARY KEY, note text); INSERT INTO legacy VALUES (1, 'kept'), (2, 'in the backup')",
    );
    const schema = await writeSchema(work.dir, USERS_UNIQUE.replace(/audit:[\s\S]*$/, ''));
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const drop = doc.plan.steps.find((s) => s.deletes?.kind === 'table');
    expect(drop?.sql).toContain('DROP TABLE "public"."legacy"');
    const build = doc.plan.steps.find((s) => s.sql.startsWith('CREATE UNIQUE INDEX CONCURRENTLY'));
    expect(build!.n).toBeLessThan(drop!.n);
    const failed = await runCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(failed.code).toBe(1);
    await db.exec('DELETE FROM users WHERE id = 3');

    const limited = await runCli(['apply', '--resume', planPath, '--backup-limit', '1', '--database-url', url, ...ALLOW], work.dir);
    expect(limited.code, limited.stderr).toBe(3);
    expect(limited.stderr).toContain('refused');
    expect(limited.stderr).toContain('public.legacy');
    expect((await listVersions(db))[0]).toMatchObject({ status: 'failed', resumes: [] });
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM legacy')).rows[0]!.n).toBe(2);

    const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Backed up the deleted data');
    const [row] = await listVersions(db);
    expectEachStepOnce(row!, doc);
    expect(row!.backups?.files.map((f) => [f.object, f.rows])).toEqual([['table public.legacy', 2]]);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});

describe('refusals: nothing is run', () => {
  it('refuses a plan file whose steps were edited: by its own checksum, by the step hashes when the checksum was recomputed, and by the ledger checksum', async () => {
    const { url, db } = database();
    const { planPath, doc } = await failedUniqueBuild(url, db);
    const edit = async (name: string, n: number, recompute: boolean): Promise<string> => {
      const steps = doc.plan.steps.map((s) =>
        s.n === n ? { ...s, sql: s.sql.replace('"id" bigint', '"id" integer').replace('("email")', '("email", "id")') } : s,
      );
      const edited = { ...doc, plan: { ...doc.plan, steps } };
      const path = `${planPath}.${name}.yaml`;
      if (recompute) await writeFile(path, renderPlanFile({ ...edited, checksum: planChecksum(edited) }));
      else await writeFile(path, (await readFile(planPath, 'utf8')).replace('"id" bigint', '"id" integer'));
      return path;
    };

    const plain = await runCli(['apply', '--resume', await edit('plain', 1, false), '--database-url', url], work.dir);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain('the plan file was changed after it was written (checksum mismatch)');

    const hashed = await runCli(['apply', '--resume', await edit('rechecksummed', 1, true), '--database-url', url, '--json'], work.dir);
    expect(hashed.code).toBe(3);
    const out = JSON.parse(hashed.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ result: 'refused', reason: 'hash_mismatch', version: doc.id, step: 1 });
    expect(out['message']).toContain(
      `hash mismatch at step 1 of ${doc.id}: the ledger recorded it as applied with SQL sha256 ${sha256(doc.plan.steps[0]!.sql).slice(0, 12)}`,
    );

    const later = await runCli(['apply', '--resume', await edit('unapplied-step', 2, true), '--database-url', url], work.dir);
    expect(later.code).toBe(3);
    expect(later.stderr).toContain(`is not the plan ${doc.id} was applied from (checksum ${doc.checksum})`);

    const [row] = await listVersions(db);
    expect(row).toMatchObject({ status: 'failed', stepsApplied: 1, resumes: [] });
    expect(await indexValid(db, 'public.users_email_key')).toBe(false);
  });

  it('refuses when there is no ledger, nothing failed or interrupted, or the plan was applied', async () => {
    const { url, db } = database();
    const noLedger = await runCli(['apply', '--resume', '--database-url', url], work.dir);
    expect(noLedger.code).toBe(3);
    expect(noLedger.stderr).toContain(
      'refused: there is no ledger in this database (nothing was applied here), so there is nothing to resume',
    );

    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const schema = await writeSchema(
      work.dir,
      'users:\n  columns:\n    id: { type: serial }\n    note: { type: text }\n  primary_key: [id]\n',
    );
    const planPath = await planToFile(url, work.dir);
    expect((await runCli(['apply', planPath, '--database-url', url], work.dir)).code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);

    const nothing = await runCli(['apply', '--resume', '--database-url', url], work.dir);
    expect(nothing.code).toBe(3);
    expect(nothing.stderr).toContain('refused: the ledger has no failed or interrupted version, so there is nothing to resume');
    const applied = await runCli(['apply', '--resume', planPath, '--database-url', url], work.dir);
    expect(applied.code).toBe(3);
    expect(applied.stderr).toMatch(/refused: version \S+ was applied \(.*\); there is nothing to resume/);
    expect((await listVersions(db)).map((v) => v.resumes)).toEqual([[]]);
  });
});

describe('on PGlite, through the library', () => {
  it('resumeApply continues a failed version on the embedded database (one session: the lock is taken on it)', async () => {
    const t = await createTestDatabase({ pglite: true });
    try {
      const { db } = t;
      await db.exec(
        "CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('dup@x'), ('dup@x')",
      );
      const schema = await writeSchema(work.dir, USERS_UNIQUE);
      const desired = await loadDesiredState(schema);
      const { plan, live } = await planDatabase(db, desired);
      const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
      const failed = await applyPlanDocument(db, doc, { desired, allowHazards: 'all' });
      expect(failed).toMatchObject({ kind: 'failed', stepsApplied: 1 });

      await db.exec('DELETE FROM users WHERE id = 3');
      const events: string[] = [];
      const outcome = await resumeApply(db, { doc, allowHazards: 'all', onEvent: (e) => events.push(e.kind) });
      expect(outcome).toMatchObject({ kind: 'applied', version: doc.id, stepsApplied: 3, stepsTotal: 3, resume: { appliedBefore: 1 } });
      expect(events.slice(0, 3)).toEqual(['lock_taken', 'resuming', 'repair']);
      expect(await pendingSteps(db, schema)).toEqual([]);
      expect(await resumeApply(db)).toMatchObject({ kind: 'refused', reason: 'not_resumable' });
    } finally {
      await t.drop();
    }
  });
});

describe('stepTarget', () => {
  it('reads what a non-transactional step creates or drops from its effect, never from its SQL', () => {
    const index = { kind: 'index' as const, schema: 's', name: 'a"b' };
    expect(stepTarget({ effect: { kind: 'build_index', index, concurrently: true } })).toEqual({
      kind: 'create_index',
      schema: 's',
      name: 'a"b',
    });
    expect(
      stepTarget({ effect: { kind: 'drop_index', index: { kind: 'index', schema: 'public', name: 'old_idx' }, concurrently: true } }),
    ).toEqual({ kind: 'drop_index', schema: 'public', name: 'old_idx' });
    expect(
      stepTarget({ effect: { kind: 'add_enum_value', type: { kind: 'type', schema: 'public', name: 'mood' }, value: 'meh' } }),
    ).toEqual({ kind: 'enum_value', schema: 'public', type: 'mood', value: 'meh' });
    expect(stepTarget({ effect: { kind: 'ddl' } })).toBeUndefined();
  });

  it('a format-1 step gets its effect from the SQL the format-1 planner wrote, once, as the file is read', () => {
    expect(format1Effect('CREATE UNIQUE INDEX CONCURRENTLY "a""b" ON "s"."t" ("x")')).toEqual({
      kind: 'build_index',
      index: { kind: 'index', schema: 's', name: 'a"b' },
      concurrently: true,
    });
    expect(format1Effect('CREATE INDEX "i" ON "public"."t" ("x")')).toEqual({
      kind: 'build_index',
      index: { kind: 'index', schema: 'public', name: 'i' },
      concurrently: false,
    });
    expect(format1Effect('DROP INDEX CONCURRENTLY "public"."old_idx"')).toEqual({
      kind: 'drop_index',
      index: { kind: 'index', schema: 'public', name: 'old_idx' },
      concurrently: true,
    });
    expect(format1Effect(`ALTER TYPE "public"."mood" ADD VALUE 'it''s' AFTER 'ok'`)).toEqual({
      kind: 'add_enum_value',
      type: { kind: 'type', schema: 'public', name: 'mood' },
      value: "it's",
    });
    expect(format1Effect('ALTER TABLE "public"."t" ADD COLUMN "c" int')).toEqual({ kind: 'ddl' });
  });
});
