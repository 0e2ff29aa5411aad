/**
 * Plan files and ledger rows written by pgreconcile before issue 14 (plan format 1, see
 * test/fixtures/format-1/README.md) still read: the plan files parse (checksum and all) and
 * apply, a failed apply recorded in a format-1 ledger row resumes from its format-1 plan file,
 * and `history` shows the rows.
 */
import { readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { ensureLedger } from '../src/ledger/ledger-schema.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { loadDesiredState } from '../src/desired/index.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument, readPlanFile, writePlanFile } from '../src/plan/plan-file.js';
import { useTestDatabase } from './support/harness.js';
import { pendingSteps, runCli, useWorkFolder } from './support/apply-cli.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'format-1');
const fixture = (name: string): string => join(FIXTURES, name);
const ALLOW = ['--allow-hazards', 'all'];

const database = useTestDatabase();
const work = useWorkFolder();

interface LedgerRow {
  readonly version: string;
  readonly status: string;
  readonly [column: string]: unknown;
}
const LEDGER: readonly LedgerRow[] = JSON.parse(readFileSync(fixture('ledger.json'), 'utf8')) as LedgerRow[];

/** The rows as the older pgreconcile wrote them, inserted into this database's ledger (new ids). */
async function insertLedgerRows(db: Db, rows: readonly LedgerRow[]): Promise<void> {
  await ensureLedger(db);
  for (const row of rows) {
    const { id: _id, ...rest } = row;
    await db.query(
      `INSERT INTO pgreconcile.versions (${Object.keys(rest).join(', ')})
       SELECT ${Object.keys(rest).join(', ')} FROM json_populate_record(NULL::pgreconcile.versions, $1::json)`,
      [JSON.stringify(rest)],
    );
  }
}

describe('format-1 plan files', () => {
  it('read with their checksums, and keep what their steps do', async () => {
    const enumAndIndex = await readPlanFile(fixture('enum-and-index.plan.yaml'));
    expect(enumAndIndex.plan.formatVersion).toBe(1);
    expect(enumAndIndex.plan.steps.map((s) => [s.action, s.objectKind, s.object, s.transactional])).toEqual([
      ['alter', 'enum', 'mood', false],
      ['create', 'column', 'later', true],
      ['create', 'index', 'people_mood_idx', false],
    ]);
    const failed = await readPlanFile(fixture('failed-unique.plan.yaml'));
    expect(failed.plan.steps.map((s) => [s.action, s.objectKind, s.object, s.transactional])).toEqual([
      ['create', 'table', 'audit', true],
      ['create', 'unique', 'people_name_key', false],
      ['create', 'unique', 'people_name_key', true],
    ]);
  });

  it('apply: an enum ADD VALUE and a CONCURRENTLY index step run outside a transaction; the next plan is empty', async () => {
    const { url, db } = database();
    await db.exec(readFileSync(fixture('before.sql'), 'utf8'));
    await copyFile(fixture('schema-1.yaml'), join(work.dir, 'schema.yaml'));
    const applied = await runCli(['apply', fixture('enum-and-index.plan.yaml'), '--database-url', url, ...ALLOW], work.dir);
    expect(applied.code, applied.stderr).toBe(0);
    const [row] = await listVersions(db);
    expect(row).toMatchObject({ version: LEDGER[0]!.version, status: 'applied', stepsApplied: 3 });
    expect(await pendingSteps(db, join(work.dir, 'schema.yaml'))).toEqual([]);
  });
});

describe('format-2 plan files', () => {
  it("carry each step's target, keys and effect, and read back as written", async () => {
    const { db } = database();
    await db.exec(readFileSync(fixture('before.sql'), 'utf8'));
    const desired = await loadDesiredState(fixture('schema-1.yaml'));
    const { plan } = await planDatabase(db, desired);
    expect(plan.formatVersion).toBe(2);
    const old = await readPlanFile(fixture('enum-and-index.plan.yaml'));
    // The same plan as the format-1 file, step for step.
    expect(plan.steps.map((s) => s.sql)).toEqual(old.plan.steps.map((s) => s.sql));
    expect(plan.steps.map((s) => [s.target, s.effect])).toEqual([
      [
        { kind: 'type', schema: 'public', name: 'mood' },
        { kind: 'add_enum_value', type: { kind: 'type', schema: 'public', name: 'mood' }, value: 'happy' },
      ],
      [{ kind: 'column', schema: 'public', name: 'people', sub: 'later' }, { kind: 'ddl' }],
      [
        { kind: 'index', schema: 'public', name: 'people_mood_idx' },
        { kind: 'build_index', index: { kind: 'index', schema: 'public', name: 'people_mood_idx' }, concurrently: true },
      ],
    ]);
    expect(plan.steps[2]!.creates).toContain('index:["public","people_mood_idx"]');
    expect(plan.steps[2]!.requires).toContain('column:["public","people","mood"]');
    // Format 1 recovers the same effects from its SQL, once, as the file is read.
    expect(old.plan.steps.map((s) => s.effect)).toEqual(plan.steps.map((s) => s.effect));
    const path = await writePlanFile(newPlanDocument(plan, 'test'), join(work.dir, 'p.plan.yaml'));
    expect(readFileSync(path, 'utf8')).toContain('format_version: 2');
    expect((await readPlanFile(path)).plan).toEqual(plan);
  });
});

describe('format-1 ledger rows', () => {
  it('resume: a failed apply recorded by the older version resumes from its plan file and converges', async () => {
    const { url, db } = database();
    await db.exec(readFileSync(fixture('before.sql'), 'utf8'));
    // The database as the older version left it: plan 1 applied; plan 2's step 1 committed and
    // its step 2 (a unique index built concurrently over duplicate names) failed, leaving an
    // INVALID index.
    const first = await readPlanFile(fixture('enum-and-index.plan.yaml'));
    for (const step of first.plan.steps) await db.exec(step.sql);
    const second = await readPlanFile(fixture('failed-unique.plan.yaml'));
    await db.exec(second.plan.steps[0]!.sql);
    await expect(db.exec(second.plan.steps[1]!.sql)).rejects.toThrow(/could not create unique index/);
    await insertLedgerRows(db, LEDGER);
    expect((await listVersions(db)).map((v) => [v.version, v.status])).toEqual([
      [LEDGER[1]!.version, 'failed'],
      [LEDGER[0]!.version, 'applied'],
    ]);

    await db.exec(`DELETE FROM people WHERE id = 3`);
    await copyFile(fixture('schema-2.yaml'), join(work.dir, 'schema.yaml'));
    const resumed = await runCli(['apply', '--resume', fixture('failed-unique.plan.yaml'), '--database-url', url, ...ALLOW], work.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming version ${second.id} (failed at step 2; 1 of 3 steps were applied before)`);
    expect(resumed.stdout).toContain('↺ step 2: the invalid index "public"."people_name_key"');
    const [row] = await listVersions(db);
    expect(row).toMatchObject({ version: second.id, status: 'applied', stepsApplied: 3 });
    expect(row!.stepHashes.map((h) => h.n)).toEqual([1, 2, 3]);
    expect(await pendingSteps(db, join(work.dir, 'schema.yaml'))).toEqual([]);
  });

  it('history lists the rows the older version wrote', async () => {
    const { url, db } = database();
    await insertLedgerRows(db, LEDGER);
    const history = await runCli(['history', '--json', '--database-url', url], work.dir);
    expect(history.code, history.stderr).toBe(0);
    const versions = (JSON.parse(history.stdout) as { versions: { version: string; status: string; failed_step?: number | null }[] })
      .versions;
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [LEDGER[1]!.version, 'failed'],
      [LEDGER[0]!.version, 'applied'],
    ]);
    const text = await runCli(['history', '--database-url', url], work.dir);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(LEDGER[1]!.version);
  });
});
