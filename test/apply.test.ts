/**
 * `pgreconcile apply` as a user runs it (the compiled bin), against a real server: plan → apply
 * → history, stale plans, tampered and already-applied plan files, the hazard gate with flags and
 * with a recorded approval, approval without a terminal, and failing steps (a transactional
 * group rolled back whole; a unique index over duplicate data). Every apply that succeeds is
 * followed by a plan that must be empty.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/cli/args.js';
import { runApply } from '../src/cli/commands/apply.js';
import { applySpec } from '../src/cli/specs.js';
import { listVersions, readDesiredSnapshot } from '../src/ledger/ledger-store.js';
import { sha256 } from '../src/model/fingerprint.js';
import { readPlanFile } from '../src/plan/plan-file.js';
import { useTestDatabase } from './support/harness.js';
import { columnExists, pendingSteps, planToFile, relationExists, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

const USERS = `users:
  columns:
    id: { type: serial }
    email: { type: text, nullable: false }
  primary_key: [id]
  indexes:
    users_email_idx: { columns: [email] }
`;

describe('plan → apply → history', () => {
  it('applies a plan file, records the version with checksum, timings and who, and the next plan is empty', async () => {
    const { url, db } = database();
    const schema = await writeSchema(work.dir, USERS);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);

    const applied = await runCli(['apply', planPath, '--database-url', url], work.dir);
    expect(applied.stderr).not.toMatch(/\n\s+at /);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Applying plan ${doc.id} (${doc.plan.steps.length} steps, ${doc.checksum})`);
    expect(applied.stdout).toContain(`✓ step ${doc.plan.steps.length}/${doc.plan.steps.length}`);
    expect(applied.stdout).toContain('The database matches the desired state.');

    const history = await runCli(['history', '--json', '--database-url', url], work.dir);
    expect(history.code).toBe(0);
    const { versions } = JSON.parse(history.stdout) as { versions: Record<string, unknown>[] };
    expect(versions).toHaveLength(1);
    const v = versions[0]!;
    expect(v).toMatchObject({
      version: doc.id,
      kind: 'apply',
      status: 'applied',
      plan_checksum: doc.checksum,
      desired_hash: doc.plan.desiredHash,
      fingerprint_before: doc.plan.liveFingerprint,
      steps_applied: doc.plan.steps.length,
      steps_total: doc.plan.steps.length,
      replan_steps: 0,
      error: null,
      who: { db_user: 'postgres', os_user: userInfo().username, host: hostname() },
    });
    expect(v['step_hashes']).toEqual(doc.plan.steps.map((s) => ({ n: s.n, sha256: sha256(s.sql) })));
    expect(v['started_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(v['finished_at'] as string)).toBeGreaterThanOrEqual(Date.parse(v['started_at'] as string));
    expect(v['duration_ms']).toBeGreaterThanOrEqual(0);
    expect(v['fingerprint_after']).toMatch(/^[0-9a-f]{64}$/);

    const text = await runCli(['history', '--database-url', url], work.dir);
    expect(text.stdout).toMatch(new RegExp(`^${doc.id}\\s+apply\\s+applied\\s+${doc.plan.steps.length}/${doc.plan.steps.length}\\s`, 'm'));

    // The desired snapshot is in the ledger, for drift and rollback.
    const [row] = await listVersions(db);
    const snapshot = await readDesiredSnapshot(db, row!.id);
    expect(snapshot?.model.tables.map((t) => t.name)).toEqual(['users']);

    const status = await runCli(['status', '--database-url', url], work.dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Current version: ${doc.id} (apply, applied`);
    expect(status.stdout).toContain('Changes to apply: none');

    expect(await pendingSteps(db, schema)).toEqual([]);
    expect((await runCli(['plan', '--database-url', url], work.dir)).code).toBe(0);
  });

  it('without a plan file: refuses without a terminal unless --approve, then plans, applies and verifies', async () => {
    const { url, db } = database();
    const schema = await writeSchema(work.dir, USERS);
    const refused = await runCli(['apply', '--database-url', url], work.dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('refused: there is no terminal to ask for approval');
    expect(refused.stdout).toContain('+ table users');
    expect(await relationExists(db, 'public.users')).toBe(false);

    // An index on a table created in the same plan carries no hazard: nothing to allow.
    const applied = await runCli(['apply', '--approve', '--database-url', url], work.dir);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Applied 4 steps');
    expect(await pendingSteps(db, schema)).toEqual([]);

    const again = await runCli(['apply', '--approve', '--database-url', url, '--json'], work.dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: 'nothing_to_do' });
    expect(await listVersions(db)).toHaveLength(1);
  });
});

describe('approval on a terminal', () => {
  it('asks with the summary and the hazards: no refuses and runs nothing, yes applies', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY, legacy text)');
    const schema = await writeSchema(work.dir, 'users:\n  columns:\n    id: { type: serial }\n  primary_key: [id]\n');
    const args = parseCommandArgs(applySpec, ['--database-url', url, '--allow-hazards', 'deletes_data']);
    const questions: string[] = [];
    const run = async (answer: string) => {
      let out = '';
      let err = '';
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), isTTY: false, cwd: work.dir, env: {} };
      const code = await runApply(args, io, { prompt: async (q) => (questions.push(q), answer), stderrIsTTY: false });
      return { code, out, err };
    };

    const no = await run('n');
    expect(no.code).toBe(3);
    expect(no.out).toContain('- column legacy  ⚠ deletes_data');
    expect(questions[0]).toBe(`\nApply this step to ${url} (hazards: deletes_data)? [y/N] `);
    expect(no.err).toContain('refused: not approved; nothing was run');
    expect(await columnExists(db, 'users', 'legacy')).toBe(true);
    expect(await listVersions(db)).toEqual([]);

    const yes = await run('y');
    expect(yes.code).toBe(0);
    expect(yes.out).toContain('Applied 1 step in');
    expect(await columnExists(db, 'users', 'legacy')).toBe(false);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});

describe('refusals: stale, tampered, already applied', () => {
  it('refuses a stale plan naming the objects that changed, and executes nothing', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const schema = await writeSchema(work.dir, `${USERS}audit:\n  columns:\n    id: { type: bigint }\n`);
    const planPath = await planToFile(url, work.dir);
    await db.exec('ALTER TABLE users ADD COLUMN nickname text; CREATE TABLE stray (x int)');

    const r = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'refused: the live schema changed since the plan was made: table public.users changed, table public.stray added',
    );
    expect(r.stderr).toContain('Re-plan with `pgreconcile plan --out plans/`');
    expect(await relationExists(db, 'public.audit')).toBe(false);
    expect(await columnExists(db, 'users', 'email')).toBe(false);
    expect(await listVersions(db)).toEqual([]);

    await db.exec('DROP TABLE stray');
    const fresh = await planToFile(url, work.dir);
    const applied = await runCli(['apply', fresh, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(applied.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });

  it('refuses a plan file edited after it was written, and one already applied', async () => {
    const { url, db } = database();
    const schema = await writeSchema(work.dir, USERS);
    const planPath = await planToFile(url, work.dir);
    const original = await readFile(planPath, 'utf8');
    const tampered = `${planPath}.edited.yaml`;
    await writeFile(tampered, original.replace('"email" text NOT NULL', '"email" text'));

    const edited = await runCli(['apply', tampered, '--database-url', url], work.dir);
    expect(edited.code).toBe(3);
    expect(edited.stderr).toContain('the plan file was changed after it was written (checksum mismatch)');
    expect(edited.stderr).toContain('Re-plan with `pgreconcile plan --out plans/`');
    expect(await relationExists(db, 'public.users')).toBe(false);

    expect((await runCli(['apply', planPath, '--database-url', url], work.dir)).code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);

    const twice = await runCli(['apply', planPath, '--database-url', url], work.dir);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toMatch(/refused: plan \S+ was already applied \(\d{4}-.*Z by postgres \(.*\)\); nothing was run/);
    const versions = await listVersions(db);
    expect(versions.map((v) => v.status)).toEqual(['applied']);
  });
});

describe('the hazard gate', () => {
  it('refuses to drop a column without deletes_data, applies with --allow-hazards, and with an approval recorded by `approve`', async () => {
    const { url, db } = database();
    await db.exec(
      "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, legacy text, legacy2 text); INSERT INTO users (email, legacy) VALUES ('a@x', 'old')",
    );
    const schema = await writeSchema(
      work.dir,
      `users:\n  columns:\n    id: { type: serial }\n    email: { type: text, nullable: false }\n    legacy2: { type: text }\n  primary_key: [id]\n`,
    );
    const planPath = await planToFile(url, work.dir);

    const refused = await runCli(['apply', planPath, '--database-url', url], work.dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('refused: the plan carries hazards that were not allowed:');
    expect(refused.stderr).toMatch(/deletes_data: step 1 \(step 1: drops column users\.legacy/);
    expect(refused.stderr).toContain(`pgreconcile approve ${planPath} --allow-hazards deletes_data`);
    expect(await columnExists(db, 'users', 'legacy')).toBe(true);
    expect(await listVersions(db)).toEqual([]);

    const otherKind = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'index_build'], work.dir);
    expect(otherKind.code).toBe(3);

    const allowed = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'deletes_data'], work.dir);
    expect(allowed.code).toBe(0);
    expect(await columnExists(db, 'users', 'legacy')).toBe(false);
    expect(await pendingSteps(db, schema)).toEqual([]);

    // Now with an approval recorded in the file.
    await writeSchema(
      work.dir,
      `users:\n  columns:\n    id: { type: serial }\n    email: { type: text, nullable: false }\n  primary_key: [id]\n`,
    );
    const second = await planToFile(url, work.dir);
    expect((await runCli(['apply', second, '--database-url', url], work.dir)).code).toBe(3);
    const approve = await runCli(['approve', second, '--allow-hazards', 'deletes_data', '--by', 'alice'], work.dir);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('by alice: allowed hazards deletes_data');
    const approvedDoc = await readPlanFile(second);
    expect(approvedDoc.approval).toMatchObject({ by: 'alice', allowed_hazards: ['deletes_data'] });

    const applied = await runCli(['apply', second, '--database-url', url], work.dir);
    expect(applied.code).toBe(0);
    expect(await columnExists(db, 'users', 'legacy2')).toBe(false);
    expect(await pendingSteps(db, schema)).toEqual([]);
    const [latest] = await listVersions(db);
    expect(latest).toMatchObject({
      version: approvedDoc.id,
      approvedBy: 'alice',
      allowedHazards: ['deletes_data'],
      planChecksum: approvedDoc.checksum,
    });
  });

  it('rejects an unknown hazard kind as a usage error', async () => {
    const { url } = database();
    await writeSchema(work.dir, USERS);
    const r = await runCli(['apply', '--approve', '--database-url', url, '--allow-hazards', 'deletes_everything'], work.dir);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown hazard kind "deletes_everything"');
  });
});

describe('failing steps', () => {
  it('a failing step rolls its transaction group back whole; the ledger row says failed, which step, the statement and the error', async () => {
    const { url, db } = database();
    await db.exec("CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('b@x')");
    // Group 1: CREATE TABLE audit; ALTER TABLE users ADD COLUMN name text NOT NULL (fails: existing rows).
    const schema = await writeSchema(
      work.dir,
      `users:\n  columns:\n    id: { type: serial }\n    email: { type: text }\n    name: { type: text, nullable: false }\n  primary_key: [id]\naudit:\n  columns:\n    id: { type: bigint }\n`,
    );
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const failing = doc.plan.steps.find((s) => s.sql.includes('ADD COLUMN "name"'))!;
    expect(doc.plan.steps.find((s) => s.sql.startsWith('CREATE TABLE "public"."audit"'))?.group).toBe(failing.group);

    // The plan says the step fails on the rows users holds; allowed, it runs and fails.
    expect(failing.hazards.map((h) => h.kind)).toEqual(['fails_on_existing_rows']);
    const r = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'fails_on_existing_rows'], work.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pgreconcile apply: failed: step ${failing.n} (create column users.name) failed`);
    expect(r.stderr).toContain('contains null values');
    expect(r.stderr).toContain(`statement: ${failing.sql}`);
    expect(r.stderr).toContain('0 of 2 steps were applied and committed before it; the failed transaction was rolled back');
    expect(r.stderr).not.toMatch(/\n\s+at /);

    expect(await relationExists(db, 'public.audit')).toBe(false);
    expect(await columnExists(db, 'users', 'name')).toBe(false);
    const [row] = await listVersions(db);
    expect(row).toMatchObject({
      version: doc.id,
      status: 'failed',
      failedStep: failing.n,
      failedStatement: failing.sql,
      stepsApplied: 0,
      stepsTotal: 2,
      stepHashes: [],
    });
    expect(row!.error).toContain('SQLSTATE 23502');
    expect(row!.finishedAt).toBeDefined();

    const history = await runCli(['history', '--database-url', url], work.dir);
    expect(history.stdout).toMatch(new RegExp(`${doc.id}\\s+apply\\s+failed\\s+0/2`));
    expect(history.stdout).toContain(
      `✗ step ${failing.n} (create column users.name) failed: column "name" of relation "users" contains null values`,
    );
    const status = await runCli(['status', '--database-url', url], work.dir);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`Last attempt: ${doc.id} (apply, failed`);

    // The same plan file may be applied again once the data allows it (nothing of it was applied).
    await db.exec('DELETE FROM users');
    const retried = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'fails_on_existing_rows'], work.dir);
    expect(retried.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
    expect((await listVersions(db)).map((v) => v.status)).toEqual(['applied', 'failed']);
    expect((await runCli(['status', '--database-url', url], work.dir)).code).toBe(0);
  });

  it('a type change without an assignment cast converts with USING col::type; a value that does not convert fails the step, rolled back, with advice', async () => {
    const { url, db } = database();
    await db.exec(
      "CREATE TABLE readings (id integer PRIMARY KEY, value text DEFAULT '0'); INSERT INTO readings VALUES (1, '42'), (2, 'n/a')",
    );
    const schema = await writeSchema(
      work.dir,
      `readings:\n  columns:\n    id: { type: integer }\n    value: { type: integer, default: "0" }\n  primary_key: [id]\n`,
    );
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    expect(doc.plan.steps).toHaveLength(1);
    const step = doc.plan.steps[0]!;
    expect(step.sql).toBe(
      'ALTER TABLE "public"."readings" ALTER COLUMN "value" DROP DEFAULT, ALTER COLUMN "value" TYPE integer USING "value"::integer, ALTER COLUMN "value" SET DEFAULT 0',
    );
    const converts = step.hazards.find((h) => h.kind === 'converts_values');
    expect(converts?.message).toContain('a value that does not convert makes the step fail');
    expect(converts?.message).toContain('--rehearse-rows');

    const allow = ['--allow-hazards', 'converts_values,table_rewrite,access_exclusive_lock'];
    const refused = await runCli(['apply', planPath, '--database-url', url], work.dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('converts_values');

    const r = await runCli(['apply', planPath, '--database-url', url, ...allow], work.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid input syntax for type integer: "n/a"');
    expect(r.stderr).toContain('the failed transaction was rolled back');
    expect(r.stderr).toContain('a value that does not convert');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const { rows } = await db.query<{ type: string; def: string | null }>(
      "SELECT format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'public.readings'::regclass AND a.attname = 'value'",
    );
    expect(rows[0]).toEqual({ type: 'text', def: "'0'::text" });

    // Once the row converts, the same plan file applies and the next plan is empty.
    await db.exec("UPDATE readings SET value = NULL WHERE value = 'n/a'");
    const retried = await runCli(['apply', planPath, '--database-url', url, ...allow], work.dir);
    expect(retried.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
    const { rows: values } = await db.query<{ id: number; value: number | null }>('SELECT id, value FROM readings ORDER BY id');
    expect(values).toEqual([
      { id: 1, value: 42 },
      { id: 2, value: null },
    ]);
  });

  it('a unique index over duplicate data fails with the statement and the error; earlier groups stay committed; the next plan repairs it', async () => {
    const { url, db } = database();
    await db.exec("CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('dup@x'), ('dup@x')");
    const schema = await writeSchema(
      work.dir,
      `users:\n  columns:\n    id: { type: serial }\n    email: { type: text }\n  primary_key: [id]\n  unique:\n    - columns: [email]\naudit:\n  columns:\n    id: { type: bigint }\n`,
    );
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const build = doc.plan.steps.find((s) => s.sql.startsWith('CREATE UNIQUE INDEX CONCURRENTLY'))!;

    const r = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'index_build', '--json'], work.dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ result: 'failed', failed_step: build.n, failed_statement: build.sql, steps_applied: 1, steps_total: 3 });
    expect(out['error']).toContain('could not create unique index "users_email_key"');
    expect(out['error']).toContain('DETAIL: Key (email)=(dup@x) is duplicated.');

    const [row] = await listVersions(db);
    expect(row).toMatchObject({ status: 'failed', failedStep: build.n, failedStatement: build.sql, stepsApplied: 1 });
    expect(row!.error).toContain('SQLSTATE 23505');
    expect(row!.stepHashes).toEqual([{ n: 1, sha256: sha256(doc.plan.steps[0]!.sql) }]);
    expect(await relationExists(db, 'public.audit')).toBe(true);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'users_email_key'");
    expect(rows[0]?.n).toBe(0);

    await db.exec('DELETE FROM users WHERE id = (SELECT max(id) FROM users)');
    const repaired = await runCli(['apply', '--approve', '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(repaired.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});
