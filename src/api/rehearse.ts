/**
 * The rehearsal step of the flows (`plan` and `apply` with `rehearse`): the plan run on a scratch
 * copy of the target's schema first. Its code is loaded only when a rehearsal runs.
 */
import type { Db } from '../db/db.js';
import type { LiveSchema } from '../introspect/index.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/build-plan.js';
import type { Rehearsal } from '../plan/rehearsal-record.js';

/** How to rehearse: the presence of the option object asks for a rehearsal. */
export interface RehearseFlowOptions {
  /** Copy up to this many rows of each table into the scratch copy (default: the schema only). */
  readonly rows?: number;
  /** The pg_dump to copy the schema with (default: found on PATH or in /usr/lib/postgresql/*\/bin). */
  readonly pgDump?: string;
}

/** A rehearsal that ran, and when it failed, why in a sentence. */
export interface RehearsalResult {
  readonly rehearsal: Rehearsal;
  /** The rehearsal's report as text (`renderRehearsal`): timings, convergence, what it checked and what it could not. */
  readonly report: string;
  /** Absent when the rehearsal succeeded. */
  readonly failure?: string;
}

/** What a rehearsal reports before it runs. */
export type RehearsalEvent =
  /** The plan is empty: nothing was rehearsed. */
  { readonly kind: 'rehearsal_skipped' } | { readonly kind: 'rehearsing'; readonly rows?: number };

/**
 * Rehearses `plan` on a scratch copy of `db`'s schema; undefined (after a `rehearsal_skipped`
 * event) when the plan is empty.
 *
 * @example
 * const r = await rehearseFor(db, plan, desired, { rows: 1000 });
 * if (r?.failure !== undefined) console.error(r.failure);
 */
export async function rehearseFor(
  db: Db,
  plan: Plan,
  desired: DesiredState,
  options: RehearseFlowOptions,
  onEvent: (event: RehearsalEvent) => void = () => undefined,
  live?: LiveSchema,
): Promise<RehearsalResult | undefined> {
  if (plan.steps.length === 0) {
    onEvent({ kind: 'rehearsal_skipped' });
    return undefined;
  }
  const { describeFailedRehearsal, rehearsePlan, renderRehearsal } = await import('../apply/rehearse.js');
  onEvent({ kind: 'rehearsing', ...(options.rows !== undefined ? { rows: options.rows } : {}) });
  const rehearsal = await rehearsePlan(db, plan, desired, {
    ...(live !== undefined ? { live } : {}),
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.pgDump !== undefined ? { pgDump: options.pgDump } : {}),
  });
  return {
    rehearsal,
    report: renderRehearsal(rehearsal, plan),
    ...(rehearsal.ok ? {} : { failure: describeFailedRehearsal(rehearsal, plan) }),
  };
}
