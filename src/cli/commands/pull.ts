import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeTarget, openDatabase } from '../../db/open.js';
import { pullSchema } from '../../pull/index.js';
import type { ParsedArgs } from '../args.js';
import type { Io } from '../io.js';
import { DONE_EXIT } from '../exit-codes.js';
import type { pullSpec } from '../specs.js';

/**
 * Prints the warnings (stderr) and writes the desired-state file to `out` (relative to the
 * working directory), or to stdout without `out`.
 *
 * @example
 * await writePulled(io, yaml, warnings, 'schema.yaml');  // stderr: "Wrote schema.yaml"
 */
export async function writePulled(io: Io, yaml: string, warnings: readonly string[], out: string | undefined): Promise<void> {
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  if (out === undefined) {
    io.out(yaml);
    return;
  }
  await writeFile(resolve(io.cwd, out), yaml);
  io.err(`Wrote ${out}${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'} above)` : ''}\n`);
}

/**
 * `pgreconcile pull [--database-url URL] [--out FILE] [--ignore GLOB ...]`: exit 0 when the file
 * is written; errors are thrown to main(), which prints them and exits 1.
 *
 * @example
 * await runPull({ values: { 'database-url': url, out: 'schema.yaml' }, positionals: [] }, io)  // 0
 */
export async function runPull(args: ParsedArgs<typeof pullSpec>, io: Io): Promise<number> {
  const ignore = args.values['ignore'] ?? [];
  const db = await openDatabase({ databaseUrl: args.values['database-url'], cwd: io.cwd });
  try {
    io.err(`${describeTarget(db)}\n`);
    const { yaml, warnings } = await pullSchema(db, { ignore });
    await writePulled(io, yaml, warnings, args.values['out']);
    return DONE_EXIT.done;
  } finally {
    await db.close();
  }
}
