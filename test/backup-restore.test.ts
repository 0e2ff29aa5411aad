/**
 * Backups of deleted data and `pgreconcile restore`, against a real server (and PGlite): the
 * data a dropped column, a dropped table, removed enum values and a dropped sequence held is
 * copied out before the step runs, and restore brings it back exactly (compared row by row, as
 * text). The limit refuses before anything runs; --no-backup goes on and says so. Every apply is
 * followed by a plan that must be empty.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyPlanDocument, type ApplyOptions } from '../src/apply/apply-plan.js';
import { readManifest } from '../src/apply/backup.js';
import { restoreBackup } from '../src/apply/restore.js';
import type { Db } from '../src/db/db.js';
import { connectPostgres } from '../src/db/pg-db.js';
import { loadDesiredState } from '../src/desired/index.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument, readPlanFile } from '../src/plan/plan-file.js';
import { columnExists, pendingSteps, planToFile, relationExists, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const work = useWorkFolder();

const CUSTOMERS_V1 = `customers:
  columns:
    id: { type: bigint, identity: always }
    name: { type: text, nullable: false }
    notes: { type: text }
    photo: { type: bytea }
  primary_key: [id]
`;
const CUSTOMERS_V2 = `customers:
  columns:
    id: { type: bigint, identity: always }
    name: { type: text, nullable: false }
  primary_key: [id]
`;
const EVENTS = `events:
  columns:
    id: { type: serial }
    payload: { type: jsonb }
    tags: { type: "text[]" }
    amount: { type: "numeric(20,6)" }
    ratio: { type: double precision }
    at: { type: timestamptz }
    span: { type: interval }
    raw: { type: bytea }
    note: { type: text }
  primary_key: [id]
`;

/** Text that COPY's text format must escape: tabs, newlines, backslashes, `\N`, quotes, unicode. */
const TRICKY = ['', 'tab\there', 'new\nline\r\n', 'back\\slash \\N', `quotes ' " \``, 'ünïcødé 🚀 日本', '\\N', null];

async function fillTrickyData(db: Db): Promise<void> {
  for (const [i, text] of TRICKY.entries()) {
    await db.query('INSERT INTO customers (name, notes, photo) VALUES ($1, $2, $3)', [
      `c${i}`,
      text,
      i % 3 === 0 ? null : Buffer.from([0, 255, 10, 92, i]),
    ]);
    await db.query(
      `INSERT INTO events (payload, tags, amount, ratio, at, span, raw, note)
       VALUES ($1::jsonb, $2::text[], $3::numeric, $4::float8, $5::timestamptz, $6::interval, $7, $8)`,
      [
        i % 4 === 3 ? null : JSON.stringify({ k: text, n: [1, 2.5, null], nested: { tab: '\t' } }),
        i % 4 === 2 ? null : ['a,b', 'c"d', null, '', text ?? 'x'],
        i % 5 === 4 ? null : i % 2 === 0 ? `${i}2345678901234.123456` : `-0.00000${i}`,
        i === 1 ? 0.1 + 0.2 : i * -1.5e-300,
        '2024-02-29 23:59:59.999999+05:30',
        `${i} days 03:04:05.678`,
        i % 2 === 0 ? Buffer.from([i, 0, 255]) : null,
        text,
      ],
    );
  }
}

/** Every row of the two objects, as text, ordered by key: what restore must bring back exactly. */
async function snapshot(db: Db): Promise<{ customers: unknown[]; events: unknown[] }> {
  const customers = (await db.query('SELECT id::text, name, notes, photo::text FROM customers ORDER BY id')).rows;
  const events = (await db.query('SELECT id::text, e::text AS row FROM events e ORDER BY id')).rows;
  return { customers, events };
}

describe('apply backs up a dropped column and a dropped table; restore brings them back (CLI, server)', () => {
  const database = useTestDatabase();

  it('writes gzip files, a manifest and the ledger record; after the earlier schema is applied again, restore matches row by row', async () => {
    const { url, db } = database();
    const v1 = await writeSchema(work.dir, CUSTOMERS_V1 + EVENTS, 'v1.yaml');
    const v2 = await writeSchema(work.dir, CUSTOMERS_V2, 'v2.yaml');
    expect((await runCli(['apply', '-s', 'v1.yaml', '-d', url, '--approve'], work.dir)).code).toBe(0);
    await fillTrickyData(db);
    const before = await snapshot(db);

    const applied = await runCli(['apply', '-s', 'v2.yaml', '-d', url, '--approve', '--allow-hazards', 'deletes_data'], work.dir);
    expect(applied.stderr).not.toMatch(/\n\s+at /);
    expect(applied.code).toBe(0);
    expect(await pendingSteps(db, v2)).toEqual([]);
    expect(await relationExists(db, 'public.events')).toBe(false);
    const [version] = await listVersions(db);
    const folder = join(work.dir, '.pgreconcile', 'backups', version!.version);
    expect(applied.stdout).toContain(`Backed up the deleted data: 3 files (`);
    expect(applied.stdout).toContain(
      `in .pgreconcile/backups/${version!.version}/ with manifest.json; restore with: pgreconcile restore ${version!.version}`,
    );

    // The ledger row names the files; the manifest describes them; the files are gzip COPY text.
    const manifest = await readManifest(folder);
    expect(version!.backups?.dir).toBe(join('.pgreconcile', 'backups', version!.version));
    expect(version!.backups?.files.map((f) => f.file).sort()).toEqual(manifest.files.map((f) => f.file).sort());
    expect(manifest).toMatchObject({ version: version!.version, database: db.description });
    const byObject = new Map(manifest.files.map((f) => [f.object, f]));
    expect(byObject.get('public.customers.notes')).toMatchObject({
      kind: 'column',
      keyColumns: ['id'],
      rows: TRICKY.length,
      committed: true,
    });
    expect(byObject.get('public.customers.photo')?.columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'photo', type: 'bytea' },
    ]);
    expect(byObject.get('public.events')).toMatchObject({
      kind: 'table',
      keyColumns: ['id'],
      rows: TRICKY.length,
      copyFormat: 'text',
      compression: 'gzip',
    });
    const raw = await readFile(join(folder, byObject.get('public.events')!.file));
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(raw).toString('utf8').split('\n').filter(Boolean)).toHaveLength(TRICKY.length);

    // Not yet: the table and the columns are gone.
    const early = await runCli(['restore', version!.version, '-d', url], work.dir);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('table public.events does not exist');
    expect(early.stderr).toContain('table public.customers has no column notes');

    // The earlier schema again: the objects exist, empty.
    expect((await runCli(['apply', '-s', 'v1.yaml', '-d', url, '--approve'], work.dir)).code).toBe(0);
    expect(await pendingSteps(db, v1)).toEqual([]);

    const onlyEvents = await runCli(['restore', version!.version, '--table', 'public.events', '-d', url], work.dir);
    expect(onlyEvents.stderr).not.toMatch(/\n\s+at /);
    expect(onlyEvents.code).toBe(0);
    expect(onlyEvents.stdout).toContain(`✓ table public.events: ${TRICKY.length} rows restored`);
    expect(onlyEvents.stdout).not.toContain('customers');
    expect((await snapshot(db)).events).toEqual(before.events);

    const all = await runCli(['restore', version!.version, '-d', url, '--json'], work.dir);
    expect(all.code).toBe(0);
    const result = JSON.parse(all.stdout) as {
      result: string;
      objects: { object: string; restored: number; skipped: number; skipped_because: string | null }[];
    };
    expect(result.result).toBe('restored');
    expect(result.objects.find((o) => o.object === 'public.events')).toMatchObject({
      restored: 0,
      skipped: TRICKY.length,
      skipped_because: 'already there',
    });
    expect(result.objects.find((o) => o.object === 'public.customers.notes')).toMatchObject({ restored: TRICKY.length, skipped: 0 });
    expect(await snapshot(db)).toEqual(before);
    expect(await pendingSteps(db, v1)).toEqual([]);
    // The serial sequence moved past the restored ids.
    await db.query("INSERT INTO events (note) VALUES ('after restore')");
  });
});

describe('the backup limit, --no-backup, and a plan file carrying what its steps delete (CLI, server)', () => {
  const database = useTestDatabase();

  it('refuses above --backup-limit before anything runs; --no-backup applies and records no backups', async () => {
    const { url, db } = database();
    await writeSchema(work.dir, CUSTOMERS_V1, 'v1.yaml');
    const v2 = await writeSchema(work.dir, CUSTOMERS_V2);
    expect((await runCli(['apply', '-s', 'v1.yaml', '-d', url, '--approve'], work.dir)).code).toBe(0);
    await db.query("INSERT INTO customers (name, notes) VALUES ('a', 'kept')");
    const planPath = await planToFile(url, work.dir);
    const json = JSON.parse((await runCli(['plan', '-d', url, '--json'], work.dir)).stdout) as { steps: { deletes?: unknown }[] };
    expect(json.steps[0]?.deletes).toEqual({ kind: 'column', schema: 'public', table: 'customers', column: 'notes' });
    expect((await readPlanFile(planPath)).plan.steps.map((s) => s.deletes)).toEqual([
      { kind: 'column', schema: 'public', table: 'customers', column: 'notes' },
      { kind: 'column', schema: 'public', table: 'customers', column: 'photo' },
    ]);

    const refused = await runCli(['apply', planPath, '-d', url, '--allow-hazards', 'deletes_data', '--backup-limit', '1'], work.dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('refused: the backups of deleted data would take about');
    expect(refused.stderr).toContain('above the limit of 1 bytes: step 1 column public.customers.notes');
    expect(refused.stderr).toContain('nothing was run');
    expect(await columnExists(db, 'customers', 'notes')).toBe(true);
    expect(await listVersions(db)).toHaveLength(1);

    const bad = await runCli(['apply', planPath, '-d', url, '--backup-limit', 'lots'], work.dir);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--backup-limit: expected a size such as 500MB');

    const noBackup = await runCli(['apply', planPath, '-d', url, '--allow-hazards', 'deletes_data', '--no-backup', '--json'], work.dir);
    expect(noBackup.code).toBe(0);
    expect(JSON.parse(noBackup.stdout)).toMatchObject({ result: 'applied', backups: null, no_backup_steps: [1, 2] });
    expect(await pendingSteps(db, v2)).toEqual([]);
    const [latest] = await listVersions(db);
    expect(latest?.backups).toBeUndefined();
    expect(await readdir(join(work.dir, '.pgreconcile')).catch(() => [])).not.toContain('backups');
    const restore = await runCli(['restore', latest!.version, '-d', url], work.dir);
    expect(restore.code).toBe(3);
    expect(restore.stderr).toContain('the ledger records no backups');
  });

  it('backs up the whole rows of a table without a key, duplicates included; pgreconcile restore gives every row its value back', async () => {
    const { db, url } = database();
    // Rows alike but for the dropped column (three of them), a row wholly duplicated, NULLs and jsonb (no equality operator).
    await db.exec(`CREATE TABLE loose (a int, b text, c jsonb);
      INSERT INTO loose VALUES (1, 'x', '{"k": 1}'), (1, 'y', '{"k": 1}'), (1, 'x', '{"k": 1}'), (2, NULL, NULL), (NULL, 'z', '[1]'), (NULL, 'z', '[1]')`);
    const rows = (): Promise<unknown[]> => db.query('SELECT ROW(a, b, c)::text AS r FROM loose ORDER BY 1').then((r) => r.rows);
    const before = await rows();
    const table = (columns: string): string => `version: 1\nschemas:\n  public:\n    tables:\n      loose:\n        columns:\n${columns}`;
    await writeFile(
      join(work.dir, 'v1.yaml'),
      table('          a: { type: integer }\n          b: { type: text }\n          c: { type: jsonb }\n'),
    );
    await writeFile(join(work.dir, 'v2.yaml'), table('          a: { type: integer }\n          c: { type: jsonb }\n'));
    const v1 = await loadDesiredState(join(work.dir, 'v1.yaml'));
    const v2 = await loadDesiredState(join(work.dir, 'v2.yaml'));

    const applied = await applyDesired(db, v2);
    expect(applied.kind).toBe('applied');
    expect(await columnExists(db, 'loose', 'b')).toBe(false);
    expect((await planDatabase(db, v2)).plan.steps).toEqual([]);
    const version = (applied as { version: string }).version;
    const manifest = await readManifest(join(work.dir, '.pgreconcile', 'backups', version));
    expect(manifest.files.map((f) => [f.kind, f.object, f.keyColumns, f.columns.map((c) => c.name), f.rows])).toEqual([
      ['column', 'public.loose.b', [], ['a', 'b', 'c'], 6],
    ]);

    expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
    expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
    const restored = await runCli(['restore', version, '-d', url, '--json'], work.dir);
    expect(restored.stderr).not.toMatch(/\n\s+at /);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({
      result: 'restored',
      objects: [{ object: 'public.loose.b', rows: 6, restored: 6, skipped: 0 }],
    });
    expect(await rows()).toEqual(before);
    expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
  });

  it('backs up the rows of a table without a key that hold a removed enum value; restore sets the values back', async () => {
    const { db } = database();
    await db.exec(`CREATE TYPE mood AS ENUM ('ok', 'bad', 'meh'); CREATE TABLE feelings (who text, m mood);
      INSERT INTO feelings VALUES ('a', 'bad'), ('a', 'bad'), ('a', 'ok'), ('b', 'meh'), ('a', NULL)`);
    const rows = (): Promise<unknown[]> => db.query('SELECT f::text AS r FROM feelings f ORDER BY 1').then((r) => r.rows);
    const before = await rows();
    const schema = (values: string): string =>
      `version: 1\nschemas:\n  public:\n    enums:\n      mood: { values: [${values}] }\n    tables:\n      feelings:\n        columns:\n          who: { type: text }\n          m: { type: mood }\n`;
    await writeFile(join(work.dir, 'v1.yaml'), schema('ok, bad, meh'));
    await writeFile(join(work.dir, 'v2.yaml'), schema('ok, meh'));
    const v1 = await loadDesiredState(join(work.dir, 'v1.yaml'));
    const v2 = await loadDesiredState(join(work.dir, 'v2.yaml'));

    const applied = await applyDesired(db, v2);
    expect(applied.kind).toBe('applied');
    expect((await planDatabase(db, v2)).plan.steps).toEqual([]);
    expect(await rows()).toEqual([{ r: '(a,)' }, { r: '(a,)' }, { r: '(a,)' }, { r: '(a,ok)' }, { r: '(b,meh)' }]);
    const version = (applied as { version: string }).version;

    expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
    expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
    const restored = await restoreBackup(db, version, { cwd: work.dir });
    expect(restored).toMatchObject({ kind: 'restored', objects: [{ object: 'public.feelings.m', rows: 2, restored: 2 }] });
    expect(await rows()).toEqual(before);
  });
});

let clock = Date.parse('2026-01-01T00:00:00Z');

/** Plans and applies with the library (all hazards allowed; backups under the test's folder). */
async function applyDesired(db: Db, desired: Awaited<ReturnType<typeof loadDesiredState>>, options: Partial<ApplyOptions> = {}) {
  const { plan, live } = await planDatabase(db, desired);
  clock += 1000; // distinct plan ids, even within one second
  const doc = newPlanDocument(plan, db.description, new Date(clock), { objectFingerprints: objectFingerprints(live.model), desired });
  return applyPlanDocument(db, doc, { desired, allowHazards: 'all', backup: { cwd: work.dir }, ...options });
}

const ENUMS = (values: string): string => `version: 1
schemas:
  public:
    enums:
      status:
        values: [${values}]
    sequences:
      tickets:
        type: bigint
    tables:
      jobs:
        columns:
          id: { type: integer }
          state: { type: status, nullable: false }
          previous: { type: status }
          history: { type: "status[]" }
        primary_key: [id]
`;

/** Removed enum values (rows deleted, values set NULL, taken out of arrays) and a dropped sequence, then back. */
async function enumRoundTrip(db: Db): Promise<void> {
  await writeFile(join(work.dir, 'v1.yaml'), ENUMS('pending, running, canceled'));
  await writeFile(join(work.dir, 'v2.yaml'), ENUMS('pending, running').replace(/ {4}sequences:\n.*\n.*\n/, ''));
  const v1 = await loadDesiredState(join(work.dir, 'v1.yaml'));
  const v2 = await loadDesiredState(join(work.dir, 'v2.yaml'));
  expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
  await db.exec(`INSERT INTO jobs VALUES
    (1, 'canceled', 'canceled', '{canceled}'), (2, 'pending', 'canceled', '{canceled,pending}'), (3, 'running', NULL, '{running}');
    SELECT setval('tickets', 41)`);
  const rows = (): Promise<unknown[]> => db.query('SELECT j::text FROM jobs j ORDER BY id').then((r) => r.rows);
  const before = await rows();

  const applied = await applyDesired(db, v2);
  expect(applied.kind).toBe('applied');
  expect((await planDatabase(db, v2)).plan.steps).toEqual([]);
  expect(await rows()).toEqual([{ j: '(2,pending,,{pending})' }, { j: '(3,running,,{running})' }]);
  const version = (applied as { version: string }).version;
  const manifest = await readManifest(join(work.dir, '.pgreconcile', 'backups', version));
  expect(manifest.files.map((f) => [f.kind, f.object, f.rows]).sort()).toEqual([
    ['enum_rows', 'public.jobs.history', 2],
    ['enum_rows', 'public.jobs.previous', 2],
    ['enum_rows', 'public.jobs.state', 1],
    ['sequence', 'public.tickets', 1],
  ]);

  // The enum lacks the value (and the sequence is gone) until the earlier schema is back.
  const early = await restoreBackup(db, version, { cwd: work.dir });
  expect(early).toMatchObject({ kind: 'refused', reason: 'missing_object' });
  expect(early.kind === 'refused' && early.problems.join('\n')).toContain("has no value 'canceled' now");

  expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
  expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
  const restored = await restoreBackup(db, version, { cwd: work.dir });
  expect(restored.kind).toBe('restored');
  expect(await rows()).toEqual(before);
  expect((await db.query<{ v: string }>("SELECT nextval('tickets')::text AS v")).rows[0]?.v).toBe('42');
  expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
}

describe('the backup waits for writers, and is taken again on a lock-timeout retry (library, server)', () => {
  const database = useTestDatabase();

  it('a writer holding its transaction open makes LOCK … IN SHARE MODE time out; the retry copies what it committed', async () => {
    const { url, db } = database();
    await writeSchema(work.dir, CUSTOMERS_V1, 'v1.yaml');
    await writeSchema(work.dir, CUSTOMERS_V2, 'v2.yaml');
    expect(await applyDesired(db, await loadDesiredState(join(work.dir, 'v1.yaml')))).toMatchObject({ kind: 'applied' });
    await db.query("INSERT INTO customers (name, notes) VALUES ('first', 'one')");
    const writer = await connectPostgres(url);
    try {
      await writer.exec("BEGIN; INSERT INTO customers (name, notes) VALUES ('second', 'two')");
      let retries = 0;
      const v2 = await loadDesiredState(join(work.dir, 'v2.yaml'));
      const outcome = await applyDesired(db, v2, {
        lockTimeoutMs: 200,
        retryDelayMs: 50,
        onEvent: (event) => {
          if (event.kind === 'retry' && ++retries === 1) void writer.exec('COMMIT');
        },
      });
      expect(retries).toBeGreaterThanOrEqual(1);
      expect(outcome).toMatchObject({ kind: 'applied', backups: { kind: 'taken' } });
      const manifest = await readManifest(join(work.dir, '.pgreconcile', 'backups', (outcome as { version: string }).version));
      expect(manifest.files.find((f) => f.object === 'public.customers.notes')).toMatchObject({ rows: 2, committed: true });
      expect((await planDatabase(db, v2)).plan.steps).toEqual([]);
    } finally {
      await writer.close();
    }
  });
});

describe('rows holding removed enum values, and a dropped sequence (library, server)', () => {
  const database = useTestDatabase();
  it('backs them up before the conversion deletes or changes them; restore puts them back exactly', async () => {
    await enumRoundTrip(database().db);
  });
});

describe('backups on the embedded PGlite database', () => {
  const database = useTestDatabase({ pglite: true });

  it('copies out through /dev/blob and restores: enum rows, a sequence, a column and a table', async () => {
    const { db } = database();
    expect(db.kind).toBe('pglite');
    await enumRoundTrip(db);
    await writeSchema(work.dir, CUSTOMERS_V1 + EVENTS, 'tables-v1.yaml');
    await writeSchema(work.dir, CUSTOMERS_V2, 'tables-v2.yaml');
    const v1 = await loadDesiredState(join(work.dir, 'tables-v1.yaml'));
    const v2 = await loadDesiredState(join(work.dir, 'tables-v2.yaml'));
    await db.exec('DROP TABLE jobs; DROP TYPE status; DROP SEQUENCE tickets');
    expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
    await fillTrickyData(db);
    const before = await snapshot(db);
    const applied = await applyDesired(db, v2);
    expect(applied).toMatchObject({ kind: 'applied', backups: { kind: 'taken' } });
    expect((await planDatabase(db, v2)).plan.steps).toEqual([]);
    expect(await applyDesired(db, v1)).toMatchObject({ kind: 'applied' });
    expect(await restoreBackup(db, (applied as { version: string }).version, { cwd: work.dir })).toMatchObject({ kind: 'restored' });
    expect(await snapshot(db)).toEqual(before);
    expect((await planDatabase(db, v1)).plan.steps).toEqual([]);
  });
});
