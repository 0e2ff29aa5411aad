/**
 * `data_changes:` as written → `DataChange`s, and the checks of the file: ids by a strict
 * grammar, each anchor a well-formed name of an object the file declares where it must, a `file:`
 * inside the folder of schema.yaml, a batch over a declared table and column whose SQL uses the
 * batch's bounds `$1` and `$2`.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Checker } from '../desired/check-helpers.js';
import type { DocPath } from '../desired/diagnostic.js';
import { maxFileBytes } from '../desired/limits.js';
import { sha256 } from '../model/fingerprint.js';
import { parseQualifiedName, splitQualifiedName } from '../model/ident.js';
import { checkIdentifier, checkText } from '../model/sql-names.js';
import type { QualifiedName } from '../model/types.js';
import { parseSql, SqlSyntaxError } from '../sql/parser.js';
import type { RawDataChange, RawDataChangeAnchor, RawDocument } from '../kinds/raw.js';
import { DATA_CHANGE_ID, type DataChange, type DataChangeAnchor, type DataChangeBatch } from './model.js';

type Direction = 'after' | 'before';

const list = (v: RawDataChangeAnchor | readonly RawDataChangeAnchor[] | undefined): readonly RawDataChangeAnchor[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as readonly RawDataChangeAnchor[]) : [v as RawDataChangeAnchor];

/** `schema.table.column` or `table.column` (= public). */
function parseColumnName(text: string): { table: QualifiedName; column: string } | string {
  let parts: string[];
  try {
    parts = splitQualifiedName(text.trim());
  } catch (error) {
    return (error as Error).message;
  }
  if (parts.length === 2) return { table: { schema: 'public', name: parts[0]! }, column: parts[1]! };
  if (parts.length === 3) return { table: { schema: parts[0]!, name: parts[1]! }, column: parts[2]! };
  return `"${text}" is not a column name: expected "schema.table.column" or "table.column"`;
}

function parseTableName(text: string): QualifiedName | string {
  try {
    return parseQualifiedName(text, 'public');
  } catch (error) {
    return (error as Error).message;
  }
}

/** An anchor as written → the model's, or the problem. */
function parseAnchor(raw: RawDataChangeAnchor, direction: Direction): DataChangeAnchor | string {
  const keys = Object.keys(raw);
  if (keys.length !== 1) return 'name exactly one of table, column, not_null, data_change';
  if (raw.table !== undefined) {
    const t = parseTableName(raw.table);
    return typeof t === 'string' ? t : { kind: 'table', table: t };
  }
  if (raw.data_change !== undefined) {
    if (direction === 'before') return 'data_change can only be named under after: (this one runs after it)';
    return DATA_CHANGE_ID.test(raw.data_change)
      ? { kind: 'data_change', id: raw.data_change }
      : `"${raw.data_change}" is not a data change id`;
  }
  const text = raw.column ?? raw.not_null;
  if (text === undefined) return 'name one of table, column, not_null, data_change';
  if (raw.not_null !== undefined && direction === 'after')
    return 'not_null can only be named under before: (the data change fills the column first)';
  const c = parseColumnName(text);
  if (typeof c === 'string') return c;
  return { kind: raw.not_null !== undefined ? 'not_null' : 'column', ...c };
}

/** The table a batch runs over: its own `table:`, else the first table an anchor names. */
function batchTable(raw: RawDataChange, anchors: readonly DataChangeAnchor[]): QualifiedName | undefined {
  if (raw.batch?.table !== undefined) {
    const t = parseTableName(raw.batch.table);
    return typeof t === 'string' ? undefined : t;
  }
  for (const a of anchors) if (a.kind !== 'data_change') return a.table;
  return undefined;
}

/** The folder of schema.yaml, the project folder a `file:` must stay in. */
function projectFolder(fileName: string): string {
  return dirname(resolve(fileName));
}

/**
 * The SQL of `file:` (relative to the folder of schema.yaml), or the problem: absolute paths and
 * paths that leave the folder (`..`, a symbolic link pointing outside) are refused.
 */
export function readDataChangeFile(schemaFile: string, file: string): { sql: string } | { problem: string } {
  const bad = checkText(file);
  if (bad !== undefined) return { problem: `file ${bad}` };
  if (isAbsolute(file)) return { problem: `file "${file}" is an absolute path: name it relative to the folder of ${schemaFile}` };
  const base = projectFolder(schemaFile);
  const target = resolve(base, file);
  const outside = (from: string, to: string): boolean => {
    const rel = relative(from, to);
    return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  if (outside(base, target)) return { problem: `file "${file}" is outside the folder of ${schemaFile}` };
  try {
    const realBase = realpathSync(base);
    const real = realpathSync(target);
    if (outside(realBase, real)) return { problem: `file "${file}" leads outside the folder of ${schemaFile} (a symbolic link)` };
    const info = statSync(real);
    if (!info.isFile()) return { problem: `file "${file}" is not a file` };
    if (info.size > maxFileBytes) return { problem: `file "${file}" is too large (the limit is 4 MiB)` };
    const sql = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(real));
    if (sql.trim() === '') return { problem: `file "${file}" is empty` };
    const hidden = checkText(sql);
    if (hidden !== undefined) return { problem: `file "${file}" ${hidden}` };
    return { sql };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return { problem: `file "${file}" does not exist (relative to the folder of ${schemaFile})` };
    if (error instanceof TypeError) return { problem: `file "${file}" is not valid UTF-8` };
    return { problem: `file "${file}" cannot be read: ${(error as Error).message}` };
  }
}

const USES_BOUNDS = (sql: string): boolean => /\$1(?![0-9])/.test(sql) && /\$2(?![0-9])/.test(sql) && !/\$(?:[3-9]|[1-9][0-9])/.test(sql);

/** The semantic checks of `data_changes:` (after the JSON Schema). */
export function checkDataChanges(c: Checker): void {
  const raw = c.raw.data_changes;
  if (raw === undefined || raw === null) return;
  const ids = new Set(Object.keys(raw));
  for (const [id, change] of Object.entries(raw)) {
    const path: DocPath = ['data_changes', id];
    if (!DATA_CHANGE_ID.test(id)) {
      c.report(
        path,
        `data change id "${id}" is not valid: letters, digits, "_", "-" and "." only, starting with a letter or digit, at most 100 characters`,
        'key',
      );
      continue;
    }
    if (change === null || typeof change !== 'object') continue;
    if ((change.sql === undefined) === (change.file === undefined)) {
      c.report(path, `data change "${id}" needs its SQL: give exactly one of sql: and file:`, 'key');
      continue;
    }
    let sql = change.sql;
    if (change.file !== undefined) {
      const read = readDataChangeFile(c.doc.fileName, change.file);
      if ('problem' in read) c.report([...path, 'file'], read.problem);
      else sql = read.sql;
    }
    const sqlAt: DocPath = [...path, change.file !== undefined ? 'file' : 'sql'];
    let statements = 0;
    if (sql !== undefined) {
      try {
        statements = parseSql(sql).stmts?.length ?? 0;
      } catch (error) {
        if (!(error instanceof SqlSyntaxError)) throw error;
        c.report(sqlAt, `the SQL does not parse: ${error.message}`);
      }
    }
    const anchors: DataChangeAnchor[] = [];
    for (const direction of ['after', 'before'] as const) {
      const given = change[direction];
      list(given).forEach((a, i) => {
        const at: DocPath = Array.isArray(given) ? [...path, direction, i] : [...path, direction];
        const parsed = parseAnchor(a, direction);
        if (typeof parsed === 'string') {
          c.report(at, parsed);
          return;
        }
        anchors.push(parsed);
        if (parsed.kind === 'data_change') {
          if (parsed.id === id) c.report(at, `data change "${id}" cannot run after itself`);
          else if (!ids.has(parsed.id)) c.report(at, `data change "${parsed.id}" is not declared under data_changes`);
          return;
        }
        for (const part of [parsed.table.schema, parsed.table.name, ...(parsed.kind === 'table' ? [] : [parsed.column])]) {
          const problem = checkIdentifier(part, 'object');
          if (problem !== undefined) c.report(at, problem);
        }
        // What it runs after, and the NOT NULL it runs before, are in the file; what it runs before the drop of need not be.
        if (direction === 'after' || parsed.kind === 'not_null') {
          const table = c.index.table(parsed.table.schema, parsed.table.name);
          const shown = `${parsed.table.schema}.${parsed.table.name}`;
          if (table === undefined) c.report(at, `table "${shown}" is not declared in this file`);
          else if (parsed.kind !== 'table' && table.raw.columns?.[parsed.column] === undefined)
            c.report(at, `column "${parsed.column}" is not declared in table "${shown}"`);
        }
      });
    }
    if (change.batch !== undefined) {
      const table = batchTable(change, anchors);
      const given = change.batch.table !== undefined ? parseTableName(change.batch.table) : undefined;
      if (typeof given === 'string') c.report([...path, 'batch', 'table'], given);
      else if (table === undefined)
        c.report([...path, 'batch'], 'name the table to run in batches over (batch.table), or a table or column under after:/before:');
      else {
        for (const part of [table.schema, table.name]) {
          const problem = checkIdentifier(part, 'table');
          if (problem !== undefined) c.report([...path, 'batch', 'table'], problem);
        }
        // A table the file does not manage (ignored, or managed elsewhere) may be filled too: its key is then the server's to check.
        const declared = c.index.table(table.schema, table.name);
        if (declared !== undefined && declared.raw.columns?.[change.batch.key] === undefined)
          c.report([...path, 'batch', 'key'], `column "${change.batch.key}" is not declared in table "${table.schema}.${table.name}"`);
      }
      const problem = checkIdentifier(change.batch.key, 'column');
      if (problem !== undefined) c.report([...path, 'batch', 'key'], problem);
      if (sql !== undefined && (!USES_BOUNDS(sql) || statements > 1))
        c.report(
          sqlAt,
          'a batched data change is one statement that uses $1 and $2, the lowest and highest key of each batch (e.g. WHERE id BETWEEN $1 AND $2), and no other parameter',
        );
    }
  }
}

/** The data changes of a checked document (`fileName`: schema.yaml, which `file:` paths are relative to). */
export function readDataChanges(raw: RawDocument, fileName: string): DataChange[] {
  const out: DataChange[] = [];
  for (const [id, change] of Object.entries(raw.data_changes ?? {})) {
    let sql = change.sql;
    if (change.file !== undefined) {
      const read = readDataChangeFile(fileName, change.file);
      if ('problem' in read) throw new Error(`data_changes.${id}.file: ${read.problem}`);
      sql = read.sql;
    }
    const anchors = (direction: Direction): DataChangeAnchor[] =>
      list(change[direction]).map((a) => {
        const parsed = parseAnchor(a, direction);
        if (typeof parsed === 'string') throw new Error(`data_changes.${id}.${direction}: ${parsed}`);
        return parsed;
      });
    const after = anchors('after');
    const before = anchors('before');
    const table = change.batch !== undefined ? batchTable(change, [...after, ...before]) : undefined;
    const batch: DataChangeBatch | undefined =
      change.batch !== undefined && table !== undefined ? { table, key: change.batch.key, size: change.batch.size } : undefined;
    out.push({
      id,
      sql: sql!,
      checksum: `sha256:${sha256(sql!)}`,
      ...((parseSql(sql!).stmts?.length ?? 0) > 1 ? { script: true as const } : {}),
      ...(change.file !== undefined ? { file: change.file } : {}),
      after,
      before,
      ...(batch !== undefined ? { batch } : {}),
    });
  }
  return out;
}
