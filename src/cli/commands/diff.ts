import { closeSource, compareSources, openSource, type Source } from '../../drift/compare-sources.js';
import { renderJson, renderSql, renderSummary } from '../../plan/render.js';
import { UsageError, type ParsedArgs } from '../args.js';
import type { Io } from '../io.js';
import { PLAN_EXIT } from '../exit-codes.js';
import type { diffSpec } from '../specs.js';
import { pathIn, requireFile } from '../flags.js';

/** A side as the user named it: `database postgres://app:***@db/app`, `file schema.yaml`. */
function describe(source: Source, given: string): string {
  return source.kind === 'database' ? `database ${source.url}` : `file ${given}`;
}

export async function runDiff(args: ParsedArgs<typeof diffSpec>, io: Io): Promise<number> {
  const fromArg = args.values['from'];
  const toArg = args.values['to'];
  if (fromArg === undefined || toArg === undefined) throw new UsageError('both --from and --to are required');
  if (args.values['sql'] && args.values['json']) throw new UsageError('--sql and --json exclude each other');
  const resolveArg = (v: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(v) ? v : pathIn(io, v));
  for (const side of [fromArg, toArg]) if (!/^[a-z][a-z0-9+.-]*:/i.test(side)) await requireFile(io, side);
  const from = await openSource(resolveArg(fromArg), io.cwd);
  try {
    const to = await openSource(resolveArg(toArg), io.cwd);
    try {
      io.err(`Plan to make ${describe(from, fromArg)} match ${describe(to, toArg)}\n`);
      const { plan } = await compareSources(from, to);
      if (args.values['json']) io.out(renderJson(plan));
      else if (args.values['sql']) io.out(renderSql(plan));
      else
        io.out(
          renderSummary(plan, {
            color: io.isTTY && !args.values['no-color'],
            noChanges: `No differences: ${describe(from, fromArg)} matches ${describe(to, toArg)}.`,
          }),
        );
      return plan.steps.length === 0 ? PLAN_EXIT.inSync : PLAN_EXIT.changes;
    } finally {
      await closeSource(to);
    }
  } finally {
    await closeSource(from);
  }
}
