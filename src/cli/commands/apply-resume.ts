/**
 * `pgreconcile apply --resume [PLANFILE]`: continues the newest failed or interrupted apply (see
 * src/apply/resume.ts), printing what it found and repaired, then the steps it runs.
 */
import { describeMissingHazards } from '../../apply/hazard-gate.js';
import { describeRepair, type ResumeEvent, type ResumeOutcome, type ResumeRepair } from '../../apply/resume.js';
import { resume } from '../../api/resume.js';
import { describeTarget, openDatabase } from '../../db/open.js';
import { describeWho } from '../../ledger/ledger-store.js';
import { PlanFileError } from '../../plan/errors.js';
import { readPlanFile, type PlanDocument } from '../../plan/plan-file.js';
import { executionFlags, pathIn, type Flags } from '../flags.js';
import type { Io } from '../io.js';
import { applyEventPrinter, refuse, refuseBackup, report, type ApplyTerminal } from './apply-output.js';

/**
 * Runs `apply --resume`: with PLANFILE, resumes that plan's failed or interrupted attempt (the
 * file must be the plan it applied); without, the newest such attempt, with the plan the ledger
 * recorded. Exit codes as `apply`'s: 0 resumed and in sync, 1 error or failed step, 3 refused.
 */
export async function runResume(
  planPath: string | undefined,
  flags: Flags,
  databaseUrl: string | undefined,
  io: Io,
  terminal: ApplyTerminal,
): Promise<number> {
  let doc: PlanDocument | undefined;
  if (planPath !== undefined) {
    try {
      doc = await readPlanFile(pathIn(io, planPath), planPath);
    } catch (error) {
      if (error instanceof PlanFileError) return refuse(io, flags, 'plan_file', error.message);
      throw error;
    }
  }
  const db = await openDatabase({ databaseUrl, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const outcome = await resume({
      db,
      ...(doc !== undefined ? { doc } : {}),
      ...executionFlags(flags, io),
      onEvent: resumeEventPrinter(flags, io, terminal),
    });
    return reportResume(outcome, flags, io, planPath);
  } finally {
    await db.close();
  }
}

function resumeEventPrinter(flags: Flags, io: Io, terminal: ApplyTerminal): (event: ResumeEvent) => void {
  const printApply = applyEventPrinter(flags, io, terminal, '');
  return (event) => {
    if (event.kind === 'resuming') {
      const from =
        event.fromStatus === 'running' ? 'interrupted' : `failed${event.failedStep !== undefined ? ` at step ${event.failedStep}` : ''}`;
      if (!flags.json)
        io.out(`Resuming version ${event.version} (${from}; ${event.appliedBefore} of ${event.total} steps were applied before)\n`);
    } else if (event.kind === 'repair') {
      if (!flags.json) io.out(`  ↺ ${describeRepair(event.repair)}\n`);
    } else printApply(event);
  };
}

function repairJson(repair: ResumeRepair): Record<string, unknown> {
  return { kind: repair.kind, step: repair.step.n, message: describeRepair(repair) };
}

function reportResume(outcome: ResumeOutcome, flags: Flags, io: Io, planPath: string | undefined): number {
  if (outcome.kind === 'refused') {
    switch (outcome.reason) {
      case 'already_applied': {
        const a = outcome.applied;
        const when = a.finishedAt ?? a.startedAt;
        return refuse(
          io,
          flags,
          'already_applied',
          `version ${a.version} was applied (${when} by ${describeWho(a)}); there is nothing to resume`,
          {
            version: a.version,
            applied_at: when,
          },
        );
      }
      case 'hazards':
        return refuse(io, flags, 'hazards', describeMissingHazards(outcome.missing, planPath), {
          version: outcome.version,
          missing_hazards: outcome.missing,
        });
      case 'backup_limit':
      case 'backup_unavailable':
      case 'backup_space':
        return refuseBackup(io, flags, outcome, { version: outcome.version });
      default:
        return refuse(io, flags, outcome.reason, outcome.message, {
          ...(outcome.version !== undefined ? { version: outcome.version } : {}),
          ...(outcome.step !== undefined ? { step: outcome.step } : {}),
        });
    }
  }
  const { resume } = outcome;
  const found = resume.repairs.filter((r) => r.kind === 'found_applied').length;
  if (outcome.kind === 'applied' && !flags.json) {
    const ran = outcome.stepsApplied - resume.appliedBefore - found;
    io.out(
      `Resumed: ${ran} step${ran === 1 ? '' : 's'} run now${found > 0 ? `, ${found} found already done` : ''}, ${resume.appliedBefore} applied before the ${resume.entry.fromStatus === 'running' ? 'interruption' : 'failure'}.\n`,
    );
  }
  return report(outcome, resume.doc, flags, io, planPath, {
    resumed: { from_status: resume.entry.fromStatus, steps_applied_before: resume.appliedBefore, repairs: resume.repairs.map(repairJson) },
  });
}
