import { join } from 'node:path';
import { describeTarget, openDatabase } from '../../db/open.js';
import { planFile } from '../../plan-database.js';
import { renderJson, renderSql, renderSummary } from '../../plan/render.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';


export async function runPlan(args: ParsedArgs, io: Io): Promise<number> {
  if (args.values['sql'] && args.values['json']) throw new UsageError('plan: --sql and --json exclude each other');
  const schemaPath = (args.values['schema'] as string | undefined) ?? 'schema.yaml';
  const db = await openDatabase({ databaseUrl: args.values['database-url'] as string | undefined, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const { plan, live, desired } = await planFile(db, schemaPath, { cacheDir: join(io.cwd, '.pgreconcile', 'cache') });
    let written: string | undefined;
    const out = args.values['out'] as string | undefined;
    if (out !== undefined) {
      const { newPlanDocument, writePlanFile } = await import('../../plan/plan-file.js');
      const { objectFingerprints } = await import('../../model/fingerprint.js');
      const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
      written = await writePlanFile(doc, out);
    }
    if (args.values['json']) io.out(renderJson(plan, written !== undefined ? { plan_file: written } : {}));
    else if (args.values['sql']) io.out(renderSql(plan));
    else io.out(renderSummary(plan, { color: io.isTTY && !args.values['no-color'] }));
    if (written !== undefined) io.err(`Plan written to ${written}\n`);
    return plan.steps.length === 0 ? 0 : 2;
  } finally {
    await db.close();
  }
}
