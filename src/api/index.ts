/**
 * The application layer: the flows a library user (and the CLI) runs, with typed options and
 * structured results. They print nothing and never exit; src/cli prints their results and maps
 * them to exit codes.
 *
 * - `plan`: the desired state planned against a database (rehearsed, written as a plan file).
 * - `apply`: lock → plan → gate → rehearse → approve → apply, with the ledger and a verifying re-plan.
 * - `applyPlan`: a reviewed plan document applied (gate → rehearse → apply).
 * - `resume`: a failed or interrupted apply continued.
 * - `rollback`: back to the desired state an applied version recorded, through the apply flow.
 * - `drift`: the live database against the ledger's last recorded state and the desired state.
 */
export { plan } from './plan.js';
export type { DesiredSource, PlanCoverage, PlanFlowOptions, PlanResult } from './plan.js';
export { apply, applyPlan, executionOf, APPLIED_PLANS_DIR } from './apply.js';
export type { ApplyFlowOptions, ApplyFlowResult, ApplyPlanOptions, ApprovalRequest, ExecutionOptions, FlowEvent } from './apply.js';
export { rollback } from './rollback.js';
export type { RollbackFlowOptions, RollbackFlowResult } from './rollback.js';
export { resume } from './resume.js';
export type { ResumeFlowOptions } from './resume.js';
export { drift } from './drift.js';
export type { DriftFlowOptions } from './drift.js';
export { rehearseFor } from './rehearse.js';
export type { RehearsalEvent, RehearsalResult, RehearseFlowOptions } from './rehearse.js';
