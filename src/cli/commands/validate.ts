import { formatDiagnostic, validateFile } from '../../desired/index.js';
import type { CommandSpec, ParsedArgs } from '../args.js';
import type { Io } from '../io.js';

export const validateSpec: CommandSpec = {
  name: 'validate',
  summary: 'Check schema.yaml without a database: format, types, SQL fragments, references',
  usage: 'pgreconcile validate [FILE]',
  description:
    'Loads the desired-state file and checks it without touching a database: the JSON Schema of format version 1, ' +
    'type names, every SQL fragment (defaults, checks, index expressions and predicates, trigger WHEN, function bodies) ' +
    'parsed with PostgreSQL\'s own parser, references (FK targets, trigger functions, enum types, index and constraint ' +
    'columns) and duplicate names. Every error is printed as `file:line:column path: message`; all errors are reported at once.',
  positionals: [{ name: 'FILE', description: 'The desired-state file (default: schema.yaml).' }],
  maxPositionals: 1,
  options: [{ name: 'quiet', short: 'q', description: 'Print nothing when the file is valid.' }],
  exitCodes: [
    { code: 0, meaning: 'the file is valid' },
    { code: 1, meaning: 'the file is invalid (errors printed to stderr)' },
    { code: 2, meaning: 'usage error' },
  ],
  usageExitCode: 2,
};

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
