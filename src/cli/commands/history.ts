import { deploymentLockHolders } from '../../apply/deployment-lock.js';
import { describeVersionKind } from '../../apply/rollback.js';
import type { Db } from '../../db/db.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { describeWho, listVersions, versionToJson, type LedgerVersion } from '../../ledger/ledger-store.js';
import type { ParsedArgs } from '../args.js';
import { listDataChanges } from '../../data-changes/ledger.js';
import type { AppliedDataChange } from '../../data-changes/model.js';
import { printable } from '../../model/sql-names.js';
import type { Io } from '../io.js';
import { DONE_EXIT } from '../exit-codes.js';
import type { historySpec } from '../specs.js';

function duration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function shortChecksum(checksum: string | undefined): string {
  if (checksum === undefined) return '-';
  return checksum.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1…');
}

/**
 * What a `running` row is, in words: the apply under way (`live`: an apply holds the deployment
 * lock and this is the newest running row), or one whose process died.
 *
 * @example
 * runningNote(false) // 'interrupted: its deployment lock is free (pgreconcile apply --resume PLANFILE continues it)'
 */
export function runningNote(live: boolean): string {
  return live
    ? 'running: an apply holds the deployment lock'
    : 'interrupted: its deployment lock is free (pgreconcile apply --resume PLANFILE continues it)';
}

/** Whether an apply holds the deployment lock now (asked only when some row is `running`). */
export async function applyUnderWay(db: Db, versions: readonly LedgerVersion[]): Promise<boolean> {
  return versions.some((v) => v.status === 'running') && (await deploymentLockHolders(db)).length > 0;
}

/**
 * The versions as a table people read, newest first; a failed version gets a second line with
 * the failing step and error, an applied one whose re-plan was not empty a note, a running one
 * whether it runs or was interrupted (`lockHeld`: an apply holds the deployment lock).
 */
export function renderHistory(versions: readonly LedgerVersion[], lockHeld = false): string {
  if (versions.length === 0) return 'No versions recorded yet.\n';
  const header = ['VERSION', 'KIND', 'STATUS', 'STEPS', 'STARTED', 'DURATION', 'WHO', 'CHECKSUM'];
  const rows = versions.map((v) => [
    v.version,
    describeVersionKind(v),
    v.status,
    `${v.stepsApplied}/${v.stepsTotal}`,
    v.startedAt,
    duration(v.durationMs),
    describeWho(v),
    shortChecksum(v.planChecksum),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header)];
  versions.forEach((v, i) => {
    out.push(line(rows[i]!));
    if (v.status === 'failed') {
      out.push(`  ✗ ${(v.error ?? `failed at step ${v.failedStep ?? '?'}`).split('\n')[0]}`);
    } else if (v.status === 'running') {
      out.push(`  … ${runningNote(lockHeld && v === versions.find((r) => r.status === 'running'))}`);
    } else if (v.error !== undefined) out.push(`  ! ${v.error.split('\n')[0]}`);
  });
  return `${out.join('\n')}\n`;
}

/** The data changes the ledger records (src/data-changes/), as a table people read; empty when there are none. */
export function renderDataChanges(changes: readonly AppliedDataChange[]): string {
  if (changes.length === 0) return '';
  const header = ['DATA CHANGE', 'STATUS', 'ROWS', 'BATCHES', 'STARTED', 'DURATION', 'WHO', 'VERSION', 'CHECKSUM'];
  const rows = changes.map((d) => [
    printable(d.id),
    d.status === 'running' ? `running (batches up to ${printable(d.lastKey ?? '-')})` : d.status,
    String(d.rowsAffected),
    String(d.batches),
    d.startedAt,
    duration(d.durationMs ?? undefined),
    `${d.dbUser}${d.osUser !== null ? ` (${d.osUser}${d.host !== null ? `@${d.host}` : ''})` : ''}`,
    d.version ?? '-',
    shortChecksum(d.checksum),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A data change record for `history --json`: snake_case keys. */
export function dataChangeToJson(d: AppliedDataChange): Record<string, unknown> {
  return {
    id: d.id,
    checksum: d.checksum,
    status: d.status,
    version: d.version,
    rows_affected: d.rowsAffected,
    batches: d.batches,
    last_key: d.lastKey,
    started_at: d.startedAt,
    finished_at: d.finishedAt,
    duration_ms: d.durationMs,
    db_user: d.dbUser,
    os_user: d.osUser,
    host: d.host,
  };
}

export async function runHistory(args: ParsedArgs<typeof historySpec>, io: Io): Promise<number> {
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const versions = await listVersions(db);
    const dataChanges = await listDataChanges(db);
    if (args.values['json'])
      io.out(
        `${JSON.stringify({ versions: versions.map(versionToJson), ...(dataChanges.length > 0 ? { data_changes: dataChanges.map(dataChangeToJson) } : {}) }, null, 2)}\n`,
      );
    else io.out(renderHistory(versions, await applyUnderWay(db, versions)) + renderDataChanges(dataChanges));
    return DONE_EXIT.done;
  } finally {
    await db.close();
  }
}
