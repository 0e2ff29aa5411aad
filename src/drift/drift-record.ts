/**
 * Recorded drift checks (`drift --record`, listed by `drift --history`): table
 * `pgreconcile.drift_checks`, created by ledger upgrade 2.
 */
import type { Db } from '../db/db.js';
import { ensureLedger, ledgerFormatVersion } from '../ledger/ledger-schema.js';
import { toolVersion } from '../version.js';
import type { DriftReport, DriftState } from './check-drift.js';

/** One recorded check, as read back. */
export interface RecordedCheck {
  readonly id: number;
  readonly checkedAt: string;
  readonly state: DriftState;
  readonly pending: number;
  readonly drifted: number;
  readonly digest: string;
  readonly lastVersion?: string;
  readonly error?: string;
}

/**
 * Stores one check (creating or upgrading the ledger first when needed).
 *
 * @example await recordDriftCheck(db, report)
 */
export async function recordDriftCheck(db: Db, report: DriftReport): Promise<void> {
  await ensureLedger(db);
  await db.query(
    `INSERT INTO pgreconcile.drift_checks (checked_at, state, pending_count, drifted_count, digest, last_version, error, tool_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      report.checkedAt,
      report.state,
      report.pending.length,
      report.drifted.length,
      report.digest,
      report.lastVersion?.version ?? null,
      report.error ?? null,
      toolVersion(),
    ],
  );
}

interface CheckRow {
  readonly id: string;
  readonly checked_at: string;
  readonly state: DriftState;
  readonly pending_count: number;
  readonly drifted_count: number;
  readonly digest: string;
  readonly last_version: string | null;
  readonly error: string | null;
}

/**
 * Recorded checks, newest first; empty when none were recorded.
 *
 * @example for (const c of await listDriftChecks(db, { limit: 20 })) console.log(c.checkedAt, c.state);
 */
export async function listDriftChecks(db: Db, options: { readonly limit?: number } = {}): Promise<RecordedCheck[]> {
  const format = await ledgerFormatVersion(db);
  if (format === undefined || format < 2) return [];
  const limit = Math.max(1, Math.floor(options.limit ?? 50));
  const { rows } = await db.query<CheckRow>(
    `SELECT id::text AS id, to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS checked_at, state,
            pending_count, drifted_count, digest, last_version, error
       FROM pgreconcile.drift_checks ORDER BY checked_at DESC, id DESC LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    checkedAt: r.checked_at,
    state: r.state,
    pending: r.pending_count,
    drifted: r.drifted_count,
    digest: r.digest,
    ...(r.last_version !== null ? { lastVersion: r.last_version } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
  }));
}
