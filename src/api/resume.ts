/** The `resume` flow: a failed or interrupted apply continued (see src/apply/resume.ts). */
import { resumeApply, type ResumeEvent, type ResumeOutcome } from '../apply/resume.js';
import type { Db } from '../db/db.js';
import type { DesiredState } from '../model/types.js';
import type { PlanDocument } from '../plan/plan-file.js';
import { executionOf, type ExecutionOptions } from './apply.js';

export interface ResumeFlowOptions extends ExecutionOptions {
  readonly db: Db;
  /** The plan to resume, from its file: the plan the failed or interrupted attempt applied. Without it the resume is refused (`plan_required`). */
  readonly doc?: PlanDocument;
  /** The desired state to verify against when neither the plan nor the ledger row records one. */
  readonly desired?: DesiredState;
  readonly onEvent?: (event: ResumeEvent) => void;
}

/**
 * Resumes the failed or interrupted apply of `doc`'s plan: under the deployment lock, settles a
 * step that may have run unrecorded, runs the steps left, and verifies with a re-plan. A step
 * that succeeded never runs twice.
 *
 * @example
 * import { openDatabase, readPlanFile, resume } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const outcome = await resume({ db, doc: await readPlanFile('.pgreconcile/plans/20261121T201500Z_add-index.plan.yaml') });
 *   if (outcome.kind === 'applied') console.log(`resumed: ${outcome.stepsApplied}/${outcome.stepsTotal} steps`);
 * } finally {
 *   await db.close();
 * }
 */
export async function resume(options: ResumeFlowOptions): Promise<ResumeOutcome> {
  return resumeApply(options.db, {
    ...executionOf(options),
    ...(options.doc !== undefined ? { doc: options.doc } : {}),
    ...(options.desired !== undefined ? { desired: options.desired } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
  });
}
