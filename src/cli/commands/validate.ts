import { formatDiagnostic, validateFile } from '../../desired/index.js';
import type { ParsedArgs } from '../args.js';
import type { Io } from '../io.js';


export async function runValidate(args: ParsedArgs, io: Io): Promise<number> {
  const file = args.positionals[0] ?? 'schema.yaml';
  const result = await validateFile(file);
  if (!result.ok) {
    for (const d of result.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
    io.err(`${file}: ${result.diagnostics.length} error${result.diagnostics.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  if (!args.values['quiet']) {
    const m = result.state?.model;
    const counts = m
      ? ` (${m.tables.length} tables, ${m.enums.length} enums, ${m.functions.length} functions, ${m.extensions.length} extensions)`
      : '';
    io.out(`${file} is valid${counts}\n`);
  }
  return 0;
}
