/**
 * `baseline`: the adoption path. Records the live state of an existing database as a version
 * without executing anything (kind `baseline`, with the desired snapshot and the live
 * fingerprint), under the deployment lock.
 */
import type { Db } from '../db/db.js';
import { ensureLedger } from '../ledger/ledger-schema.js';
import { recordBaseline } from '../ledger/ledger-store.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/build-plan.js';
import { compactTimestamp } from '../plan/plan-file.js';
import { planDatabase } from '../plan-database.js';
import { acquireDeploymentLock, type DeploymentLock, type LockHolder } from './deployment-lock.js';

export interface BaselineOptions {
  /** Record the version even though the database differs from the desired state. */
  readonly force?: boolean;
  readonly lockWaitMs?: number;
  readonly onLockWait?: (holders: readonly LockHolder[]) => void;
  /** A deployment lock the caller already holds. */
  readonly lock?: DeploymentLock;
  readonly now?: Date;
}

export type BaselineOutcome =
  | {
      readonly kind: 'recorded';
      readonly version: string;
      readonly ledgerId: number;
      readonly fingerprint: string;
      /** The plan against the desired state at that moment (empty unless forced). */
      readonly pending: Plan;
    }
  | { readonly kind: 'refused'; readonly reason: 'pending'; readonly pending: Plan };

/**
 * Records the database as it is as a baseline version. Refused when a plan against the desired
 * state is not empty (the ledger would claim a state the database is not in), unless `force`.
 *
 * @example
 * const outcome = await baselineDatabase(db, await loadDesiredState('schema.yaml'));
 * if (outcome.kind === 'recorded') console.log(`recorded ${outcome.version}`);
 */
export async function baselineDatabase(db: Db, desired: DesiredState, options: BaselineOptions = {}): Promise<BaselineOutcome> {
  const lock =
    options.lock ??
    (await acquireDeploymentLock(db, {
      ...(options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {}),
      ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
    }));
  try {
    const { plan } = await planDatabase(db, desired, { liveRead: {} });
    if (plan.steps.length > 0 && !options.force) return { kind: 'refused', reason: 'pending', pending: plan };
    await ensureLedger(db);
    const version = `${compactTimestamp(options.now ?? new Date())}_baseline`;
    const ledgerId = await recordBaseline(
      db,
      {
        version,
        desiredHash: plan.desiredHash,
        fingerprintBefore: plan.liveFingerprint,
        desired,
        database: db.description,
      },
      plan.steps.length,
    );
    return { kind: 'recorded', version, ledgerId, fingerprint: plan.liveFingerprint, pending: plan };
  } finally {
    if (!options.lock) await lock.release().catch(() => undefined);
  }
}
