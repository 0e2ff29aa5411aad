/**
 * The `pgreconcile` command: dispatch, help, and the translation of errors into messages and
 * exit codes. Logic a library user would need lives in the library, not here.
 */
import { DesiredStateError, formatDiagnostic } from '../desired/diagnostic.js';
import { isDbError, formatDbError } from '../db/errors.js';
import { redactConnectionStrings, redactSecrets, secretsOf } from '../db/redact.js';
import { PlanError, PlanFileError } from '../plan/errors.js';
import { toolVersion } from '../version.js';
import { closest, commandHelp, parseCommandArgs, UsageError, type CommandSpec, type ParsedArgs } from './args.js';
import { EXIT, USAGE_EXIT_CODE } from './exit-codes.js';
import { processIo, type Io } from './io.js';
import { diffSpec, driftSpec, importSpec, pullSpec } from './specs.js';
import { applySpec, approveSpec, baselineSpec, historySpec, planSpec, statusSpec, validateSpec } from './specs.js';
import { rollbackSpec } from './specs.js';
import { restoreSpec } from './specs.js';

/** A command's code: its parsed arguments (typed by its spec) to an exit code. */
type Run<S extends CommandSpec> = (args: ParsedArgs<S>, io: Io) => Promise<number>;

interface Command {
  readonly spec: CommandSpec;
  /** Parses the arguments (a `UsageError` when they are wrong); `run` loads and runs the command's code. */
  readonly parse: (argv: readonly string[]) => { readonly help: boolean; readonly run: (io: Io) => Promise<number> };
}

/** A command: its spec, and its code, loaded only when it runs. */
function entry<S extends CommandSpec>(spec: S, load: () => Promise<Run<S>>): Command {
  return {
    spec,
    parse: (argv) => {
      const args = parseCommandArgs(spec, argv);
      return { help: args.values.help === true, run: async (io) => (await load())(args, io) };
    },
  };
}

const COMMANDS: readonly Command[] = [
  entry(validateSpec, async () => (await import('./commands/validate.js')).runValidate),
  entry(planSpec, async () => (await import('./commands/plan.js')).runPlan),
  entry(pullSpec, async () => (await import('./commands/pull.js')).runPull),
  entry(importSpec, async () => (await import('./commands/import.js')).runImport),
  entry(applySpec, async () => (await import('./commands/apply.js')).runApply),
  entry(approveSpec, async () => (await import('./commands/approve.js')).runApprove),
  entry(rollbackSpec, async () => (await import('./commands/rollback.js')).runRollback),
  entry(restoreSpec, async () => (await import('./commands/restore.js')).runRestore),
  entry(historySpec, async () => (await import('./commands/history.js')).runHistory),
  entry(statusSpec, async () => (await import('./commands/status.js')).runStatus),
  entry(baselineSpec, async () => (await import('./commands/baseline.js')).runBaseline),
  entry(driftSpec, async () => (await import('./commands/drift.js')).runDrift),
  entry(diffSpec, async () => (await import('./commands/diff.js')).runDiff),
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    `pgreconcile ${toolVersion()} — declarative desired-state schema reconciler for PostgreSQL`,
    '',
    'Usage: pgreconcile <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Run `pgreconcile <command> --help` for the options of a command.',
    'Global: --help, -h (this text), --version, -V (the version).',
    '',
    'The database is --database-url URL, else $DATABASE_URL, else an embedded PGlite database stored in .pgreconcile/.',
    '',
    `Exit codes, the same in every command: ${EXIT.ok} done, nothing to change; ${EXIT.error} error; ${EXIT.changes} changes planned or pending;`,
    `${EXIT.refused} refused (apply) or drifted (drift); ${EXIT.noLedger} no ledger yet (status); ${EXIT.usage} usage error. Each command's --help says which it uses.`,
    '',
  ].join('\n');
}

function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(redactConnectionStrings(text), secrets);
}

function describeError(error: unknown, secrets: readonly string[]): string {
  if (error instanceof DesiredStateError) return error.diagnostics.map(formatDiagnostic).join('\n');
  if (isDbError(error)) return redact(`database error: ${formatDbError(error)}`, secrets);
  if (error instanceof PlanError) return `cannot plan: ${error.message}`;
  if (error instanceof PlanFileError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return redact(message, secrets);
}

/** `pgreconcile plna`: the closest command, when there is one, and the list. */
function unknownCommand(name: string, io: Io): number {
  const names = COMMANDS.map((c) => c.spec.name);
  const near = name.startsWith('-') ? closest(name, ['--help', '--version']) : closest(name, names);
  const suggestion = near !== undefined ? ` Did you mean "${near}"?` : '';
  const what = name.startsWith('-') ? `unknown option ${name}: a command comes first` : `unknown command "${name}"`;
  io.err(`pgreconcile: ${what}.${suggestion} Commands: ${names.join(', ')}. See pgreconcile --help.\n`);
  return USAGE_EXIT_CODE;
}

/**
 * Runs one command line; returns the exit code. Never throws.
 *
 * @example
 * process.exitCode = await main(['plan', '--json']);
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // No command is a usage error: the help goes to stderr, so a script sees nothing on stdout.
    io.err(mainHelp());
    return USAGE_EXIT_CODE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? COMMANDS.find((c) => c.spec.name === rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && topic === undefined) return unknownCommand(rest[0], io);
    io.out(topic ? commandHelp(topic.spec) : mainHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) return unknownCommand(name, io);
  const secrets = [...argv, io.env['DATABASE_URL'] ?? ''].flatMap((a) => (a.includes('://') || /password=/i.test(a) ? secretsOf(a) : []));
  let parsed: ReturnType<Command['parse']>;
  try {
    parsed = command.parse(rest);
  } catch (error) {
    io.err(`pgreconcile ${name}: ${redact((error as Error).message, secrets)}\nSee pgreconcile ${name} --help.\n`);
    return USAGE_EXIT_CODE;
  }
  if (parsed.help) {
    io.out(commandHelp(command.spec));
    return EXIT.ok;
  }
  try {
    return await parsed.run(io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`pgreconcile ${name}: ${redact(error.message, secrets)}\nSee pgreconcile ${name} --help.\n`);
      return USAGE_EXIT_CODE;
    }
    io.err(`pgreconcile ${name}: ${describeError(error, secrets)}\n`);
    if (process.env['PGRECONCILE_DEBUG'] && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return EXIT.error;
  }
}
