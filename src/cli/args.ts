/**
 * Command-line parsing on node's util.parseArgs, with the help text generated from the same
 * option table that parses, so `--help` always documents every flag. A usage error (an unknown
 * command or flag, a missing or malformed argument) exits with USAGE_EXIT_CODE in every command,
 * a code no command uses for an outcome.
 */
import { parseArgs } from 'node:util';
import { editDistance } from '../model/edit-distance.js';
import { USAGE_EXIT_CODE } from './exit-codes.js';

export { USAGE_EXIT_CODE };

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** The argument's placeholder, e.g. `URL`; absent for a boolean flag. */
  readonly arg?: string;
  readonly description: string;
  readonly multiple?: boolean;
}

export interface CommandSpec<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** `pgreconcile plan [options]` */
  readonly usage: string;
  /** Paragraphs after the usage line. */
  readonly description: string;
  readonly options: O;
  /** Names of the positional arguments and what they are. */
  readonly positionals?: readonly { readonly name: string; readonly description: string }[];
  readonly maxPositionals: number;
  /** Exit codes and what they mean (the usage error's, USAGE_EXIT_CODE, is added by the help). */
  readonly exitCodes: readonly { readonly code: number; readonly meaning: string }[];
}

/**
 * A usage error: the words of the call are wrong. The message does not name the command; the
 * CLI prints it as `pgreconcile <command>: <message>` and exits with USAGE_EXIT_CODE.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The closest of `candidates` to `word`, when it is close enough to be a likely typo (at most a
 * third of its length in edits, and at most 3); undefined otherwise.
 *
 * @example
 * closest('plna', ['plan', 'pull']) // 'plan'
 * closest('--scheam', ['--schema', '--sql']) // '--schema'
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    const prefix = candidate.startsWith(lower) && lower.replace(/^-+/, '').length >= 3;
    const distance = prefix ? Math.min(d, 1) : d;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3)));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** Flags people reach for from other tools, with what to use here instead. */
const FLAG_HINTS: Readonly<Record<string, string>> = {
  '--dry-run': 'nothing here has a dry run: `pgreconcile plan` only reads the database and shows what `apply` would do',
  '--url': 'the database is --database-url URL (or $DATABASE_URL)',
  '--file': 'the desired-state file is --schema FILE',
  '--yes': 'approval without a prompt is --approve (-y)',
  '--force': 'only `baseline` has --force; `apply` takes --allow-hazards LIST and --approve',
};

/** `unknown option --x` with a suggestion: a close flag of the command, or a hint. */
function unknownOption(spec: CommandSpec, option: string): string {
  const names = [...spec.options, HELP_OPTION].map((o) => `--${o.name}`);
  const flag = option.split('=')[0] ?? option;
  const near = flag.startsWith('--') ? closest(flag, names) : undefined;
  const hint = near !== undefined ? `did you mean ${near}?` : FLAG_HINTS[flag];
  return `unknown option ${flag}${hint !== undefined ? ` (${hint})` : ''}`;
}

/**
 * A command's spec with its option names kept as literal types, so that `ParsedArgs` of it knows
 * each flag's name and value type.
 *
 * @example
 * export const planSpec = defineCommand({ name: 'plan', …, options: [SCHEMA_OPTION, { name: 'json', description: '…' }] });
 */
export function defineCommand<const O extends readonly OptionSpec[]>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** The parsed value of one option: a string (an array when repeatable) for one with an argument, else a boolean. */
type OptionValue<O extends OptionSpec> = O extends { readonly arg: string }
  ? O extends { readonly multiple: true }
    ? string[]
    : string
  : boolean;

/**
 * The parsed flags of a command, typed from its spec: one optional property per option, named as
 * the flag (`values['database-url']`), plus `help`. A flag name the spec does not have is a
 * compile error.
 */
export type FlagValues<S extends CommandSpec> = {
  readonly [O in S['options'][number] as O['name']]?: OptionValue<O>;
} & { readonly help?: boolean };

export interface ParsedArgs<S extends CommandSpec = CommandSpec> {
  readonly values: FlagValues<S>;
  readonly positionals: readonly string[];
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'Show this help and exit.' };

/**
 * Parses a command's arguments by its spec; a `UsageError` for an unknown flag (with the closest
 * one), a missing value, or too many positionals.
 *
 * @example
 * const args = parseCommandArgs(planSpec, ['--json']);
 * args.values.json // true
 */
export function parseCommandArgs<S extends CommandSpec>(spec: S, argv: readonly string[]): ParsedArgs<S> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of [...spec.options, HELP_OPTION]) {
    options[o.name] = {
      type: o.arg !== undefined ? 'string' : 'boolean',
      ...(o.short !== undefined ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) throw new UsageError(unknownOption(spec, unknown));
    const missing = /^Option '(-\w, )?(--[\w-]+) <value>' argument missing/.exec(message)?.[2];
    if (missing !== undefined) {
      const arg = spec.options.find((o) => `--${o.name}` === missing)?.arg ?? 'VALUE';
      throw new UsageError(`${missing} needs a value: ${missing} ${arg}`);
    }
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
  if (!parsed.values['help'] && parsed.positionals.length > spec.maxPositionals) {
    const extra = parsed.positionals[spec.maxPositionals]!;
    const takes =
      spec.maxPositionals === 0
        ? 'takes no arguments'
        : `takes at most ${spec.maxPositionals} argument${spec.maxPositionals === 1 ? '' : 's'}`;
    throw new UsageError(`unexpected argument "${extra}" (${spec.name} ${takes})`);
  }
  return { values: parsed.values as FlagValues<S>, positionals: parsed.positionals };
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const out: string[] = [`Usage: ${spec.usage}`, ''];
  for (const paragraph of spec.description.split('\n\n')) out.push(wrap(paragraph, 88, ''), '');
  if (spec.positionals && spec.positionals.length > 0) {
    out.push('Arguments:');
    for (const p of spec.positionals) out.push(`  ${p.name.padEnd(26)} ${wrap(p.description, 60, ' '.repeat(29))}`);
    out.push('');
  }
  out.push('Options:');
  for (const o of [...spec.options, HELP_OPTION]) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;
    out.push(`  ${flag.padEnd(26)} ${wrap(o.description, 60, ' '.repeat(29))}`);
  }
  out.push('', 'Exit codes:');
  for (const e of spec.exitCodes) out.push(`  ${String(e.code).padEnd(3)} ${e.meaning}`);
  out.push(
    `  ${String(USAGE_EXIT_CODE).padEnd(3)} usage error: an unknown option, a missing or malformed argument (the same code in every command)`,
  );
  return `${out.join('\n')}\n`;
}
