/**
 * The `rollback` flow: under the deployment lock, the way back to the desired state an applied
 * version recorded, planned, shown, gated, rehearsed, approved and applied as `apply` does, and
 * recorded as a new version of kind `rollback`.
 */
import { liveReadOptions } from '../apply/apply-plan.js';
import { planRollback, type RollbackPlan } from '../apply/rollback.js';
import type { LedgerVersion } from '../ledger/ledger-store.js';
import { confirmAndApply, underDeploymentLock, type ApplyFlowOptions, type ApplyFlowResult } from './apply.js';

export interface RollbackFlowOptions extends Omit<ApplyFlowOptions, 'desired'> {
  /** The version to return to: a plan id, or a unique prefix of one (default: the one before the newest applied). */
  readonly to?: string;
}

/** What a rollback did: an apply flow's result, with the version it returned to (or found the database at). */
export type RollbackFlowResult = ApplyFlowResult & { readonly target: LedgerVersion };

/**
 * Rolls back: takes the deployment lock, plans the way back to the desired state the target
 * version recorded (`planRollback`), and when the plan is not empty takes it through the apply
 * flow (`planned` event, hazard gate, rehearsal, approval, kept plan file, apply, verification).
 * A `RollbackError` when no version can be returned to.
 *
 * @example
 * import { openDatabase, rollback } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const result = await rollback({ db, approve: true, allowHazards: ['deletes_data'] });
 *   console.log(result.kind, result.target.version);
 * } finally {
 *   await db.close();
 * }
 */
export async function rollback(options: RollbackFlowOptions): Promise<RollbackFlowResult> {
  const { db } = options;
  const emit = options.onEvent ?? (() => undefined);
  return underDeploymentLock(db, options, emit, async (lock) => {
    const r: RollbackPlan = await planRollback(db, {
      ...(options.to !== undefined ? { to: options.to } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...liveReadOptions(options),
    });
    if (r.plan.steps.length === 0) return { kind: 'nothing_to_do', doc: r.doc, target: r.target };
    emit({ kind: 'rollback_planned', doc: r.doc, target: r.target });
    return { ...(await confirmAndApply(options, { doc: r.doc, desired: r.desired, lock }, emit)), target: r.target };
  });
}
