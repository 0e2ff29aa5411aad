/**
 * Backups of deleted data (issue 8). Before a step that deletes data runs (its `deletes`
 * descriptor: a dropped table, a dropped column, rows holding removed enum values, a dropped
 * sequence), the data is copied out with COPY, on the step's own connection and inside its
 * transaction, after `LOCK TABLE … IN SHARE MODE` (writes wait, reads go on, so nothing committed
 * between the copy and the drop is lost), into gzip-compressed files under
 * `<backup dir>/<version>/`, with a manifest. The ledger row names the files as they are written.
 *
 * Before the first step, `checkBackups` estimates the bytes every such step will copy (table
 * sizes, planner estimates; never a scan) and refuses above the limit. A table without a key has
 * its whole rows copied: restore matches them on their other columns.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, readFile, rename, stat, statfs, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Db } from '../db/db.js';
import { recordBackups, type BackupRecord } from '../ledger/ledger-store.js';
import { qualify, quoteIdent } from '../model/ident.js';
import type { QualifiedName } from '../model/types.js';
import type { PlanStep } from '../plan/build-plan.js';
import { DEFAULT_TIMEOUTS } from '../plan/plan-context.js';
import type { DeletedData } from '../plan/step-draft.js';
import { formatBytes } from '../plan/hazards.js';
import { literal } from '../plan/sql-text.js';
import { toolVersion } from '../version.js';

export const BACKUP_MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'pgreconcile-backup';
export const BACKUP_FORMAT_VERSION = 1;
/** Where backups go when no folder is given: `<this>/<version>/`. */
export const DEFAULT_BACKUP_DIR = join('.pgreconcile', 'backups');
/** Above this estimate apply refuses (unless backups are turned off): 1 GB. */
export const DEFAULT_BACKUP_LIMIT = 1024 ** 3;

/** How apply backs up deleted data. */
export interface BackupOptions {
  /** false: take no backups (`--no-backup`); the ledger row records none. Default true. */
  readonly enabled?: boolean;
  /** The folder holding one sub-folder per version (default `.pgreconcile/backups`). */
  readonly dir?: string;
  /** What a relative `dir` is relative to (default the process's working folder). */
  readonly cwd?: string;
  /** Refuse before anything runs when the estimate is larger (bytes; default 1 GB). */
  readonly limitBytes?: number;
  /** statement_timeout of each COPY (default the long step timeout, 6 h). */
  readonly statementTimeoutMs?: number;
}

/** One file of a backup, as the manifest describes it. */
export interface BackupFile {
  readonly file: string;
  /** The plan step it was taken before. */
  readonly step: number;
  readonly kind: DeletedData['kind'];
  /** `schema.table`, `schema.table.column` or `schema.sequence` (unquoted). */
  readonly object: string;
  readonly schema: string;
  /** The table (or the sequence, for kind `sequence`). */
  readonly table: string;
  /** kind `column` and `enum_rows`: the column. */
  readonly column?: string;
  /**
   * The columns identifying a row (primary key, else a unique key on NOT NULL columns); empty for
   * a table without one, whose whole rows the file then holds (restore matches them on the other columns).
   */
  readonly keyColumns: readonly string[];
  /** The file's columns in order, with their types (`format_type`). */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** kind `enum_rows`: the removed values, and whether the step deleted the rows holding them. */
  readonly enum?: { readonly type: string; readonly values: readonly string[]; readonly array: boolean; readonly rowsDeleted: boolean };
  readonly copyFormat: 'text';
  readonly compression: 'gzip';
  readonly rows: number;
  /** Size of the file (compressed) and of the COPY data it holds. */
  readonly bytes: number;
  readonly rawBytes: number;
  /** sha256 of the file as written (hex). */
  readonly sha256: string;
  /** Whether the step's transaction committed (false: the step failed after the copy, or the apply stopped). */
  readonly committed: boolean;
}

/** The manifest (`manifest.json`) of one version's backups. */
export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly formatVersion: number;
  readonly toolVersion: string;
  readonly version: string;
  /** The database, password redacted. */
  readonly database: string;
  readonly createdAt: string;
  /** Session settings the COPY ran under (the text forms of dates, intervals and floats). */
  readonly settings: Readonly<Record<string, string>>;
  readonly files: readonly BackupFile[];
}

/** A step's estimated backup size, or why it cannot be backed up. */
export interface BackupEstimate {
  readonly step: number;
  readonly object: string;
  readonly bytes: number;
  /** Set when the data could not be backed up (no COPY, a folder that cannot be written). */
  readonly problem?: string;
}

/** What the backup check before the first step decided. */
export type BackupCheck =
  | { readonly kind: 'none' }
  | { readonly kind: 'disabled'; readonly steps: readonly number[] }
  | { readonly kind: 'ready'; readonly estimates: readonly BackupEstimate[]; readonly totalBytes: number; readonly folder: BackupFolder }
  | { readonly kind: 'over_limit'; readonly estimates: readonly BackupEstimate[]; readonly totalBytes: number; readonly limitBytes: number }
  | { readonly kind: 'unavailable'; readonly problems: readonly BackupEstimate[] }
  | {
      /** The backup folder's file system has less free space than the estimate (or the folder cannot be written). */
      readonly kind: 'no_space';
      readonly estimates: readonly BackupEstimate[];
      readonly totalBytes: number;
      /** Free bytes for this process on the folder's file system. */
      readonly freeBytes: number;
      /** Where the backups would go. */
      readonly path: string;
    };

/** What an apply did about backups (absent when no step deletes data). */
export type BackupReport =
  | { readonly kind: 'taken'; readonly record: BackupRecord; readonly path: string }
  | { readonly kind: 'disabled'; readonly steps: readonly number[] };

/** A version's backup folder: as recorded (relative as given) and as a path to write. */
export interface BackupFolder {
  readonly dir: string;
  readonly path: string;
}

/** COPY's text output depends on these; they are fixed while copying (ISO dates, exact floats). */
const COPY_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  extra_float_digits: '3',
  bytea_output: 'hex',
};

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A size as people write it: plain bytes, or a number with kB, MB, GB, TB (powers of 1024, as in
 * PostgreSQL; KiB, MiB, GiB, TiB mean the same). Throws on anything else.
 *
 * @example
 * parseByteSize('500MB')   // 524288000
 * parseByteSize('1.5GiB')  // 1610612736
 * parseByteSize('4096')    // 4096
 */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b))?\s*$/i.exec(text);
  if (!m) throw new Error(`expected a size such as 500MB, 2GB, 1.5GiB or a number of bytes, got "${text}"`);
  const unit = (m[2] ?? m[3] ?? '').toLowerCase();
  return Math.round(Number(m[1]) * UNITS[unit]!);
}

/**
 * The folder of a version's backups: `<dir>/<version>` (dir default `.pgreconcile/backups`),
 * with the path to write resolved against `cwd`.
 *
 * @example
 * backupFolder('20261121T201500Z_drop-table-t', {}).dir  // '.pgreconcile/backups/20261121T201500Z_drop-table-t'
 */
export function backupFolder(version: string, options: Pick<BackupOptions, 'dir' | 'cwd'>): BackupFolder {
  const dir = join(options.dir ?? DEFAULT_BACKUP_DIR, version);
  return { dir, path: isAbsolute(dir) ? dir : resolve(options.cwd ?? process.cwd(), dir) };
}

/** The object a descriptor names, for messages: `public.users.legacy`. */
export function describeDeleted(d: DeletedData): string {
  switch (d.kind) {
    case 'table':
      return `table ${d.schema}.${d.table}`;
    case 'column':
      return `column ${d.schema}.${d.table}.${d.column}`;
    case 'enum_rows':
      return `rows holding ${d.values.map((v) => `'${v}'`).join(', ')} of enum ${d.type.schema}.${d.type.name}`;
    case 'sequence':
      return `sequence ${d.schema}.${d.name}`;
    default: {
      const unknown: never = d;
      return unknown;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// catalog reads

interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly generated: boolean;
  readonly identity: boolean;
}

/**
 * The live columns of a table, in order (dropped ones left out); empty when the table does not
 * exist.
 */
export async function tableColumns(db: Db, table: QualifiedName): Promise<TableColumn[]> {
  const { rows } = await db.query<{ name: string; type: string; generated: boolean; identity: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated <> '' AS generated, a.attidentity <> '' AS identity
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [qualify(table)],
  );
  return rows;
}

/**
 * The columns that identify a row of a table: its primary key, else the smallest unique index on
 * NOT NULL columns (no expression, no predicate), leaving out keys that contain `without`.
 * Undefined when there is none.
 */
export async function rowKey(db: Db, table: QualifiedName, without?: string): Promise<string[] | undefined> {
  const { rows } = await db.query<{ columns: string[]; primary: boolean }>(
    `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns, i.indisprimary AS primary
       FROM pg_catalog.pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
        AND i.indexprs IS NULL AND k.ord <= i.indnkeyatts
      GROUP BY i.indexrelid, i.indisprimary
     HAVING bool_and(a.attnotnull)
      ORDER BY i.indisprimary DESC, count(*), i.indexrelid`,
    [qualify(table)],
  );
  return rows.map((r) => r.columns).find((columns) => without === undefined || !columns.includes(without));
}

function tableOf(d: Exclude<DeletedData, { kind: 'enum_rows' }>): QualifiedName {
  return d.kind === 'sequence' ? { schema: d.schema, name: d.name } : { schema: d.schema, name: d.table };
}

/** The planner's estimate of a query's output in bytes (rows × width), without running it. */
async function plannedBytes(db: Db, select: string): Promise<number> {
  const { rows } = await db.query<{ plan: unknown }>(`EXPLAIN (FORMAT JSON) ${select}`);
  const raw = rows[0] ? Object.values(rows[0])[0] : undefined;
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as
    { Plan?: { 'Plan Rows'?: number; 'Plan Width'?: number } }[] | undefined;
  const plan = parsed?.[0]?.Plan;
  return Math.round((plan?.['Plan Rows'] ?? 0) * (plan?.['Plan Width'] ?? 0));
}

/** The planner's estimate of `select` on `table`, at most the table's size. */
async function cappedBytes(db: Db, select: string, table: QualifiedName): Promise<number> {
  const whole = await tableBytes(db, table);
  const planned = await plannedBytes(db, select).catch(() => whole);
  return Math.min(planned, whole);
}

async function tableBytes(db: Db, table: QualifiedName): Promise<number> {
  const { rows } = await db.query<{ bytes: string | null }>('SELECT pg_table_size(to_regclass($1))::text AS bytes', [qualify(table)]);
  return Number(rows[0]?.bytes ?? 0);
}

/** The WHERE clause selecting rows whose column holds one of the values (as text, so it works on either enum). */
function holdingWhere(column: string, values: readonly string[], array: boolean): string {
  const c = quoteIdent(column);
  const list = values.map(literal).join(', ');
  return array ? `${c}::text[] && ARRAY[${list}]::text[]` : `${c}::text IN (${list})`;
}

/** One step's estimate; a problem when its data could not be restored. */
async function estimateStep(db: Db, step: PlanStep, d: DeletedData): Promise<BackupEstimate> {
  const object = describeDeleted(d);
  switch (d.kind) {
    case 'table':
      return { step: step.n, object, bytes: await tableBytes(db, tableOf(d)) };
    case 'sequence':
      return { step: step.n, object, bytes: 64 };
    case 'column': {
      const table = tableOf(d);
      const key = await rowKey(db, table, d.column);
      // A table without a key: its whole rows are copied (restore matches them on their other columns).
      const select =
        key === undefined
          ? `SELECT * FROM ${qualify(table)}`
          : `SELECT ${[...key, d.column].map(quoteIdent).join(', ')} FROM ${qualify(table)}`;
      // Some columns of the table's rows: never more than the table (the planner guesses rows and
      // widths for a table it has not analysed, and a column of NULLs has next to no width).
      return { step: step.n, object, bytes: await cappedBytes(db, select, table) };
    }
    case 'enum_rows': {
      let bytes = 0;
      for (const c of d.columns) {
        const table = { schema: c.schema, name: c.table };
        // Compared as the enum itself (it still has the values), so that the planner uses the column's statistics.
        const values = `ARRAY[${d.values.map(literal).join(', ')}]::${qualify(d.type)}[]`;
        const where = c.array ? `${quoteIdent(c.column)} && ${values}` : `${quoteIdent(c.column)} = ANY (${values})`;
        bytes += await cappedBytes(db, `SELECT * FROM ${qualify(table)} WHERE ${where}`, table);
      }
      return { step: step.n, object, bytes };
    }
    default: {
      const unknown: never = d;
      return unknown;
    }
  }
}

/**
 * Decides, before the first step, whether the backups can be taken: the estimate of every step
 * that deletes data (table sizes; planner estimates for columns and enum rows; never a scan)
 * against the limit, and whether each one's data could be restored.
 *
 * @example
 * const check = await checkBackups(db, doc.id, doc.plan.steps, { limitBytes: parseByteSize('500MB') });
 * if (check.kind === 'over_limit') console.log(describeBackupLimit(check));
 */
export async function checkBackups(db: Db, version: string, steps: readonly PlanStep[], options: BackupOptions = {}): Promise<BackupCheck> {
  const deleting = steps.filter((s) => s.deletes !== undefined);
  if (deleting.length === 0) return { kind: 'none' };
  if (options.enabled === false) return { kind: 'disabled', steps: deleting.map((s) => s.n) };
  if (db.copyOut === undefined) {
    const problem = `this database connection (${db.description}) cannot run COPY; pass --no-backup to go on without a backup`;
    return { kind: 'unavailable', problems: deleting.map((s) => ({ step: s.n, object: describeDeleted(s.deletes!), bytes: 0, problem })) };
  }
  const estimates: BackupEstimate[] = [];
  for (const step of deleting) estimates.push(await estimateStep(db, step, step.deletes!));
  const problems = estimates.filter((e) => e.problem !== undefined);
  if (problems.length > 0) return { kind: 'unavailable', problems };
  const totalBytes = estimates.reduce((sum, e) => sum + e.bytes, 0);
  const limitBytes = options.limitBytes ?? DEFAULT_BACKUP_LIMIT;
  if (totalBytes > limitBytes) return { kind: 'over_limit', estimates, totalBytes, limitBytes };
  const folder = backupFolder(version, options);
  const place = await backupPlace(folder.path);
  if ('problem' in place) {
    return {
      kind: 'unavailable',
      problems: deleting.map((s) => ({ step: s.n, object: describeDeleted(s.deletes!), bytes: 0, problem: place.problem })),
    };
  }
  // The estimate is of the uncompressed data: gzip makes the files smaller, never larger by much.
  if (totalBytes > place.freeBytes) return { kind: 'no_space', estimates, totalBytes, freeBytes: place.freeBytes, path: folder.path };
  return { kind: 'ready', estimates, totalBytes, folder };
}

/** How an I/O error reads: its code's meaning, then the system's message. */
export function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a folder',
    ENOENT: 'no such file or folder',
  };
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && words[code] !== undefined ? `${words[code]} (${message})` : message;
}

/**
 * Whether backups can be written under `path` (the version's folder, which need not exist yet):
 * the nearest folder that exists is a folder this process may write in, on a file system that is
 * not read-only; and how much space is free there.
 */
async function backupPlace(path: string): Promise<{ readonly freeBytes: number } | { readonly problem: string }> {
  let at = path;
  for (;;) {
    try {
      if (!(await stat(at)).isDirectory()) return { problem: `the backup folder ${path} cannot be created: ${at} is not a folder` };
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT')
        return { problem: `the backup folder ${path} cannot be used: ${describeIoError(error)}` };
      const up = dirname(at);
      if (up === at) return { problem: `the backup folder ${path} cannot be created: no part of its path exists` };
      at = up;
    }
  }
  try {
    // W_OK answers for the file system too: a read-only mount is EROFS, even for root.
    await access(at, constants.W_OK);
  } catch (error) {
    return { problem: `the backup folder ${path} cannot be written: ${describeIoError(error)} on ${at}` };
  }
  const fs = await statfs(at).catch(() => undefined);
  return { freeBytes: fs === undefined ? Number.MAX_SAFE_INTEGER : Number(fs.bavail) * Number(fs.bsize) };
}

/**
 * A backup folder without room in words.
 *
 * @example
 * describeBackupSpace(check) // 'the backups of deleted data would take about 120 MB, but only 1.0 MB is free at /mnt/b/20261121T…'
 */
export function describeBackupSpace(
  check: Pick<Extract<BackupCheck, { kind: 'no_space' }>, 'estimates' | 'totalBytes' | 'freeBytes' | 'path'>,
): string {
  const items = check.estimates.map((e) => `step ${e.step} ${e.object} (about ${formatBytes(e.bytes)})`).join('; ');
  return (
    `the backups of deleted data would take about ${formatBytes(check.totalBytes)}, but only ${formatBytes(check.freeBytes)} is free where they go (${check.path}): ${items}. ` +
    'Free some space, choose another folder with --backup-dir DIR, or pass --no-backup to apply without backups (the deleted data is then gone)'
  );
}

/**
 * An over-limit refusal in words, naming each object and its estimated size.
 *
 * @example
 * describeBackupLimit(check) // 'the backups of deleted data would take about 1.4 GB, above the limit of 1.0 GB: step 3 table public.events (about 1.4 GB); …'
 */
export function describeBackupLimit(
  check: Pick<Extract<BackupCheck, { kind: 'over_limit' }>, 'estimates' | 'totalBytes' | 'limitBytes'>,
): string {
  const items = check.estimates.map((e) => `step ${e.step} ${e.object} (about ${formatBytes(e.bytes)})`).join('; ');
  return (
    `the backups of deleted data would take about ${formatBytes(check.totalBytes)}, above the limit of ${formatBytes(check.limitBytes)}: ${items}. ` +
    'Raise the limit with --backup-limit SIZE (e.g. 5GB), or pass --no-backup to apply without backups (the deleted data is then gone)'
  );
}

/** An unavailable backup in words: each step and why. */
export function describeBackupProblems(problems: readonly BackupEstimate[]): string {
  return `the data some steps delete cannot be backed up: ${problems.map((p) => `step ${p.step} ${p.object}: ${p.problem ?? 'unknown reason'}`).join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// taking the backups

/** Sets session settings (transaction-local when `local`) and puts the old values back afterwards. */
async function withSettings<T>(db: Db, settings: Readonly<Record<string, string>>, local: boolean, run: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const set = (values: readonly string[]): Promise<unknown> =>
    db.query('SELECT set_config(n, v, $3) FROM unnest($1::text[], $2::text[]) AS s(n, v)', [names, values, local]);
  const { rows } = await db.query<{ value: string }>(
    'SELECT current_setting(n) AS value FROM unnest($1::text[]) WITH ORDINALITY AS s(n, i) ORDER BY i',
    [names],
  );
  await set(names.map((n) => settings[n]!));
  try {
    return await run();
  } finally {
    await set(rows.map((r) => r.value)).catch(() => undefined);
  }
}

/** Counts rows (newlines: COPY text escapes those inside values) and bytes of COPY text. */
function counting(source: AsyncIterable<Uint8Array>, counts: { rows: number; rawBytes: number }): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const chunk of source) {
      counts.rawBytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) counts.rows++;
      yield chunk;
    }
  })();
}

/** COPY of a query into a gzip file; its rows, sizes and sha256. */
async function copyToFile(
  db: Db,
  select: string,
  path: string,
): Promise<{ rows: number; rawBytes: number; bytes: number; sha256: string }> {
  const counts = { rows: 0, rawBytes: 0 };
  const hash = createHash('sha256');
  let bytes = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(counting(db.copyOut!(select), counts)), createGzip(), digest, createWriteStream(path));
  } catch (error) {
    // A half-written file is of no use, and on a full disk it holds the space others need.
    await unlink(path).catch(() => undefined);
    if ((error as { code?: unknown }).code !== undefined && !(error instanceof Object && 'phase' in error)) {
      throw new Error(`the backup file ${path} could not be written: ${describeIoError(error)}`);
    }
    throw error;
  }
  return { ...counts, bytes, sha256: hash.digest('hex') };
}

/** A file name for a step's backup: `step-003-column-public.users.legacy.copy.gz` (unsafe characters replaced). */
function fileName(step: number, kind: string, object: string, index: number): string {
  const safe = object.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120);
  return `step-${String(step).padStart(3, '0')}${index > 0 ? `-${index}` : ''}-${kind}-${safe}.copy.gz`;
}

/** What one file of a step holds: the query to copy and how the manifest describes it. */
interface CopyJob {
  readonly table: QualifiedName;
  readonly lock: boolean;
  readonly select: string;
  readonly entry: Omit<BackupFile, 'rows' | 'bytes' | 'rawBytes' | 'sha256' | 'committed' | 'file' | 'step' | 'copyFormat' | 'compression'>;
}

async function columnJob(db: Db, d: Extract<DeletedData, { kind: 'column' }>): Promise<CopyJob> {
  const table = tableOf(d);
  // A table without a key: whole rows, which restore matches on their other columns.
  const key = (await rowKey(db, table, d.column)) ?? [];
  const all = await tableColumns(db, table);
  const types = new Map(all.map((c) => [c.name, c.type]));
  const names = key.length > 0 ? [...key, d.column] : all.map((c) => c.name);
  return {
    table,
    lock: true,
    select: `SELECT ${names.map(quoteIdent).join(', ')} FROM ${qualify(table)}`,
    entry: {
      kind: 'column',
      object: `${d.schema}.${d.table}.${d.column}`,
      schema: d.schema,
      table: d.table,
      column: d.column,
      keyColumns: key,
      columns: names.map((name) => ({ name, type: types.get(name) ?? 'text' })),
    },
  };
}

async function tableJob(db: Db, d: Extract<DeletedData, { kind: 'table' }>): Promise<CopyJob> {
  const table = tableOf(d);
  const columns = await tableColumns(db, table);
  const exists =
    (await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [qualify(table)])).rows[0]?.present === true;
  if (!exists) throw new Error(`cannot back up table ${d.schema}.${d.table}: it does not exist when its step runs`);
  return {
    table,
    lock: true,
    select: `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${qualify(table)}`,
    entry: {
      kind: 'table',
      object: `${d.schema}.${d.table}`,
      schema: d.schema,
      table: d.table,
      keyColumns: (await rowKey(db, table)) ?? [],
      columns: columns.map((c) => ({ name: c.name, type: c.type })),
    },
  };
}

async function enumJobs(db: Db, d: Extract<DeletedData, { kind: 'enum_rows' }>): Promise<CopyJob[]> {
  const jobs: CopyJob[] = [];
  for (const c of d.columns) {
    const table = { schema: c.schema, name: c.table };
    // Whole rows either way; without a key, restore matches them on their other columns.
    const key = (await rowKey(db, table, c.column)) ?? [];
    const columns = await tableColumns(db, table);
    jobs.push({
      table,
      lock: true,
      select: `SELECT ${columns.map((col) => quoteIdent(col.name)).join(', ')} FROM ${qualify(table)} WHERE ${holdingWhere(c.column, d.values, c.array)}`,
      entry: {
        kind: 'enum_rows',
        object: `${c.schema}.${c.table}.${c.column}`,
        schema: c.schema,
        table: c.table,
        column: c.column,
        keyColumns: key,
        columns: columns.map((col) => ({ name: col.name, type: col.type })),
        enum: { type: `${d.type.schema}.${d.type.name}`, values: d.values, array: c.array, rowsDeleted: c.deletesRows },
      },
    });
  }
  return jobs;
}

function sequenceJob(d: Extract<DeletedData, { kind: 'sequence' }>): CopyJob {
  const sequence = tableOf(d);
  return {
    table: sequence,
    lock: false,
    select: `SELECT last_value, is_called FROM ${qualify(sequence)}`,
    entry: {
      kind: 'sequence',
      object: `${d.schema}.${d.name}`,
      schema: d.schema,
      table: d.name,
      keyColumns: [],
      columns: [
        { name: 'last_value', type: 'bigint' },
        { name: 'is_called', type: 'boolean' },
      ],
    },
  };
}

async function jobsFor(db: Db, d: DeletedData): Promise<CopyJob[]> {
  switch (d.kind) {
    case 'table':
      return [await tableJob(db, d)];
    case 'column':
      return [await columnJob(db, d)];
    case 'enum_rows':
      return enumJobs(db, d);
    case 'sequence':
      return [sequenceJob(d)];
    default: {
      const unknown: never = d;
      return unknown;
    }
  }
}

/** A manifest entry as the file writes it (snake_case keys, like plan files and the ledger's JSON). */
function fileToJson(f: BackupFile): Record<string, unknown> {
  return {
    file: f.file,
    step: f.step,
    kind: f.kind,
    object: f.object,
    schema: f.schema,
    table: f.table,
    ...(f.column !== undefined ? { column: f.column } : {}),
    key_columns: f.keyColumns,
    columns: f.columns,
    ...(f.enum ? { enum: { type: f.enum.type, values: f.enum.values, array: f.enum.array, rows_deleted: f.enum.rowsDeleted } } : {}),
    copy_format: f.copyFormat,
    compression: f.compression,
    rows: f.rows,
    bytes: f.bytes,
    raw_bytes: f.rawBytes,
    sha256: f.sha256,
    committed: f.committed,
  };
}

type Json = Record<string, unknown>;

/** A manifest entry read back; an error naming the field that is wrong. */
function fileFromJson(raw: unknown, where: string): BackupFile {
  const f = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
  const field = <T>(key: string, ok: (v: unknown) => boolean, from: Json = f): T => {
    if (!ok(from[key])) throw new Error(`${where}: field ${key} is missing or malformed`);
    return from[key] as T;
  };
  const str = (v: unknown): boolean => typeof v === 'string';
  const num = (v: unknown): boolean => typeof v === 'number';
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every(str);
  const e = f.enum as Json | undefined;
  return {
    file: field('file', (v) => str(v) && !/[/\\]/.test(v as string)),
    step: field('step', num),
    kind: field('kind', (v) => v === 'table' || v === 'column' || v === 'enum_rows' || v === 'sequence'),
    object: field('object', str),
    schema: field('schema', str),
    table: field('table', str),
    ...(f.column !== undefined ? { column: field<string>('column', str) } : {}),
    keyColumns: field('key_columns', strings),
    columns: field('columns', (v) => Array.isArray(v) && v.every((c) => str((c as Json)?.name) && str((c as Json)?.type))),
    ...(e !== undefined
      ? {
          enum: {
            type: field<string>('type', str, e),
            values: field<string[]>('values', strings, e),
            array: e.array === true,
            rowsDeleted: e.rows_deleted === true,
          },
        }
      : {}),
    copyFormat: field('copy_format', (v) => v === 'text'),
    compression: field('compression', (v) => v === 'gzip'),
    rows: field('rows', num),
    bytes: field('bytes', num),
    rawBytes: field('raw_bytes', num),
    sha256: field('sha256', str),
    committed: f.committed === true,
  };
}

/** Writes the manifest atomically (a temporary file renamed over it). */
async function writeManifest(folder: string, manifest: BackupManifest): Promise<void> {
  const path = join(folder, BACKUP_MANIFEST);
  const json = {
    format: manifest.format,
    format_version: manifest.formatVersion,
    tool_version: manifest.toolVersion,
    version: manifest.version,
    database: manifest.database,
    created_at: manifest.createdAt,
    settings: manifest.settings,
    files: manifest.files.map(fileToJson),
  };
  await writeFile(`${path}.tmp`, `${JSON.stringify(json, null, 2)}\n`, 'utf8');
  await rename(`${path}.tmp`, path);
}

/**
 * Reads a version's manifest from its folder; a clear error when it is missing or not one.
 *
 * @example
 * const manifest = await readManifest('.pgreconcile/backups/20261121T201500Z_drop-table-t');
 */
export async function readManifest(folder: string): Promise<BackupManifest> {
  const path = join(folder, BACKUP_MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the backup manifest ${path}: ${(error as Error).message}`);
  }
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
  if (m.format !== BACKUP_FORMAT || !Array.isArray(m.files) || typeof m.version !== 'string') {
    throw new Error(`${path} is not a pgreconcile backup manifest`);
  }
  if (m.format_version !== BACKUP_FORMAT_VERSION) {
    throw new Error(`${path}: backup format version ${String(m.format_version)} is not supported by this pgreconcile (${toolVersion()})`);
  }
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    toolVersion: String(m.tool_version),
    version: m.version,
    database: String(m.database),
    createdAt: String(m.created_at),
    settings: (m.settings ?? {}) as Record<string, string>,
    files: m.files.map((f, i) => fileFromJson(f, `${path}: files[${i}]`)),
  };
}

/** The ledger's record of a manifest's files. */
function recordOf(dir: string, files: Iterable<BackupFile>): BackupRecord {
  return {
    dir,
    manifest: BACKUP_MANIFEST,
    files: [...files].map((f) => ({ step: f.step, object: `${f.kind} ${f.object}`, file: f.file, rows: f.rows, bytes: f.bytes })),
  };
}

/**
 * The backups of one apply: `beforeStatement` (an `executePlan` hook) copies out what a step
 * deletes and names the file in the ledger row inside the step's transaction; `afterCommit`
 * marks the files of committed steps in the manifest. A lock-timeout retry takes the backup
 * again, over the same file.
 *
 * @example
 * const backups = new BackupSession(db, { version: doc.id, ledgerId, database: db.description, folder: check.folder });
 * await executePlan(db, plan, { beforeStatement: (s, c) => backups.beforeStatement(s, c), afterCommit: (s) => backups.afterCommit(s) });
 */
export class BackupSession {
  private readonly files = new Map<string, BackupFile>();
  private readonly createdAt = new Date().toISOString();
  private readonly statementTimeoutMs: number;

  constructor(
    private readonly db: Db,
    private readonly target: {
      readonly version: string;
      readonly ledgerId: number;
      readonly database: string;
      readonly folder: BackupFolder;
      /** Files an earlier attempt of the same ledger row wrote (a resume), kept in the record. */
      readonly existing?: readonly BackupFile[];
      readonly statementTimeoutMs?: number;
    },
  ) {
    for (const f of target.existing ?? []) this.files.set(f.file, f);
    this.statementTimeoutMs = target.statementTimeoutMs ?? DEFAULT_TIMEOUTS.longStatementTimeoutMs;
  }

  /** The ledger's record of the files written so far. */
  record(): BackupRecord {
    return recordOf(this.target.folder.dir, this.files.values());
  }

  /** The report an apply outcome carries. */
  report(): BackupReport {
    return { kind: 'taken', record: this.record(), path: this.target.folder.path };
  }

  async beforeStatement(step: PlanStep, context: { readonly inTransaction: boolean }): Promise<void> {
    if (step.deletes === undefined) return;
    await mkdir(this.target.folder.path, { recursive: true });
    const jobs = await jobsFor(this.db, step.deletes);
    // Writes wait from here until the step's transaction ends: nothing committed after the copy is lost.
    if (context.inTransaction) {
      const locked = jobs.filter((j) => j.lock).map((j) => qualify(j.table));
      if (locked.length > 0) await this.db.exec(`LOCK TABLE ${[...new Set(locked)].join(', ')} IN SHARE MODE`);
    }
    const settings = { ...COPY_SETTINGS, statement_timeout: `${Math.max(0, Math.floor(this.statementTimeoutMs))}ms` };
    await withSettings(this.db, settings, context.inTransaction, async () => {
      for (const [index, job] of jobs.entries()) await this.copy(step, job, index);
    });
  }

  async afterCommit(steps: readonly PlanStep[]): Promise<void> {
    const committed = new Set(steps.filter((s) => s.deletes !== undefined).map((s) => s.n));
    if (committed.size === 0) return;
    for (const [file, entry] of this.files) if (committed.has(entry.step)) this.files.set(file, { ...entry, committed: true });
    await writeManifest(this.target.folder.path, this.manifest());
  }

  private manifest(): BackupManifest {
    return {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      toolVersion: toolVersion(),
      version: this.target.version,
      database: this.target.database,
      createdAt: this.createdAt,
      settings: COPY_SETTINGS,
      files: [...this.files.values()],
    };
  }

  private async copy(step: PlanStep, job: CopyJob, index: number): Promise<void> {
    const file = fileName(step.n, job.entry.kind, job.entry.object, index);
    const written = await copyToFile(this.db, job.select, join(this.target.folder.path, file));
    this.files.set(file, { file, step: step.n, ...job.entry, copyFormat: 'text', compression: 'gzip', ...written, committed: false });
    await writeManifest(this.target.folder.path, this.manifest());
    await recordBackups(this.db, this.target.ledgerId, this.record());
  }
}

/**
 * The backup session of a run of steps under one ledger row, or undefined when none of them
 * deletes data or backups are off. Files an earlier run of the same version left in its folder
 * (an interrupted apply that is resumed) are kept in the record.
 *
 * @example
 * const backups = await openBackupSession(db, { version: doc.id, ledgerId, steps }, options.backup);
 */
export async function openBackupSession(
  db: Db,
  run: { readonly version: string; readonly ledgerId: number; readonly steps: readonly PlanStep[] },
  options: BackupOptions = {},
): Promise<BackupSession | undefined> {
  if (options.enabled === false || !run.steps.some((s) => s.deletes !== undefined)) return undefined;
  const folder = backupFolder(run.version, options);
  const earlier = await readManifest(folder.path).catch(() => undefined);
  return new BackupSession(db, {
    version: run.version,
    ledgerId: run.ledgerId,
    database: db.description,
    folder,
    ...(earlier !== undefined && earlier.version === run.version ? { existing: earlier.files } : {}),
    ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  });
}

/**
 * What an apply outcome says about backups: the files taken, or that backups were off although
 * steps deleted data; undefined when no step deletes data.
 */
export function backupReport(steps: readonly PlanStep[], session: BackupSession | undefined): { readonly backups?: BackupReport } {
  if (session !== undefined) return { backups: session.report() };
  const deleting = steps.filter((s) => s.deletes !== undefined).map((s) => s.n);
  return deleting.length > 0 ? { backups: { kind: 'disabled', steps: deleting } } : {};
}
