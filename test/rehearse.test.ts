/**
 * `plan --rehearse` and `apply --rehearse` as a user runs them (the compiled bin), against the real
 * server: a plan that fails on the target's schema (a unique index on a json column: json has no
 * equality operator) is caught on a scratch copy before the target is touched; a plan that
 * succeeds reports each step's duration, converges, is recorded in the plan file and the ledger;
 * a role that may not create databases rehearses on PGlite; and the scratch database never
 * outlives the command.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { withDatabaseName } from '../src/db/open.js';
import { quoteIdent } from '../src/model/ident.js';
import { introspect } from '../src/introspect/index.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { liveFingerprint } from '../src/model/fingerprint.js';
import { readPlanFile } from '../src/plan/plan-file.js';
import type { Rehearsal } from '../src/plan/rehearsal-record.js';
import { useTestDatabase } from './support/harness.js';
import {
  type CliRun,
  pendingSteps,
  planFiles,
  planToFile,
  relationExists,
  runCli,
  startCli,
  useWorkFolder,
  writeSchema,
} from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

/** docs.body is json, and the file declares a unique index on it: the build fails on any server. */
const JSON_UNIQUE = `docs:
  columns:
    id: { type: serial }
    body: { type: json }
  primary_key: [id]
  indexes:
    docs_body_key: { columns: [body], unique: true }
`;

/** Adds a column and an index (CONCURRENTLY: the table exists) to users, and a new table with a FK to it. */
const GROWN = `users:
  columns:
    id: { type: serial }
    email: { type: text, nullable: false }
    name: { type: text }
  primary_key: [id]
  indexes:
    users_email_idx: { columns: [email] }
orders:
  columns:
    id: { type: bigint, identity: always }
    user_id: { type: integer, nullable: false }
    total: { type: "numeric(10,2)" }
  primary_key: [id]
  foreign_keys:
    - columns: [user_id]
      references: { table: users, columns: [id] }
`;

async function createDocs(db: Db): Promise<void> {
  await db.exec(`CREATE TABLE docs (id serial PRIMARY KEY, body json); INSERT INTO docs (body) VALUES ('{"a": 1}'), ('{"a": 2}')`);
}

async function createUsers(db: Db): Promise<void> {
  await db.exec(`CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);
    INSERT INTO users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 500) g`);
}

/** Runs the CLI and returns its result with its pid (scratch databases are named after it). */
async function cli(args: readonly string[]): Promise<CliRun & { readonly pid: number }> {
  const p = startCli(args, work.dir);
  const run = await p.done;
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { ...run, pid: p.child.pid! };
}

/** Scratch databases the process `pid` made that are still on the server. */
async function scratchLeft(db: Db, pid: number): Promise<string[]> {
  const { rows } = await db.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
    `pgr_rehearse_${pid}_`,
  ]);
  return rows.map((r) => r.datname);
}

/** A scratch database as a rehearsal by process `pid` on this host would have left it. */
async function leaveScratch(db: Db, pid: number): Promise<string> {
  const name = `pgr_rehearse_${pid}_${randomBytes(4).toString('hex')}`;
  const note = JSON.stringify({ host: hostname(), pid, created: new Date().toISOString() });
  await db.exec(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
  await db.exec(`COMMENT ON DATABASE ${quoteIdent(name)} IS 'pgreconcile-rehearsal ${note}'`);
  return name;
}

async function databaseExists(db: Db, name: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length === 1;
}

async function fingerprint(db: Db): Promise<string> {
  return liveFingerprint((await introspect(db)).model);
}

/** Every step of the plan timed, the re-plan empty, nothing failed. */
function expectConverged(rehearsal: Rehearsal | undefined, steps: number, scratch: Rehearsal['scratch']): void {
  expect(rehearsal).toMatchObject({ ok: true, scratch, replan_steps: 0 });
  expect(rehearsal!.failed).toBeUndefined();
  expect(rehearsal!.steps.map((s) => s.n)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  for (const s of rehearsal!.steps) expect(s.ms).toBeGreaterThanOrEqual(0);
  expect(rehearsal!.total_ms).toBeGreaterThanOrEqual(Math.max(...rehearsal!.steps.map((s) => s.ms)));
}

describe('plan --rehearse', () => {
  it('catches a unique index on a json column on the scratch copy: exit 1, the step and the error named, the target untouched, no scratch left', async () => {
    const { url, db } = database();
    await createDocs(db);
    await writeSchema(work.dir, JSON_UNIQUE);
    const before = await fingerprint(db);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const ofDeadProcess = await leaveScratch(db, deadPid);
    const ofLiveProcess = await leaveScratch(db, process.pid);

    const r = await cli(['plan', '--rehearse', '--database-url', url, '--out', 'plans/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Rehearsal on a scratch database on the target's server");
    expect(r.stdout).toMatch(/✗ step 1\/1 create index docs\.docs_body_key/);
    expect(r.stdout).toContain('statement: CREATE UNIQUE INDEX CONCURRENTLY "docs_body_key" ON "public"."docs" ("body")');
    expect(r.stderr).toMatch(
      /pgreconcile plan: the rehearsal failed at step 1\/1 create index docs\.docs_body_key: ERROR 42704: data type json has no default operator class/,
    );
    expect(r.stderr).toContain('The target database was not touched. No plan file was written.');

    expect(await planFiles(work.dir)).toEqual([]);
    expect(await relationExists(db, 'public.docs_body_key')).toBe(false);
    expect(await fingerprint(db)).toBe(before);
    expect(await scratchLeft(db, r.pid)).toEqual([]);
    // A leftover of a process that died was swept; one whose process runs was left alone.
    expect(await databaseExists(db, ofDeadProcess)).toBe(false);
    expect(await databaseExists(db, ofLiveProcess)).toBe(true);
    await db.exec(`DROP DATABASE ${quoteIdent(ofLiveProcess)}`);
  });

  it('times every step of a plan that succeeds, records the rehearsal in the plan file, and the file still applies', async () => {
    const { url, db } = database();
    await createUsers(db);
    const schema = await writeSchema(work.dir, GROWN);

    const r = await cli(['plan', '--rehearse', '--database-url', url, '--out', 'plans/']);
    expect(r.code).toBe(2);
    const [path] = await planFiles(work.dir);
    const doc = await readPlanFile(path!);
    const n = doc.plan.steps.length;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(doc.plan.steps.some((s) => /CREATE INDEX CONCURRENTLY "users_email_idx"/.test(s.sql))).toBe(true);
    expectConverged(doc.rehearsal, n, 'server');
    expect(doc.rehearsal!.warnings).toEqual([]);
    for (const s of doc.plan.steps) expect(r.stdout).toMatch(new RegExp(`✓ step ${s.n}/${n} .* \\d+(\\.\\d)? ms\\n`));
    expect(r.stdout).toContain(`Rehearsed ${n} steps in`);
    expect(r.stdout).toContain('the plan converges');
    expect(await scratchLeft(db, r.pid)).toEqual([]);
    expect(await relationExists(db, 'public.orders')).toBe(false);

    const applied = await runCli(['apply', path!, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(applied.stderr).not.toMatch(/checksum/);
    expect(applied.code).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
    const [version] = await listVersions(db);
    expect(version?.rehearsal).toEqual(doc.rehearsal);
  });

  it('rehearses on PGlite when the role may not create databases', async () => {
    const { url, db } = database();
    const role = `pgr_t_role_${process.pid}_${randomBytes(3).toString('hex')}`;
    await db.exec(`CREATE ROLE ${quoteIdent(role)} LOGIN NOCREATEDB; GRANT USAGE, CREATE ON SCHEMA public TO ${quoteIdent(role)}`);
    try {
      await createUsers(db);
      await db.exec(`ALTER TABLE users OWNER TO ${quoteIdent(role)}`);
      const schema = await writeSchema(work.dir, GROWN);
      const asRole = new URL(url);
      asRole.username = role;

      const r = await cli(['plan', '--rehearse', '--json', '--database-url', asRole.toString()]);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout) as { steps: unknown[]; rehearsal: Rehearsal };
      expectConverged(out.rehearsal, out.steps.length, 'pglite');
      expect(out.rehearsal.warnings[0]).toBe(
        `rehearsed on an in-memory PGlite database instead of the target's server: role "${role}" may not create databases (no CREATEDB)`,
      );
      expect(await scratchLeft(db, r.pid)).toEqual([]);
      expect(await pendingSteps(db, schema)).toHaveLength(out.steps.length);
    } finally {
      await db.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
    }
  });
});

it('points a connection string of either form at the scratch database, keeping everything else', () => {
  expect(withDatabaseName('postgres://app:p%40ss@db:5433/app?sslmode=require', 'pgr_rehearse_1_ab')).toBe(
    'postgres://app:p%40ss@db:5433/pgr_rehearse_1_ab?sslmode=require',
  );
  expect(withDatabaseName("host=db user=app password='a b' dbname=app", "o'k")).toBe(
    "host=db user=app password='a b' dbname=app dbname='o\\'k'",
  );
});

describe('apply --rehearse', () => {
  it('refuses a plan file whose rehearsal fails: exit 3, nothing applied, no ledger row', async () => {
    const { url, db } = database();
    await createDocs(db);
    await writeSchema(work.dir, JSON_UNIQUE);
    const path = await planToFile(url, work.dir);

    const r = await cli(['apply', path, '--rehearse', '--database-url', url, '--allow-hazards', 'all']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /pgreconcile apply: refused: the rehearsal failed at step 1\/1 create index docs\.docs_body_key: ERROR 42704: data type json has no default operator class/,
    );
    expect(r.stderr).toContain('The target database was not touched. Nothing was run.');
    expect(await relationExists(db, 'public.docs_body_key')).toBe(false);
    expect(await listVersions(db)).toEqual([]);
    expect(await scratchLeft(db, r.pid)).toEqual([]);
  });

  it('applies a plan made now after a rehearsal that converged, and records the rehearsal in the ledger', async () => {
    const { url, db } = database();
    await createUsers(db);
    const schema = await writeSchema(work.dir, GROWN);

    const r = await cli(['apply', '--approve', '--rehearse', '--database-url', url, '--allow-hazards', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('the plan converges')).toBeLessThan(r.stdout.indexOf('Applying plan'));
    expect(r.stdout).toContain('The database matches the desired state.');
    expect(await pendingSteps(db, schema)).toEqual([]);
    const [version] = await listVersions(db);
    expect(version?.status).toBe('applied');
    expectConverged(version?.rehearsal as Rehearsal, version!.stepsTotal, 'server');
    expect(await scratchLeft(db, r.pid)).toEqual([]);
  });
});
