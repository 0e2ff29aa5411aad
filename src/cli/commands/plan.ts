/**
 * `pgreconcile plan`: the plan from the database to schema.yaml, printed (summary, --sql or
 * --json), rehearsed with --rehearse, written with --out (the flow is src/api/plan.ts).
 */
import { describeTarget, openDatabase } from '../../db/open.js';
import { fetchCatalog, unmanagedLabel } from '../../introspect/index.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import { PLAN_EXIT } from '../exit-codes.js';
import { cacheDirOf, rehearseFlags, rehearseRowsFlag, requireFile } from '../flags.js';
import type { Io } from '../io.js';
import type { planSpec } from '../specs.js';
import { printRehearsalEvent } from './rehearsal-output.js';

export async function runPlan(args: ParsedArgs<typeof planSpec>, io: Io): Promise<number> {
  const { values } = args;
  if (values.sql && values.json) throw new UsageError('--sql and --json exclude each other');
  const schemaPath = values.schema ?? 'schema.yaml';
  const rehearseRows = rehearseRowsFlag(values);
  await requireFile(io, schemaPath);
  const db = await openDatabase({ databaseUrl: values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    // The catalog queries start now and run on the server while the planner's code loads.
    const catalog = fetchCatalog(db);
    catalog.catch(() => undefined);
    const [{ plan: planFlow, STRICT_ADVICE }, { renderJson, renderSql, renderSummary }] = await Promise.all([
      import('../../api/plan.js'),
      import('../../plan/render.js'),
    ]);
    const out = values.out;
    const rehearse = rehearseFlags(values.rehearse === true || rehearseRows !== undefined, rehearseRows, io);
    const { plan, rehearsed, planFile, warnings, coverage } = await planFlow({
      db,
      schema: schemaPath,
      cacheDir: cacheDirOf(io),
      catalog,
      ...(rehearse !== undefined ? { rehearse } : {}),
      ...(out !== undefined ? { out } : {}),
      ...(values.strict === true ? { strict: true } : {}),
      onEvent: (event) => printRehearsalEvent(io, event),
    });
    for (const warning of warnings) io.err(`warning: ${warning}\n`);
    const rehearsal = rehearsed?.rehearsal;
    const unmanaged = coverage.unmanaged.map((o) => ({
      kind: o.kind,
      ...(o.schema !== undefined ? { schema: o.schema } : {}),
      name: o.name,
      ...(o.detail !== undefined ? { detail: o.detail } : {}),
    }));
    if (values.json)
      io.out(
        renderJson(plan, {
          ...(planFile !== undefined ? { plan_file: planFile } : {}),
          ...(rehearsal ? { rehearsal } : {}),
          unmanaged,
          ...(coverage.failure !== undefined ? { strict_failure: coverage.failure } : {}),
        }),
      );
    else if (values.sql) io.out(renderSql(plan));
    else io.out(renderSummary(plan, { color: io.isTTY && !values['no-color'], unmanaged: coverage.unmanaged }));
    if (coverage.failure !== undefined) {
      const n = coverage.unmanaged.length;
      const names = coverage.unmanaged.map((o) => `  ${unmanagedLabel(o)}\n`).join('');
      const what = n === 1 ? '1 object of a kind' : `${n} objects of kinds`;
      io.err(
        `pgreconcile plan: --strict: the database holds ${what} the format does not manage, not matched by \`ignore\`:\n${names}` +
          `${STRICT_ADVICE}${out !== undefined ? ' No plan file was written.' : ''}\n`,
      );
      return PLAN_EXIT.unmanaged;
    }
    if (rehearsed !== undefined && !values.json) (values.sql ? io.err : io.out)(rehearsed.report);
    if (planFile !== undefined) io.err(`Plan written to ${planFile}\n`);
    if (rehearsed?.failure !== undefined) {
      io.err(`pgreconcile plan: ${rehearsed.failure}${out !== undefined ? ' No plan file was written.' : ''}\n`);
      return PLAN_EXIT.error;
    }
    return plan.steps.length === 0 ? PLAN_EXIT.inSync : PLAN_EXIT.changes;
  } finally {
    await db.close();
  }
}
