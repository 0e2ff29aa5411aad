/**
 * `pgreconcile rollback [--to VERSION]`: plans the way back to the desired state an applied
 * version recorded, shows it with its hazards, and applies it like `apply` without a plan file
 * (the flow is src/api/rollback.ts; the approval, the lock, the ledger and the report are
 * shared with apply); `--out` writes the rollback plan file for review instead.
 */
import { describeTarget, openDatabase } from '../../db/open.js';
import type { Db } from '../../db/db.js';
import { describeVersionKind, planRollback } from '../../apply/rollback.js';
import { liveReadOptions } from '../../apply/apply-plan.js';
import type { LedgerVersion } from '../../ledger/ledger-store.js';
import { describeWho } from '../../ledger/ledger-store.js';
import { writePlanFile } from '../../plan/plan-file.js';
import { renderJson, renderSummary } from '../../plan/render.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import { ROLLBACK_EXIT } from '../exit-codes.js';
import { executionFlags, flagsOf, pathIn, rehearseFlags, type Flags } from '../flags.js';
import type { Io } from '../io.js';
import type { rollbackSpec } from '../specs.js';
import { confirmOnTerminal, flowEventPrinter, processTerminal, reportFlow, type ApplyTerminal } from './apply-output.js';

/** The target in one line: `20261121T201500Z_create-table-users (apply, applied 2026-11-21T20:15:01.000Z by postgres (alice@ci-3))`. */
function describeTargetVersion(t: LedgerVersion): string {
  return `${t.version} (${describeVersionKind(t)}, applied ${t.finishedAt ?? t.startedAt} by ${describeWho(t)})`;
}

/** An empty rollback plan: the database already is in that version's state. Nothing is recorded. */
function alreadyThere(target: LedgerVersion, flags: Flags, io: Io): number {
  const message = `The database already matches version ${target.version}: nothing to roll back, nothing recorded.`;
  if (flags.json) io.out(`${JSON.stringify({ result: 'nothing_to_do', rollback_to: target.version, message }, null, 2)}\n`);
  else io.out(`${message}\n`);
  return ROLLBACK_EXIT.applied;
}

/** `--out`: writes the rollback plan file and stops, as `plan --out` does. */
async function writeRollbackPlan(db: Db, to: string | undefined, out: string, flags: Flags, io: Io): Promise<number> {
  const r = await planRollback(db, { ...(to !== undefined ? { to } : {}), ...liveReadOptions(flags) });
  if (r.plan.steps.length === 0) return alreadyThere(r.target, flags, io);
  const written = await writePlanFile(r.doc, pathIn(io, out));
  if (flags.json) io.out(renderJson(r.plan, { plan_file: written, version: r.doc.id, rollback_to: r.target.version }));
  else io.out(`Rollback to ${describeTargetVersion(r.target)}\n${renderSummary(r.plan, { color: io.isTTY })}`);
  io.err(`Rollback plan written to ${written}; review it, then: pgreconcile apply ${written}\n`);
  return ROLLBACK_EXIT.written;
}

/** Plans under the deployment lock, shows the plan, asks, applies. */
async function rollbackNow(db: Db, to: string | undefined, flags: Flags, io: Io, terminal: ApplyTerminal): Promise<number> {
  const { rollback } = await import('../../api/rollback.js');
  const result = await rollback({
    db,
    ...(to !== undefined ? { to } : {}),
    ...executionFlags(flags, io),
    rehearse: rehearseFlags(flags.rehearse, flags.rehearseRows, io),
    approve: flags.approve,
    confirm: confirmOnTerminal(terminal),
    cwd: io.cwd,
    onEvent: flowEventPrinter(flags, io, terminal, { header: (e) => `Rollback to ${describeTargetVersion(e.target)}\n` }),
  });
  if (result.kind === 'nothing_to_do') return alreadyThere(result.target, flags, io);
  return reportFlow(result, flags, io);
}

/**
 * Runs `pgreconcile rollback`; returns the exit code.
 *
 * @example
 * process.exitCode = await runRollback(parseCommandArgs(rollbackSpec, ['--approve', '--allow-hazards', 'all']), processIo());
 */
export async function runRollback(
  args: ParsedArgs<typeof rollbackSpec>,
  io: Io,
  terminal: ApplyTerminal = processTerminal(),
): Promise<number> {
  const flags = flagsOf(args.values, 'rollback');
  const to = args.values.to;
  const out = args.values.out;
  if (to !== undefined && to.trim() === '') throw new UsageError('--to expects a version id (see pgreconcile history)');
  if (out !== undefined && flags.approve)
    throw new UsageError('--out writes the plan file for review and runs nothing; it excludes --approve');
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    if (out !== undefined) return await writeRollbackPlan(db, to, out, flags, io);
    return await rollbackNow(db, to, flags, io, terminal);
  } finally {
    await db.close();
  }
}
