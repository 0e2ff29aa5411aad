/**
 * The ledger on a real server: created and upgraded by pgreconcile itself (numbered upgrades, in
 * order, in one transaction; a newer ledger refused), safe against two processes creating it at
 * once, its rows written and read back honestly, and never part of a plan.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseStatus } from '../src/apply/status.js';
import { connectPostgres } from '../src/db/pg-db.js';
import { ensureLedger, LEDGER_FORMAT_VERSION, LEDGER_UPGRADES, LedgerError, ledgerFormatVersion } from '../src/ledger/ledger-schema.js';
import {
  findAppliedVersion,
  listVersions,
  readDesiredSnapshot,
  readVersion,
  recordBaseline,
  recordStepsApplied,
  recordVersionApplied,
  recordVersionFailed,
  recordVersionStart,
  type NewVersion,
} from '../src/ledger/ledger-store.js';
import { sha256 } from '../src/model/fingerprint.js';
import { emptyModel } from '../src/model/types.js';
import { useTestDatabase } from './support/harness.js';
import { pendingSteps, workFolder } from './support/apply-cli.js';

const database = useTestDatabase();

async function columnsOf(db: ReturnType<typeof database>['db'], table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'pgreconcile' AND table_name = $1 ORDER BY ordinal_position",
    [table],
  );
  return rows.map((r) => r.column_name);
}

describe('the ledger schema', () => {
  it('is created by ensureLedger with its format version, and ensureLedger is idempotent', async () => {
    const { db } = database();
    expect(await ledgerFormatVersion(db)).toBeUndefined();
    expect(await listVersions(db)).toEqual([]);
    expect(await ensureLedger(db)).toBe(LEDGER_FORMAT_VERSION);
    expect(await ensureLedger(db)).toBe(LEDGER_FORMAT_VERSION);
    expect(await ledgerFormatVersion(db)).toBe(LEDGER_FORMAT_VERSION);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pgreconcile.ledger_meta');
    expect(rows[0]?.n).toBe(1);
    expect(await columnsOf(db, 'versions')).toEqual(
      expect.arrayContaining([
        'version',
        'kind',
        'status',
        'plan_checksum',
        'desired_hash',
        'fingerprint_before',
        'fingerprint_after',
        'steps_total',
        'steps_applied',
        'step_hashes',
        'failed_step',
        'failed_statement',
        'error',
        'started_at',
        'finished_at',
        'duration_ms',
        'db_user',
        'os_user',
        'host',
        'tool_version',
        'allowed_hazards',
        'approved_by',
        'desired_snapshot',
        'database',
      ]),
    );
  });

  it('applies numbered upgrades in order, in one transaction, and refuses a ledger newer than it knows', async () => {
    const { db } = database();
    await ensureLedger(db);
    const n = LEDGER_FORMAT_VERSION;
    const upgrades = [
      ...LEDGER_UPGRADES,
      { version: n + 1, description: 'a note per version', sql: 'ALTER TABLE pgreconcile.versions ADD COLUMN note text' },
      {
        version: n + 2,
        description: 'notes must be short',
        sql: 'ALTER TABLE pgreconcile.versions ADD CONSTRAINT note_short CHECK (length(note) < 100)',
      },
    ];
    // A broken upgrade n + 2 leaves everything as it was, upgrade n + 1 included.
    const broken = [
      ...upgrades.slice(0, n + 1),
      { version: n + 2, description: 'broken', sql: 'ALTER TABLE pgreconcile.nope ADD COLUMN x int' },
    ];
    await expect(ensureLedger(db, broken)).rejects.toThrow(new RegExp(`upgrading the ledger to format ${n + 2} \\(broken\\) failed`));
    expect(await ledgerFormatVersion(db)).toBe(n);
    expect(await columnsOf(db, 'versions')).not.toContain('note');

    expect(await ensureLedger(db, upgrades)).toBe(n + 2);
    expect(await ledgerFormatVersion(db)).toBe(n + 2);
    expect(await columnsOf(db, 'versions')).toContain('note');

    await expect(ensureLedger(db)).rejects.toThrow(LedgerError);
    await expect(ensureLedger(db)).rejects.toThrow(
      new RegExp(`has format version ${n + 2}, newer than this pgreconcile .* knows \\(${n}\\); upgrade pgreconcile`),
    );
    expect(await ledgerFormatVersion(db)).toBe(n + 2);
  });

  it('two processes creating it at once: both succeed, one ledger', async () => {
    const { db, url } = database();
    const others = await Promise.all([connectPostgres(url), connectPostgres(url), connectPostgres(url)]);
    try {
      expect(await Promise.all(others.map((o) => ensureLedger(o)))).toEqual([
        LEDGER_FORMAT_VERSION,
        LEDGER_FORMAT_VERSION,
        LEDGER_FORMAT_VERSION,
      ]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pgreconcile.ledger_meta');
    expect(rows[0]?.n).toBe(1);
  });

  it('is never part of a plan: introspection skips the pgreconcile schema', async () => {
    const { db } = database();
    await ensureLedger(db);
    const work = await workFolder();
    try {
      const schema = join(work.dir, 'schema.yaml');
      await writeFile(schema, 'version: 1\n');
      expect(await pendingSteps(db, schema)).toEqual([]);
    } finally {
      await work.cleanup();
    }
  });
});

const base: NewVersion = {
  version: '20261121T201500Z_create-table-users',
  kind: 'apply',
  planChecksum: 'sha256:abc',
  desiredHash: 'd'.repeat(64),
  fingerprintBefore: 'f'.repeat(64),
  stepsTotal: 3,
  allowedHazards: ['deletes_data'],
  approvedBy: 'alice',
  desired: { model: emptyModel(), ignore: ['tmp_*'], external: [] },
  database: 'postgres://app:***@db/app',
};

describe('ledger rows', () => {
  let other: Awaited<ReturnType<typeof connectPostgres>> | undefined;
  beforeEach(() => {
    other = undefined;
  });
  afterEach(async () => {
    await other?.close();
  });

  it('a row is written before the first step and updated with each committed transaction, never with a rolled-back one', async () => {
    const { db, url } = database();
    await ensureLedger(db);
    const id = await recordVersionStart(db, base);
    other = await connectPostgres(url);
    const [running] = await listVersions(other);
    expect(running).toMatchObject({
      id,
      status: 'running',
      stepsApplied: 0,
      stepsTotal: 3,
      dbUser: 'postgres',
      approvedBy: 'alice',
      allowedHazards: ['deletes_data'],
    });
    expect(running!.finishedAt).toBeUndefined();
    expect((await databaseStatus(other)).health).toBe('running');

    await db.exec('BEGIN');
    await recordStepsApplied(db, id, [{ n: 1, sql: 'CREATE TABLE a ()' }]);
    await db.exec('ROLLBACK');
    expect((await readVersion(other, base.version))[0]?.stepsApplied).toBe(0);

    await db.exec('BEGIN');
    await recordStepsApplied(db, id, [
      { n: 1, sql: 'CREATE TABLE a ()' },
      { n: 2, sql: 'CREATE TABLE b ()' },
    ]);
    await db.exec('COMMIT');
    await recordVersionFailed(db, id, { step: 3, statement: 'CREATE TABLE c ()', error: 'ERROR 42P07: relation "c" already exists' });
    const [failed] = await readVersion(other, base.version);
    expect(failed).toMatchObject({
      status: 'failed',
      stepsApplied: 2,
      stepHashes: [
        { n: 1, sha256: sha256('CREATE TABLE a ()') },
        { n: 2, sha256: sha256('CREATE TABLE b ()') },
      ],
      failedStep: 3,
      failedStatement: 'CREATE TABLE c ()',
      error: 'ERROR 42P07: relation "c" already exists',
    });
    expect(failed!.durationMs).toBeGreaterThanOrEqual(0);
    expect(await findAppliedVersion(db, base.version)).toBeUndefined();

    // A second attempt of the same plan succeeds; both rows stay.
    const second = await recordVersionStart(db, base);
    await recordVersionApplied(db, second, { fingerprintAfter: 'a'.repeat(64), replanSteps: 0 });
    expect((await findAppliedVersion(db, base.version))?.id).toBe(second);
    expect((await listVersions(db)).map((v) => [v.id, v.status])).toEqual([
      [second, 'applied'],
      [id, 'failed'],
    ]);
    expect(await readDesiredSnapshot(db, second)).toEqual({ model: emptyModel(), ignore: ['tmp_*'], external: [] });

    // One plan id is applied at most once.
    const third = await recordVersionStart(db, base);
    await expect(recordVersionApplied(db, third, { fingerprintAfter: 'a'.repeat(64), replanSteps: 0 })).rejects.toThrow(
      /versions_applied_once/,
    );
  });

  it('a baseline row records the live state without steps', async () => {
    const { db } = database();
    await ensureLedger(db);
    const id = await recordBaseline(
      db,
      {
        version: '20261121T201500Z_baseline',
        desiredHash: base.desiredHash,
        fingerprintBefore: base.fingerprintBefore,
        database: base.database,
      },
      0,
    );
    const [row] = await listVersions(db, { limit: 1 });
    expect(row).toMatchObject({
      id,
      kind: 'baseline',
      status: 'applied',
      stepsTotal: 0,
      stepsApplied: 0,
      fingerprintAfter: base.fingerprintBefore,
      replanSteps: 0,
    });
    expect(row!.finishedAt).toBeDefined();
  });
});
