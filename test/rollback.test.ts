/**
 * `pgreconcile rollback` as a user runs it (the compiled bin) against a real server: two versions
 * applied, the rollback refused without its hazards, then applied — the schema equals the first
 * version's (compared with a database built from that file from nothing), the ledger has a third
 * version naming the one it returned to, the first file plans empty, the rows are kept — and a
 * second rollback undoing the first. Also `--out` with a later `apply PLANFILE`, `--to` by
 * prefix, unknown and ambiguous, and the cases with nothing to roll back to.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlanDocument } from '../src/apply/apply-plan.js';
import { chooseRollbackTarget, RollbackError } from '../src/apply/rollback.js';
import type { Db } from '../src/db/db.js';
import { loadDesiredState } from '../src/desired/index.js';
import { introspect } from '../src/introspect/index.js';
import { listVersions, type LedgerVersion } from '../src/ledger/ledger-store.js';
import { liveFingerprint, objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument, readPlanFile } from '../src/plan/plan-file.js';
import { createTestDatabase, useTestDatabase } from './support/harness.js';
import { columnExists, pendingSteps, planToFile, relationExists, runCli, useWorkFolder } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

/** v1: an enum, two tables, a foreign key, an index. */
const V1 = `version: 1
schemas:
  public:
    enums:
      customer_state:
        values: [active, closed]
    tables:
      customers:
        columns:
          id: { type: serial }
          name: { type: text, nullable: false }
          state: { type: customer_state, nullable: false, default: "'active'" }
        primary_key: [id]
      orders:
        columns:
          id: { type: serial }
          customer_id: { type: integer, nullable: false }
          amount: { type: "numeric(10,2)", nullable: false, default: "0" }
        primary_key: [id]
        foreign_keys:
          - columns: [customer_id]
            references: { table: customers, columns: [id] }
        indexes:
          orders_customer_idx: { columns: [customer_id] }
`;

/** v2: a column, a table and an index more, and a changed default. */
const V2 = V1.replace(
  `          name: { type: text, nullable: false }\n`,
  `          name: { type: text, nullable: false }\n          email: { type: text }\n`,
)
  .replace(`default: "0" }`, `default: "1" }`)
  .replace(
    `          orders_customer_idx: { columns: [customer_id] }\n`,
    `          orders_customer_idx: { columns: [customer_id] }
          orders_amount_idx: { columns: [amount] }
      notes:
        columns:
          id: { type: serial }
          body: { type: text, nullable: false }
        primary_key: [id]
`,
  );

async function writeVersions(): Promise<{ v1: string; v2: string }> {
  const v1 = join(work.dir, 'v1.yaml');
  const v2 = join(work.dir, 'v2.yaml');
  await writeFile(v1, V1);
  await writeFile(v2, V2);
  return { v1, v2 };
}

/** Applies a schema file through the library (setup for the tests that are about something else). */
async function applySchema(db: Db, schemaPath: string): Promise<string> {
  const desired = await loadDesiredState(schemaPath);
  const { plan, live } = await planDatabase(db, desired);
  const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
  const outcome = await applyPlanDocument(db, doc, { desired, allowHazards: 'all' });
  expect(outcome.kind).toBe('applied');
  expect(await pendingSteps(db, schemaPath)).toEqual([]);
  return doc.id;
}

async function fingerprint(db: Db): Promise<string> {
  return liveFingerprint((await introspect(db)).model);
}

async function count(db: Db, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

interface HistoryJson {
  readonly versions: readonly {
    version: string;
    kind: string;
    status: string;
    rollback_to: string | null;
    backups: { files: { rows: number }[] } | null;
  }[];
}

async function historyJson(url: string): Promise<HistoryJson> {
  const r = await runCli(['history', '--json', '--database-url', url], work.dir);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as HistoryJson;
}

describe('rollback to the version before', () => {
  it('is refused without its hazards, then returns to v1 exactly, records a third version, keeps the rows; a second rollback returns to v2', async () => {
    const { url, db } = database();
    const { v1, v2 } = await writeVersions();
    const plan1 = await planToFile(url, work.dir, 'v1.yaml');
    expect((await runCli(['apply', plan1, '--database-url', url], work.dir)).code).toBe(0);
    await db.exec(
      `INSERT INTO customers (name) VALUES ('ada'), ('bob'); INSERT INTO orders (customer_id, amount) VALUES (1, 10), (2, 20), (1, 30)`,
    );
    const plan2 = await planToFile(url, work.dir, 'v2.yaml');
    const applied2 = await runCli(['apply', plan2, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(applied2.code).toBe(0);
    expect(await pendingSteps(db, v2)).toEqual([]);
    await db.exec(`UPDATE customers SET email = name || '@example.com'; INSERT INTO notes (body) VALUES ('call ada')`);
    const id1 = (await readPlanFile(plan1)).id;
    const id2 = (await readPlanFile(plan2)).id;

    // Without --allow-hazards: the plan is shown, nothing runs.
    const before = await fingerprint(db);
    const refused = await runCli(['rollback', '--approve', '--database-url', url], work.dir);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain(`Rollback to ${id1} (apply, applied `);
    expect(refused.stdout).toMatch(/- table notes/);
    expect(refused.stderr).toContain('pgreconcile rollback: refused: the plan carries hazards that were not allowed');
    expect(refused.stderr).toMatch(/deletes_data: steps? /);
    expect(await fingerprint(db)).toBe(before);
    expect(await listVersions(db)).toHaveLength(2);

    // Without a terminal and without --approve: refused too.
    const unapproved = await runCli(['rollback', '--allow-hazards', 'all', '--database-url', url], work.dir);
    expect(unapproved.code).toBe(3);
    expect(unapproved.stderr).toContain('no terminal to ask for approval; review the plan (pgreconcile rollback)');

    const rolled = await runCli(['rollback', '--approve', '--allow-hazards', 'all', '--database-url', url], work.dir);
    expect(rolled.stderr).not.toMatch(/\n\s+at /);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(new RegExp(`Applied \\d+ steps .*; version \\d{8}T\\d{6}Z_rollback-to-${id1} recorded in the ledger`));
    expect(rolled.stdout).toContain('The database matches the desired state.');

    // The schema is v1's: the same fingerprint as a database built from v1's file from nothing.
    const fresh = await createTestDatabase();
    try {
      await applySchema(fresh.db, v1);
      expect(await fingerprint(db)).toBe(await fingerprint(fresh.db));
    } finally {
      await fresh.drop();
    }
    expect(await columnExists(db, 'customers', 'email')).toBe(false);
    expect(await relationExists(db, 'public.notes')).toBe(false);
    expect(await relationExists(db, 'public.orders_amount_idx')).toBe(false);
    expect(await count(db, 'customers')).toBe(2);
    expect(await count(db, 'orders')).toBe(3);
    expect((await runCli(['plan', '--schema', 'v1.yaml', '--database-url', url], work.dir)).code).toBe(0);
    expect(await pendingSteps(db, v1)).toEqual([]);

    // The ledger is append-only: three versions, the newest a rollback naming v1.
    const { versions } = await historyJson(url);
    expect(versions.map((v) => [v.kind, v.status, v.rollback_to])).toEqual([
      ['rollback', 'applied', id1],
      ['apply', 'applied', null],
      ['apply', 'applied', null],
    ]);
    expect(versions[0]!.version).toMatch(new RegExp(`^\\d{8}T\\d{6}Z_rollback-to-${id1}$`));
    expect(versions.slice(1).map((v) => v.version)).toEqual([id2, id1]);
    // Like any apply, the rollback backed up what it deleted: customers.email (2 rows) and notes (1 row).
    expect(rolled.stdout).toContain('Backed up the deleted data: 2 files (3 rows');
    expect(versions[0]!.backups?.files.map((f) => f.rows).sort()).toEqual([1, 2]);
    const text = await runCli(['history', '--database-url', url], work.dir);
    expect(text.stdout).toMatch(new RegExp(`^${versions[0]!.version}\\s+rollback → ${id1}\\s+applied\\s`, 'm'));
    const status = await runCli(['status', '--schema', 'v1.yaml', '--database-url', url], work.dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Current version: ${versions[0]!.version} (rollback → ${id1}, applied`);

    // A second rollback undoes the first (like git revert): back to v2.
    const again = await runCli(['rollback', '--approve', '--allow-hazards', 'all', '--database-url', url, '--json'], work.dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: 'applied', in_sync: true });
    expect(await pendingSteps(db, v2)).toEqual([]);
    expect(await count(db, 'orders')).toBe(3);
    const after = await historyJson(url);
    expect(after.versions).toHaveLength(4);
    expect(after.versions[0]).toMatchObject({ kind: 'rollback', status: 'applied', rollback_to: id2 });
  });
});

describe('rollback --out and --to', () => {
  it('writes a reviewable rollback plan file that apply records as a rollback; --to takes a unique prefix', async () => {
    const { url, db } = database();
    const { v1, v2 } = await writeVersions();
    const id1 = await applySchema(db, v1);
    await applySchema(db, v2);
    await applySchema(db, v1); // v3 returns to v1's state by hand: the default target is now v2
    await db.exec(`INSERT INTO customers (name) VALUES ('ada')`);

    // --to by a unique prefix of v1's id; the database already is in v1's state.
    const prefix = id1.slice(0, -1);
    const shown = await runCli(['rollback', '--to', prefix, '--out', 'plans/', '--database-url', url], work.dir);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`The database already matches version ${id1}: nothing to roll back, nothing recorded.`);
    expect(await listVersions(db)).toHaveLength(3);

    const written = await runCli(['rollback', '--out', 'plans/', '--database-url', url], work.dir);
    expect(written.code).toBe(2);
    const path = /Rollback plan written to (\S+);/.exec(written.stderr)?.[1];
    expect(path).toBeDefined();
    const v2Id = (await listVersions(db))[1]!.version;
    expect(basename(path!)).toMatch(new RegExp(`^\\d{8}T\\d{6}Z_rollback-to-${v2Id}\\.plan\\.yaml$`));
    const doc = await readPlanFile(join(work.dir, path!));
    expect(doc.rollbackTo).toBe(v2Id);
    expect(written.stdout).toContain('+ table notes');
    expect(await relationExists(db, 'public.notes')).toBe(false);

    const applied = await runCli(['apply', path!, '--allow-hazards', 'all', '--database-url', url], work.dir);
    expect(applied.code).toBe(0);
    expect(await pendingSteps(db, v2)).toEqual([]);
    expect(await count(db, 'customers')).toBe(1);
    const [newest] = await listVersions(db);
    expect(newest).toMatchObject({ version: doc.id, kind: 'rollback', rollbackTo: v2Id, status: 'applied' });
  });

  it('names the applied versions when --to is unknown or ambiguous, and says when there is nothing to roll back to', async () => {
    const { url, db } = database();
    const { v1, v2 } = await writeVersions();

    const noLedger = await runCli(['rollback', '--approve', '--database-url', url], work.dir);
    expect(noLedger.code).toBe(1);
    expect(noLedger.stderr).toContain('pgreconcile rollback: the ledger records no applied version in this database');

    const id1 = await applySchema(db, v1);
    const alone = await runCli(['rollback', '--approve', '--database-url', url], work.dir);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(`only one version was applied (${id1}); there is no earlier version to roll back to`);

    const id2 = await applySchema(db, v2);
    const unknown = await runCli(['rollback', '--to', 'nope', '--approve', '--database-url', url], work.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no applied version nope in the ledger. Applied versions, newest first:');
    expect(unknown.stderr).toMatch(new RegExp(`  ${id2} \\(apply, [^)]+\\)\\n  ${id1} \\(apply, `));

    const ambiguous = await runCli(['rollback', '--to', id1.slice(0, 4), '--approve', '--database-url', url], work.dir);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`--to ${id1.slice(0, 4)} matches 2 applied versions; give more of the id:`);
    expect(await listVersions(db)).toHaveLength(2);
    expect(await pendingSteps(db, v2)).toEqual([]);
  });
});

describe('chooseRollbackTarget', () => {
  const row = (version: string, status: LedgerVersion['status'], kind: LedgerVersion['kind'] = 'apply'): LedgerVersion =>
    ({ id: 0, version, kind, status, startedAt: '2026-11-21T20:00:00.000Z', resumes: [] }) as unknown as LedgerVersion;

  it('skips failed attempts, accepts a baseline, and refuses a version that never applied', () => {
    const rows = [row('T4_c', 'failed'), row('T3_b', 'applied'), row('T2_x', 'failed'), row('T1_base', 'applied', 'baseline')];
    expect(chooseRollbackTarget(rows).version).toBe('T1_base');
    expect(chooseRollbackTarget(rows, 'T3').version).toBe('T3_b');
    expect(() => chooseRollbackTarget(rows, 'T2_x')).toThrow(RollbackError);
    expect(() => chooseRollbackTarget(rows, 'T2_x')).toThrow(/version T2_x was never applied \(its newest attempt is failed\)/);
  });
});
