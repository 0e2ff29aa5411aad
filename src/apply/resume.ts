/**
 * `apply --resume`: continues a version whose apply failed or was interrupted (a `failed` row,
 * or a `running` row whose deployment lock is free), from its plan file. Only the plan file runs:
 * the copy of the plan the ledger keeps is never executed, because whoever can write the ledger
 * could have changed it (and recomputed its checksum); the ledger only says which steps are done.
 * Hazards are allowed as for `apply` (the file's approval and the options), not by what the row
 * recorded. Under the deployment lock it verifies the plan against the row (the sha256 of every
 * step recorded as applied, and the plan's checksum),
 * re-introspects, settles the one step that may have run without the ledger knowing (a
 * non-transactional step: an index built or dropped CONCURRENTLY, an enum value added), and runs
 * the steps the row does not record as applied through the same path as `apply`. A step that
 * succeeded is never run again.
 */
import type { Db } from '../db/db.js';
import { ensureLedger, ledgerFormatVersion } from '../ledger/ledger-schema.js';
import {
  isCompleted,
  listVersions,
  readDesiredSnapshot,
  recordResume,
  recordStepsApplied,
  recordVersionFailed,
  type LedgerVersion,
  type ResumeEntry,
} from '../ledger/ledger-store.js';
import { sha256 } from '../model/fingerprint.js';
import { qualify } from '../model/ident.js';
import type { DesiredState, SchemaModel } from '../model/types.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';
import { planDesiredState, type PlanDocument } from '../plan/plan-file.js';
import {
  backupSpaceRefusal,
  deploymentLockFor,
  describeStepFailure,
  sqlstateOf,
  liveReadOptions,
  runVersionSteps,
  type ApplyEvent,
  type ApplyOptions,
  type ApplyOutcome,
} from './apply-plan.js';
import { checkBackups } from './backup.js';
import type { DeploymentLock } from './deployment-lock.js';
import { executePlan, StepFailedError } from './execute.js';
import { checkHazards, type AllowedHazards, type MissingHazard } from './hazard-gate.js';
import { readLiveSchema } from './live-schema.js';

/** What a resume found done, or repaired, before running the steps left. */
export type ResumeRepair =
  | {
      /** A non-transactional step had completed, but the ledger did not record it: counted as applied, not run. */
      readonly kind: 'found_applied';
      readonly step: PlanStep;
      /** What the catalog showed, in words. */
      readonly evidence: string;
    }
  | {
      /** An interrupted or failed CREATE INDEX CONCURRENTLY left an invalid index: dropped, so the step builds it again. */
      readonly kind: 'dropped_invalid_index';
      readonly step: PlanStep;
      /** The index, quoted and schema-qualified. */
      readonly index: string;
    };

/** What `resumeApply` reports while it works: apply's events, and the resume's own. */
export type ResumeEvent =
  | ApplyEvent
  | {
      readonly kind: 'resuming';
      readonly version: string;
      readonly ledgerId: number;
      readonly total: number;
      /** The row's status before the resume: `failed`, or `running` (an interrupted apply). */
      readonly fromStatus: LedgerVersion['status'];
      readonly failedStep?: number;
      /** Steps the row recorded as applied. */
      readonly appliedBefore: number;
    }
  | { readonly kind: 'repair'; readonly repair: ResumeRepair; readonly total: number };

export interface ResumeOptions extends Pick<
  ApplyOptions,
  'lock' | 'lockWaitMs' | 'lockTimeoutMs' | 'statementTimeoutMs' | 'retries' | 'retryDelayMs' | 'backup'
> {
  /**
   * The plan to resume (its file, as reviewed): its id picks the ledger row, and it must be the
   * plan that row applied. Required: without it the resume is refused (`plan_required`), naming
   * the version that would be resumed.
   */
  readonly doc?: PlanDocument;
  /** Hazard kinds allowed besides those the plan's approval allows (as for `apply`). */
  readonly allowHazards?: AllowedHazards;
  /** The desired state to verify against when neither the plan nor the row records one. */
  readonly desired?: DesiredState;
  readonly onEvent?: (event: ResumeEvent) => void;
}

/** Why a resume was refused before anything ran. */
export type ResumeRefusalReason = 'not_resumable' | 'plan_required' | 'superseded' | 'hash_mismatch' | 'checksum_mismatch';

/** What the resume did besides running steps. */
export interface ResumeReport {
  /** The plan resumed (from its file). */
  readonly doc: PlanDocument;
  readonly entry: ResumeEntry;
  /** Steps recorded as applied before the resume (repairs that found a step done not included). */
  readonly appliedBefore: number;
  readonly repairs: readonly ResumeRepair[];
}

export type ResumeOutcome =
  | (Extract<ApplyOutcome, { readonly kind: 'applied' | 'failed' }> & { readonly resume: ResumeReport })
  | Extract<
      ApplyOutcome,
      { readonly kind: 'refused'; readonly reason: 'already_applied' | 'backup_limit' | 'backup_unavailable' | 'backup_space' }
    >
  | { readonly kind: 'refused'; readonly reason: 'hazards'; readonly version: string; readonly missing: readonly MissingHazard[] }
  | {
      readonly kind: 'refused';
      readonly reason: ResumeRefusalReason;
      /** The version concerned, when there is one. */
      readonly version?: string;
      /** hash_mismatch: the first step whose SQL differs from what the ledger recorded. */
      readonly step?: number;
      /** What is wrong and what to do, in words. */
      readonly message: string;
    };

/** The row to resume, its plan and desired state, all verified. */
interface Resumable {
  readonly kind: 'resumable';
  readonly row: LedgerVersion;
  readonly doc: PlanDocument;
  readonly desired: DesiredState;
  readonly allowed: AllowedHazards;
}

type Refusal = Extract<ResumeOutcome, { readonly kind: 'refused' }>;

const RESUMABLE: readonly LedgerVersion['status'][] = ['failed', 'running'];
const REPLAN = 're-plan with `pgreconcile plan --out plans/`';

/**
 * Resumes the newest failed or interrupted apply (of `options.doc`'s plan when given). Refuses,
 * running nothing, when there is no such row, when its plan was applied since, when a newer
 * version was recorded after it, when a step the row records as applied differs from the plan's
 * (hash mismatch), or when the plan is not the one the row applied (checksum). Otherwise, under
 * the deployment lock: logs the resume in the row, re-introspects, settles a non-transactional
 * step that may have run unrecorded (an index that exists and is valid counts as built; an
 * invalid one is dropped and built again; an index already dropped or an enum value already
 * added counts as done), runs the steps left, and verifies with a re-plan.
 *
 * @example
 * const outcome = await resumeApply(db);                          // the newest failed or interrupted version
 * const again = await resumeApply(db, { doc: await readPlanFile(path) });
 * if (outcome.kind === 'applied') console.log(`${outcome.stepsApplied}/${outcome.stepsTotal} steps applied`);
 */
export async function resumeApply(db: Db, options: ResumeOptions = {}): Promise<ResumeOutcome> {
  const emit = options.onEvent ?? (() => undefined);
  const lock = await deploymentLockFor(db, options, emit);
  try {
    const target = await findResumable(db, options);
    if (target.kind === 'refused') return target;
    return await resumeRow(db, target, options, lock, emit);
  } finally {
    if (!options.lock) await lock.release().catch(() => undefined);
  }
}

/** The row to resume and its verified plan, or why there is none. Reads only (but may upgrade the ledger). */
async function findResumable(db: Db, options: ResumeOptions): Promise<Resumable | Refusal> {
  if ((await ledgerFormatVersion(db)) === undefined) {
    return notResumable('there is no ledger in this database (nothing was applied here), so there is nothing to resume');
  }
  await ensureLedger(db);
  const versions = await listVersions(db);
  const doc = options.doc;
  const row = versions.find((v) => RESUMABLE.includes(v.status) && (doc === undefined || v.version === doc.id));
  const applied = versions.find((v) => isCompleted(v.status) && v.version === (doc?.id ?? row?.version));
  if (applied) return { kind: 'refused', reason: 'already_applied', version: applied.version, applied };
  if (row === undefined) {
    return notResumable(
      doc === undefined
        ? 'the ledger has no failed or interrupted version, so there is nothing to resume (pgreconcile history lists the versions)'
        : `the ledger has no failed or interrupted attempt of plan ${doc.id}, so there is nothing to resume; apply it with \`pgreconcile apply PLANFILE\``,
      doc?.id,
    );
  }
  const newer = versions.slice(0, versions.indexOf(row)).find((v) => v.version !== row.version);
  if (newer) return superseded(row, newer);
  if (doc === undefined) return planRequired(row);
  const resumed = doc;
  const mismatch = verifyPlan(row, resumed);
  if (mismatch) return mismatch;
  const desired = planDesiredState(resumed) ?? (await readDesiredSnapshot(db, row.id)) ?? options.desired;
  if (desired === undefined) {
    return notResumable(
      `neither plan ${row.version} nor its ledger row records the desired state to verify against; pass the schema file it was planned from`,
      row.version,
    );
  }
  return { kind: 'resumable', row, doc: resumed, desired, allowed: options.allowHazards ?? [] };
}

function notResumable(message: string, version?: string): Refusal {
  return { kind: 'refused', reason: 'not_resumable', ...(version !== undefined ? { version } : {}), message };
}

function superseded(row: LedgerVersion, newer: LedgerVersion): Refusal {
  return {
    kind: 'refused',
    reason: 'superseded',
    version: row.version,
    message:
      `version ${newer.version} (${newer.kind}, ${newer.status}, started ${newer.startedAt}) was recorded after ${row.version} (${row.status}); ` +
      `resuming would run an older plan's steps on a schema that has moved on. Nothing was run; ${REPLAN}`,
  };
}

/**
 * A resume without the plan file: refused, naming the version and the file to pass. The ledger's
 * copy of the plan is not run: a role that can write the ledger could have rewritten it.
 */
function planRequired(row: LedgerVersion): Refusal {
  return {
    kind: 'refused',
    reason: 'plan_required',
    version: row.version,
    message:
      `apply --resume needs the plan file of version ${row.version} (${row.status}, ${row.stepsApplied} of ${row.stepsTotal} steps applied): ` +
      `pass it: pgreconcile apply --resume plans/${row.version}.plan.yaml (or .pgreconcile/plans/${row.version}.plan.yaml when apply planned it itself). ` +
      `The copy of the plan in the ledger is not run, since whoever can write ` +
      `the ledger could have changed it (docs/security.md). Nothing was run; without the file, re-plan: pgreconcile plan --out plans/`,
  };
}

/**
 * The plan must be the one the row applied: every step recorded as applied has the same SQL
 * (sha256), then the whole plan the same checksum. The step check comes first: it names the step.
 */
function verifyPlan(row: LedgerVersion, doc: PlanDocument): Refusal | undefined {
  const source = 'the plan file';
  const advice = `Pass the plan file version ${row.version} was applied from, or ${REPLAN}`;
  for (const recorded of row.stepHashes) {
    const step = doc.plan.steps.find((s) => s.n === recorded.n);
    const actual = step === undefined ? undefined : sha256(step.sql);
    if (actual === recorded.sha256) continue;
    const found =
      actual === undefined ? `${source} has no step ${recorded.n}` : `${source}'s step ${recorded.n} has sha256 ${actual.slice(0, 12)}…`;
    return {
      kind: 'refused',
      reason: 'hash_mismatch',
      version: row.version,
      step: recorded.n,
      message:
        `hash mismatch at step ${recorded.n} of ${row.version}: the ledger recorded it as applied with SQL sha256 ${recorded.sha256.slice(0, 12)}…, but ${found}; ` +
        `the steps were edited after they were applied. Nothing was run. ${advice}`,
    };
  }
  if (row.planChecksum !== undefined && row.planChecksum !== doc.checksum) {
    return {
      kind: 'refused',
      reason: 'checksum_mismatch',
      version: row.version,
      message: `${source} (checksum ${doc.checksum}) is not the plan ${row.version} was applied from (checksum ${row.planChecksum}); nothing was run. ${advice}`,
    };
  }
  return undefined;
}

/** The lock and statement timeouts and retries, as given. */
function timeouts(options: ResumeOptions): Pick<ApplyOptions, 'lockTimeoutMs' | 'statementTimeoutMs' | 'retries' | 'retryDelayMs'> {
  return {
    ...liveReadOptions(options),
    ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  };
}

async function resumeRow(
  db: Db,
  target: Resumable,
  options: ResumeOptions,
  lock: DeploymentLock,
  emit: (event: ResumeEvent) => void,
): Promise<ResumeOutcome> {
  const { row, doc, desired } = target;
  const recorded = new Set(row.stepHashes.map((h) => h.n));
  const pending = doc.plan.steps.filter((s) => !recorded.has(s.n));
  const gate = checkHazards({ ...doc.plan, steps: pending }, target.allowed, doc.approval);
  if (gate.kind === 'refused') return { kind: 'refused', reason: 'hazards', version: row.version, missing: gate.missing };
  // The steps left that delete data are backed up like in apply: the same limit, checked before anything runs.
  const backup = await checkBackups(db, row.version, pending, options.backup);
  if (backup.kind === 'over_limit') {
    const { estimates, totalBytes, limitBytes } = backup;
    return { kind: 'refused', reason: 'backup_limit', version: row.version, estimates, totalBytes, limitBytes };
  }
  if (backup.kind === 'unavailable')
    return { kind: 'refused', reason: 'backup_unavailable', version: row.version, problems: backup.problems };
  if (backup.kind === 'no_space') return { ...backupSpaceRefusal(backup), version: row.version };
  const started = Date.now();
  const entry = await recordResume(db, row);
  const total = doc.plan.steps.length;
  emit({
    kind: 'resuming',
    version: row.version,
    ledgerId: row.id,
    total,
    fromStatus: row.status,
    appliedBefore: row.stepsApplied,
    ...(row.failedStep !== undefined ? { failedStep: row.failedStep } : {}),
  });
  const applyOptions: ApplyOptions = {
    ...timeouts(options),
    desired,
    onEvent: emit,
    ...(options.backup ? { backup: options.backup } : {}),
  };
  let settled: Settled;
  try {
    const live = await readLiveSchema(db, desired.ignore, liveReadOptions(options));
    settled = await settleInterrupted(db, live.model, row.id, doc.plan, pending, applyOptions);
  } catch (error) {
    await recordVersionFailed(db, row.id, { error: `apply --resume stopped: ${(error as Error).message ?? String(error)}` }).catch(
      () => undefined,
    );
    throw error;
  }
  for (const repair of settled.repairs) emit({ kind: 'repair', repair, total });
  const report: ResumeReport = { doc, entry, appliedBefore: row.stepsApplied, repairs: settled.repairs };
  const appliedBefore = total - settled.left.length;
  if (settled.failed)
    return { ...(await repairFailed(db, row, settled.failed, { applied: appliedBefore, total, started })), resume: report };
  const run = { doc, ledgerId: row.id, steps: settled.left, appliedBefore, fingerprintBefore: row.fingerprintBefore };
  const outcome = await runVersionSteps(db, run, applyOptions, lock, emit);
  if (outcome.kind !== 'applied' && outcome.kind !== 'failed')
    throw new Error(`resuming ${row.version}: unexpected outcome ${outcome.kind}`);
  return { ...outcome, resume: report };
}

/** The steps left to run after the catalog was consulted, and what was found or repaired. */
interface Settled {
  readonly left: readonly PlanStep[];
  readonly repairs: readonly ResumeRepair[];
  /** A repair that failed (the DROP of an invalid index). */
  readonly failed?: StepFailedError;
}

/**
 * Only the first step the ledger does not record can have run unrecorded: transactional groups
 * commit together with their ledger update, and a non-transactional step is recorded right
 * after it ran, before the next step starts. Walks the leading non-transactional steps: one the
 * catalog shows done is recorded as applied and the walk goes on; an invalid index is dropped
 * (its step then builds it again) and the walk stops, as it does at the first step not done.
 */
async function settleInterrupted(
  db: Db,
  live: SchemaModel,
  ledgerId: number,
  plan: Plan,
  pending: readonly PlanStep[],
  options: ApplyOptions,
): Promise<Settled> {
  const repairs: ResumeRepair[] = [];
  let i = 0;
  for (; i < pending.length; i++) {
    const step = pending[i]!;
    if (step.transactional) break;
    const state = stepState(step, live);
    if (state.kind === 'done') {
      await recordStepsApplied(db, ledgerId, [step]);
      repairs.push({ kind: 'found_applied', step, evidence: state.evidence });
      continue;
    }
    if (state.kind === 'invalid_index') {
      repairs.push({ kind: 'dropped_invalid_index', step, index: state.index });
      const failed = await dropInvalidIndex(db, plan, step, state.index, options);
      if (failed) return { left: pending.slice(i), repairs, failed };
    }
    break;
  }
  return { left: pending.slice(i), repairs };
}

/** What the catalog says about a non-transactional step. */
type StepState =
  | { readonly kind: 'done'; readonly evidence: string }
  | { readonly kind: 'invalid_index'; readonly index: string }
  | { readonly kind: 'not_done' };

/** What a non-transactional step acts on, from its effect (never from its SQL). */
export type StepTarget =
  | { readonly kind: 'create_index' | 'drop_index'; readonly schema: string; readonly name: string }
  | { readonly kind: 'enum_value'; readonly schema: string; readonly type: string; readonly value: string };

/**
 * The object a step creates or drops where resume can check it in the catalog: an index built or
 * dropped, an enum value added; undefined for any other step.
 *
 * @example
 * stepTarget({ ...step, effect: { kind: 'drop_index', index: { kind: 'index', schema: 'public', name: 'old_idx' }, concurrently: true } })
 * // { kind: 'drop_index', schema: 'public', name: 'old_idx' }
 */
export function stepTarget(step: Pick<PlanStep, 'effect'>): StepTarget | undefined {
  const effect = step.effect;
  switch (effect.kind) {
    case 'build_index':
    case 'drop_index':
      return effect.index.schema === undefined
        ? undefined
        : { kind: effect.kind === 'build_index' ? 'create_index' : 'drop_index', schema: effect.index.schema, name: effect.index.name };
    case 'add_enum_value':
      return effect.type.schema === undefined
        ? undefined
        : { kind: 'enum_value', schema: effect.type.schema, type: effect.type.name, value: effect.value };
    case 'ddl':
    case 'data_change':
    case 'role_password':
      return undefined;
  }
}

function stepState(step: PlanStep, live: SchemaModel): StepState {
  const target = stepTarget(step);
  if (target === undefined) return { kind: 'not_done' };
  if (target.kind === 'enum_value') {
    const found = live.enums.find((e) => e.schema === target.schema && e.name === target.type)?.values.includes(target.value);
    return found
      ? { kind: 'done', evidence: `enum ${qualify({ schema: target.schema, name: target.type })} already has the value '${target.value}'` }
      : { kind: 'not_done' };
  }
  const index = qualify(target);
  const found = live.tables
    .filter((t) => t.schema === target.schema)
    .flatMap((t) => t.indexes)
    .find((i) => i.name === target.name);
  if (target.kind === 'drop_index') return found ? { kind: 'not_done' } : { kind: 'done', evidence: `the index ${index} is already gone` };
  if (found === undefined) return { kind: 'not_done' };
  return found.invalid ? { kind: 'invalid_index', index } : { kind: 'done', evidence: `the index ${index} exists and is valid` };
}

/** DROP INDEX CONCURRENTLY of an invalid index, under the step's timeouts and lock-timeout retries. */
async function dropInvalidIndex(
  db: Db,
  plan: Plan,
  step: PlanStep,
  index: string,
  options: ApplyOptions,
): Promise<StepFailedError | undefined> {
  const target = step.effect.kind === 'build_index' ? step.effect.index : undefined;
  const repair: PlanStep = {
    ...step,
    action: 'drop',
    detail: 'invalid index dropped before it is built again',
    hazards: [],
    creates: [],
    drops: [],
    requires: [],
    effect: target !== undefined ? { kind: 'drop_index', index: target, concurrently: true } : { kind: 'ddl' },
    sql: `DROP INDEX CONCURRENTLY ${index}`,
  };
  try {
    await executePlan(db, { ...plan, steps: [repair] }, { ...options, retries: options.retries ?? 5 });
    return undefined;
  } catch (error) {
    if (error instanceof StepFailedError) return error;
    throw error;
  }
}

/** The row marked failed after a repair failed, and the outcome saying so. */
async function repairFailed(
  db: Db,
  row: LedgerVersion,
  error: StepFailedError,
  counts: { readonly applied: number; readonly total: number; readonly started: number },
): Promise<Extract<ApplyOutcome, { kind: 'failed' }>> {
  const message = `repairing before step ${error.step.n}: ${describeStepFailure(error)}`;
  await recordVersionFailed(db, row.id, { step: error.step.n, statement: error.step.sql, error: message });
  return {
    kind: 'failed',
    version: row.version,
    ledgerId: row.id,
    step: error.step,
    error: message,
    ...sqlstateOf(error),
    stepsApplied: counts.applied,
    stepsTotal: counts.total,
    resumeFrom: error.step.n,
    attempts: error.attempts,
    blockers: error.blockers,
    durationMs: Date.now() - counts.started,
  };
}

/**
 * A repair in one line, for the CLI.
 *
 * @example
 * describeRepair(r) // 'step 3: the invalid index "public"."users_email_key" (a failed or interrupted build) was dropped; the step builds it again'
 */
export function describeRepair(repair: ResumeRepair): string {
  switch (repair.kind) {
    case 'found_applied':
      return `step ${repair.step.n}: ${repair.evidence}, so it had run before the interruption; recorded as applied, not run again`;
    case 'dropped_invalid_index':
      return `step ${repair.step.n}: the invalid index ${repair.index} (a failed or interrupted build) was dropped; the step builds it again`;
    default: {
      const unknown: never = repair;
      return unknown;
    }
  }
}
