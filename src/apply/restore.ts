/**
 * `restore`: loads the backups an apply took of deleted data (./backup.ts) back into the
 * database, in one transaction under the deployment lock. The ledger row of the version says
 * which files belong to it (the manifest, read from the backup folder, says what they hold);
 * each file's sha256 is verified first. A table's rows go back through a temporary table with
 * INSERT … ON CONFLICT DO NOTHING; a column's values (and enum values) by UPDATE … FROM joined on
 * the key recorded beside them, or, for a table without a key, on the whole row's other columns. The objects must exist again (after `rollback`, or an apply of
 * the earlier schema): otherwise nothing is loaded, and the refusal says what is missing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Db } from '../db/db.js';
import { readVersion } from '../ledger/ledger-store.js';
import { qualify, quoteIdent } from '../model/ident.js';
import type { QualifiedName } from '../model/types.js';
import { backupFolder, readManifest, tableColumns, type BackupFile, type BackupManifest } from './backup.js';
import { acquireDeploymentLock } from './deployment-lock.js';

export interface RestoreOptions {
  /** Where the backups are: `DIR/<version>/` or `DIR` itself (default: the folder the ledger records). */
  readonly backupDir?: string;
  /** What relative folders are relative to (default the process's working folder). */
  readonly cwd?: string;
  /** Restore only these objects: `schema.table` (or `table`, in schema public). */
  readonly tables?: readonly string[];
  /** How long to wait for the deployment lock (default 60 s). */
  readonly lockWaitMs?: number;
  /** lock_timeout of the restoring transaction (default 5 s). */
  readonly lockTimeoutMs?: number;
}

/** What was restored of one backup file. */
export interface RestoredObject {
  readonly step: number;
  readonly kind: BackupFile['kind'];
  readonly object: string;
  readonly file: string;
  /** Rows in the backup file. */
  readonly rows: number;
  /** Rows inserted or values set back. */
  readonly restored: number;
  /** Rows left alone, and why. */
  readonly skipped: number;
  readonly skippedBecause: string;
}

export type RestoreRefusalReason = 'no_backup' | 'not_in_backup' | 'checksum' | 'missing_object';

export type RestoreOutcome =
  | {
      readonly kind: 'restored';
      readonly version: string;
      /** The backup folder, as found. */
      readonly folder: string;
      readonly objects: readonly RestoredObject[];
      /** Files left out, and why (e.g. a step that did not commit). */
      readonly notes: readonly string[];
    }
  | { readonly kind: 'refused'; readonly reason: RestoreRefusalReason; readonly version: string; readonly problems: readonly string[] };

/** Refused before anything was loaded. */
class Refusal extends Error {
  constructor(
    readonly reason: RestoreRefusalReason,
    readonly problems: readonly string[],
  ) {
    super(problems.join('; '));
  }
}

const HOW_TO_GET_IT_BACK =
  'bring the objects back first: apply a schema that declares them (`pgreconcile rollback --to` the version before, or apply the earlier schema file), then run restore again';

/**
 * A refusal in words.
 *
 * @example
 * describeRestoreRefusal(outcome) // 'nothing was restored: table public.orders does not exist; apply a schema …'
 */
export function describeRestoreRefusal(outcome: Extract<RestoreOutcome, { kind: 'refused' }>): string {
  return `nothing was restored: ${outcome.problems.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// finding the backup

interface Located {
  readonly folder: string;
  readonly manifest: BackupManifest;
  readonly files: readonly BackupFile[];
  readonly notes: readonly string[];
}

const resolveIn = (cwd: string | undefined, path: string): string => (isAbsolute(path) ? path : resolve(cwd ?? process.cwd(), path));

/** The first folder that holds this version's manifest; else why each one does not. */
async function findManifest(
  version: string,
  folders: readonly string[],
): Promise<{ folder: string; manifest: BackupManifest } | { why: string[] }> {
  const why: string[] = [];
  for (const folder of folders) {
    try {
      const manifest = await readManifest(folder);
      if (manifest.version === version) return { folder, manifest };
      why.push(`${folder} holds the backup of ${manifest.version}`);
    } catch (error) {
      if (!/ENOENT/.test((error as Error).message)) why.push((error as Error).message);
    }
  }
  return { why };
}

/** The backup of a version: the ledger's record (which files), the manifest (what they hold). */
async function locate(db: Db, version: string, options: RestoreOptions): Promise<Located> {
  const rows = await readVersion(db, version);
  const records = rows.flatMap((r) => (r.backups ? [r.backups] : []));
  const named = new Set(records.flatMap((r) => r.files.map((f) => f.file)));
  const folders =
    options.backupDir !== undefined
      ? [join(resolveIn(options.cwd, options.backupDir), version), resolveIn(options.cwd, options.backupDir)]
      : records.length > 0
        ? [...new Set(records.map((r) => resolveIn(options.cwd, r.dir)))]
        : [backupFolder(version, options.cwd !== undefined ? { cwd: options.cwd } : {}).path];
  if (rows.length > 0 && records.length === 0 && options.backupDir === undefined) {
    throw new Refusal('no_backup', [
      `the ledger records no backups for version ${version} (it was applied with --no-backup, or none of its steps deleted data)`,
    ]);
  }
  const found = await findManifest(version, folders);
  if ('why' in found) {
    const where =
      rows.length === 0 ? `version ${version} is not in the ledger of this database, and` : `the ledger names backups of ${version}, but`;
    throw new Refusal('no_backup', [
      `${where} no manifest of it was found in ${folders.join(' or ')}${found.why.length > 0 ? ` (${found.why.join('; ')})` : ''}; pass --backup-dir with the folder the backup files are in now`,
    ]);
  }
  if (records.length === 0) {
    // No ledger record: the manifest alone; a file whose step did not commit holds data that was not deleted.
    const files = found.manifest.files.filter((f) => f.committed);
    const notes = found.manifest.files
      .filter((f) => !f.committed)
      .map(
        (f) =>
          `${f.file} left out: step ${f.step} is not recorded as committed (its data was not deleted, or the apply stopped at that moment)`,
      );
    return { ...found, files, notes };
  }
  const files = found.manifest.files.filter((f) => named.has(f.file));
  const missing = [...named].filter((name) => !files.some((f) => f.file === name));
  if (missing.length > 0)
    throw new Refusal('no_backup', [`the manifest in ${found.folder} does not describe ${missing.join(', ')}, which the ledger names`]);
  return { ...found, files, notes: [] };
}

/** `schema.table` as the manifest spells it, from a `--table` value. */
function tableName(text: string): string {
  return text.includes('.') ? text : `public.${text}`;
}

function selectTables(files: readonly BackupFile[], tables: readonly string[] | undefined): BackupFile[] {
  if (tables === undefined || tables.length === 0) return [...files];
  const wanted = tables.map(tableName);
  const unknown = wanted.filter((t) => !files.some((f) => `${f.schema}.${f.table}` === t));
  if (unknown.length > 0) {
    const held = [...new Set(files.map((f) => `${f.schema}.${f.table}`))].join(', ') || 'nothing';
    throw new Refusal('not_in_backup', [`the backup holds no data of ${unknown.join(', ')} (it holds: ${held})`]);
  }
  return files.filter((f) => wanted.includes(`${f.schema}.${f.table}`));
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function verifyFiles(folder: string, files: readonly BackupFile[]): Promise<void> {
  const problems: string[] = [];
  for (const f of files) {
    const path = join(folder, f.file);
    const actual = await sha256Of(path).catch((error: Error) => `unreadable (${error.message})`);
    if (actual !== f.sha256)
      problems.push(
        `${path}: ${actual.startsWith('unreadable') ? actual : 'its sha256 differs from the manifest (the file changed or is damaged)'}`,
      );
  }
  if (problems.length > 0) throw new Refusal('checksum', problems);
}

// ---------------------------------------------------------------------------------------------
// checking the targets

interface Target {
  readonly table: QualifiedName;
  /** The live columns by name. */
  readonly columns: ReadonlyMap<string, { readonly type: string; readonly generated: boolean; readonly identity: boolean }>;
}

async function targetOf(db: Db, f: BackupFile): Promise<Target> {
  const table = { schema: f.schema, name: f.table };
  const columns = new Map((await tableColumns(db, table)).map((c) => [c.name, c]));
  return { table, columns };
}

/** Enum values the column's (element) type does not have. */
async function missingEnumValues(db: Db, f: BackupFile): Promise<string[]> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT v FROM unnest($3::text[]) AS v
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
          JOIN pg_catalog.pg_enum e ON e.enumtypid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
         WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND e.enumlabel = v)`,
    [qualify({ schema: f.schema, name: f.table }), f.column, f.enum?.values ?? []],
  );
  return rows.map((r) => r.v);
}

/** What keeps one file from being restored now (missing objects), as sentences. */
async function targetProblems(db: Db, f: BackupFile): Promise<string[]> {
  if (f.kind === 'sequence') {
    const { rows } = await db.query<{ ok: boolean }>(
      `SELECT coalesce((SELECT relkind = 'S' FROM pg_catalog.pg_class WHERE oid = to_regclass($1)), false) AS ok`,
      [qualify({ schema: f.schema, name: f.table })],
    );
    return rows[0]?.ok ? [] : [`sequence ${f.object} does not exist`];
  }
  const target = await targetOf(db, f);
  if (target.columns.size === 0) return [`table ${f.schema}.${f.table} does not exist`];
  const whole = f.kind === 'table' || f.enum?.rowsDeleted === true || f.keyColumns.length === 0;
  const needed = whole ? f.columns.map((c) => c.name) : [...f.keyColumns, f.column!];
  const absent = needed.filter((name) => !target.columns.has(name));
  if (absent.length > 0) return [`table ${f.schema}.${f.table} has no column ${absent.join(', ')} that the backup holds`];
  if (f.column !== undefined && target.columns.get(f.column)?.generated) {
    return [`column ${f.object} is a generated column now, its values cannot be set`];
  }
  if (f.kind === 'enum_rows') {
    const missing = await missingEnumValues(db, f);
    if (missing.length > 0) {
      return [`column ${f.object} (${target.columns.get(f.column!)?.type}) has no value ${missing.map((v) => `'${v}'`).join(', ')} now`];
    }
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// loading

/** The COPY text of a backup file, uncompressed. */
function fileData(path: string): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip();
  pipeline(createReadStream(path), gunzip).catch((error: Error) => gunzip.destroy(error));
  return gunzip;
}

/** A temporary table with the file's columns, all text (COPY's text form, cast when used). */
async function loadTemporary(db: Db, folder: string, f: BackupFile, name: string): Promise<number> {
  const columns = f.columns.map((c) => `${quoteIdent(c.name)} text`).join(', ');
  await db.exec(`CREATE TEMPORARY TABLE ${quoteIdent(name)} (${columns}) ON COMMIT DROP`);
  return db.copyIn!(quoteIdent(name), fileData(join(folder, f.file)));
}

/** `s."col"::<the live column's type>` */
function cast(target: Target, column: string): string {
  return `s.${quoteIdent(column)}::${target.columns.get(column)!.type}`;
}

function keyMatch(target: Target, f: BackupFile): string {
  return f.keyColumns.map((k) => `t.${quoteIdent(k)} = ${cast(target, k)}`).join(' AND ');
}

/** INSERT … ON CONFLICT DO NOTHING of the file's rows (generated columns left to be computed). */
async function insertRows(db: Db, target: Target, f: BackupFile, temporary: string): Promise<number> {
  const names = f.columns.map((c) => c.name).filter((name) => !target.columns.get(name)!.generated);
  const overriding = names.some((name) => target.columns.get(name)!.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const { rowCount } = await db.query(
    `INSERT INTO ${qualify(target.table)} (${names.map(quoteIdent).join(', ')})${overriding}
     SELECT ${names.map((n) => cast(target, n)).join(', ')} FROM ${quoteIdent(temporary)} s ON CONFLICT DO NOTHING`,
  );
  await advanceSequences(db, target, names);
  return rowCount;
}

/** Serial and identity sequences of restored columns move past the largest restored value. */
async function advanceSequences(db: Db, target: Target, names: readonly string[]): Promise<void> {
  const t = qualify(target.table);
  const { rows } = await db.query<{ name: string; seq: string }>(
    'SELECT n AS name, pg_get_serial_sequence($1, n) AS seq FROM unnest($2::text[]) AS n WHERE pg_get_serial_sequence($1, n) IS NOT NULL',
    [t, names],
  );
  for (const { name, seq } of rows) {
    await db.query(
      `SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(name)})::bigint AS m FROM ${t}) x
        WHERE m IS NOT NULL AND m > coalesce(pg_sequence_last_value($1::regclass), 0)`,
      [seq],
    );
  }
}

async function updateColumn(db: Db, target: Target, f: BackupFile, temporary: string): Promise<number> {
  const column = f.column!;
  if (f.keyColumns.length === 0) return updateColumnByRow(db, target, f, temporary);
  const { rowCount } = await db.query(
    `UPDATE ${qualify(target.table)} t SET ${quoteIdent(column)} = ${cast(target, column)}
       FROM ${quoteIdent(temporary)} s WHERE ${keyMatch(target, f)}`,
  );
  return rowCount;
}

/**
 * A table without a key: the file holds whole rows, matched to the live rows on every other
 * column (compared as text, through the live type, so that any type compares). Rows alike in all
 * those columns are paired one to one (numbered within their group on both sides), so that
 * duplicate rows each get one of the values back.
 */
async function updateColumnByRow(db: Db, target: Target, f: BackupFile, temporary: string): Promise<number> {
  const column = f.column!;
  const others = f.columns.map((c) => c.name).filter((name) => name !== column);
  const live = others.map((name, i) => `${quoteIdent(name)}::text AS k${i}`);
  const saved = others.map((name, i) => `${cast(target, name)}::text AS k${i}`);
  const group = (list: readonly string[]): string => (list.length === 0 ? '' : `PARTITION BY ${list.join(', ')} `);
  const liveGroup = group(others.map((name) => `${quoteIdent(name)}::text`));
  const savedGroup = group(others.map((name) => `${cast(target, name)}::text`));
  const match = others.map((_, i) => ` AND m.k${i} IS NOT DISTINCT FROM s.k${i}`).join('');
  const { rowCount } = await db.query(
    `UPDATE ${qualify(target.table)} t SET ${quoteIdent(column)} = s.v
       FROM (SELECT ctid AS tid, row_number() OVER (${liveGroup}ORDER BY ctid) AS n${live.map((l) => `, ${l}`).join('')} FROM ${qualify(target.table)}) m,
            (SELECT ${cast(target, column)} AS v, row_number() OVER (${savedGroup}ORDER BY s.${quoteIdent(column)}) AS n${saved.map((l) => `, ${l}`).join('')} FROM ${quoteIdent(temporary)} s) s
      WHERE t.ctid = m.tid AND m.n = s.n${match}`,
  );
  return rowCount;
}

async function restoreSequence(db: Db, f: BackupFile, temporary: string): Promise<number> {
  const { rowCount } = await db.query(
    `SELECT setval(to_regclass($1), s.last_value::bigint, s.is_called::boolean) FROM ${quoteIdent(temporary)} s`,
    [qualify({ schema: f.schema, name: f.table })],
  );
  return rowCount;
}

/** Loads one file; its counts. */
async function restoreFile(db: Db, folder: string, f: BackupFile, index: number): Promise<RestoredObject> {
  const temporary = `pgr_restore_${index}`;
  const rows = await loadTemporary(db, folder, f, temporary);
  const base = { step: f.step, kind: f.kind, object: f.object, file: f.file, rows };
  if (f.kind === 'sequence') return { ...base, restored: await restoreSequence(db, f, temporary), skipped: 0, skippedBecause: '' };
  const target = await targetOf(db, f);
  let restored: number;
  let because: string;
  if (f.kind === 'table') {
    restored = await insertRows(db, target, f, temporary);
    because = 'already there';
  } else if (f.kind === 'column') {
    restored = await updateColumn(db, target, f, temporary);
    because = 'key no longer present';
  } else {
    // Rows the step deleted (NOT NULL column without a default) come back whole; without a key,
    // matching them on their other columns could pick a surviving row alike in those, so only insert.
    restored = f.enum?.rowsDeleted && f.keyColumns.length === 0 ? 0 : await updateColumn(db, target, f, temporary);
    if (f.enum?.rowsDeleted) restored += await insertRows(db, target, f, temporary);
    because = f.enum?.rowsDeleted ? 'already there' : 'key no longer present';
  }
  return { ...base, restored, skipped: Math.max(0, rows - restored), skippedBecause: because };
}

/**
 * Restores the backups of a version: checks them (ledger record, manifest, sha256 of every
 * file, the objects exist again), then loads them in one transaction under the deployment lock.
 * Refusals are returned (nothing loaded); a database error is thrown after the rollback.
 *
 * @example
 * const outcome = await restoreBackup(db, '20261121T201500Z_drop-table-orders', { tables: ['public.orders'] });
 * if (outcome.kind === 'restored') for (const o of outcome.objects) console.log(o.object, o.restored);
 */
export async function restoreBackup(db: Db, version: string, options: RestoreOptions = {}): Promise<RestoreOutcome> {
  if (db.copyIn === undefined)
    throw new Error(`this database connection (${db.description}) cannot run COPY, so backups cannot be restored through it`);
  try {
    const located = await locate(db, version, options);
    const files = selectTables(located.files, options.tables).sort((a, b) => b.step - a.step || a.file.localeCompare(b.file));
    await verifyFiles(located.folder, files);
    const lock = await acquireDeploymentLock(db, options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {});
    try {
      const problems: string[] = [];
      for (const f of files) problems.push(...(await targetProblems(db, f)));
      if (problems.length > 0) throw new Refusal('missing_object', [...problems, HOW_TO_GET_IT_BACK]);
      const objects = await inTransaction(db, options, async () => {
        const done: RestoredObject[] = [];
        for (const [i, f] of files.entries()) done.push(await restoreFile(db, located.folder, f, i + 1));
        return done;
      });
      return { kind: 'restored', version, folder: located.folder, objects, notes: located.notes };
    } finally {
      await lock.release().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof Refusal) return { kind: 'refused', reason: error.reason, version, problems: error.problems };
    throw error;
  }
}

async function inTransaction<T>(db: Db, options: RestoreOptions, run: () => Promise<T>): Promise<T> {
  await db.exec('BEGIN');
  try {
    await db.exec(`SET LOCAL lock_timeout = '${Math.max(0, Math.floor(options.lockTimeoutMs ?? 5000))}ms'`);
    const result = await run();
    await db.exec('COMMIT');
    return result;
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
