/**
 * What `apply`, `apply --resume` and `rollback` print: progress of the flows' events, refusals,
 * outcomes (text, or JSON with --json), and the exit code each maps to (src/cli/exit-codes.ts).
 */
import { relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { describeStale, type ApplyEvent, type ApplyOutcome } from '../../apply/apply-plan.js';
import { describeBackupLimit, describeBackupProblems, describeBackupSpace, type BackupReport } from '../../apply/backup.js';
import { describeHolder } from '../../apply/deployment-lock.js';
import { describeBlocker } from '../../apply/execute.js';
import { describeMissingHazards } from '../../apply/hazard-gate.js';
import { classifyFailure, failureAdvice } from '../../apply/failure-advice.js';
import { describeWho } from '../../ledger/ledger-store.js';
import type { PlanStep } from '../../plan/build-plan.js';
import { formatBytes } from '../../plan/hazards.js';
import type { PlanDocument } from '../../plan/plan-file.js';
import { renderSummary } from '../../plan/render.js';
import type { ApplyFlowResult, ApprovalRequest, FlowEvent } from '../../api/apply.js';
import { APPLY_EXIT } from '../exit-codes.js';
import { printRehearsalEvent } from './rehearsal-output.js';
import type { Flags } from '../flags.js';
import type { Io } from '../io.js';

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

/** Prints a refusal (exit 3): as JSON, or as a message on stderr. */
export function refuse(io: Io, flags: Flags, reason: string, message: string, extra: Record<string, unknown> = {}): number {
  if (flags.json) io.out(`${JSON.stringify({ result: 'refused', reason, message, ...extra }, null, 2)}\n`);
  else io.err(`pgreconcile ${flags.command}: refused: ${message}\n`);
  return APPLY_EXIT.refused;
}

function lockWaitMessage(holders: readonly string[], waitMs: number | undefined): string {
  const who = holders.length > 0 ? holders.join('; ') : 'another session';
  return `Waiting for the deployment lock, held by ${who} (up to ${seconds(waitMs ?? 60_000)})\n`;
}

/** What an apply says about its backups, in one line (empty when no step deleted data or none ran). */
function backupLine(backups: BackupReport | undefined, version: string): string {
  if (backups === undefined) return '';
  if (backups.kind === 'disabled')
    return `No backups were taken (--no-backup): the data deleted by ${backups.steps.length === 1 ? 'step' : 'steps'} ${backups.steps.join(', ')} is not kept.\n`;
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
export function applyEventPrinter(
  flags: Flags,
  io: Io,
  terminal: ApplyTerminal,
  checksum: string | (() => string),
): (event: ApplyEvent) => void {
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
        if (!flags.json)
          io.out(
            `Applying plan ${event.version} (${plural(event.total, 'step')}, ${typeof checksum === 'function' ? checksum() : checksum})\n`,
          );
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
        io.err(
          `  step ${r.step.n} (${r.step.objectKind} ${r.step.object}): lock timeout (attempt ${r.attempt})${blocked}; rolled back, retrying in ${seconds(r.delayMs)}\n`,
        );
        return;
      }
      case 'verifying':
        progress.stop();
        return;
      case 'batch':
        if (!flags.json)
          io.out(
            `    … step ${event.step.n}/${event.total}: data ${event.step.object}, batch ${event.batches} committed (${event.rows} row${event.rows === 1 ? '' : 's'} so far)\n`,
          );
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  };
  return onEvent;
}

/** A file the flow wrote, for the messages: relative to the working folder. */
function relativePath(io: Io, path: string): string {
  return relative(io.cwd, path);
}

/** The rehearsal's messages before it runs (stderr). */
/**
 * Prints a flow's events: the plan made now (its summary with the hazards; stderr with --json),
 * the rehearsal and its report, and apply's progress. `header` prints what comes before the
 * summary (rollback's target); `checksum` is the plan file's, shown when the run starts.
 *
 * @example
 * const onEvent = flowEventPrinter(flags, io, terminal);
 */
export function flowEventPrinter(
  flags: Flags,
  io: Io,
  terminal: ApplyTerminal,
  options: {
    /** The checksum of the plan file being applied (a plan made now brings its own). */
    readonly checksum?: string;
    readonly header?: (event: Extract<FlowEvent, { kind: 'rollback_planned' }>) => string;
  } = {},
): (event: FlowEvent) => void {
  const header = options.header;
  let checksum = options.checksum ?? '';
  const printApply = applyEventPrinter(flags, io, terminal, () => checksum);
  const shown = flags.json ? io.err : io.out;
  return (event) => {
    switch (event.kind) {
      case 'rollback_planned':
        if (header !== undefined) shown(header(event));
        return;
      case 'planned':
        checksum = event.doc.checksum;
        shown(renderSummary(event.doc.plan, { color: io.isTTY && !flags.json }));
        return;
      case 'rehearsal_skipped':
      case 'rehearsing':
        printRehearsalEvent(io, event);
        return;
      case 'rehearsed':
        shown(event.rehearsed.report);
        return;
      default:
        printApply(event);
    }
  };
}

/**
 * The approval question on the terminal (undefined when there is none to ask): `Apply these 3
 * steps to DB (hazards: deletes_data)? [y/N]`, after `Roll back to VERSION. ` for a rollback.
 */
export function confirmOnTerminal(terminal: ApplyTerminal): ((request: ApprovalRequest) => Promise<boolean>) | undefined {
  const prompt = terminal.prompt;
  if (prompt === undefined) return undefined;
  return async ({ doc, target, hazards }) => {
    const n = doc.plan.steps.length;
    const prefix = doc.rollbackTo !== undefined ? `Roll back to ${doc.rollbackTo}. ` : '';
    const question = `\n${prefix}Apply ${n === 1 ? 'this step' : `these ${n} steps`} to ${target}${hazards.length > 0 ? ` (hazards: ${hazards.join(', ')})` : ''}? [y/N] `;
    const answer = (await prompt(question)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  };
}

/**
 * Prints what an apply flow did and returns the exit code; `planPath` is the plan file the
 * command was given (for the advice in messages). An empty plan is the caller's to print.
 */
export function reportFlow(result: Exclude<ApplyFlowResult, { kind: 'nothing_to_do' }>, flags: Flags, io: Io, planPath?: string): number {
  const { doc } = result;
  switch (result.kind) {
    case 'refused':
      switch (result.reason) {
        case 'hazards':
          return refuse(io, flags, 'hazards', describeMissingHazards(result.missing, planPath), {
            version: doc.id,
            missing_hazards: result.missing,
          });
        case 'rehearsal':
          return refuse(io, flags, 'rehearsal', `${result.failure} Nothing was run.`, { version: doc.id, rehearsal: result.rehearsal });
        case 'no_approval': {
          if (result.asked) return refuse(io, flags, 'no_approval', 'not approved; nothing was run');
          const review = flags.command === 'apply' ? 'plan' : flags.command;
          return refuse(
            io,
            flags,
            'no_approval',
            `there is no terminal to ask for approval; review the plan (pgreconcile ${review}) and pass --approve, or apply a reviewed plan file (pgreconcile ${review} --out plans/, then pgreconcile apply plans/<file>)`,
          );
        }
        default: {
          const unknown: never = result;
          return unknown;
        }
      }
    case 'ran':
      return report(result.outcome, doc, flags, io, result.planFile !== undefined ? relativePath(io, result.planFile) : planPath);
    default: {
      const unknown: never = result;
      return unknown;
    }
  }
}

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
    return refuse(io, flags, 'backup_unavailable', `${describeBackupProblems(outcome.problems)}; nothing was run.`, {
      ...base,
      backup_problems: outcome.problems,
    });
  }
  return refuse(io, flags, 'backup_limit', `${describeBackupLimit(outcome)}; nothing was run.`, {
    ...base,
    backup_estimates: outcome.estimates,
    backup_bytes: outcome.totalBytes,
    backup_limit_bytes: outcome.limitBytes,
  });
}

/** Prints an apply's outcome (text, or JSON with `extra` added) and returns the exit code. */
export function report(
  outcome: ApplyOutcome,
  doc: PlanDocument,
  flags: Flags,
  io: Io,
  planPath: string | undefined,
  extra: Record<string, unknown> = {},
): number {
  const base = { version: doc.id, plan_checksum: doc.checksum, ...extra };
  switch (outcome.kind) {
    case 'nothing_to_do':
      if (flags.json) io.out(`${JSON.stringify({ result: 'nothing_to_do', ...base }, null, 2)}\n`);
      else io.out(`Plan ${doc.id} has no steps: nothing to do.\n`);
      return APPLY_EXIT.applied;
    case 'refused': {
      switch (outcome.reason) {
        case 'hazards':
          return refuse(io, flags, 'hazards', describeMissingHazards(outcome.missing, planPath), {
            ...base,
            missing_hazards: outcome.missing,
          });
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
              advice: failureAdvice(outcome.sqlstate, {
                step: outcome.resumeFrom,
                resumable: true,
                ...(planPath !== undefined ? { planPath } : {}),
              }),
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
        io.out(
          `Applied ${plural(outcome.stepsApplied, 'step')} in ${seconds(outcome.durationMs)}; version ${doc.id} recorded in the ledger.\n`,
        );
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
