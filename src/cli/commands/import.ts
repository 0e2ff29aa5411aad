import { resolve } from 'node:path';
import { importSqlFile, ImportError } from '../../import/index.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { DONE_EXIT } from '../exit-codes.js';
import type { importSpec } from '../specs.js';
import { requireFile } from '../flags.js';
import { writePulled } from './pull.js';

/**
 * `pgreconcile import FILE.sql [--out FILE] [--ignore GLOB ...]`: exit 0 when the file is written,
 * 1 with `FILE:line:column: message` when a statement of the script fails.
 *
 * @example
 * await runImport({ values: { out: 'schema.yaml' }, positionals: ['init.sql'] }, io)  // 0
 */
export async function runImport(args: ParsedArgs<typeof importSpec>, io: Io): Promise<number> {
  const file = args.positionals[0];
  if (file === undefined) throw new UsageError('the SQL file to import is missing (pgreconcile import FILE.sql)');
  const ignore = args.values['ignore'] ?? [];
  await requireFile(io, file);
  try {
    io.err(`Running ${file} in an in-memory PGlite database\n`);
    const { yaml, warnings } = await importSqlFile(resolve(io.cwd, file), { fileName: file, ignore });
    await writePulled(io, yaml, warnings, args.values['out']);
    return DONE_EXIT.done;
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    io.err(`${error.format()}\n`);
    return DONE_EXIT.error;
  }
}
