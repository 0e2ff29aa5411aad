import { describeTarget, openDatabase } from '../../db/index.js';
import { loadDesiredState } from '../../desired/index.js';
import { planDatabase } from '../../index.js';
import { newPlanDocument, writePlanFile } from '../../plan/plan-file.js';
import { renderJson, renderSql, renderSummary } from '../../plan/render.js';
import type { CommandSpec, ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { SCHEMA_OPTION, DATABASE_URL_OPTION } from './common.js';

export const planSpec: CommandSpec = {
  name: 'plan',
  summary: 'Compare the database with schema.yaml and show the ordered steps, with hazards',
  usage: 'pgreconcile plan [--schema FILE] [--database-url URL] [--out FILE|DIR] [--sql | --json]',
  description:
    'Introspects the live database, compares it with the desired state, and prints the dependency-ordered plan that ' +
    'would make the database match: a summary grouped by object (+ create, ~ alter, - drop) with every hazard ' +
    '(deletes_data, table_rewrite, access_exclusive_lock, index_build, index_dropped, non_transactional, ' +
    'validates_constraint, has_untrackable_dependencies) and why. Nothing is executed.\n\n' +
    'With --out the plan is also written as a plan file (YAML: the SQL of every step as written, hazards, transaction ' +
    'groups, timeouts, the desired state\'s hash, the live schema\'s fingerprint, and a checksum) for review and for ' +
    '`pgreconcile apply PLANFILE`. When --out names a folder (existing, or ending in /), the file is named ' +
    '<UTC timestamp>_<slug>.plan.yaml in it.\n\n' +
    'Without --database-url and DATABASE_URL, the embedded PGlite database under .pgreconcile/ is used.',
  maxPositionals: 0,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    { name: 'out', short: 'o', arg: 'FILE|DIR', description: 'Also write the plan file here (a folder: plans/<UTC timestamp>_<slug>.plan.yaml).' },
    { name: 'sql', description: 'Print the plan as plain SQL instead of the summary.' },
    { name: 'json', description: 'Print the plan as JSON instead of the summary.' },
    { name: 'no-color', description: 'Never colour the summary (colour is used only on a terminal).' },
  ],
  exitCodes: [
    { code: 0, meaning: 'no changes: the database matches the desired state' },
    { code: 2, meaning: 'changes planned' },
    { code: 1, meaning: 'error (invalid schema file, database unreachable, a change that cannot be planned, usage error)' },
  ],
  usageExitCode: 1,
};

export async function runPlan(args: ParsedArgs, io: Io): Promise<number> {
  if (args.values['sql'] && args.values['json']) throw new UsageError('plan: --sql and --json exclude each other');
  const schemaPath = (args.values['schema'] as string | undefined) ?? 'schema.yaml';
  const desired = await loadDesiredState(schemaPath);
  const db = await openDatabase({ databaseUrl: args.values['database-url'] as string | undefined, cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const { plan } = await planDatabase(db, desired);
    let written: string | undefined;
    const out = args.values['out'] as string | undefined;
    if (out !== undefined) written = await writePlanFile(newPlanDocument(plan, db.description), out);
    if (args.values['json']) io.out(renderJson(plan, written !== undefined ? { plan_file: written } : {}));
    else if (args.values['sql']) io.out(renderSql(plan));
    else io.out(renderSummary(plan, { color: io.isTTY && !args.values['no-color'] }));
    if (written !== undefined) io.err(`Plan written to ${written}\n`);
    return plan.steps.length === 0 ? 0 : 2;
  } finally {
    await db.close();
  }
}
