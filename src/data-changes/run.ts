/**
 * Running a data change step (src/apply/execute.ts calls it for a step whose effect is
 * `data_change`). Without batches: one transaction, the step's SET LOCAL timeouts, the SQL, and
 * its ledger row written in the same transaction. In batches: the rows of the batch table by
 * ascending key, `size` at a time; each batch its own short transaction under the step's lock and
 * statement timeouts, in which the batch's last key is written to the ledger — so a kill loses at
 * most the batch under way (rolled back with it), and the next run starts after the last committed
 * batch: no row is processed twice. Where nothing is recorded (the scratch copy of a rehearsal),
 * progress is kept in memory only.
 */
import type { Db } from '../db/db.js';
import { sha256 } from '../model/fingerprint.js';
import { qualify, quoteIdent } from '../model/ident.js';
import type { PlanStep } from '../plan/build-plan.js';
import type { DataChangeEffect } from '../plan/step-draft.js';
import {
  DataChangeEditedError,
  readDataChange,
  recordDataChangeApplied,
  recordDataChangeBatch,
  recordDataChangeStart,
  type DataChangeRunRecord,
} from './ledger.js';

/** How far a batched data change has come. */
export interface BatchProgress {
  readonly batches: number;
  readonly rows: number;
  /** The highest key of the last committed batch (text). */
  readonly lastKey: string | null;
}

/** What the executor gives a data change run. */
export interface DataChangeRunOptions {
  /** Record in the ledger (`pgreconcile.data_changes`): absent on a scratch copy. */
  readonly record?: DataChangeRunRecord;
  /** SET LOCAL lock_timeout and statement_timeout, as for the step. */
  readonly timeoutSql: string;
  /** Called inside the transaction of the last statement, before its COMMIT (the apply's ledger update). */
  readonly beforeCommit?: () => Promise<void>;
  /** Called after each committed batch. */
  readonly onBatch?: (progress: BatchProgress) => void;
  /** Called before the statement, inside the transaction (backups, lock checks). */
  readonly beforeStatement?: () => Promise<void>;
}

/** What a run did. */
export interface DataChangeRunResult {
  readonly rows: number;
  readonly batches: number;
  /** The ledger already recorded it applied (another plan ran it): nothing ran. */
  readonly alreadyApplied: boolean;
}

/** The step's SQL did not match its recorded checksum: the plan file was not written by pgreconcile. */
export class DataChangeChecksumError extends Error {
  override readonly name = 'DataChangeChecksumError';
}

function effectOf(step: PlanStep): DataChangeEffect {
  if (step.effect.kind !== 'data_change') throw new Error(`step ${step.n} is not a data change`);
  return step.effect;
}

/** Runs one transaction: BEGIN, `body`, COMMIT; ROLLBACK on any error. */
async function transaction<T>(db: Db, body: () => Promise<T>): Promise<T> {
  await db.exec('BEGIN');
  try {
    const out = await body();
    await db.exec('COMMIT');
    return out;
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Runs the data change of `step` to its end (or on from its last committed batch).
 *
 * @example
 * await runDataChange(db, step, { record: { version, ledgerId }, timeoutSql: "SET LOCAL lock_timeout = '5000ms'; …" });
 */
export async function runDataChange(db: Db, step: PlanStep, options: DataChangeRunOptions): Promise<DataChangeRunResult> {
  const effect = effectOf(step);
  const checksum = `sha256:${sha256(step.sql)}`;
  if (checksum !== effect.checksum)
    throw new DataChangeChecksumError(`data change "${effect.id}": its SQL does not match its checksum ${effect.checksum}`);
  const record = options.record;
  if (record !== undefined) {
    const known = await readDataChange(db, effect.id);
    if (known !== undefined && known.checksum !== checksum) throw new DataChangeEditedError(effect.id, known, checksum);
    if (known?.status === 'applied') {
      // Applied by another plan since this one was made: it never runs twice; the step counts as done.
      await transaction(db, async () => options.beforeCommit?.());
      return { rows: 0, batches: 0, alreadyApplied: true };
    }
  }
  return effect.batch === undefined ? runWhole(db, step, effect, checksum, options) : runBatches(db, step, effect, checksum, options);
}

async function runWhole(
  db: Db,
  step: PlanStep,
  effect: DataChangeEffect,
  checksum: string,
  options: DataChangeRunOptions,
): Promise<DataChangeRunResult> {
  const { sql } = step;
  return transaction(db, async () => {
    await db.exec(options.timeoutSql);
    await options.beforeStatement?.();
    const started = performance.now();
    let rows = 0;
    // One statement: its row count. Several (`script`, known from the file when it was loaded): run as a script, rows unknown (recorded as 0).
    if (effect.script === true) await db.exec(sql);
    else rows = (await db.query(sql)).rowCount;
    const ms = performance.now() - started;
    if (options.record !== undefined) {
      await recordDataChangeStart(db, effect.id, checksum, options.record);
      await recordDataChangeApplied(db, effect.id, rows, ms);
    }
    await options.beforeCommit?.();
    return { rows, batches: 1, alreadyApplied: false };
  });
}

/**
 * The query for the bounds of a batch: the lowest and highest of the first `size` keys (`after`:
 * of those greater than `$1`, the last batch's highest key). The table and key are quoted.
 *
 * @example
 * batchBoundsSql({ table: { schema: 'public', name: 't' }, key: 'id', size: 100 }, false)
 * // 'SELECT min(k)::text AS lo, max(k)::text AS hi FROM (SELECT "id" AS k FROM "public"."t" ORDER BY "id" LIMIT 100) s'
 */
export function batchBoundsSql(batch: NonNullable<DataChangeEffect['batch']>, after: boolean): string {
  const table = qualify(batch.table);
  const key = quoteIdent(batch.key);
  const size = Math.max(1, Math.floor(batch.size));
  const where = after ? ` WHERE ${key} > $1` : '';
  return `SELECT min(k)::text AS lo, max(k)::text AS hi FROM (SELECT ${key} AS k FROM ${table}${where} ORDER BY ${key} LIMIT ${size}) s`;
}

async function runBatches(
  db: Db,
  step: PlanStep,
  effect: DataChangeEffect,
  checksum: string,
  options: DataChangeRunOptions,
): Promise<DataChangeRunResult> {
  const batch = effect.batch!;
  const first = batchBoundsSql(batch, false);
  const next = batchBoundsSql(batch, true);
  const record = options.record;
  let progress: BatchProgress = { batches: 0, rows: 0, lastKey: null };
  if (record !== undefined) {
    await transaction(db, async () => {
      await recordDataChangeStart(db, effect.id, checksum, record);
      const known = await readDataChange(db, effect.id, true);
      if (known !== undefined) progress = { batches: known.batches, rows: known.rowsAffected, lastKey: known.lastKey };
    });
  }
  for (;;) {
    const done = await transaction(db, async (): Promise<true | BatchProgress> => {
      await db.exec(options.timeoutSql);
      // The ledger's word on where to go on, read under the row's lock in this batch's transaction.
      if (record !== undefined) {
        const known = await readDataChange(db, effect.id, true);
        if (known !== undefined) progress = { batches: known.batches, rows: known.rowsAffected, lastKey: known.lastKey };
      }
      const bounds = (
        await db.query<{ lo: string | null; hi: string | null }>(
          progress.lastKey === null ? first : next,
          progress.lastKey === null ? [] : [progress.lastKey],
        )
      ).rows[0];
      if (bounds?.lo === null || bounds?.lo === undefined || bounds.hi === null) {
        if (record !== undefined) await recordDataChangeApplied(db, effect.id, 0, 0);
        await options.beforeCommit?.();
        return true;
      }
      await options.beforeStatement?.();
      const started = performance.now();
      const rows = (await db.query(step.sql, [bounds.lo, bounds.hi])).rowCount;
      const ms = performance.now() - started;
      if (record !== undefined) await recordDataChangeBatch(db, effect.id, bounds.hi, rows, ms);
      return { batches: progress.batches + 1, rows: progress.rows + rows, lastKey: bounds.hi };
    });
    if (done === true) return { rows: progress.rows, batches: progress.batches, alreadyApplied: false };
    // Committed: only now is the batch's progress the run's (a failed commit leaves it as it was).
    progress = done;
    options.onBatch?.(progress);
  }
}
