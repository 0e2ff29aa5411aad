/**
 * Locks, against a real server: another session holding a lock on a table (apply retries, then
 * fails naming that session, and nothing of the transaction is left), and two applies at once
 * in two processes (never both: the second waits and then runs, or fails naming the holder).
 */
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { listVersions } from '../src/ledger/ledger-store.js';
import { readPlanFile } from '../src/plan/plan-file.js';
import { useTestDatabase } from './support/harness.js';
import {
  bin,
  columnExists,
  pendingSteps,
  planToFile,
  relationExists,
  runCli,
  startCli,
  useWorkFolder,
  waitFor,
  writeSchema,
  PATIENCE_MS,
} from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();
let blocker: pg.Client | undefined;

afterEach(async () => {
  await blocker?.end().catch(() => undefined);
  blocker = undefined;
});

/**
 * A separate session that locks `table` and keeps its transaction open: ACCESS SHARE is the
 * long-running reader that makes every ALTER TABLE wait.
 */
async function lockTable(url: string, table: string, mode = 'ACCESS SHARE'): Promise<{ pid: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: 'h10-table-locker' });
  client.on('error', () => undefined);
  await client.connect();
  blocker = client;
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ${mode} MODE`);
  return { pid: rows[0]!.pid, release: async () => void (await client.query('COMMIT')) };
}

const TABLES = `users:
  columns:
    id: { type: serial }
    note: { type: text }
  primary_key: [id]
audit:
  columns:
    id: { type: bigint }
`;

describe('a table locked by another session', () => {
  it('retries the transaction with backoff, then fails naming the blocking session; nothing of the group is left', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const schema = await writeSchema(work.dir, TABLES);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    expect(new Set(doc.plan.steps.map((s) => s.group)).size).toBe(1);
    const locker = await lockTable(url, 'users');

    const started = Date.now();
    const r = await runCli(['apply', planPath, '--database-url', url, '--lock-timeout', '150', '--retries', '2'], work.dir);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(3 * 150 + 400); // three attempts and two backoffs
    const retries = r.stderr.match(/lock timeout \(attempt \d\).*retrying in/g) ?? [];
    expect(retries).toHaveLength(2);
    expect(r.stderr).toContain('failed after 3 attempts: canceling statement due to lock timeout');
    expect(r.stderr).toContain(`blocked by pid ${locker.pid} (application "h10-table-locker"`);
    expect(r.stderr).toContain('state "idle in transaction"');
    expect(r.stderr).toContain('query "LOCK TABLE users IN ACCESS SHARE MODE"');

    await locker.release();
    expect(await relationExists(db, 'public.audit')).toBe(false);
    expect(await columnExists(db, 'users', 'note')).toBe(false);
    const [row] = await listVersions(db);
    expect(row).toMatchObject({
      status: 'failed',
      stepsApplied: 0,
      failedStatement: 'ALTER TABLE "public"."users" ADD COLUMN "note" text',
    });
    expect(row!.error).toContain(`blocked by pid ${locker.pid}`);
    expect(row!.error).toContain('SQLSTATE 55P03');

    const again = await runCli(['apply', planPath, '--database-url', url], work.dir);
    expect(again.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });

  it('an ACCESS EXCLUSIVE lock that blocks reading the catalog: apply gives up naming the session instead of waiting forever', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const schema = await writeSchema(work.dir, TABLES);
    const planPath = await planToFile(url, work.dir);
    const locker = await lockTable(url, 'users', 'ACCESS EXCLUSIVE');
    const r = await runCli(['apply', planPath, '--database-url', url, '--lock-timeout', '150', '--retries', '1'], work.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reading the live schema timed out waiting for a lock 2 time(s): a table is locked ACCESS EXCLUSIVE by ');
    expect(r.stderr).toContain(`pid ${locker.pid} (application "h10-table-locker"`);
    expect(r.stderr).toContain('Nothing was run');
    await locker.release();
    expect(await relationExists(db, 'public.audit')).toBe(false);
    expect(await listVersions(db)).toEqual([]);
    expect((await runCli(['apply', planPath, '--database-url', url], work.dir)).code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});

/** Whether some session holds pgreconcile's deployment lock on this database. */
async function deploymentLockHeld(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      // This database's lock only: the server is shared with other test databases (and runs).
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 1885827683 AND objid = 1 AND objsubid = 2 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return rows[0]!.n > 0;
  } finally {
    await client.end();
  }
}

describe('two applies at once', () => {
  it('never both: a second deployer fails naming the holder after --lock-wait, a third waits and then runs', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const schema = await writeSchema(work.dir, TABLES);
    const later = await writeSchema(work.dir, `${TABLES}    extra: { type: text }\n`, 'later.yaml');
    const locker = await lockTable(url, 'users');

    // A: holds the deployment lock while its step waits for the table lock.
    const a = startCli(['apply', '--approve', '--database-url', url, '--lock-timeout', '20000'], work.dir);
    await waitFor(() => deploymentLockHeld(url), PATIENCE_MS, 'the first apply to take the deployment lock');

    // B: gives up after half a second, naming A.
    const b = await runCli(['apply', '--approve', '--database-url', url, '--lock-wait', '0.5'], work.dir);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('the deployment lock is held by another deployer: pid ');
    expect(b.stderr).toContain(`application "pgreconcile (pid ${a.child.pid} on `);
    expect(b.stderr).toMatch(/connected since \d{4}-\d\d-\d\dT[\d:]+Z/);
    expect(b.stderr).toContain('gave up after waiting 0.');
    expect(b.stderr).not.toMatch(/\n\s+at /);

    // C: waits for the lock, then plans and applies its own change.
    const c = startCli(['apply', '--approve', '--database-url', url, '--schema', 'later.yaml', '--lock-wait', '60'], work.dir);
    await waitFor(() => c.output().stderr.includes('Waiting for the deployment lock'), PATIENCE_MS, 'the third apply to wait');
    expect(c.output().stderr).toContain(`application "pgreconcile (pid ${a.child.pid} on `);

    await locker.release();
    const [ra, rc] = await Promise.all([a.done, c.done]);
    expect(ra.code).toBe(0);
    expect(rc.stderr).toContain('Deployment lock taken after');
    expect(rc.code).toBe(0);

    const versions = await listVersions(db);
    expect(versions.map((v) => v.status)).toEqual(['applied', 'applied']);
    const [second, first] = versions;
    expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.finishedAt!));
    expect(await columnExists(db, 'audit', 'extra')).toBe(true);
    expect(await pendingSteps(db, later)).toEqual([]);
    expect(await pendingSteps(db, schema)).toHaveLength(1);
  });

  it('two processes applying one plan file at the same moment: exactly one applies it', async () => {
    const { url, db } = database();
    const schema = await writeSchema(work.dir, TABLES);
    const planPath = await planToFile(url, work.dir);
    const runs = await Promise.all([0, 1].map(() => runCli(['apply', planPath, '--database-url', url], work.dir)));
    expect(runs.map((r) => r.code).sort()).toEqual([0, 3]);
    expect(runs.find((r) => r.code === 3)!.stderr).toMatch(/already applied|live schema changed since the plan was made/);
    expect((await listVersions(db)).map((v) => v.status)).toEqual(['applied']);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});

/** `script` (util-linux) runs a command on a pseudo-terminal: the prompt and the progress line need one. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('on a terminal', () => {
  it.skipIf(!hasScript)('asks y/N with the hazards, then shows step n/N and the elapsed time of a step that waits', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY, legacy text)');
    const schema = await writeSchema(
      work.dir,
      'users:\n  columns:\n    id: { type: serial }\n    note: { type: text }\n  primary_key: [id]\n',
    );
    const locker = await lockTable(url, 'users');
    const command = `'${process.execPath}' '${bin}' apply --database-url '${url}' --allow-hazards deletes_data --lock-timeout 20000`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: work.dir,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await waitFor(() => screen.includes('[y/N]'), PATIENCE_MS, 'the approval prompt');
    expect(screen).toContain(`Apply these 2 steps to ${url} (hazards: deletes_data)? [y/N]`);
    child.stdin.write('y\n');
    await waitFor(() => /running [2-9]s/.test(screen), PATIENCE_MS, 'the progress line of the waiting step');
    await locker.release();
    expect(await done).toBe(0);
    child.stdin.end();
    expect(screen).toMatch(/… step \d\/2 (create column users\.note|drop column users\.legacy): running 2s/);
    expect(screen).toContain('Applied 2 steps');
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});
