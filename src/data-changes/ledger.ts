/**
 * The ledger's record of data changes (`pgreconcile.data_changes`, ledger format 5): which ran,
 * with what checksum, who ran them, when, how many rows and how long; and, for a batched one
 * under way, its last committed batch. Reads answer "none" where there is no ledger yet.
 */
import type { Db } from '../db/db.js';
import { whoAmI } from '../ledger/ledger-store.js';
import { toolVersion } from '../version.js';
import type { AppliedDataChange, DataChange } from './model.js';

interface Row {
  id: string;
  checksum: string;
  status: 'running' | 'applied';
  version: string | null;
  rows_affected: string;
  batches: number;
  last_key: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: string | null;
  db_user: string;
  os_user: string | null;
  host: string | null;
}

const COLUMNS = `id, checksum, status, version, rows_affected::text AS rows_affected, batches, last_key,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at,
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_at,
  duration_ms::text AS duration_ms, db_user, os_user, host`;

function fromRow(r: Row): AppliedDataChange {
  return {
    id: r.id,
    checksum: r.checksum,
    status: r.status,
    version: r.version,
    rowsAffected: Number(r.rows_affected),
    batches: r.batches,
    lastKey: r.last_key,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    dbUser: r.db_user,
    osUser: r.os_user,
    host: r.host,
  };
}

/** Whether the ledger has its data_changes table (format 5 or later). */
export async function hasDataChangeLedger(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('pgreconcile.data_changes') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/** Every data change the ledger records, oldest first; none without a ledger. */
export async function listDataChanges(db: Db): Promise<AppliedDataChange[]> {
  if (!(await hasDataChangeLedger(db))) return [];
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM pgreconcile.data_changes ORDER BY started_at, id`);
  return rows.map(fromRow);
}

/** One data change's record, read in the current transaction (`lock`: FOR UPDATE). */
export async function readDataChange(db: Db, id: string, lock = false): Promise<AppliedDataChange | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM pgreconcile.data_changes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** A data change already applied whose SQL changed since: refused, like an edited migration. */
export class DataChangeEditedError extends Error {
  override readonly name = 'DataChangeEditedError';
  constructor(
    readonly id: string,
    readonly recorded: AppliedDataChange,
    readonly checksum: string,
  ) {
    super(
      `data change "${id}" was ${recorded.status === 'applied' ? 'applied' : 'begun'} on ${recorded.startedAt}` +
        `${recorded.version !== null ? ` (version ${recorded.version})` : ''} with checksum ${recorded.checksum}, but its SQL has changed since (now ${checksum}): ` +
        'a data change runs once per database and is never edited; restore its SQL, or give the new SQL a new id',
    );
  }
}

/**
 * The data changes of the desired state that the ledger does not record as applied (a batched
 * one begun and interrupted is pending: it goes on from its last batch). Throws
 * `DataChangeEditedError` for the first recorded one whose checksum differs.
 */
export function pendingDataChanges(desired: readonly DataChange[], recorded: readonly AppliedDataChange[]): DataChange[] {
  const byId = new Map(recorded.map((r) => [r.id, r]));
  const pending: DataChange[] = [];
  for (const change of desired) {
    const r = byId.get(change.id);
    if (r !== undefined && r.checksum !== change.checksum) throw new DataChangeEditedError(change.id, r, change.checksum);
    if (r?.status !== 'applied') pending.push(change);
  }
  return pending;
}

/** Where a run is recorded: the version and ledger row it runs under. */
export interface DataChangeRunRecord {
  readonly version?: string;
  readonly ledgerId?: number;
}

/** Starts (or finds) a data change's row as `running`, in the current transaction. */
export async function recordDataChangeStart(db: Db, id: string, checksum: string, run: DataChangeRunRecord): Promise<void> {
  const who = whoAmI();
  await db.query(
    `INSERT INTO pgreconcile.data_changes (id, checksum, status, version, ledger_id, os_user, host, tool_version)
     VALUES ($1, $2, 'running', $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [id, checksum, run.version ?? null, run.ledgerId ?? null, who.osUser, who.host, toolVersion()],
  );
}

/** A committed batch: its last key, rows and duration added, in the batch's own transaction. */
export async function recordDataChangeBatch(db: Db, id: string, lastKey: string, rows: number, ms: number): Promise<void> {
  await db.query(
    `UPDATE pgreconcile.data_changes SET last_key = $2, rows_affected = rows_affected + $3, batches = batches + 1,
            duration_ms = coalesce(duration_ms, 0) + $4 WHERE id = $1`,
    [id, lastKey, rows, Math.round(ms)],
  );
}

/** The data change done: applied, with its rows and duration added (in the transaction of its last statement). */
export async function recordDataChangeApplied(db: Db, id: string, rows: number, ms: number): Promise<void> {
  await db.query(
    `UPDATE pgreconcile.data_changes SET status = 'applied', rows_affected = rows_affected + $2,
            duration_ms = coalesce(duration_ms, 0) + $3, finished_at = clock_timestamp() WHERE id = $1`,
    [id, rows, Math.round(ms)],
  );
}
