/** The planner: changes → ordered steps with hazards; renderers; plan files. */
export { buildPlan, planHazardKinds, PLAN_FORMAT_VERSION } from './build-plan.js';
export type { LiveInput, Plan, PlanOptions, PlanStep } from './build-plan.js';
export { HAZARD_KINDS, HAZARD_MEANING, isHazardKind } from './hazards.js';
export type { Hazard, HazardKind } from './hazards.js';
export { DEFAULT_TIMEOUTS, PlanError } from './plan-context.js';
export type { PlanTimeouts, TableStats } from './plan-context.js';
export { planCounts, renderJson, renderSql, renderSummary } from './render.js';
export {
  newPlanDocument,
  PLAN_FILE_FORMAT,
  PlanFileError,
  planChecksum,
  planSlug,
  readPlanFile,
  renderPlanFile,
  withApproval,
  writePlanFile,
} from './plan-file.js';
export type { PlanApproval, PlanDocument } from './plan-file.js';
