/**
 * The flags several commands share, parsed and checked: paths for the working folder, whole
 * numbers and seconds, and the execution flags of `apply` and `rollback`. A malformed value is a
 * `UsageError` (exit 64). The names are checked against the command's spec at compile time.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { parseByteSize, type BackupOptions } from '../apply/backup.js';
import { HazardListError, parseAllowedHazards, type AllowedHazards } from '../apply/hazard-gate.js';
import { requireReadableFile } from '../util/files.js';
import { UsageError, type FlagValues } from './args.js';
import type { Io } from './io.js';
import type { applySpec } from './specs.js';
import type { ExecutionOptions } from '../api/apply.js';
import type { RehearseFlowOptions } from '../api/rehearse.js';

/**
 * A path given on the command line, for the working folder `io.cwd` (the same as the process's
 * when run from a shell; the library may run commands for another folder).
 */
export function pathIn(io: Io, path: string): string {
  return isAbsolute(path) || resolve(io.cwd) === process.cwd() ? path : resolve(io.cwd, path);
}

/** Where the desired-state cache of the working folder is. */
export function cacheDirOf(io: Io): string {
  return join(io.cwd, '.pgreconcile', 'cache');
}

/**
 * Checks that a file the command line names can be read, before anything connects: the same
 * message (`cannot read FILE: it does not exist`, exit 1) in every command.
 *
 * @example await requireFile(io, schemaPath);
 */
export async function requireFile(io: Io, path: string): Promise<void> {
  await requireReadableFile(isAbsolute(path) ? path : resolve(io.cwd, path), path);
}

/** The text of a string flag, or undefined when absent. */
function textOf(raw: unknown): string | undefined {
  return raw === undefined ? undefined : String(raw).trim();
}

/**
 * A non-negative integer flag, or undefined when absent.
 *
 * @example integerFlag(args.values, 'retries') // 5 for --retries 5
 */
export function integerFlag<V extends object, K extends keyof V & string>(values: V, name: K): number | undefined {
  const text = textOf(values[name]);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} expects a whole number, got "${text}"`);
  return Number(text);
}

/**
 * `--lock-wait SECONDS` (fractions allowed) in milliseconds.
 *
 * @example secondsFlag(args.values, 'lock-wait') // 1500 for --lock-wait 1.5
 */
export function secondsFlag<V extends object, K extends keyof V & string>(values: V, name: K): number | undefined {
  const text = textOf(values[name]);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--${name} expects a number of seconds, got "${text}"`);
  return Math.round(Number(text) * 1000);
}

/**
 * `--rehearse-rows N`: rows per table in the rehearsal's copy (a whole number, at least 1); it
 * implies --rehearse.
 */
export function rehearseRowsFlag(values: { readonly 'rehearse-rows'?: string }): number | undefined {
  const text = textOf(values['rehearse-rows']);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--rehearse-rows expects a number of rows, at least 1, got "${text}"`);
  return Number(text);
}

/** `--allow-hazards LIST|all`, or undefined when absent. */
export function allowFlag(values: { readonly 'allow-hazards'?: string }): AllowedHazards | undefined {
  const raw = values['allow-hazards'];
  if (raw === undefined) return undefined;
  try {
    return parseAllowedHazards(raw);
  } catch (error) {
    if (error instanceof HazardListError) throw new UsageError(`${error.message}`);
    throw error;
  }
}

/** The flags `apply` and `rollback` share, parsed. */
export interface Flags {
  /** The command the flags belong to, for its messages (`pgreconcile rollback: refused: …`). */
  readonly command: 'apply' | 'rollback';
  readonly json: boolean;
  readonly approve: boolean;
  readonly allow: AllowedHazards | undefined;
  readonly lockWaitMs: number | undefined;
  readonly lockTimeoutMs: number | undefined;
  readonly statementTimeoutMs: number | undefined;
  readonly retries: number | undefined;
  readonly schemaPath: string;
  /** `--rehearse`: run the plan on a scratch copy of the target's schema first. */
  readonly rehearse: boolean;
  /** `--rehearse-rows N`: copy up to N rows of each table into the rehearsal's copy (implies --rehearse). */
  readonly rehearseRows: number | undefined;
  /** `--backup-dir`, `--backup-limit`, `--no-backup` (the working folder is added by runOptions). */
  readonly backup: BackupOptions;
}

/** The flags of `apply`; `rollback` has a subset of them (and `--to`, `--out`). */
export type ApplyFlagValues = FlagValues<typeof applySpec>;

/** The backup flags; a `UsageError` for a malformed size or `--no-backup` with the others. */
function backupFlags(values: ApplyFlagValues): BackupOptions {
  const dir = values['backup-dir'];
  const limit = values['backup-limit'];
  if (values['no-backup'] === true) {
    if (dir !== undefined || limit !== undefined)
      throw new UsageError(`--no-backup takes no backups; drop --backup-dir and --backup-limit, or --no-backup`);
    return { enabled: false };
  }
  let limitBytes: number | undefined;
  try {
    if (limit !== undefined) limitBytes = parseByteSize(limit);
  } catch (error) {
    throw new UsageError(`--backup-limit: ${(error as Error).message}`);
  }
  return { ...(dir !== undefined ? { dir } : {}), ...(limitBytes !== undefined ? { limitBytes } : {}) };
}

/**
 * The shared flags of `apply` or `rollback`; a `UsageError` for a malformed value.
 *
 * @example
 * const flags = flagsOf(args.values, 'rollback'); // flags.allow, flags.lockWaitMs, …
 */
export function flagsOf(values: ApplyFlagValues, command: Flags['command'] = 'apply'): Flags {
  return {
    command,
    json: values.json === true,
    approve: values.approve === true,
    allow: allowFlag(values),
    lockWaitMs: secondsFlag(values, 'lock-wait'),
    lockTimeoutMs: integerFlag(values, 'lock-timeout'),
    statementTimeoutMs: integerFlag(values, 'statement-timeout'),
    retries: integerFlag(values, 'retries'),
    schemaPath: values.schema ?? 'schema.yaml',
    rehearse: values.rehearse === true || values['rehearse-rows'] !== undefined,
    rehearseRows: rehearseRowsFlag(values),
    backup: backupFlags(values),
  };
}

/**
 * What the flags say about running steps, for the flows: allowed hazards, lock wait, timeouts,
 * retries, backups (relative to the working folder).
 *
 * @example
 * await apply({ db, desired, ...executionFlags(flags, io), rehearse: rehearseFlags(flags.rehearse, flags.rehearseRows, io) });
 */
export function executionFlags(flags: Flags, io: Io): ExecutionOptions {
  return {
    ...(flags.allow !== undefined ? { allowHazards: flags.allow } : {}),
    ...(flags.lockWaitMs !== undefined ? { lockWaitMs: flags.lockWaitMs } : {}),
    ...(flags.lockTimeoutMs !== undefined ? { lockTimeoutMs: flags.lockTimeoutMs } : {}),
    ...(flags.statementTimeoutMs !== undefined ? { statementTimeoutMs: flags.statementTimeoutMs } : {}),
    ...(flags.retries !== undefined ? { retries: flags.retries } : {}),
    backup: { ...flags.backup, cwd: io.cwd },
  };
}

/**
 * `--rehearse`, `--rehearse-rows N` (and $PGRECONCILE_PG_DUMP) as the flows' option; undefined
 * when no rehearsal is asked for.
 */
export function rehearseFlags(rehearse: boolean, rows: number | undefined, io: Io): RehearseFlowOptions | undefined {
  if (!rehearse) return undefined;
  const pgDump = io.env['PGRECONCILE_PG_DUMP'];
  return { ...(rows !== undefined ? { rows } : {}), ...(pgDump !== undefined ? { pgDump } : {}) };
}
