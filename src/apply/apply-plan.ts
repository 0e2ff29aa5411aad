/**
 * `apply` as a library function: the hazard gate, the deployment lock, the ledger, the stale
 * check, execution with retries, and the verifying re-plan (docs/architecture.md rules 3, 5, 6, 7).
 * Expected outcomes (applied, refused, failed) are returned as data; only what nobody can
 * plan for (the database unreachable, a damaged ledger) is thrown.
 */
import type { Db } from '../db/db.js';
import { formatDbError, isDbError } from '../db/errors.js';
import { ensureLedger } from '../ledger/ledger-schema.js';
import {
  findAppliedVersion,
  recordStepsApplied,
  recordVersionApplied,
  recordVersionFailed,
  recordVersionStart,
  type LedgerVersion,
} from '../ledger/ledger-store.js';
import { diffObjectFingerprints, liveFingerprint, objectFingerprints, type ObjectFingerprintDiff } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';
import { planDocumentJson, type PlanDocument } from '../plan/plan-file.js';
import {
  backupReport,
  checkBackups,
  openBackupSession,
  type BackupCheck,
  type BackupEstimate,
  type BackupOptions,
  type BackupReport,
} from './backup.js';
import { acquireDeploymentLock, DeploymentLockLostError, type DeploymentLock, type LockHolder } from './deployment-lock.js';
import { CommitRefused, executePlan, StepFailedError, type BlockingSession, type RetryInfo } from './execute.js';
import { checkHazards, type AllowedHazards, type MissingHazard } from './hazard-gate.js';
import { checkPasswordEnvironment } from './role-password.js';
import { readLiveSchema, type LiveReadOptions } from './live-schema.js';
import { checkExternalTypes, planDatabase } from '../plan-database.js';

/** What apply reports while it works (the CLI prints progress from these). */
export type ApplyEvent =
  | { readonly kind: 'lock_wait'; readonly holders: readonly LockHolder[] }
  | { readonly kind: 'lock_taken'; readonly waitedMs: number }
  | { readonly kind: 'started'; readonly version: string; readonly ledgerId: number; readonly total: number }
  | { readonly kind: 'step_start'; readonly step: PlanStep; readonly total: number }
  | { readonly kind: 'committed'; readonly steps: readonly PlanStep[]; readonly total: number; readonly elapsedMs: number }
  | { readonly kind: 'retry'; readonly retry: RetryInfo }
  /** A batch of a data change committed: how many batches and rows so far (a resumed one counts those before). */
  | { readonly kind: 'batch'; readonly step: PlanStep; readonly total: number; readonly batches: number; readonly rows: number }
  | { readonly kind: 'verifying' };

export interface ApplyOptions {
  /** The desired state the plan was computed from: recorded in the ledger, and verified after the last step. */
  readonly desired: DesiredState;
  /** Hazard kinds allowed besides those the plan document's approval allows. */
  readonly allowHazards?: AllowedHazards;
  /** A deployment lock the caller already holds (kept); otherwise one is taken and released here. */
  readonly lock?: DeploymentLock;
  /** How long to wait for the deployment lock (default 60 s). */
  readonly lockWaitMs?: number;
  /** Override every step's lock_timeout / statement_timeout (ms). */
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
  /** Retries of a group after a lock timeout (default 5). */
  readonly retries?: number;
  /** First retry backoff (default 500 ms, doubling). */
  readonly retryDelayMs?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** The ledger row's kind (default `apply`); `rollback` also names the version returned to. */
  readonly kind?: 'apply' | 'rollback';
  readonly rollbackTo?: string;
  /** The rehearsal that preceded this apply, recorded in the ledger row. */
  readonly rehearsal?: unknown;
  /** Backups of the data steps delete (default: on, under `.pgreconcile/backups/<version>/`, limit 1 GB). */
  readonly backup?: BackupOptions;
}

export type RefusalReason = 'hazards' | 'already_applied' | 'stale' | 'backup_limit' | 'backup_unavailable' | 'backup_space';

export type ApplyOutcome =
  | {
      readonly kind: 'applied';
      readonly version: string;
      readonly ledgerId: number;
      readonly stepsApplied: number;
      readonly stepsTotal: number;
      readonly durationMs: number;
      readonly fingerprintBefore: string;
      readonly fingerprintAfter: string;
      /** The verifying re-plan: empty when the database now matches the desired state. */
      readonly remaining: Plan;
      /** The backups of deleted data (absent when no step deletes data). */
      readonly backups?: BackupReport;
    }
  | { readonly kind: 'nothing_to_do'; readonly version: string }
  | { readonly kind: 'refused'; readonly reason: 'hazards'; readonly version: string; readonly missing: readonly MissingHazard[] }
  | { readonly kind: 'refused'; readonly reason: 'already_applied'; readonly version: string; readonly applied: LedgerVersion }
  | {
      readonly kind: 'refused';
      readonly reason: 'stale';
      readonly version: string;
      /** Which objects changed since the plan, when the plan file recorded per-object fingerprints. */
      readonly changes?: ObjectFingerprintDiff;
    }
  | {
      readonly kind: 'refused';
      readonly reason: 'backup_limit';
      readonly version: string;
      /** Each deleting step's estimated backup size. */
      readonly estimates: readonly BackupEstimate[];
      readonly totalBytes: number;
      readonly limitBytes: number;
    }
  | {
      readonly kind: 'refused';
      readonly reason: 'backup_unavailable';
      readonly version: string;
      readonly problems: readonly BackupEstimate[];
    }
  | {
      readonly kind: 'refused';
      readonly reason: 'backup_space';
      readonly version: string;
      readonly estimates: readonly BackupEstimate[];
      readonly totalBytes: number;
      /** Free bytes where the backups would go. */
      readonly freeBytes: number;
      readonly path: string;
    }
  | {
      readonly kind: 'failed';
      readonly version: string;
      readonly ledgerId: number;
      readonly step: PlanStep;
      /** The error as recorded in the ledger (redacted). */
      readonly error: string;
      /** The database's SQLSTATE, when the database raised the error: what kind of fix it needs (failure-advice.ts). */
      readonly sqlstate?: string;
      readonly stepsApplied: number;
      readonly stepsTotal: number;
      /** The first step the ledger does not record as applied: where `apply --resume` goes on. */
      readonly resumeFrom: number;
      readonly attempts: number;
      readonly blockers: readonly BlockingSession[];
      readonly durationMs: number;
      /** The backups taken before the failure (absent when no step deletes data). */
      readonly backups?: BackupReport;
      /** The failure was the loss of the deployment lock. */
      readonly lockLost?: boolean;
    };

/**
 * The failure of a step in words: what failed, the database's SQLSTATE, message, detail and
 * hint, the attempts and the blocking sessions.
 */
/** The SQLSTATE of a failed step's database error, as `{ sqlstate }` to spread (empty when none). */
export function sqlstateOf(error: StepFailedError): { readonly sqlstate?: string } {
  return isDbError(error.cause) && error.cause.code !== undefined ? { sqlstate: error.cause.code } : {};
}

export function describeStepFailure(error: StepFailedError): string {
  const extra = isDbError(error.cause) ? formatDbError(error.cause).split('\n').slice(1) : [];
  const code = isDbError(error.cause) && error.cause.code ? ` [SQLSTATE ${error.cause.code}]` : '';
  return [`${error.message}${code}`, ...extra].join('\n');
}

/**
 * A stale plan in words: which objects changed since it was computed.
 *
 * @example
 * describeStale(outcome.changes) // 'the live schema changed since the plan was made: table public.users changed, table public.tmp added'
 */
export function describeStale(changes: ObjectFingerprintDiff | undefined): string {
  const head = 'the live schema changed since the plan was made';
  if (changes === undefined) return `${head} (the plan file does not record which objects)`;
  const parts = [
    ...changes.changed.map((k) => `${k} changed`),
    ...changes.added.map((k) => `${k} added`),
    ...changes.removed.map((k) => `${k} removed`),
  ];
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

/**
 * Applies a plan document to the database. Refuses before anything runs when a hazard kind was
 * not allowed, when the plan was already applied, or when the live schema changed since the
 * plan (checked after the deployment lock is taken). Records the version in the ledger before
 * the first step and after every committed group (inside its transaction), then re-plans
 * against the desired state and records the result.
 *
 * @example
 * const doc = await readPlanFile('plans/20261121T201500Z_add-column-users-email.plan.yaml');
 * const outcome = await applyPlanDocument(db, doc, { desired: planDesiredState(doc)!, allowHazards: ['index_build'] });
 * if (outcome.kind === 'applied') console.log(`applied ${outcome.stepsApplied} steps`);
 */
export async function applyPlanDocument(db: Db, doc: PlanDocument, options: ApplyOptions): Promise<ApplyOutcome> {
  const version = doc.id;
  const plan = doc.plan;
  if (plan.steps.length === 0) return { kind: 'nothing_to_do', version };
  const gate = checkHazards(plan, options.allowHazards, doc.approval);
  if (gate.kind === 'refused') return { kind: 'refused', reason: 'hazards', version, missing: gate.missing };
  // A role password the environment lacks: fail before the lock, the ledger row or any step.
  checkPasswordEnvironment(plan.steps);
  const early = await findAppliedVersion(db, version);
  if (early) return { kind: 'refused', reason: 'already_applied', version, applied: early };

  const emit = options.onEvent ?? (() => undefined);
  const lock = await deploymentLockFor(db, options, emit);
  try {
    await ensureLedger(db);
    const applied = await findAppliedVersion(db, version);
    if (applied) return { kind: 'refused', reason: 'already_applied', version, applied };
    const live = await readLiveSchema(db, options.desired.ignore, liveReadOptions(options));
    const fingerprintBefore = liveFingerprint(live.model);
    if (fingerprintBefore !== plan.liveFingerprint) {
      const changes = doc.objectFingerprints ? diffObjectFingerprints(doc.objectFingerprints, objectFingerprints(live.model)) : undefined;
      return { kind: 'refused', reason: 'stale', version, ...(changes ? { changes } : {}) };
    }
    // A type of external_types dropped since the plan was made: an error now, not a failed step.
    await checkExternalTypes(db, options.desired);
    const backup = await checkBackups(db, version, plan.steps, options.backup);
    if (backup.kind === 'over_limit') {
      const { estimates, totalBytes, limitBytes } = backup;
      return { kind: 'refused', reason: 'backup_limit', version, estimates, totalBytes, limitBytes };
    }
    if (backup.kind === 'unavailable') return { kind: 'refused', reason: 'backup_unavailable', version, problems: backup.problems };
    if (backup.kind === 'no_space') return { ...backupSpaceRefusal(backup), version };
    return await execute(db, doc, options, lock, fingerprintBefore, gate.allowed, emit);
  } finally {
    if (!options.lock) await lock.release().catch(() => undefined);
  }
}

/** The refusal for a backup folder without room (apply and resume). */
export function backupSpaceRefusal(
  check: Extract<BackupCheck, { kind: 'no_space' }>,
): Omit<Extract<ApplyOutcome, { reason: 'backup_space' }>, 'version'> {
  return {
    kind: 'refused',
    reason: 'backup_space',
    estimates: check.estimates,
    totalBytes: check.totalBytes,
    freeBytes: check.freeBytes,
    path: check.path,
  };
}

/**
 * The deployment lock an apply runs under: the caller's (`options.lock`, which the caller
 * releases), or one taken here, waiting up to `options.lockWaitMs` and reporting the wait
 * (release it when `options.lock` was not given).
 *
 * @example
 * const lock = await deploymentLockFor(db, options, emit);
 * try { … } finally { if (!options.lock) await lock.release(); }
 */
export async function deploymentLockFor(
  db: Db,
  options: Pick<ApplyOptions, 'lock' | 'lockWaitMs'>,
  emit: (event: ApplyEvent) => void,
): Promise<DeploymentLock> {
  if (options.lock) return options.lock;
  const lock = await acquireDeploymentLock(db, {
    ...(options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {}),
    onWait: (holders) => emit({ kind: 'lock_wait', holders }),
  });
  emit({ kind: 'lock_taken', waitedMs: lock.waitedMs });
  return lock;
}

async function execute(
  db: Db,
  doc: PlanDocument,
  options: ApplyOptions,
  lock: DeploymentLock,
  fingerprintBefore: string,
  allowed: readonly string[],
  emit: (event: ApplyEvent) => void,
): Promise<ApplyOutcome> {
  const plan = doc.plan;
  const total = plan.steps.length;
  const ledgerId = await recordVersionStart(db, {
    version: doc.id,
    kind: options.kind ?? 'apply',
    ...(options.rollbackTo !== undefined ? { rollbackTo: options.rollbackTo } : {}),
    ...(options.rehearsal !== undefined ? { rehearsal: options.rehearsal } : {}),
    planDocument: planDocumentJson(doc),
    planChecksum: doc.checksum,
    desiredHash: plan.desiredHash,
    fingerprintBefore,
    stepsTotal: total,
    allowedHazards: allowed,
    ...(doc.approval ? { approvedBy: doc.approval.by } : {}),
    desired: options.desired,
    database: db.description,
  });
  emit({ kind: 'started', version: doc.id, ledgerId, total });
  return runVersionSteps(db, { doc, ledgerId, steps: plan.steps, appliedBefore: 0, fingerprintBefore }, options, lock, emit);
}

/** A ledger row and the steps to run under it: all of a new apply's, or those a resume left. */
export interface VersionRun {
  readonly doc: PlanDocument;
  /** The `running` row the steps are recorded in. */
  readonly ledgerId: number;
  /** The steps to run, in plan order (a subset of `doc.plan.steps` for a resume). */
  readonly steps: readonly PlanStep[];
  /** Steps the row records as applied before this run (0 for a new apply). */
  readonly appliedBefore: number;
  /** The live fingerprint the row recorded before its first step. */
  readonly fingerprintBefore: string;
}

/**
 * Runs steps under an existing `running` ledger row — the execution path `apply` and
 * `apply --resume` share: each committed group is recorded in the row inside its transaction, a
 * failing step marks the row failed, and after the last step the database is planned again
 * against `options.desired` and the row finished as applied. The caller holds `lock`.
 *
 * @example
 * const outcome = await runVersionSteps(db, { doc, ledgerId, steps: left, appliedBefore: 3, fingerprintBefore }, options, lock, emit);
 */
export async function runVersionSteps(
  db: Db,
  run: VersionRun,
  options: ApplyOptions,
  lock: DeploymentLock,
  emit: (event: ApplyEvent) => void,
): Promise<ApplyOutcome> {
  const { doc, ledgerId, fingerprintBefore } = run;
  const plan = doc.plan;
  const total = plan.steps.length;
  const started = Date.now();
  let stepsApplied = run.appliedBefore;
  const committed = new Set<number>();
  const pid = lock.dedicated ? (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid : undefined;
  await checkClientConnection(db);
  const backups = await openBackupSession(db, { version: doc.id, ledgerId, steps: run.steps }, options.backup);
  try {
    await executePlan(
      db,
      { ...plan, steps: run.steps },
      {
        ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
        ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
        retries: options.retries ?? 5,
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
        ...(pid !== undefined ? { blockerWatch: { db: lock.connection, pid } } : {}),
        // The lock is checked at every step (by the client: its connection is still there), and
        // asked of the server before a transaction commits and before a step outside one: a lost
        // lock stops the apply at the next step, and the transaction under way never commits.
        beforeStep: async (step) => {
          lock.check();
          if (!step.transactional) await lock.verify(db);
          emit({ kind: 'step_start', step, total });
        },
        ...(backups
          ? { beforeStatement: (step: PlanStep, context: { readonly inTransaction: boolean }) => backups.beforeStatement(step, context) }
          : {}),
        beforeCommit: async (steps) => {
          if (steps[0]?.transactional) {
            try {
              await lock.verify(db);
            } catch (error) {
              if (error instanceof DeploymentLockLostError) throw new CommitRefused(error);
              throw error;
            }
          }
          await recordStepsApplied(db, ledgerId, steps);
        },
        afterCommit: async (steps) => {
          await backups?.afterCommit(steps);
          for (const step of steps) committed.add(step.n);
          stepsApplied += steps.length;
          emit({ kind: 'committed', steps, total, elapsedMs: Date.now() - started });
        },
        onRetry: (retry) => emit({ kind: 'retry', retry }),
        dataChanges: {
          record: { version: doc.id, ledgerId },
          onBatch: (step, progress) => emit({ kind: 'batch', step, total, batches: progress.batches, rows: progress.rows }),
        },
      },
    );
  } catch (error) {
    const failure =
      error instanceof StepFailedError
        ? { step: error.step.n, statement: error.step.sql, error: describeStepFailure(error) }
        : { error: `apply stopped: ${(error as Error).message ?? String(error)}` };
    await recordFailure(db, lock, ledgerId, failure);
    if (!(error instanceof StepFailedError)) throw error;
    return {
      kind: 'failed',
      version: doc.id,
      ledgerId,
      step: error.step,
      error: failure.error,
      ...sqlstateOf(error),
      stepsApplied,
      stepsTotal: total,
      resumeFrom: run.steps.find((s) => !committed.has(s.n))?.n ?? error.step.n,
      ...(error.cause instanceof DeploymentLockLostError ? { lockLost: true } : {}),
      attempts: error.attempts,
      blockers: error.blockers,
      durationMs: Date.now() - started,
      ...backupReport(run.steps, backups),
    };
  }
  emit({ kind: 'verifying' });
  let verified: Awaited<ReturnType<typeof planDatabase>>;
  try {
    verified = await planDatabase(db, options.desired, { liveRead: liveReadOptions(options) });
  } catch (error) {
    // Every step committed, but the check afterwards could not run: the row must not stay `running`.
    const message = `all ${total} steps were applied and committed, but the verifying re-plan failed: ${(error as Error).message ?? String(error)}`;
    await recordFailure(db, lock, ledgerId, { error: message });
    throw error;
  }
  const { plan: remaining, live } = verified;
  const fingerprintAfter = liveFingerprint(live.model);
  const mismatch =
    remaining.steps.length > 0
      ? `after the last step the database still differs from the desired state: a re-plan has ${remaining.steps.length} step${remaining.steps.length === 1 ? '' : 's'}, first: ${remaining.steps[0]!.sql}`
      : undefined;
  await recordVersionApplied(db, ledgerId, {
    fingerprintAfter,
    replanSteps: remaining.steps.length,
    ...(mismatch ? { error: mismatch } : {}),
  });
  return {
    kind: 'applied',
    version: doc.id,
    ledgerId,
    stepsApplied,
    stepsTotal: total,
    durationMs: Date.now() - started,
    fingerprintBefore,
    fingerprintAfter,
    remaining,
    ...backupReport(run.steps, backups),
  };
}

/**
 * Asks the server to check every second, while a step runs, that this client is still there
 * (`client_connection_check_interval`, PostgreSQL 14+): when the apply process is killed, its
 * statement is cancelled and its locks released within a second, instead of the statement
 * running on (or waiting for a lock) for a client that is gone. Skipped where the setting does
 * not exist (PGlite, older servers).
 */
async function checkClientConnection(db: Db): Promise<void> {
  if (db.kind !== 'postgres') return;
  await db.query(`SELECT set_config('client_connection_check_interval', '1000', false)`).catch(() => undefined);
}

/**
 * Catalog reads wait for locks as long as steps do, and are retried as often.
 *
 * @example
 * await readLiveSchema(db, desired.ignore, liveReadOptions({ lockTimeoutMs: 2000, retries: 5 }));
 */
export function liveReadOptions(options: Pick<ApplyOptions, 'lockTimeoutMs' | 'retries' | 'retryDelayMs'>): LiveReadOptions {
  return {
    ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  };
}

/** Marks the row failed, on the main connection, else on the lock's own (the main one may be gone). */
async function recordFailure(
  db: Db,
  lock: DeploymentLock,
  ledgerId: number,
  failure: { readonly step?: number; readonly statement?: string; readonly error: string },
): Promise<void> {
  try {
    await recordVersionFailed(db, ledgerId, failure);
  } catch (error) {
    if (!lock.dedicated) throw error;
    await recordVersionFailed(lock.connection, ledgerId, failure);
  }
}
