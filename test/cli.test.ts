/**
 * The `pgreconcile` command as a user runs it (the compiled bin, a child process): help,
 * exit codes, `validate`, and `plan` against a real server and against PGlite with pgvector.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, servePglite } from '../src/db/pglite-db.js';
import type { PgliteDb, ServedPglite } from '../src/db/pglite-db.js';
import { readPlanFile } from '../src/plan/plan-file.js';
import { useTestDatabase } from './support/harness.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'pgreconcile.js');
const fixtureSql = SLIDEFACTORY_INIT_SQL;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd = root, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('help and usage', () => {
  it('lists every command with one line each', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}validate {2}.+$/m);
    expect(r.stdout).toMatch(/^ {2}plan {6}.+$/m);
  });

  it('documents every flag of every command', async () => {
    const plan = await run(['plan', '--help']);
    expect(plan.code).toBe(0);
    for (const flag of ['--schema FILE', '--database-url URL', '--out FILE|DIR', '--sql', '--json', '--no-color', '--help']) {
      expect(plan.stdout).toContain(flag);
    }
    expect(plan.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}2 .*\n {2}1 .*\n {2}64 +usage error/);
    const validate = await run(['validate', '--help']);
    expect(validate.stdout).toContain('--quiet');
    expect(validate.stdout).toContain('Usage: pgreconcile validate [FILE | --schema FILE]');
  });

  it('gives usage errors their own exit code and no stack trace', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badFlag = await run(['validate', '--nope']);
    expect(badFlag.code).toBe(64);
    expect(badFlag.stderr).toContain('pgreconcile validate: unknown option --nope');
    const planFlag = await run(['plan', '--sql', '--json']);
    expect(planFlag.code).toBe(64);
    expect(planFlag.stderr).toContain('--sql and --json exclude each other');
    for (const r of [unknown, badFlag, planFlag]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('validate', () => {
  it('accepts the root schema.yaml (exit 0)', async () => {
    const r = await run(['validate', 'schema.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('schema.yaml is valid (15 tables, 2 enums, 1 function, 2 extensions)\n');
  });

  it('reports every error with file:line:column and exits 1', async () => {
    const r = await run(['validate', 'test/fixtures/invalid/05-bad-sql-check.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'test/fixtures/invalid/05-bad-sql-check.yaml:10:35 schemas.public.tables.items.checks[0].expression: invalid check expression: syntax error at or near "AND"',
    );
  });
});

describe('plan against the Slidefactory fixture on PGlite (pgvector)', () => {
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

  it('exits 0 with "No changes" for the root schema.yaml against a database loaded from init.sql', async () => {
    const r = await run(['plan', '--database-url', served.url, '--schema', 'schema.yaml']);
    expect(r.stderr).toMatch(/^Using database postgres:\/\//);
    expect(r.stdout).toBe('No changes. The database matches the desired state.\n');
    expect(r.code).toBe(0);
  });
});

describe('plan against a real server', () => {
  const database = useTestDatabase();
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pgr-cli-'));
    await writeFile(
      join(work, 'schema.yaml'),
      [
        'version: 1',
        'schemas:',
        '  public:',
        '    tables:',
        '      users:',
        '        columns:',
        '          id: { type: serial }',
        '          email: { type: text, nullable: false }',
        '        primary_key: [id]',
        '        indexes:',
        '          users_email_idx: { columns: [email] }',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('exits 2 with a summary, and the same plan twice is byte-identical (summary, --sql, --json)', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY, legacy text)');
    const first = await run(['plan', '--database-url', url], work);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('Plan: 2 to create, 0 to alter, 1 to drop (3 steps: 2 in 2 transactions, 1 outside a transaction)');
    expect(first.stdout).toMatch(/~ table users\n {4}\+ column email: text/);
    expect(first.stdout).toContain('- column legacy  ⚠ deletes_data');
    for (const format of [[], ['--sql'], ['--json']]) {
      const a = await run(['plan', '--database-url', url, ...format], work);
      const b = await run(['plan', '--database-url', url, ...format], work);
      expect(a.code).toBe(2);
      expect(b.stdout).toBe(a.stdout);
    }
    const sql = await run(['plan', '--database-url', url, '--sql'], work);
    expect(sql.stdout).toContain('CREATE INDEX CONCURRENTLY "users_email_idx" ON "public"."users" ("email");');
    const json = JSON.parse((await run(['plan', '--database-url', url, '--json'], work)).stdout) as { changes: boolean; hazards: string[] };
    expect(json.changes).toBe(true);
    expect(json.hazards).toEqual(['deletes_data', 'index_build']);
  });

  it('writes the plan file into plans/ as <UTC timestamp>_<slug>.plan.yaml, password redacted', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    const withPassword = url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    const r = await run(['plan', '--database-url', withPassword, '--out', 'plans/'], work);
    expect(r.code).toBe(2);
    const files = await readdir(join(work, 'plans'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z_[a-z0-9-]+\.plan\.yaml$/);
    const text = await readFile(join(work, 'plans', files[0]!), 'utf8');
    expect(text).not.toContain('s3cret-pw');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
    const doc = await readPlanFile(join(work, 'plans', files[0]!));
    expect(doc.database).toContain(':***@');
    expect(doc.plan.steps.map((s) => s.sql)).toContain('ALTER TABLE "public"."users" ADD COLUMN "email" text NOT NULL');
  });

  it('exits 1 naming the problem when the database is unreachable or the file invalid', async () => {
    const down = await run(['plan', '--database-url', 'postgres://nobody:pw@127.0.0.1:1/none'], work);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('could not connect to postgres://nobody:***@127.0.0.1:1/none');
    expect(down.stderr).not.toContain(':pw@');
    const invalid = await run(
      ['plan', '--schema', join(root, 'test/fixtures/invalid/05-bad-sql-check.yaml'), '--database-url', database().url],
      work,
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('invalid check expression: syntax error at or near "AND"');
  });

  it('applies nothing: the database is unchanged after plan', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    await run(['plan', '--database-url', url], work);
    const { rows } = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.columns WHERE table_name = 'users'");
    expect(rows[0]?.n).toBe('1');
  });
});
