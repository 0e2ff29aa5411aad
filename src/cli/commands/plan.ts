import { join } from 'node:path';
import { describeTarget, openDatabase } from '../../db/open.js';
import { fetchCatalog } from '../../introspect/index.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import { requireFile } from './common.js';
import { formatCount } from '../../plan/hazards.js';
import type { Io } from '../io.js';
import type { Db } from '../../db/db.js';
import type { LiveSchema } from '../../introspect/index.js';
import type { DesiredState } from '../../model/types.js';
import type { Plan } from '../../plan/build-plan.js';
import type { Rehearsal } from '../../apply/rehearse.js';

/**
 * `--rehearse` of `plan` and `apply`: the plan on a scratch copy of the target's schema, its report
 * and, when it failed, the reason in a sentence; undefined (said on stderr) for an empty plan.
 *
 * @example
 * const rehearsed = await rehearseForPlan(db, plan, desired, io, live);
 */
export async function rehearseForPlan(
  db: Db,
  plan: Plan,
  desired: DesiredState,
  io: Io,
  live?: LiveSchema,
  rows?: number,
): Promise<{ readonly rehearsal: Rehearsal; readonly report: string; readonly failure?: string } | undefined> {
  if (plan.steps.length === 0) {
    io.err('Nothing to rehearse: the plan is empty.\n');
    return undefined;
  }
  const { describeFailedRehearsal, rehearsePlan, renderRehearsal } = await import('../../apply/rehearse.js');
  const sample = rows !== undefined ? ` and up to ${formatCount(rows)} rows of each table` : '';
  io.err(`Rehearsing the plan on a scratch copy of the target's schema${sample}…\n`);
  const rehearsal = await rehearsePlan(db, plan, desired, {
    ...(live !== undefined ? { live } : {}),
    ...(rows !== undefined ? { rows } : {}),
    ...(io.env['PGRECONCILE_PG_DUMP'] !== undefined ? { pgDump: io.env['PGRECONCILE_PG_DUMP'] } : {}),
  });
  return { rehearsal, report: renderRehearsal(rehearsal, plan), ...(rehearsal.ok ? {} : { failure: describeFailedRehearsal(rehearsal, plan) }) };
}


/**
 * `--rehearse-rows N`: rows per table in the rehearsal's copy (a whole number, at least 1); it
 * implies --rehearse.
 */
export function rehearseRowsFlag(args: ParsedArgs): number | undefined {
  const raw = args.values['rehearse-rows'];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--rehearse-rows expects a number of rows, at least 1, got "${text}"`);
  return Number(text);
}

export async function runPlan(args: ParsedArgs, io: Io): Promise<number> {
  if (args.values['sql'] && args.values['json']) throw new UsageError('--sql and --json exclude each other');
  const schemaPath = (args.values['schema'] as string | undefined) ?? 'schema.yaml';
  const rehearseRows = rehearseRowsFlag(args);
  await requireFile(io, schemaPath);
  const db = await openDatabase({ databaseUrl: args.values['database-url'] as string | undefined, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    // The catalog queries start now and run on the server while the planner's code loads.
    const catalog = fetchCatalog(db);
    catalog.catch(() => undefined);
    const [{ planFile }, { renderJson, renderSql, renderSummary }] = await Promise.all([
      import('../../plan-database.js'),
      import('../../plan/render.js'),
    ]);
    const { plan, live, desired, warnings } = await planFile(db, schemaPath, { cacheDir: join(io.cwd, '.pgreconcile', 'cache'), catalog });
    for (const warning of warnings) io.err(`warning: ${warning}\n`);
    const rehearsed = args.values['rehearse'] || rehearseRows !== undefined ? await rehearseForPlan(db, plan, desired, io, live, rehearseRows) : undefined;
    const rehearsal = rehearsed?.rehearsal;
    let written: string | undefined;
    const out = args.values['out'] as string | undefined;
    if (out !== undefined && rehearsal?.ok !== false) {
      const { newPlanDocument, writePlanFile } = await import('../../plan/plan-file.js');
      const { objectFingerprints } = await import('../../model/fingerprint.js');
      const doc = newPlanDocument(plan, db.description, new Date(), {
        objectFingerprints: objectFingerprints(live.model),
        desired,
        ...(rehearsal !== undefined ? { rehearsal } : {}),
      });
      written = await writePlanFile(doc, out);
    }
    if (args.values['json']) io.out(renderJson(plan, { ...(written !== undefined ? { plan_file: written } : {}), ...(rehearsal ? { rehearsal } : {}) }));
    else if (args.values['sql']) io.out(renderSql(plan));
    else io.out(renderSummary(plan, { color: io.isTTY && !args.values['no-color'] }));
    if (rehearsed !== undefined && !args.values['json']) (args.values['sql'] ? io.err : io.out)(rehearsed.report);
    if (written !== undefined) io.err(`Plan written to ${written}\n`);
    if (rehearsed?.failure !== undefined) {
      io.err(`pgreconcile plan: ${rehearsed.failure}${out !== undefined ? ' No plan file was written.' : ''}\n`);
      return 1;
    }
    return plan.steps.length === 0 ? 0 : 2;
  } finally {
    await db.close();
  }
}
