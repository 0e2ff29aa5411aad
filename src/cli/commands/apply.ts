import { isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { applyPlanDocument, describeStale, liveReadOptions, type ApplyEvent, type ApplyOutcome } from '../../apply/apply-plan.js';
import {
  describeBackupLimit,
  describeBackupProblems,
  describeBackupSpace,
  parseByteSize,
  type BackupOptions,
  type BackupReport,
} from '../../apply/backup.js';
import { acquireDeploymentLock, describeHolder, type DeploymentLock } from '../../apply/deployment-lock.js';
import { describeBlocker } from '../../apply/execute.js';
import { checkHazards, describeMissingHazards, HazardListError, parseAllowedHazards, type AllowedHazards } from '../../apply/hazard-gate.js';
import { classifyFailure, failureAdvice } from '../../apply/failure-advice.js';
import type { Db } from '../../db/db.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { loadDesiredState } from '../../desired/index.js';
import { describeWho } from '../../ledger/ledger-store.js';
import { objectFingerprints } from '../../model/fingerprint.js';
import type { DesiredState } from '../../model/types.js';
import { planLive } from '../../apply/live-schema.js';
import { ledgerKindOf } from '../../apply/rollback.js';
import type { PlanStep } from '../../plan/build-plan.js';
import { planHazardKinds } from '../../plan/build-plan.js';
import { PlanFileError } from '../../plan/errors.js';
import { formatBytes } from '../../plan/hazards.js';
import { newPlanDocument, planDesiredState, readPlanFile, writePlanFile, type PlanDocument } from '../../plan/plan-file.js';
import { renderSummary } from '../../plan/render.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { rehearseForPlan, rehearseRowsFlag } from './plan.js';
import { runResume } from './apply-resume.js';
import { requireFile } from './common.js';

/** Exit codes of `apply` (documented in its --help and the README). */
export const APPLY_EXIT = { applied: 0, error: 1, refused: 3 } as const;

/** What the command needs from the terminal; tests replace it. */
export interface ApplyTerminal {
  /** Asks a question and returns the answer; undefined when there is nobody to ask. */
  readonly prompt?: (question: string) => Promise<string>;
  /** Whether stderr is a terminal (progress of long steps is shown there). */
  readonly stderrIsTTY?: boolean;
  /** How long a step runs before its progress line appears (default 2 s). */
  readonly progressAfterMs?: number;
}

/**
 * The process's terminal: a prompt when stdin and stderr are terminals.
 *
 * @example
 * await runApply(args, io, processTerminal());
 */
export function processTerminal(): ApplyTerminal {
  const interactive = Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
  return {
    ...(interactive
      ? {
          prompt: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await rl.question(question);
            } finally {
              rl.close();
            }
          },
        }
      : {}),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/**
 * A path given on the command line, for the working folder `io.cwd` (the same as the process's
 * when run from a shell; the library may run commands for another folder).
 */
export function pathIn(io: Io, path: string): string {
  return isAbsolute(path) || resolve(io.cwd) === process.cwd() ? path : resolve(io.cwd, path);
}

/** A non-negative integer flag, or undefined when absent. */
export function integerFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} expects a whole number, got "${text}"`);
  return Number(text);
}

/** `--lock-wait SECONDS` (fractions allowed) in milliseconds. */
export function secondsFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--${name} expects a number of seconds, got "${text}"`);
  return Math.round(Number(text) * 1000);
}

function allowFlag(args: ParsedArgs, _command: Flags['command']): AllowedHazards | undefined {
  const raw = args.values['allow-hazards'];
  if (raw === undefined) return undefined;
  try {
    return parseAllowedHazards(String(raw));
  } catch (error) {
    if (error instanceof HazardListError) throw new UsageError(`${error.message}`);
    throw error;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function stepLabel(step: PlanStep, total: number): string {
  return `step ${step.n}/${total} ${step.action} ${step.objectKind} ${step.parent !== undefined ? `${step.parent}.` : ''}${step.object}`;
}

/**
 * Progress of long steps on a terminal: once a step has run for `afterMs`, a line
 * `step n/N … running 12s` is redrawn every second on stderr until the step ends.
 *
 * @example
 * const progress = new StepProgress((t) => process.stderr.write(t), true);
 * progress.start(step, 5); … progress.stop();
 */
export class StepProgress {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly afterMs = 2000,
    private readonly everyMs = 1000,
  ) {}

  start(step: PlanStep, total: number): void {
    this.stop();
    if (!this.enabled) return;
    const began = Date.now();
    const draw = (): void => {
      this.shown = true;
      this.write(`\r\u001b[2K… ${stepLabel(step, total)}: running ${Math.round((Date.now() - began) / 1000)}s`);
      this.timer = setTimeout(draw, this.everyMs);
    };
    this.timer = setTimeout(draw, this.afterMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.shown) this.write('\r\u001b[2K');
    this.shown = false;
  }
}

/** The flags `apply` and `rollback` share, parsed. */
export interface Flags {
  /** The command the flags belong to, for its messages (`pgreconcile rollback: refused: …`). */
  readonly command: 'apply' | 'rollback';
  readonly json: boolean;
  readonly approve: boolean;
  readonly allow: AllowedHazards | undefined;
  readonly lockWaitMs: number | undefined;
  readonly lockTimeoutMs: number | undefined;
  readonly statementTimeoutMs: number | undefined;
  readonly retries: number | undefined;
  readonly schemaPath: string;
  /** `--rehearse`: run the plan on a scratch copy of the target's schema first. */
  readonly rehearse: boolean;
  /** `--rehearse-rows N`: copy up to N rows of each table into the rehearsal's copy (implies --rehearse). */
  readonly rehearseRows: number | undefined;
  /** `--backup-dir`, `--backup-limit`, `--no-backup` (the working folder is added by applyOptions). */
  readonly backup: BackupOptions;
}

/** The backup flags; a `UsageError` for a malformed size or `--no-backup` with the others. */
function backupFlags(args: ParsedArgs, _command: string): BackupOptions {
  const dir = args.values['backup-dir'] as string | undefined;
  const limit = args.values['backup-limit'] as string | undefined;
  if (args.values['no-backup'] === true) {
    if (dir !== undefined || limit !== undefined) throw new UsageError(`--no-backup takes no backups; drop --backup-dir and --backup-limit, or --no-backup`);
    return { enabled: false };
  }
  let limitBytes: number | undefined;
  try {
    if (limit !== undefined) limitBytes = parseByteSize(limit);
  } catch (error) {
    throw new UsageError(`--backup-limit: ${(error as Error).message}`);
  }
  return { ...(dir !== undefined ? { dir } : {}), ...(limitBytes !== undefined ? { limitBytes } : {}) };
}

/**
 * The shared flags of `apply` or `rollback`; a `UsageError` for a malformed value.
 *
 * @example
 * const flags = flagsOf(args, 'rollback'); // flags.allow, flags.lockWaitMs, …
 */
export function flagsOf(args: ParsedArgs, command: Flags['command'] = 'apply'): Flags {
  return {
    command,
    json: args.values['json'] === true,
    approve: args.values['approve'] === true,
    allow: allowFlag(args, command),
    lockWaitMs: secondsFlag(args, 'lock-wait'),
    lockTimeoutMs: integerFlag(args, 'lock-timeout'),
    statementTimeoutMs: integerFlag(args, 'statement-timeout'),
    retries: integerFlag(args, 'retries'),
    schemaPath: (args.values['schema'] as string | undefined) ?? 'schema.yaml',
    rehearse: args.values['rehearse'] === true || args.values['rehearse-rows'] !== undefined,
    rehearseRows: rehearseRowsFlag(args),
    backup: backupFlags(args, command),
  };
}

/** Prints a refusal (exit 3): as JSON, or as a message on stderr. */
export function refuse(io: Io, flags: Flags, reason: string, message: string, extra: Record<string, unknown> = {}): number {
  if (flags.json) io.out(`${JSON.stringify({ result: 'refused', reason, message, ...extra }, null, 2)}\n`);
  else io.err(`pgreconcile ${flags.command}: refused: ${message}\n`);
  return APPLY_EXIT.refused;
}

export async function runApply(args: ParsedArgs, io: Io, terminal: ApplyTerminal = processTerminal()): Promise<number> {
  const flags = flagsOf(args);
  const planPath = args.positionals[0];
  if (args.values['resume'] === true) return runResume(planPath, flags, args, io, terminal);
  if (planPath !== undefined) return applyFile(planPath, flags, args, io, terminal);
  return applyNow(flags, args, io, terminal);
}

async function applyFile(planPath: string, flags: Flags, args: ParsedArgs, io: Io, terminal: ApplyTerminal): Promise<number> {
  let doc: PlanDocument;
  try {
    doc = await readPlanFile(pathIn(io, planPath), planPath);
  } catch (error) {
    if (error instanceof PlanFileError) return refuse(io, flags, 'plan_file', error.message);
    throw error;
  }
  let desired = planDesiredState(doc);
  if (desired === undefined) {
    // A plan file from before plan files carried their desired state: the schema file must be the one planned.
    desired = await loadDesiredState(pathIn(io, flags.schemaPath), { cacheDir: join(io.cwd, '.pgreconcile', 'cache') });
    if ((desired.source?.hash ?? '') !== doc.plan.desiredHash) {
      return refuse(
        io,
        flags,
        'desired_state',
        `${planPath} does not record its desired state, and ${flags.schemaPath} is not the file it was planned from (its sha256 differs); re-plan with \`pgreconcile plan --out plans/\``,
      );
    }
  }
  const gate = checkHazards(doc.plan, flags.allow, doc.approval);
  if (gate.kind === 'refused') {
    return refuse(io, flags, 'hazards', describeMissingHazards(gate.missing, planPath), { version: doc.id, missing_hazards: gate.missing });
  }
  const db = await openDatabase({ databaseUrl: args.values['database-url'] as string | undefined, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const rehearsed = await rehearseFirst(db, doc, desired, flags, io);
    if (rehearsed.kind === 'refused') return rehearsed.code;
    const outcome = await applyPlanDocument(db, doc, { ...applyOptions(flags, desired, io, terminal, doc), ...rehearsed.options });
    return report(outcome, doc, flags, io, planPath);
  } finally {
    await db.close();
  }
}

async function applyNow(flags: Flags, args: ParsedArgs, io: Io, terminal: ApplyTerminal): Promise<number> {
  await requireFile(io, flags.schemaPath);
  const desired = await loadDesiredState(pathIn(io, flags.schemaPath), { cacheDir: join(io.cwd, '.pgreconcile', 'cache') });
  const db = await openDatabase({ databaseUrl: args.values['database-url'] as string | undefined, cwd: io.cwd });
  let lock: DeploymentLock | undefined;
  try {
    io.err(`${describeTarget(db)}\n`);
    lock = await takeDeploymentLock(db, flags, io);
    const { plan, live } = await planLive(db, desired, liveReadOptions(flags));
    const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
    if (plan.steps.length === 0) {
      if (flags.json) io.out(`${JSON.stringify({ result: 'nothing_to_do', message: 'No changes. The database matches the desired state.' }, null, 2)}\n`);
      else io.out('No changes. The database matches the desired state.\n');
      return APPLY_EXIT.applied;
    }
    return await confirmAndApply(db, { doc, desired, lock }, flags, io, terminal);
  } finally {
    await lock?.release().catch(() => undefined);
    await db.close();
  }
}

/**
 * Takes the deployment lock for a command that plans under it (`apply` without a plan file,
 * `rollback`), saying on stderr who holds it while waiting.
 *
 * @example
 * const lock = await takeDeploymentLock(db, flags, io);
 * try { … } finally { await lock.release(); }
 */
export async function takeDeploymentLock(db: Db, flags: Flags, io: Io): Promise<DeploymentLock> {
  let waited = false;
  const lock = await acquireDeploymentLock(db, {
    ...(flags.lockWaitMs !== undefined ? { waitMs: flags.lockWaitMs } : {}),
    onWait: (holders) => {
      waited = true;
      io.err(lockWaitMessage(holders.map(describeHolder), flags.lockWaitMs));
    },
  });
  if (waited) io.err(`Deployment lock taken after ${seconds(lock.waitedMs)}\n`);
  return lock;
}

/** A plan made under the deployment lock, ready to be shown and applied. */
export interface PlannedNow {
  readonly doc: PlanDocument;
  readonly desired: DesiredState;
  readonly lock: DeploymentLock;
  /** A sentence before the approval question, e.g. `Roll back to 20261121T201500Z_create-table-users. `. */
  readonly questionPrefix?: string;
}

/**
 * Shows a plan made now (its summary with the hazards), checks the hazard gate, asks for approval
 * (a y/N prompt on a terminal; `--approve` required without one), applies it under the lock
 * already held, and reports: what `apply` without a plan file and `rollback` share. Returns the
 * exit code.
 *
 * @example
 * return await confirmAndApply(db, { doc, desired, lock }, flags, io, terminal);
 */
export async function confirmAndApply(db: Db, planned: PlannedNow, flags: Flags, io: Io, terminal: ApplyTerminal): Promise<number> {
  const { doc, desired, lock } = planned;
  const plan = doc.plan;
  const summary = renderSummary(plan, { color: io.isTTY && !flags.json });
  if (flags.json) io.err(summary);
  else io.out(summary);
  const gate = checkHazards(plan, flags.allow);
  if (gate.kind === 'refused') {
    return refuse(io, flags, 'hazards', describeMissingHazards(gate.missing), { version: doc.id, missing_hazards: gate.missing });
  }
  const rehearsed = await rehearseFirst(db, doc, desired, flags, io);
  if (rehearsed.kind === 'refused') return rehearsed.code;
  if (!flags.approve) {
    const review = flags.command === 'apply' ? 'plan' : flags.command;
    if (terminal.prompt === undefined) {
      return refuse(
        io,
        flags,
        'no_approval',
        `there is no terminal to ask for approval; review the plan (pgreconcile ${review}) and pass --approve, or apply a reviewed plan file (pgreconcile ${review} --out plans/, then pgreconcile apply plans/<file>)`,
      );
    }
    const hazards = planHazardKinds(plan);
    const question = `\n${planned.questionPrefix ?? ''}Apply ${plan.steps.length === 1 ? 'this step' : `these ${plan.steps.length} steps`} to ${db.description}${hazards.length > 0 ? ` (hazards: ${hazards.join(', ')})` : ''}? [y/N] `;
    const answer = (await terminal.prompt(question)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return refuse(io, flags, 'no_approval', 'not approved; nothing was run');
  }
  // The plan approved now is kept as a file (apply --resume runs a plan file, never the ledger's copy).
  const kept = await writePlanFile(doc, join(io.cwd, APPLIED_PLANS_DIR, '/'));
  const outcome = await applyPlanDocument(db, doc, { ...applyOptions(flags, desired, io, terminal, doc), ...rehearsed.options, lock });
  return report(outcome, doc, flags, io, relative(io.cwd, kept));
}

/** Where `apply` and `rollback` keep the plans they made and applied themselves (for `apply --resume`). */
export const APPLIED_PLANS_DIR = join('.pgreconcile', 'plans');

/**
 * `--rehearse`: before anything runs on the target, the plan runs on a scratch copy of its schema;
 * a failed rehearsal refuses (exit 3). The rehearsal (this one, else the one the plan file
 * records) goes into the ledger row.
 */
async function rehearseFirst(
  db: Db,
  doc: PlanDocument,
  desired: DesiredState,
  flags: Flags,
  io: Io,
): Promise<{ readonly kind: 'refused'; readonly code: number } | { readonly kind: 'go'; readonly options: { readonly rehearsal?: unknown } }> {
  const recorded = doc.rehearsal !== undefined ? { rehearsal: doc.rehearsal } : {};
  if (!flags.rehearse) return { kind: 'go', options: recorded };
  const rehearsed = await rehearseForPlan(db, doc.plan, desired, io, undefined, flags.rehearseRows);
  if (rehearsed === undefined) return { kind: 'go', options: recorded };
  (flags.json ? io.err : io.out)(rehearsed.report);
  if (rehearsed.failure === undefined) return { kind: 'go', options: { rehearsal: rehearsed.rehearsal } };
  const message = `${rehearsed.failure} Nothing was run.`;
  return { kind: 'refused', code: refuse(io, flags, 'rehearsal', message, { version: doc.id, rehearsal: rehearsed.rehearsal }) };
}

function lockWaitMessage(holders: readonly string[], waitMs: number | undefined): string {
  const who = holders.length > 0 ? holders.join('; ') : 'another session';
  return `Waiting for the deployment lock, held by ${who} (up to ${seconds(waitMs ?? 60_000)})\n`;
}

function applyOptions(flags: Flags, desired: DesiredState, io: Io, terminal: ApplyTerminal, doc: PlanDocument) {
  return {
    desired,
    ...ledgerKindOf(doc),
    ...runOptions(flags, io),
    onEvent: applyEventPrinter(flags, io, terminal, doc.checksum),
  };
}

/**
 * What the flags say about running steps: allowed hazards, lock wait, timeouts, retries, backups.
 *
 * @example
 * await resumeApply(db, { ...runOptions(flags, io), onEvent });
 */
export function runOptions(flags: Flags, io: Io) {
  return {
    ...(flags.allow !== undefined ? { allowHazards: flags.allow } : {}),
    ...(flags.lockWaitMs !== undefined ? { lockWaitMs: flags.lockWaitMs } : {}),
    ...(flags.lockTimeoutMs !== undefined ? { lockTimeoutMs: flags.lockTimeoutMs } : {}),
    ...(flags.statementTimeoutMs !== undefined ? { statementTimeoutMs: flags.statementTimeoutMs } : {}),
    ...(flags.retries !== undefined ? { retries: flags.retries } : {}),
    backup: { ...flags.backup, cwd: io.cwd },
  };
}

/** What an apply says about its backups, in one line (empty when no step deleted data or none ran). */
function backupLine(backups: BackupReport | undefined, version: string): string {
  if (backups === undefined) return '';
  if (backups.kind === 'disabled') return `No backups were taken (--no-backup): the data deleted by ${backups.steps.length === 1 ? 'step' : 'steps'} ${backups.steps.join(', ')} is not kept.\n`;
  const files = backups.record.files;
  if (files.length === 0) return '';
  const rows = files.reduce((n, f) => n + f.rows, 0);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  return `Backed up the deleted data: ${plural(files.length, 'file')} (${plural(rows, 'row')}, ${formatBytes(bytes)} compressed) in ${backups.record.dir}/ with ${backups.record.manifest}; restore with: pgreconcile restore ${version}\n`;
}

/** The backups in an apply's JSON outcome. */
function backupJson(backups: BackupReport | undefined): Record<string, unknown> {
  if (backups === undefined) return {};
  return backups.kind === 'disabled' ? { backups: null, no_backup_steps: backups.steps } : { backups: backups.record };
}

/**
 * Prints apply's progress: lock waits, each committed step, lock-timeout retries, and the
 * progress line of a long step on a terminal. `checksum` is shown when the run starts.
 *
 * @example
 * const onEvent = applyEventPrinter(flags, io, terminal, doc.checksum);
 */
export function applyEventPrinter(flags: Flags, io: Io, terminal: ApplyTerminal, checksum: string): (event: ApplyEvent) => void {
  let waited = false;
  const progress = new StepProgress(io.err, terminal.stderrIsTTY === true && !flags.json, terminal.progressAfterMs ?? 2000);
  const onEvent = (event: ApplyEvent): void => {
    switch (event.kind) {
      case 'lock_wait':
        waited = true;
        io.err(lockWaitMessage(event.holders.map(describeHolder), flags.lockWaitMs));
        return;
      case 'lock_taken':
        if (waited) io.err(`Deployment lock taken after ${seconds(event.waitedMs)}\n`);
        return;
      case 'started':
        if (!flags.json) io.out(`Applying plan ${event.version} (${plural(event.total, 'step')}, ${checksum})\n`);
        return;
      case 'step_start':
        progress.start(event.step, event.total);
        return;
      case 'committed':
        progress.stop();
        if (!flags.json) for (const step of event.steps) io.out(`  ✓ ${stepLabel(step, event.total)}\n`);
        return;
      case 'retry': {
        progress.stop();
        const r = event.retry;
        const blocked = r.blockers.length > 0 ? `, blocked by ${r.blockers.map(describeBlocker).join('; ')}` : '';
        io.err(`  step ${r.step.n} (${r.step.objectKind} ${r.step.object}): lock timeout (attempt ${r.attempt})${blocked}; rolled back, retrying in ${seconds(r.delayMs)}\n`);
        return;
      }
      case 'verifying':
        progress.stop();
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  };
  return onEvent;
}

/** Prints an apply's outcome (text, or JSON with `extra` added) and returns the exit code. */
/** The refusal of an apply (or a resume) whose backups of deleted data are over the limit, or impossible. */
export function refuseBackup(
  io: Io,
  flags: Flags,
  outcome: Extract<ApplyOutcome, { readonly kind: 'refused'; readonly reason: 'backup_limit' | 'backup_unavailable' | 'backup_space' }>,
  base: Record<string, unknown>,
): number {
  if (outcome.reason === 'backup_space') {
    return refuse(io, flags, 'backup_space', `${describeBackupSpace(outcome)}; nothing was run.`, {
      ...base,
      backup_estimates: outcome.estimates,
      backup_bytes: outcome.totalBytes,
      free_bytes: outcome.freeBytes,
      backup_path: outcome.path,
    });
  }
  if (outcome.reason === 'backup_unavailable') {
    return refuse(io, flags, 'backup_unavailable', `${describeBackupProblems(outcome.problems)}; nothing was run.`, { ...base, backup_problems: outcome.problems });
  }
  return refuse(io, flags, 'backup_limit', `${describeBackupLimit(outcome)}; nothing was run.`, {
    ...base,
    backup_estimates: outcome.estimates,
    backup_bytes: outcome.totalBytes,
    backup_limit_bytes: outcome.limitBytes,
  });
}

export function report(outcome: ApplyOutcome, doc: PlanDocument, flags: Flags, io: Io, planPath: string | undefined, extra: Record<string, unknown> = {}): number {
  const base = { version: doc.id, plan_checksum: doc.checksum, ...extra };
  switch (outcome.kind) {
    case 'nothing_to_do':
      if (flags.json) io.out(`${JSON.stringify({ result: 'nothing_to_do', ...base }, null, 2)}\n`);
      else io.out(`Plan ${doc.id} has no steps: nothing to do.\n`);
      return APPLY_EXIT.applied;
    case 'refused': {
      switch (outcome.reason) {
        case 'hazards':
          return refuse(io, flags, 'hazards', describeMissingHazards(outcome.missing, planPath), { ...base, missing_hazards: outcome.missing });
        case 'already_applied': {
          const a = outcome.applied;
          return refuse(
            io,
            flags,
            'already_applied',
            `plan ${doc.id} was already applied (${a.finishedAt ?? a.startedAt} by ${describeWho(a)}); nothing was run. To change the database further, re-plan: pgreconcile plan --out plans/`,
            { ...base, applied_at: a.finishedAt ?? a.startedAt },
          );
        }
        case 'stale':
          return refuse(
            io,
            flags,
            'stale',
            `${describeStale(outcome.changes)}; the plan no longer applies and nothing was run. Re-plan with \`pgreconcile plan --out plans/\` and review the new file.`,
            { ...base, ...(outcome.changes ? { changed_objects: outcome.changes } : {}) },
          );
        case 'backup_limit':
        case 'backup_unavailable':
        case 'backup_space':
          return refuseBackup(io, flags, outcome, base);
        default: {
          const unknown: never = outcome;
          return unknown;
        }
      }
    }
    case 'failed': {
      if (flags.json) {
        io.out(
          `${JSON.stringify(
            {
              result: 'failed',
              ...base,
              failed_step: outcome.step.n,
              failed_statement: outcome.step.sql,
              error: outcome.error,
              ...(outcome.sqlstate !== undefined ? { sqlstate: outcome.sqlstate } : {}),
              fix: classifyFailure(outcome.sqlstate),
              advice: failureAdvice(outcome.sqlstate, { step: outcome.resumeFrom, resumable: true, ...(planPath !== undefined ? { planPath } : {}) }),
              attempts: outcome.attempts,
              blocking_sessions: outcome.blockers,
              steps_applied: outcome.stepsApplied,
              steps_total: outcome.stepsTotal,
              resume_from_step: outcome.resumeFrom,
              ...(outcome.lockLost ? { lock_lost: true } : {}),
              duration_ms: outcome.durationMs,
              ...backupJson(outcome.backups),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        io.err(backupLine(outcome.backups, doc.id));
        io.err(
          [
            `pgreconcile ${flags.command}: failed: ${outcome.error}`,
            `  statement: ${outcome.step.sql}`,
            `  ${outcome.stepsApplied} of ${outcome.stepsTotal} steps were applied and committed before it; the failed ${outcome.step.transactional ? 'transaction was rolled back' : 'step ran outside a transaction'}.`,
            `  The ledger records version ${doc.id} as failed (pgreconcile history).`,
            `  ${failureAdvice(outcome.sqlstate, { step: outcome.resumeFrom, resumable: true, ...(planPath !== undefined ? { planPath } : {}) })}`,
            '',
          ].join('\n'),
        );
      }
      return APPLY_EXIT.error;
    }
    case 'applied': {
      const verified = outcome.remaining.steps.length === 0;
      if (flags.json) {
        io.out(
          `${JSON.stringify(
            {
              result: 'applied',
              ...base,
              steps_applied: outcome.stepsApplied,
              steps_total: outcome.stepsTotal,
              duration_ms: outcome.durationMs,
              fingerprint_before: outcome.fingerprintBefore,
              fingerprint_after: outcome.fingerprintAfter,
              in_sync: verified,
              remaining_steps: outcome.remaining.steps.length,
              ...backupJson(outcome.backups),
              ...(verified ? {} : { error: 'the database still differs from the desired state after the last step' }),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        io.out(`Applied ${plural(outcome.stepsApplied, 'step')} in ${seconds(outcome.durationMs)}; version ${doc.id} recorded in the ledger.\n`);
        io.out(backupLine(outcome.backups, doc.id));
        if (verified) io.out('The database matches the desired state.\n');
        else {
          io.err(
            `pgreconcile ${flags.command}: error: after the last step the database still differs from the desired state (recorded in the ledger); a new plan has ${outcome.remaining.steps.length} step${outcome.remaining.steps.length === 1 ? '' : 's'}:\n${renderSummary(outcome.remaining)}`,
          );
        }
      }
      return verified ? APPLY_EXIT.applied : APPLY_EXIT.error;
    }
    default: {
      const unknown: never = outcome;
      return unknown;
    }
  }
}
