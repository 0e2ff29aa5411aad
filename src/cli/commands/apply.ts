/**
 * `pgreconcile apply [PLANFILE]`: a reviewed plan file applied, or a plan made now under the
 * deployment lock, shown, approved and applied (the flows are in src/api/apply.ts; this prints
 * them); `--resume` continues a failed apply (./apply-resume.ts).
 */
import { describeTarget, openDatabase } from '../../db/open.js';
import { loadDesiredState } from '../../desired/index.js';
import { checkHazards, describeMissingHazards } from '../../apply/hazard-gate.js';
import { PlanFileError } from '../../plan/errors.js';
import { planDesiredState, readPlanFile, type PlanDocument } from '../../plan/plan-file.js';
import type { ParsedArgs } from '../args.js';
import { APPLY_EXIT } from '../exit-codes.js';
import { cacheDirOf, executionFlags, flagsOf, pathIn, rehearseFlags, requireFile, type Flags } from '../flags.js';
import type { Io } from '../io.js';
import type { applySpec } from '../specs.js';
import { runResume } from './apply-resume.js';
import { confirmOnTerminal, flowEventPrinter, processTerminal, refuse, reportFlow, type ApplyTerminal } from './apply-output.js';

export { processTerminal, StepProgress, type ApplyTerminal } from './apply-output.js';

/**
 * Runs `pgreconcile apply`; returns the exit code.
 *
 * @example
 * process.exitCode = await runApply(parseCommandArgs(applySpec, ['plans/x.plan.yaml']), processIo());
 */
export async function runApply(args: ParsedArgs<typeof applySpec>, io: Io, terminal: ApplyTerminal = processTerminal()): Promise<number> {
  const flags = flagsOf(args.values);
  const planPath = args.positionals[0];
  if (args.values.resume === true) return runResume(planPath, flags, args.values['database-url'], io, terminal);
  if (planPath !== undefined) return applyFile(planPath, flags, args.values['database-url'], io, terminal);
  return applyNow(flags, args.values['database-url'], io, terminal);
}

async function applyFile(
  planPath: string,
  flags: Flags,
  databaseUrl: string | undefined,
  io: Io,
  terminal: ApplyTerminal,
): Promise<number> {
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
    desired = await loadDesiredState(pathIn(io, flags.schemaPath), { cacheDir: cacheDirOf(io) });
    if ((desired.source?.hash ?? '') !== doc.plan.desiredHash) {
      return refuse(
        io,
        flags,
        'desired_state',
        `${planPath} does not record its desired state, and ${flags.schemaPath} is not the file it was planned from (its sha256 differs); re-plan with \`pgreconcile plan --out plans/\``,
      );
    }
  }
  // The gate before connecting: a refusal needs no database.
  const gate = checkHazards(doc.plan, flags.allow, doc.approval);
  if (gate.kind === 'refused') {
    return refuse(io, flags, 'hazards', describeMissingHazards(gate.missing, planPath), { version: doc.id, missing_hazards: gate.missing });
  }
  const db = await openDatabase({ databaseUrl, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const { applyPlan } = await import('../../api/apply.js');
    const result = await applyPlan({
      db,
      doc,
      desired,
      ...executionFlags(flags, io),
      rehearse: rehearseFlags(flags.rehearse, flags.rehearseRows, io),
      onEvent: flowEventPrinter(flags, io, terminal, { checksum: doc.checksum }),
    });
    return reportFlow(result, flags, io, planPath);
  } finally {
    await db.close();
  }
}

async function applyNow(flags: Flags, databaseUrl: string | undefined, io: Io, terminal: ApplyTerminal): Promise<number> {
  await requireFile(io, flags.schemaPath);
  const desired = await loadDesiredState(pathIn(io, flags.schemaPath), { cacheDir: cacheDirOf(io) });
  const db = await openDatabase({ databaseUrl, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const { apply } = await import('../../api/apply.js');
    const result = await apply({
      db,
      desired,
      ...executionFlags(flags, io),
      rehearse: rehearseFlags(flags.rehearse, flags.rehearseRows, io),
      approve: flags.approve,
      confirm: confirmOnTerminal(terminal),
      cwd: io.cwd,
      onEvent: flowEventPrinter(flags, io, terminal),
    });
    if (result.kind === 'nothing_to_do') {
      if (flags.json)
        io.out(`${JSON.stringify({ result: 'nothing_to_do', message: 'No changes. The database matches the desired state.' }, null, 2)}\n`);
      else io.out('No changes. The database matches the desired state.\n');
      return APPLY_EXIT.applied;
    }
    return reportFlow(result, flags, io);
  } finally {
    await db.close();
  }
}
