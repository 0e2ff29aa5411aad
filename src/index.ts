/**
 * pgreconcile's library API: everything the CLI does is a function here.
 *
 * @example
 * import { openDatabase, loadDesiredState, planDatabase, renderSummary } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * const desired = await loadDesiredState('schema.yaml');
 * const { plan } = await planDatabase(db, desired);
 * console.log(renderSummary(plan));
 */
import type { Db } from './db/db.js';
import { diffSchemas } from './diff/index.js';
import type { Change } from './diff/changes.js';
import { introspect, type LiveSchema } from './introspect/index.js';
import type { DesiredState } from './model/types.js';
import { buildPlan, type Plan, type PlanOptions } from './plan/build-plan.js';
import { initParser } from './sql/parser.js';
import { withoutDefaultOpclasses } from './model/normalize.js';

export * from './model/index.js';
export * from './plan/index.js';
export { diffSchemas } from './diff/index.js';
export type { Change, ChangeKind } from './diff/changes.js';
export { introspect, matchesIgnore } from './introspect/index.js';
export type { IntrospectOptions, LiveSchema } from './introspect/index.js';
export { loadDesiredState, validateFile, formatDiagnostic, DesiredStateError } from './desired/index.js';
export type { Diagnostic } from './desired/index.js';
export { executePlan, StepFailedError, transactionGroups } from './apply/execute.js';
export { openDatabase, describeTarget, connectPostgres, openPglite, redactUrl } from './db/index.js';
export type { Db } from './db/db.js';
export { initParser } from './sql/parser.js';
export { toolVersion } from './version.js';

/**
 * The desired state in the live catalog's canonical form: what only the catalog knows (which
 * operator class is a type's default) applied to the file's model.
 */
export function canonicalDesired(desired: DesiredState, live: LiveSchema): DesiredState {
  const model = withoutDefaultOpclasses(desired.model, live.defaultOpclasses);
  return model === desired.model ? desired : { ...desired, model };
}

export interface DatabasePlan {
  readonly plan: Plan;
  readonly live: LiveSchema;
  readonly changes: readonly Change[];
}

/**
 * Introspects the database and plans the way to the desired state.
 *
 * @example
 * const { plan } = await planDatabase(db, await loadDesiredState('schema.yaml'));
 * if (plan.steps.length === 0) console.log('in sync');
 */
export async function planDatabase(db: Db, desired: DesiredState, options: PlanOptions = {}): Promise<DatabasePlan> {
  await initParser();
  const live = await introspect(db, { ignore: desired.ignore });
  const target = canonicalDesired(desired, live);
  const changes = diffSchemas(target, live.model);
  const plan = buildPlan(target, { model: live.model, stats: live.stats, serverVersion: live.serverVersion }, changes, options);
  return { plan, live, changes };
}
