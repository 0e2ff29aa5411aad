import { formatDiagnostic, validateFile } from '../../desired/index.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { DONE_EXIT } from '../exit-codes.js';
import type { validateSpec } from '../specs.js';
import { pathIn, requireFile } from '../flags.js';

/** `3 tables, 1 enum, 2 functions` — a count with its noun, singular for one. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `pgreconcile validate [FILE | --schema FILE]`: exit 0 valid, 1 invalid (every error printed).
 *
 * @example
 * await runValidate({ values: {}, positionals: ['schema.yaml'] }, io)  // 0
 */
export async function runValidate(args: ParsedArgs<typeof validateSpec>, io: Io): Promise<number> {
  const positional = args.positionals[0];
  const flag = args.values['schema'];
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`two files given: ${positional} and --schema ${flag}; give one`);
  }
  const file = positional ?? flag ?? 'schema.yaml';
  await requireFile(io, file);
  const result = await validateFile(pathIn(io, file));
  if (!result.ok) {
    for (const d of result.diagnostics) io.err(`${formatDiagnostic({ ...d, file })}\n`);
    io.err(`${file}: ${counted(result.diagnostics.length, 'error')}\n`);
    return DONE_EXIT.error;
  }
  if (!args.values['quiet']) {
    const m = result.state?.model;
    const counts = m
      ? ` (${counted(m.tables.length, 'table')}, ${counted(m.enums.length, 'enum')}, ${counted(m.functions.length, 'function')}, ${counted(m.extensions.length, 'extension')})`
      : '';
    io.out(`${file} is valid${counts}\n`);
  }
  return DONE_EXIT.done;
}
