/**
 * `status`: where the database stands — the current version, the last attempt, and whether the
 * declared state has pending changes — as one value a health check can act on.
 */
import type { Db } from '../db/db.js';
import { ledgerFormatVersion, ledgerWriters, type LedgerWriter } from '../ledger/ledger-schema.js';
import { isCompleted, listVersions, type LedgerVersion } from '../ledger/ledger-store.js';
import type { DesiredState } from '../model/types.js';
import { planDatabase } from '../plan-database.js';
import type { Plan } from '../plan/build-plan.js';

/** The verdict, most serious first: what a health check keys on. */
export type Health = 'no_ledger' | 'last_failed' | 'running' | 'last_mismatch' | 'pending' | 'up_to_date';

export interface DatabaseStatus {
  readonly health: Health;
  /** The ledger's format version; undefined when there is no ledger yet. */
  readonly ledgerFormat?: number;
  /** The newest applied (or baseline) version. */
  readonly current?: LedgerVersion;
  /** The newest row of any status (the last attempt). */
  readonly last?: LedgerVersion;
  /** The plan against the desired state, when one was given. */
  readonly pending?: Plan;
  /** The role asking (current_user). */
  readonly role: string;
  /** Roles other than `role` that can change the ledger (empty when it is private to `role`). */
  readonly ledgerWriters: readonly LedgerWriter[];
}

/**
 * The database's status against the ledger and, when given, the desired state.
 *
 * @example
 * const s = await databaseStatus(db, await loadDesiredState('schema.yaml'));
 * s.health  // 'up_to_date' | 'pending' | 'last_mismatch' | 'last_failed' | 'running' | 'no_ledger'
 */
export async function databaseStatus(db: Db, desired?: DesiredState): Promise<DatabaseStatus> {
  const ledgerFormat = await ledgerFormatVersion(db);
  const versions = ledgerFormat === undefined ? [] : await listVersions(db);
  const current = versions.find((v) => isCompleted(v.status));
  const last = versions[0];
  const pending = desired === undefined ? undefined : (await planDatabase(db, desired, { liveRead: {} })).plan;
  const role = (await db.query<{ role: string }>('SELECT current_user::text AS role')).rows[0]?.role ?? '';
  const writers = ledgerFormat === undefined ? [] : await ledgerWriters(db);
  const health: Health =
    ledgerFormat === undefined || last === undefined
      ? 'no_ledger'
      : last.status === 'failed'
        ? 'last_failed'
        : last.status === 'running'
          ? 'running'
          : last.status === 'mismatch'
            ? 'last_mismatch'
            : pending !== undefined && pending.steps.length > 0
              ? 'pending'
              : 'up_to_date';
  return {
    health,
    ...(ledgerFormat !== undefined ? { ledgerFormat } : {}),
    ...(current ? { current } : {}),
    ...(last ? { last } : {}),
    ...(pending ? { pending } : {}),
    role,
    ledgerWriters: writers,
  };
}
