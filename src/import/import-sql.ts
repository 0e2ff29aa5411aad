/**
 * `import`: a SQL schema script (an `init.sql`, `pg_dump --schema-only` output) into the
 * desired-state file. The script runs in a throwaway in-memory PGlite database (pgvector and
 * pgcrypto available), one statement at a time, and the file is pulled from there. A failing
 * statement is reported at its line and column in the script.
 */
import { pinSessionSettings } from '../db/session-settings.js';
import { readUserFile } from '../util/files.js';
import type { Db } from '../db/db.js';
import { quoteIdent } from '../model/ident.js';
import { DbError, isDbError } from '../db/errors.js';
import { pullSchema } from '../pull/index.js';
import type { PulledYaml } from '../pull/index.js';
import { initParser, parseSql, scanSql, SqlSyntaxError } from '../sql/parser.js';

/** A problem with the script, at a place in it (1-based line and column). */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, line: number, column: number, message: string) {
    super(message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** `file:line:column: message`, the way compilers report. */
  format(): string {
    return `${this.file}:${this.line}:${this.column}: ${this.message}`;
  }
}

export interface ImportOptions {
  /** The script's name in messages (default `input.sql`). */
  readonly fileName?: string;
  /** Glob patterns over "schema.name" left out of the file and written under `ignore`. */
  readonly ignore?: readonly string[];
  /** Run the script here instead of a fresh in-memory PGlite database (which is then not closed). */
  readonly db?: Db;
}

/** One statement of the script: its text and where it starts (0-based UTF-16 offset). */
export interface ScriptStatement {
  readonly start: number;
  readonly text: string;
  /** The statement's parse-tree node kind, e.g. `CreateStmt`, `GrantStmt`. */
  readonly kind: string;
  /** For ALTER TABLE: true when every subcommand is OWNER TO. */
  readonly ownerOnly: boolean;
}

/** 1-based line and column of a 0-based UTF-16 offset, columns counted in characters. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Array.from(text.slice(lineStart, end)).length + 1 };
}

/** UTF-8 byte offset → UTF-16 offset of `text` (libpg-query's statement locations are bytes). */
function byteToUtf16(text: string): (byteOffset: number) => number {
  const map = new Map<number, number>();
  let bytes = 0;
  let i = 0;
  for (const char of text) {
    map.set(bytes, i);
    bytes += Buffer.byteLength(char, 'utf8');
    i += char.length;
  }
  map.set(bytes, i);
  return (offset) => map.get(offset) ?? text.length;
}

/**
 * The script with psql meta-commands (`\connect`, `\restrict`, `\set`, … as pg_dump writes
 * them) blanked out to the end of their line, keeping every other character where it was. A
 * meta-command is a backslash that starts a line outside a string, quoted identifier,
 * dollar-quoted body or comment. (Not with PostgreSQL's scanner: pg_dump's `\restrict KEY` line
 * holds a random key, and one that starts with a digit is "trailing junk" to the scanner.)
 */
export function blankMetaCommands(script: string): { readonly sql: string; readonly lines: readonly number[] } {
  const n = script.length;
  const parts: string[] = [];
  const lines: number[] = [];
  let line = 1;
  let copied = 0;
  let lineStart = true;
  let i = 0;
  const identChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
  const skipTo = (end: number): void => {
    for (let k = i; k < end && k < n; k++) if (script.charCodeAt(k) === 10) line++;
    i = Math.min(end, n);
  };
  while (i < n) {
    const c = script[i]!;
    if (c === '\n') {
      line++;
      lineStart = true;
      i++;
      continue;
    }
    if (lineStart && c === '\\') {
      const newline = script.indexOf('\n', i);
      const end = newline < 0 ? n : newline;
      parts.push(script.slice(copied, i), ' '.repeat(end - i));
      copied = end;
      lines.push(line);
      i = end;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') lineStart = false;
    if (c === '-' && script[i + 1] === '-') {
      const newline = script.indexOf('\n', i);
      i = newline < 0 ? n : newline;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      let depth = 0;
      let k = i;
      while (k < n) {
        if (script[k] === '/' && script[k + 1] === '*') {
          depth++;
          k += 2;
        } else if (script[k] === '*' && script[k + 1] === '/') {
          depth--;
          k += 2;
          if (depth === 0) break;
        } else k++;
      }
      skipTo(k);
      continue;
    }
    if (c === "'") {
      // E'…' strings take backslash escapes; others only '' .
      const escapes = (script[i - 1] === 'E' || script[i - 1] === 'e') && !identChar(script[i - 2]);
      let k = i + 1;
      while (k < n) {
        if (escapes && script[k] === '\\') k += 2;
        else if (script[k] === "'" && script[k + 1] === "'") k += 2;
        else if (script[k] === "'") break;
        else k++;
      }
      skipTo(k + 1);
      continue;
    }
    if (c === '"') {
      let k = i + 1;
      while (k < n) {
        if (script[k] === '"' && script[k + 1] === '"') k += 2;
        else if (script[k] === '"') break;
        else k++;
      }
      skipTo(k + 1);
      continue;
    }
    if (c === '$' && !identChar(script[i - 1])) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(script.slice(i, i + 200))?.[0];
      if (tag !== undefined) {
        const close = script.indexOf(tag, i + tag.length);
        skipTo(close < 0 ? n : close + tag.length);
        continue;
      }
    }
    i++;
  }
  parts.push(script.slice(copied));
  return { sql: parts.join(''), lines };
}

type Json = Record<string, unknown>;

/**
 * Splits a script into statements with PostgreSQL's parser. Throws `ImportError` at the
 * syntax error's place when the script does not parse.
 *
 * @example
 * splitStatements('CREATE TABLE a (x int);\nCREATE INDEX ON a (x);', 'init.sql').map((s) => s.kind)
 * // ['CreateStmt', 'IndexStmt']
 */
export function splitStatements(script: string, fileName: string): ScriptStatement[] {
  if (script.trim() === '') return [];
  let tree;
  try {
    tree = parseSql(script);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    const at = lineColumnAt(script, (error.cursor ?? 1) - 1);
    throw new ImportError(fileName, at.line, at.column, error.message);
  }
  const toUtf16 = byteToUtf16(script);
  const statements: ScriptStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    const node = raw.stmt as Json | undefined;
    if (node === undefined) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = toUtf16(startByte);
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? script.length : toUtf16(startByte + raw.stmt_len);
    const kind = Object.keys(node)[0] ?? 'unknown';
    const cmds = ((node['AlterTableStmt'] as Json | undefined)?.['cmds'] as readonly Json[] | undefined) ?? [];
    const ownerOnly =
      kind === 'AlterTableStmt' &&
      cmds.length > 0 &&
      cmds.every((c) => (c['AlterTableCmd'] as Json | undefined)?.['subtype'] === 'AT_ChangeOwner');
    // The statement's own text, from its first token (leading comments are not part of it).
    const text = script.slice(start, end);
    const skip = text.length - text.trimStart().length;
    statements.push({ start: start + skip, text: text.trim(), kind, ownerOnly });
  }
  return statements;
}

/** Statements about roles and privileges: a role they name that does not exist here is made (with a warning). */
const ROLE_STATEMENTS: ReadonlySet<string> = new Set(['GrantStmt', 'GrantRoleStmt', 'AlterOwnerStmt', 'AlterDefaultPrivilegesStmt']);
/** SQLSTATE 42704 undefined_object: `role "app" does not exist`. */
const UNDEFINED_OBJECT = '42704';

function describeFailure(error: DbError): string {
  const parts = [error.code !== undefined ? `ERROR ${error.code}: ${error.message}` : `ERROR: ${error.message}`];
  if (error.detail) parts.push(`DETAIL: ${error.detail}`);
  if (error.hint) parts.push(`HINT: ${error.hint}`);
  return parts.join('\n');
}

/**
 * Runs a SQL script into `db`, one statement at a time. Throws `ImportError` naming the line
 * and column of the failing statement (of the error inside it, where PostgreSQL says where).
 * Returns warnings for what was skipped (psql meta-commands) and for each role an ownership or
 * privilege statement names that the embedded database lacked: it is made there, so that owners
 * and grants reach the file.
 *
 * @example
 * await runScript(db, await readFile('init.sql', 'utf8'), 'init.sql')   // []
 */
export async function runScript(db: Db, script: string, fileName: string): Promise<string[]> {
  await initParser();
  const warnings: string[] = [];
  const blanked = blankMetaCommands(script);
  for (const line of blanked.lines) warnings.push(`${fileName}:${line}: psql meta-command skipped`);
  for (const statement of splitStatements(blanked.sql, fileName)) {
    const made: string[] = [];
    for (;;) {
      try {
        await db.exec(statement.text);
        break;
      } catch (error) {
        if (!isDbError(error)) throw error;
        const at = lineColumnAt(script, statement.start);
        const roleStatement = ROLE_STATEMENTS.has(statement.kind) || statement.ownerOnly;
        const missing =
          roleStatement && error.code === UNDEFINED_OBJECT ? /^role "(.*)" does not exist$/s.exec(error.message)?.[1] : undefined;
        // Ownership and privileges are part of the desired state (grants and owners): a role the
        // script names is made in the embedded database (once), so that they reach the file.
        if (missing !== undefined && !made.includes(missing)) {
          made.push(missing);
          await db.exec(`CREATE ROLE ${quoteIdent(missing)} NOLOGIN`);
          warnings.push(
            `${fileName}:${at.line}:${at.column}: role "${missing}" made in the embedded database; the file names it, and it must exist where the file is planned`,
          );
          continue;
        }
        const offset =
          error.position !== undefined ? utf16Offset(statement.text, error.position - 1) : namedObjectOffset(statement.text, error.message);
        const where = offset !== undefined ? lineColumnAt(script, statement.start + offset) : at;
        throw new ImportError(fileName, where.line, where.column, describeFailure(error));
      }
    }
  }
  return warnings;
}

/**
 * Where a statement names the object an error message quotes (`relation "app_user" does not
 * exist`): the offset of the first identifier spelling that name, for errors that PostgreSQL
 * reports without a position. Undefined when the message quotes no name the statement holds.
 */
export function namedObjectOffset(statement: string, message: string): number | undefined {
  const quoted = /"((?:[^"]|"")+)"/.exec(message)?.[1];
  if (quoted === undefined) return undefined;
  const name = quoted.slice(quoted.lastIndexOf('.') + 1);
  let tokens;
  try {
    tokens = scanSql(statement);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
  for (const token of tokens) {
    const text = token.text.startsWith('"') ? token.text.slice(1, -1).replaceAll('""', '"') : token.text.toLowerCase();
    if ((token.tokenName === 'IDENT' || token.keywordKind !== 'none') && text === name) return token.start;
  }
  return undefined;
}

/** The UTF-16 offset of the `codePoints`-th character of `text`. */
function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  let count = 0;
  for (const char of text) {
    if (count >= codePoints) break;
    offset += char.length;
    count++;
  }
  return offset;
}

/**
 * Runs a SQL schema script in an in-memory PGlite database (with pgvector and pgcrypto) and
 * pulls its desired-state file. Throws `ImportError` (`file:line:column`) when a statement fails.
 *
 * @example
 * const { yaml, warnings } = await importSql(await readFile('init.sql', 'utf8'), { fileName: 'init.sql' });
 */
export async function importSql(script: string, opts: ImportOptions = {}): Promise<PulledYaml> {
  const fileName = opts.fileName ?? 'input.sql';
  let db = opts.db;
  if (db === undefined) {
    const { openPglite } = await import('../db/pglite-db.js');
    db = await openPglite();
  }
  try {
    const skipped = await runScript(db, script, fileName);
    // The script may have changed session settings (pg_dump empties search_path).
    await db.exec('RESET ALL');
    await pinSessionSettings(db);
    const pulled = await pullSchema(db, opts.ignore !== undefined ? { ignore: opts.ignore } : {});
    return { yaml: pulled.yaml, warnings: [...skipped, ...pulled.warnings] };
  } finally {
    if (opts.db === undefined) await db.close();
  }
}

/**
 * `importSql` of a file; messages name it as given (or as `opts.fileName`).
 *
 * @example
 * const { yaml } = await importSqlFile('../shared/fixtures/slidefactory/init.sql');
 */
export async function importSqlFile(path: string, opts: ImportOptions = {}): Promise<PulledYaml> {
  const shown = opts.fileName ?? path;
  const script = await readUserFile(path, shown);
  return importSql(script.charCodeAt(0) === 0xfeff ? script.slice(1) : script, { ...opts, fileName: shown });
}
