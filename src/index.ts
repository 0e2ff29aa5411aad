/**
 * pgreconcile's library API: everything the CLI does is a function here. The flows (`plan`,
 * `apply`, `applyPlan`, `resume`, `rollback`, `drift`; src/api) take one typed option object and
 * return what happened as data; the building blocks below them (`planDatabase`, the one planning
 * entry point, `applyPlanDocument`, `introspect`, …) are exported too.
 *
 * @example
 * import { apply, loadDesiredState, openDatabase, plan, renderSummary } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const planned = await plan({ db, schema: 'schema.yaml' });
 *   console.log(renderSummary(planned.plan));
 *   const result = await apply({ db, desired: planned.desired, approve: true, allowHazards: [] });
 *   if (result.kind === 'refused') console.error(result.reason);
 * } finally {
 *   await db.close();
 * }
 */
export * from './api/index.js';
export * from './model/index.js';
export * from './plan/index.js';
export { diffSchemas } from './diff/index.js';
export type { Change, ChangeKind } from './diff/changes.js';
export { findUnmanagedObjects, introspect, matchesIgnore, unmanagedLabel } from './introspect/index.js';
export type { IntrospectOptions, LiveSchema, UnmanagedObject } from './introspect/index.js';
export { loadDesiredState, validateFile, formatDiagnostic, DesiredStateError } from './desired/index.js';
export type { Diagnostic } from './desired/index.js';
export * from './apply/index.js';
export type { DeletedData, EnumRowsColumn } from './plan/step-draft.js';
export * from './ledger/index.js';
export { decodeDesiredState, encodeDesiredState, planDesiredState } from './plan/plan-file.js';
export type { PlanDocumentExtras } from './plan/plan-file.js';
export { openDatabase, describeTarget, connectPostgres, openPglite, redactUrl } from './db/index.js';
export type { Db } from './db/db.js';
export { initParser } from './sql/parser.js';
export { toolVersion } from './version.js';

export { canonicalDesired, planDatabase } from './plan-database.js';
export type { DatabasePlan, PlanDatabaseOptions } from './plan-database.js';

export { modelToYaml, pullSchema, findUnsupportedObjects, SCHEMA_COMMENT } from './pull/index.js';
export type { ModelToYamlOptions, PulledYaml, PullOptions, UnsupportedObject } from './pull/index.js';
export { importSql, importSqlFile, ImportError } from './import/index.js';
export type { ImportOptions } from './import/index.js';

export {
  checkDrift,
  driftOfDatabase,
  driftReportJson,
  renderDriftSummary,
  renderDriftMarkdown,
  DRIFT_EXIT,
  listDriftChecks,
  recordDriftCheck,
  compareSources,
  openSource,
  closeSource,
} from './drift/index.js';
export type { CheckDriftOptions, DriftReport, DriftState, DriftItem, RecordedCheck, Source } from './drift/index.js';
