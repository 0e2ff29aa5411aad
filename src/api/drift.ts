/**
 * The `drift` flow: the live database against the state the ledger last recorded (drifted:
 * changed outside pgreconcile), and the desired state against that same state (pending:
 * declared, not applied yet).
 */
import type { Db } from '../db/db.js';
import { driftOfDatabase, type DriftReport } from '../drift/check-drift.js';
import { recordDriftCheck } from '../drift/drift-record.js';
import type { DesiredState } from '../model/types.js';

export interface DriftFlowOptions {
  readonly db: Db;
  /** The desired state: without it only drift is reported, nothing pending. */
  readonly desired?: DesiredState;
  /** The desired-state file's name, as the report shows it. */
  readonly schema?: string;
  /** Store the check in the ledger (`pgreconcile.drift_checks`). */
  readonly record?: boolean;
  /** The check's time (default now). */
  readonly now?: () => Date;
  /** The judge's cache folder, as `plan` uses it (`.pgreconcile/cache`); without it nothing is cached. */
  readonly cacheDir?: string;
}

/**
 * Checks for drift: what changed in the database outside pgreconcile since the last recorded
 * version (`drifted`), and what the desired state declares that this version does not have yet
 * (`pending`). Reads only; with `record`, stores the check.
 *
 * @example
 * import { drift, loadDesiredState, openDatabase, DRIFT_EXIT } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const report = await drift({ db, desired: await loadDesiredState('schema.yaml'), schema: 'schema.yaml' });
 *   console.log(report.state, report.drifted.length, DRIFT_EXIT[report.state]);
 * } finally {
 *   await db.close();
 * }
 */
export async function drift(options: DriftFlowOptions): Promise<DriftReport> {
  const report = await driftOfDatabase(options.db, options.desired, {
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  });
  if (options.record === true) await recordDriftCheck(options.db, report);
  return report;
}
