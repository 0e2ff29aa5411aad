/**
 * The `apply` flows: a reviewed plan document applied (gate → rehearse → apply), or a plan made
 * now under the deployment lock (lock → plan → gate → rehearse → approve → keep the plan file →
 * apply). Both return what happened as data and print nothing; `src/cli` prints it.
 */
import { join } from 'node:path';
import { applyPlanDocument, liveReadOptions, type ApplyEvent, type ApplyOptions, type ApplyOutcome } from '../apply/apply-plan.js';
import { deploymentLockFor } from '../apply/apply-plan.js';
import type { DeploymentLock } from '../apply/deployment-lock.js';
import { checkHazards, type AllowedHazards, type MissingHazard } from '../apply/hazard-gate.js';
import { ledgerKindOf } from '../apply/rollback.js';
import type { Db } from '../db/db.js';
import type { LedgerVersion } from '../ledger/ledger-store.js';
import { objectFingerprints } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import { planDatabase } from '../plan-database.js';
import { planHazardKinds } from '../plan/build-plan.js';
import type { HazardKind } from '../plan/hazards.js';
import { newPlanDocument, writePlanFile, type PlanDocument } from '../plan/plan-file.js';
import type { Rehearsal } from '../plan/rehearsal-record.js';
import { rehearseFor, type RehearsalEvent, type RehearsalResult, type RehearseFlowOptions } from './rehearse.js';

/** Where `apply` and `rollback` keep the plans they made and applied themselves (for `apply --resume`), under the working folder. */
export const APPLIED_PLANS_DIR = join('.pgreconcile', 'plans');

/** How the steps run: allowed hazards, lock wait, timeouts, retries, backups. */
export interface ExecutionOptions {
  /** Hazard kinds this run may carry out (besides those a plan file's approval allows); `'all'` for every kind. */
  readonly allowHazards?: AllowedHazards;
  /** How long to wait for the deployment lock (default 60 s). */
  readonly lockWaitMs?: number;
  /** Override every step's lock_timeout / statement_timeout (ms). */
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
  /** Retries of a transaction after a lock timeout (default 5). */
  readonly retries?: number;
  /** First retry backoff (default 500 ms, doubling). */
  readonly retryDelayMs?: number;
  /** Backups of the data steps delete (default: on, under `.pgreconcile/backups/<version>/`, limit 1 GB). */
  readonly backup?: ApplyOptions['backup'];
}

/** What the flows report while they work: apply's events, the rehearsal's, and the plan made now. */
export type FlowEvent =
  | ApplyEvent
  | RehearsalEvent
  /** A plan was made under the lock (not empty): shown before the gate, the rehearsal and the approval. */
  | { readonly kind: 'planned'; readonly doc: PlanDocument }
  /** A rollback's plan was made (not empty), before its `planned` event: the version it returns to. */
  | { readonly kind: 'rollback_planned'; readonly doc: PlanDocument; readonly target: LedgerVersion }
  | { readonly kind: 'rehearsed'; readonly rehearsed: RehearsalResult };

/** What the approval callback is asked. */
export interface ApprovalRequest {
  readonly doc: PlanDocument;
  /** The database, as `db.description` says it. */
  readonly target: string;
  readonly hazards: readonly HazardKind[];
}

/** What an apply flow did. `ran`: the plan went to `applyPlanDocument`, whose outcome says what happened. */
export type ApplyFlowResult =
  | { readonly kind: 'nothing_to_do'; readonly doc: PlanDocument }
  | { readonly kind: 'refused'; readonly reason: 'hazards'; readonly doc: PlanDocument; readonly missing: readonly MissingHazard[] }
  | {
      readonly kind: 'refused';
      readonly reason: 'rehearsal';
      readonly doc: PlanDocument;
      readonly rehearsal: Rehearsal;
      readonly failure: string;
    }
  /** `asked`: false when there was nobody to ask (no `approve`, no `confirm`), true when the answer was no. */
  | { readonly kind: 'refused'; readonly reason: 'no_approval'; readonly doc: PlanDocument; readonly asked: boolean }
  | { readonly kind: 'ran'; readonly doc: PlanDocument; readonly outcome: ApplyOutcome; readonly planFile?: string };

export interface ApplyPlanOptions extends ExecutionOptions {
  readonly db: Db;
  /** The plan document (a plan file, as reviewed: `readPlanFile`). */
  readonly doc: PlanDocument;
  /** The desired state it was planned from (`planDesiredState(doc)` when the file records it). */
  readonly desired: DesiredState;
  /** Rehearse first on a scratch copy; a failed rehearsal refuses. */
  readonly rehearse?: RehearseFlowOptions;
  readonly onEvent?: (event: FlowEvent) => void;
}

export interface ApplyFlowOptions extends ExecutionOptions {
  readonly db: Db;
  /** The desired state to plan against now, under the lock. */
  readonly desired: DesiredState;
  /** Apply without asking. */
  readonly approve?: boolean;
  /** Asked for approval when `approve` is not set; without either the apply is refused (`no_approval`). */
  readonly confirm?: (request: ApprovalRequest) => Promise<boolean>;
  /** Rehearse first on a scratch copy (after the gate, before the approval); a failed rehearsal refuses. */
  readonly rehearse?: RehearseFlowOptions;
  /** The folder the approved plan is written to before it runs, the file `resume` takes (default `<cwd>/.pgreconcile/plans`). */
  readonly keepPlanIn?: string;
  /** The working folder for the defaults above (default the process's). */
  readonly cwd?: string;
  /** The plan's creation time (default now). */
  readonly now?: Date;
  readonly onEvent?: (event: FlowEvent) => void;
}

/**
 * The execution options that are set (an option left undefined keeps its default downstream).
 *
 * @example
 * await resumeApply(db, { ...executionOf(options), onEvent });
 */
export function executionOf(options: ExecutionOptions): ExecutionOptions {
  const out: { -readonly [K in keyof ExecutionOptions]: ExecutionOptions[K] } = {};
  if (options.allowHazards !== undefined) out.allowHazards = options.allowHazards;
  if (options.lockWaitMs !== undefined) out.lockWaitMs = options.lockWaitMs;
  if (options.lockTimeoutMs !== undefined) out.lockTimeoutMs = options.lockTimeoutMs;
  if (options.statementTimeoutMs !== undefined) out.statementTimeoutMs = options.statementTimeoutMs;
  if (options.retries !== undefined) out.retries = options.retries;
  if (options.retryDelayMs !== undefined) out.retryDelayMs = options.retryDelayMs;
  if (options.backup !== undefined) out.backup = options.backup;
  return out;
}

function applyOptionsOf(
  options: ExecutionOptions,
  desired: DesiredState,
  doc: PlanDocument,
  emit: (event: FlowEvent) => void,
): ApplyOptions {
  return { desired, ...ledgerKindOf(doc), ...executionOf(options), onEvent: emit };
}

/** The rehearsal before anything runs; the one a plan file records otherwise. */
async function rehearseFirst(
  db: Db,
  doc: PlanDocument,
  desired: DesiredState,
  rehearse: RehearseFlowOptions | undefined,
  emit: (event: FlowEvent) => void,
): Promise<
  | { readonly kind: 'refused'; readonly result: Extract<ApplyFlowResult, { readonly reason: 'rehearsal' }> }
  | { readonly kind: 'go'; readonly rehearsal?: unknown }
> {
  const recorded = doc.rehearsal !== undefined ? { rehearsal: doc.rehearsal } : {};
  if (rehearse === undefined) return { kind: 'go', ...recorded };
  const rehearsed = await rehearseFor(db, doc.plan, desired, rehearse, emit);
  if (rehearsed === undefined) return { kind: 'go', ...recorded };
  emit({ kind: 'rehearsed', rehearsed });
  if (rehearsed.failure === undefined) return { kind: 'go', rehearsal: rehearsed.rehearsal };
  return {
    kind: 'refused',
    result: { kind: 'refused', reason: 'rehearsal', doc, rehearsal: rehearsed.rehearsal, failure: rehearsed.failure },
  };
}

function rehearsalOf(go: { readonly rehearsal?: unknown }): { readonly rehearsal?: unknown } {
  return go.rehearsal !== undefined ? { rehearsal: go.rehearsal } : {};
}

/**
 * Applies a reviewed plan document: the hazard gate (`allowHazards` and the file's approval), the
 * rehearsal when asked, then `applyPlanDocument` (the deployment lock, the ledger, the stale
 * check, execution with retries, backups, the verifying re-plan).
 *
 * @example
 * import { applyPlan, openDatabase, planDesiredState, readPlanFile } from 'pgreconcile';
 * const doc = await readPlanFile('plans/20261121T201500Z_create-table-users.plan.yaml');
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const result = await applyPlan({ db, doc, desired: planDesiredState(doc)!, allowHazards: ['deletes_data'] });
 *   if (result.kind === 'ran' && result.outcome.kind === 'applied') console.log('applied');
 * } finally {
 *   await db.close();
 * }
 */
export async function applyPlan(options: ApplyPlanOptions): Promise<Exclude<ApplyFlowResult, { readonly kind: 'nothing_to_do' }>> {
  const { db, doc, desired } = options;
  const emit = options.onEvent ?? (() => undefined);
  const gate = checkHazards(doc.plan, options.allowHazards, doc.approval);
  if (gate.kind === 'refused') return { kind: 'refused', reason: 'hazards', doc, missing: gate.missing };
  const rehearsed = await rehearseFirst(db, doc, desired, options.rehearse, emit);
  if (rehearsed.kind === 'refused') return rehearsed.result;
  const outcome = await applyPlanDocument(db, doc, { ...applyOptionsOf(options, desired, doc, emit), ...rehearsalOf(rehearsed) });
  return { kind: 'ran', doc, outcome };
}

/**
 * A plan made under the deployment lock `lock`, taken to the end: shown (`planned`), gated,
 * rehearsed, approved, kept as a file, applied. What `apply` without a plan file and `rollback`
 * share.
 */
export async function confirmAndApply(
  options: Omit<ApplyFlowOptions, 'desired'>,
  planned: { readonly doc: PlanDocument; readonly desired: DesiredState; readonly lock: DeploymentLock },
  emit: (event: FlowEvent) => void,
): Promise<Exclude<ApplyFlowResult, { readonly kind: 'nothing_to_do' }>> {
  const { db } = options;
  const { doc, desired, lock } = planned;
  emit({ kind: 'planned', doc });
  const gate = checkHazards(doc.plan, options.allowHazards);
  if (gate.kind === 'refused') return { kind: 'refused', reason: 'hazards', doc, missing: gate.missing };
  const rehearsed = await rehearseFirst(db, doc, desired, options.rehearse, emit);
  if (rehearsed.kind === 'refused') return rehearsed.result;
  if (options.approve !== true) {
    if (options.confirm === undefined) return { kind: 'refused', reason: 'no_approval', doc, asked: false };
    const approved = await options.confirm({ doc, target: db.description, hazards: planHazardKinds(doc.plan) });
    if (!approved) return { kind: 'refused', reason: 'no_approval', doc, asked: true };
  }
  // The plan approved now is kept as a file (resume runs a plan file, never the ledger's copy).
  const planFile = await writePlanFile(doc, join(options.keepPlanIn ?? join(options.cwd ?? process.cwd(), APPLIED_PLANS_DIR), '/'));
  const outcome = await applyPlanDocument(db, doc, { ...applyOptionsOf(options, desired, doc, emit), ...rehearsalOf(rehearsed), lock });
  return { kind: 'ran', doc, outcome, planFile };
}

/**
 * Takes the deployment lock (events `lock_wait`, `lock_taken`), runs `body` under it, and
 * releases it.
 */
export async function underDeploymentLock<T>(
  db: Db,
  options: Pick<ExecutionOptions, 'lockWaitMs'>,
  emit: (event: FlowEvent) => void,
  body: (lock: DeploymentLock) => Promise<T>,
): Promise<T> {
  const lock = await deploymentLockFor(db, options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}, emit);
  try {
    return await body(lock);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/**
 * Plans now and applies: under the deployment lock, plans from the live schema to `desired`,
 * shows the plan (`planned` event), checks the hazard gate, rehearses when asked, asks for
 * approval (`approve`, else `confirm`), keeps the plan as a file, applies it, and verifies with a
 * re-plan. What `pgreconcile apply` without a plan file runs.
 *
 * @example
 * import { apply, loadDesiredState, openDatabase } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const result = await apply({ db, desired: await loadDesiredState('schema.yaml'), approve: true, allowHazards: 'all' });
 *   if (result.kind === 'ran' && result.outcome.kind === 'applied') console.log(`${result.outcome.stepsApplied} steps applied`);
 * } finally {
 *   await db.close();
 * }
 */
export async function apply(options: ApplyFlowOptions): Promise<ApplyFlowResult> {
  const { db, desired } = options;
  const emit = options.onEvent ?? (() => undefined);
  return underDeploymentLock(db, options, emit, async (lock) => {
    const { plan, live } = await planDatabase(db, desired, { liveRead: liveReadOptions(options) });
    const doc = newPlanDocument(plan, db.description, options.now ?? new Date(), {
      objectFingerprints: objectFingerprints(live.model),
      desired,
    });
    if (plan.steps.length === 0) return { kind: 'nothing_to_do', doc };
    return confirmAndApply(options, { doc, desired, lock }, emit);
  });
}
