/**
 * Command-line parsing on node's util.parseArgs, with the help text generated from the same
 * option table that parses, so `--help` always documents every flag.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** The argument's placeholder, e.g. `URL`; absent for a boolean flag. */
  readonly arg?: string;
  readonly description: string;
  readonly multiple?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** `pgreconcile plan [options]` */
  readonly usage: string;
  /** Paragraphs after the usage line. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Names of the positional arguments and what they are. */
  readonly positionals?: readonly { readonly name: string; readonly description: string }[];
  readonly maxPositionals: number;
  /** Exit codes and what they mean. */
  readonly exitCodes: readonly { readonly code: number; readonly meaning: string }[];
  /** The exit code for a usage error (wrong flag, missing argument). */
  readonly usageExitCode: number;
}

/** A usage error: the words of the call are wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'Show this help and exit.' };

export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
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
    throw new UsageError(`${spec.name}: ${message}`);
  }
  if (!parsed.values['help'] && parsed.positionals.length > spec.maxPositionals) {
    throw new UsageError(`${spec.name}: unexpected argument "${parsed.positionals[spec.maxPositionals]}"`);
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
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
  return `${out.join('\n')}\n`;
}
