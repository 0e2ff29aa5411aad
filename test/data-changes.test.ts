/**
 * Data changes (`data_changes:`, src/data-changes/) against a real server, through the compiled
 * CLI as a user runs it: a NOT NULL column without a default added to a table of 200,000 rows,
 * filled by a batched backfill between ADD COLUMN and SET NOT NULL; the same apply SIGKILLed
 * mid-backfill and continued with `apply --resume` from the last committed batch (a counter
 * column shows no row was processed twice); a data change run exactly once across two applies
 * and a rollback, and refused once edited; and what plan, the plan file, --json and history say.
 * Every apply is followed by an empty plan.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDataChanges } from '../src/data-changes/ledger.js';
import type { Db } from '../src/db/db.js';
import { ADVISORY_KEY } from '../src/ledger/ledger-schema.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { readPlanFile } from '../src/plan/plan-file.js';
import { validateFile } from '../src/desired/index.js';
import { useTestDatabase } from './support/harness.js';
import { PATIENCE_MS, pendingSteps, planToFile, runCli, startCli, useWorkFolder, waitFor } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();
const ALLOW = ['--allow-hazards', 'all'];

const ROWS = 200_000;
const SEED = `CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, touched integer NOT NULL DEFAULT 0);
INSERT INTO t (id, name) SELECT g, 'n' || g FROM generate_series(1, ${ROWS}) g;
ANALYZE t;`;

function schema(size: number, sql = 'UPDATE public.t SET c = upper(name), touched = touched + 1 WHERE id BETWEEN $1 AND $2'): string {
  return `version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: { type: bigint }
          name: { type: text, nullable: false }
          touched: { type: integer, nullable: false, default: 0 }
          c: { type: text, nullable: false }
        primary_key: [id]
data_changes:
  fill_t_c:
    sql: ${sql}
    after: { column: public.t.c }
    before: { not_null: public.t.c }
    batch: { key: id, size: ${size} }
`;
}

async function writeProject(text: string): Promise<string> {
  const path = join(work.dir, 'schema.yaml');
  await writeFile(path, text);
  return path;
}

async function touchedCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.query<{ touched: number; n: number }>('SELECT touched, count(*)::int AS n FROM t GROUP BY touched ORDER BY 1');
  return Object.fromEntries(rows.map((r) => [String(r.touched), r.n]));
}

async function deploymentLockHeld(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int8::oid AND objid = 1 AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [ADVISORY_KEY],
  );
  return rows[0]!.n > 0;
}

/** Sessions on this database other than `db`'s own: a killed apply's connections linger until the server sees them closed. */
async function otherSessions(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
  );
  return rows[0]!.n;
}

async function expectConverged(db: Db): Promise<void> {
  const { rows } = await db.query<{ bad: number; nn: boolean }>(
    `SELECT (SELECT count(*)::int FROM t WHERE c IS DISTINCT FROM upper(name)) AS bad,
            (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attname = 'c') AS nn`,
  );
  expect(rows[0]).toEqual({ bad: 0, nn: true });
  expect(await touchedCounts(db)).toEqual({ '1': ROWS });
  const { rows: checks } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'public.t'::regclass AND contype = 'c'`,
  );
  expect(checks[0]!.n).toBe(0);
}

describe('a NOT NULL column without a default, filled by a batched data change', () => {
  it('plans ADD COLUMN (nullable) → the backfill → NOT NULL through a validated check; apply converges and the next plan is empty', async () => {
    const { url, db } = database();
    await db.exec(SEED);
    const path = await writeProject(schema(10_000));

    const shown = await runCli(['plan', '--database-url', url, '--schema', 'schema.yaml'], work.dir);
    expect(shown.code, shown.stderr).toBe(2);
    expect(shown.stdout).toContain('1 data change to run once');
    expect(shown.stdout).toContain('~ data fill_t_c: in batches of 10000 rows of t by "id", runs once');
    expect(shown.stdout).toContain('      UPDATE public.t SET c = upper(name), touched = touched + 1 WHERE id BETWEEN $1 AND $2');
    expect(shown.stdout).not.toContain('fails_on_existing_rows');

    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    expect(doc.plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."t" ADD COLUMN "c" text',
      'UPDATE public.t SET c = upper(name), touched = touched + 1 WHERE id BETWEEN $1 AND $2',
      'ALTER TABLE "public"."t" ADD CONSTRAINT "pgr_t_c_not_null" CHECK ("c" IS NOT NULL) NOT VALID',
      'ALTER TABLE "public"."t" VALIDATE CONSTRAINT "pgr_t_c_not_null"',
      'ALTER TABLE "public"."t" ALTER COLUMN "c" SET NOT NULL',
      'ALTER TABLE "public"."t" DROP CONSTRAINT "pgr_t_c_not_null"',
    ]);
    expect(doc.plan.steps[0]!.sql).toBe('ALTER TABLE "public"."t" ADD COLUMN "c" text');
    // Each step in its own transaction but the last two: the backfill runs alone, batch by batch.
    expect(doc.plan.steps.map((s) => s.group)).toEqual([1, 2, 3, 4, 5, 5]);
    const data = doc.plan.steps[1]!;
    expect(data.effect).toMatchObject({
      kind: 'data_change',
      id: 'fill_t_c',
      batch: { table: { schema: 'public', name: 't' }, key: 'id', size: 10000 },
    });
    expect(data.statementTimeoutMs).toBe(60_000);
    expect(await readFile(planPath, 'utf8')).toContain('kind: data_change');

    const json = await runCli(['plan', '--database-url', url, '--schema', 'schema.yaml', '--json'], work.dir);
    const parsed = JSON.parse(json.stdout) as { summary: Record<string, number>; steps: Record<string, unknown>[] };
    expect(parsed.summary.data_changes).toBe(1);
    expect(parsed.steps[1]).toMatchObject({
      object_kind: 'data',
      object: 'fill_t_c',
      change: 'data_change',
      data_change: { id: 'fill_t_c', batch: { table: 'public.t', key: 'id', size: 10000 } },
    });

    const applied = await runCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('data fill_t_c, batch 20 committed (200000 rows so far)');
    expect(applied.stdout).toContain('The database matches the desired state.');
    await expectConverged(db);
    const [record] = await listDataChanges(db);
    expect(record).toMatchObject({
      id: 'fill_t_c',
      status: 'applied',
      rowsAffected: ROWS,
      batches: 20,
      version: doc.id,
      checksum: data.effect.kind === 'data_change' ? data.effect.checksum : '',
    });
    expect(await pendingSteps(db, path)).toEqual([]);

    const history = await runCli(['history', '--database-url', url], work.dir);
    expect(history.stdout).toMatch(/DATA CHANGE\s+STATUS\s+ROWS\s+BATCHES/);
    expect(history.stdout).toMatch(/fill_t_c\s+applied\s+200000\s+20\s/);
    const historyJson = JSON.parse((await runCli(['history', '--database-url', url, '--json'], work.dir)).stdout) as {
      data_changes: unknown[];
    };
    expect(historyJson.data_changes).toMatchObject([
      { id: 'fill_t_c', status: 'applied', rows_affected: ROWS, batches: 20, version: doc.id },
    ]);
  });

  it('killed with SIGKILL mid-backfill: apply --resume goes on from the last committed batch, no row is processed twice', async () => {
    const { url, db } = database();
    await db.exec(SEED);
    const path = await writeProject(schema(2_000));
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);

    const child = startCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
    const batches = async (): Promise<number> => (await listDataChanges(db).catch(() => []))[0]?.batches ?? 0;
    await waitFor(async () => (await batches()) >= 5 || child.child.exitCode !== null, PATIENCE_MS, 'some batches to commit');
    expect(child.child.exitCode, child.output().stderr).toBeNull();
    child.child.kill('SIGKILL');
    expect((await child.done).code).toBe(-1);
    await waitFor(async () => !(await deploymentLockHeld(db)), PATIENCE_MS, 'the deployment lock to be released');
    // The lock is on a connection of its own: the batch's connection may still be committing a
    // batch the killed process sent. What the ledger says is read once every session is gone.
    await waitFor(async () => (await otherSessions(db)) === 0, PATIENCE_MS, "the killed apply's sessions to end");

    const [killed] = await listDataChanges(db);
    expect(killed!.status).toBe('running');
    expect(killed!.batches).toBeLessThan(100);
    // What the ledger says is committed is exactly what the table holds: each committed batch touched once, the rest not yet.
    expect(await touchedCounts(db)).toEqual({ '0': ROWS - killed!.rowsAffected, '1': killed!.rowsAffected });
    expect(killed!.rowsAffected).toBe(killed!.batches * 2_000);
    expect(killed!.lastKey).toBe(String(killed!.batches * 2_000));
    expect((await listVersions(db))[0]).toMatchObject({ version: doc.id, status: 'running', stepsApplied: 1 });

    const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`batch ${killed!.batches + 1} committed (${(killed!.batches + 1) * 2_000} rows so far)`);
    expect(resumed.stdout).toContain('batch 100 committed (200000 rows so far)');
    expect(resumed.stdout).toContain('The database matches the desired state.');
    await expectConverged(db);
    expect((await listDataChanges(db))[0]).toMatchObject({ status: 'applied', rowsAffected: ROWS, batches: 100 });
    expect((await listVersions(db))[0]).toMatchObject({ version: doc.id, status: 'applied', stepsApplied: 6 });
    expect(await pendingSteps(db, path)).toEqual([]);
  });
});

const ONCE = (extra: string): string => `version: 1
schemas:
  public:
    tables:
      counter:
        columns:
          id: { type: integer }
          n: { type: integer, nullable: false, default: 0 }
${extra}        primary_key: [id]
data_changes:
  bump_counter:
    file: data/bump.sql
    after: { table: public.counter }
`;

describe('a column already there, made NOT NULL', () => {
  it('the data change runs before the four NOT NULL steps; apply converges', async () => {
    const { url, db } = database();
    await db.exec(`CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, touched integer NOT NULL DEFAULT 0, c text);
      INSERT INTO t (id, name) SELECT g, 'n' || g FROM generate_series(1, 5000) g;`);
    const path = await writeProject(schema(1_000));
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    expect(doc.plan.steps.map((s) => s.objectKind)).toEqual(['data', 'column', 'column', 'column', 'column']);
    expect(doc.plan.steps[1]!.sql).toContain('CHECK ("c" IS NOT NULL) NOT VALID');
    const applied = await runCli(['apply', planPath, '--database-url', url, ...ALLOW], work.dir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('batch 5 committed (5000 rows so far)');
    expect(await touchedCounts(db)).toEqual({ '1': 5000 });
    expect(await pendingSteps(db, path)).toEqual([]);
  });
});

describe('a data change runs once per database', () => {
  it('across two applies and a rollback; edited afterwards, it is refused with its name', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0); INSERT INTO counter VALUES (1, 0);');
    await mkdir(join(work.dir, 'data'));
    await writeFile(join(work.dir, 'data', 'bump.sql'), 'UPDATE public.counter SET n = n + 1;\n');
    const path = await writeProject(ONCE(''));
    const n = async (): Promise<number> => (await db.query<{ n: number }>('SELECT n FROM counter')).rows[0]!.n;

    // drift knows it: pending before it ran; --rehearse runs it on a scratch copy, unrecorded, the target untouched.
    const before = JSON.parse((await runCli(['drift', '--database-url', url, '--schema', 'schema.yaml', '--json'], work.dir)).stdout) as {
      state: string;
      pending: unknown[];
    };
    expect(before.state).toBe('pending');
    expect(before.pending).toContainEqual(expect.objectContaining({ object: 'bump_counter', kind: 'data change', change: 'to run once' }));
    const rehearsed = await runCli(['plan', '--database-url', url, '--schema', 'schema.yaml', '--rehearse'], work.dir);
    expect(rehearsed.code, rehearsed.stderr).toBe(2);
    expect(rehearsed.stdout).toMatch(/✓ step 1\/1 alter data bump_counter/);
    expect(rehearsed.stdout).toContain('the plan converges');
    expect(await n()).toBe(0);
    expect(await listDataChanges(db)).toEqual([]);

    const first = await runCli(['apply', '--database-url', url, '--schema', 'schema.yaml', '--approve', ...ALLOW], work.dir);
    expect(first.code, first.stderr).toBe(0);
    expect(await n()).toBe(1);
    expect(await pendingSteps(db, path)).toEqual([]);
    const after = JSON.parse((await runCli(['drift', '--database-url', url, '--schema', 'schema.yaml', '--json'], work.dir)).stdout) as {
      state: string;
    };
    expect(after.state).toBe('in_sync');

    await writeProject(ONCE('          note: { type: text }\n'));
    const second = await runCli(['apply', '--database-url', url, '--schema', 'schema.yaml', '--approve', ...ALLOW], work.dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('bump_counter');
    expect(await n()).toBe(1);
    expect(await pendingSteps(db, path)).toEqual([]);

    const versions = await listVersions(db);
    const back = await runCli(['rollback', '--to', versions[1]!.version, '--database-url', url, '--approve', ...ALLOW], work.dir);
    expect(back.code, back.stderr).toBe(0);
    expect(await n()).toBe(1);
    expect((await listDataChanges(db)).map((d) => [d.id, d.status])).toEqual([['bump_counter', 'applied']]);

    await writeFile(join(work.dir, 'data', 'bump.sql'), 'UPDATE public.counter SET n = n + 2;\n');
    const edited = await runCli(['plan', '--database-url', url, '--schema', 'schema.yaml'], work.dir);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('data change "bump_counter" was applied on');
    expect(edited.stderr).toContain('its SQL has changed since');
    const refused = await runCli(['apply', '--database-url', url, '--schema', 'schema.yaml', '--approve', ...ALLOW], work.dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('data change "bump_counter"');
    expect(await n()).toBe(1);
  });
});

describe('the file is checked', () => {
  const doc = (entry: string): string => `version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: { type: bigint }
          c: { type: text }
        primary_key: [id]
data_changes:
${entry}`;
  const problems = async (entry: string): Promise<string[]> => {
    const result = await validateFile(await writeProject(doc(entry)));
    return result.diagnostics.map((d) => `${d.path}: ${d.message}`);
  };

  it('ids by a strict grammar, anchors naming declared objects, batches over $1 and $2, files inside the folder', async () => {
    await mkdir(join(work.dir, 'data'));
    await writeFile(join(work.dir, 'data', 'ok.sql'), 'UPDATE public.t SET c = c');
    await symlink('/etc/hostname', join(work.dir, 'data', 'link.sql'));
    expect(await problems('  ok-1.x:\n    file: data/ok.sql\n    after: { table: public.t }\n')).toEqual([]);
    expect((await problems('  "bad id; drop":\n    sql: SELECT 1\n')).join('\n')).toMatch(/data_changes/);
    expect((await problems('  a:\n    file: ../k19-outside.sql\n')).join('\n')).toContain('is outside the folder of');
    expect((await problems('  a:\n    file: /etc/passwd\n')).join('\n')).toContain('is an absolute path');
    expect((await problems('  a:\n    file: data/link.sql\n')).join('\n')).toContain('leads outside the folder of');
    expect((await problems('  a:\n    file: data/none.sql\n')).join('\n')).toContain('does not exist');
    expect((await problems('  a:\n    sql: SELECT 1\n    file: data/ok.sql\n')).join('\n')).toContain('exactly one of sql: and file:');
    expect((await problems('  a:\n    sql: UPDATE t SET c = c\n    after: { column: public.t.nope }\n')).join('\n')).toContain(
      'column "nope" is not declared in table "public.t"',
    );
    expect((await problems('  a:\n    sql: UPDATE t SET c = c\n    after: { not_null: public.t.c }\n')).join('\n')).toContain(
      'not_null can only be named under before:',
    );
    expect((await problems('  a:\n    sql: UPDATE t SET c = c\n    after: { data_change: b }\n')).join('\n')).toContain(
      'data change "b" is not declared',
    );
    expect(
      (await problems('  a:\n    sql: UPDATE t SET c = c\n    after: { table: t }\n    batch: { key: id, size: 10 }\n')).join('\n'),
    ).toContain('uses $1 and $2');
    expect(
      (
        await problems(
          '  a:\n    sql: UPDATE t SET c = c WHERE id BETWEEN $1 AND $2; DELETE FROM t\n    batch: { table: t, key: id, size: 10 }\n',
        )
      ).join('\n'),
    ).toContain('is one statement');
    expect(
      (await problems('  a:\n    sql: UPDATE t SET c = c WHERE id BETWEEN $1 AND $2\n    batch: { table: t, key: nope, size: 10 }\n')).join(
        '\n',
      ),
    ).toContain('column "nope" is not declared in table "public.t"');
    expect((await problems('  a:\n    sql: UPDATE t SET WHERE\n')).join('\n')).toContain('the SQL does not parse');
  });
});
