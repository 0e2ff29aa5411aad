/**
 * The one error type the database adapters throw. Driver errors (node-postgres, PGlite) are
 * copied field by field into a `DbError`; the driver's own error object is not kept, so no
 * driver type and no connection secret travels upward.
 */

/** Where a failure happened: opening the connection, or running a statement. */
export type DbErrorPhase = 'connect' | 'query';

export interface DbErrorFields {
  readonly phase: DbErrorPhase;
  /** SQLSTATE, e.g. `42P01`; undefined for errors that did not come from the server. */
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character offset of the error in the statement (PostgreSQL's `position`). */
  readonly position?: number;
  readonly where?: string;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
  readonly constraint?: string;
  /** Which database, safe to print (redacted URL or PGlite folder). */
  readonly target: string;
  /** The statement that failed, when there was one. */
  readonly sql?: string;
}

/**
 * A database error with its SQLSTATE and the server's detail, safe to print.
 *
 * @example
 * try { await db.query('select * from nope'); }
 * catch (e) { if (e instanceof DbError && e.code === '42P01') … }
 */
export class DbError extends Error implements DbErrorFields {
  override readonly name = 'DbError';
  readonly phase: DbErrorPhase;
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly position: number | undefined;
  readonly where: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;
  readonly target: string;
  readonly sql: string | undefined;

  constructor(message: string, fields: DbErrorFields) {
    super(message);
    this.phase = fields.phase;
    this.code = fields.code;
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.where = fields.where;
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
    this.target = fields.target;
    this.sql = fields.sql;
  }
}

/** True for a `DbError` carrying the given SQLSTATE. `isDbError(e, '55P03')` = lock timeout. */
export function isDbError(error: unknown, code?: string): error is DbError {
  return error instanceof DbError && (code === undefined || error.code === code);
}

/**
 * Line and column (both 1-based) of a 1-based character `position` within `sql`.
 *
 * @example positionToLineColumn('select\n  nope', 10) // { line: 2, column: 3 }
 */
export function positionToLineColumn(sql: string, position: number): { line: number; column: number } {
  // PostgreSQL counts characters (code points), not UTF-16 units.
  const chars = Array.from(sql);
  const upto = Math.max(0, Math.min(position - 1, chars.length));
  let line = 1;
  let column = 1;
  for (let i = 0; i < upto; i++) {
    if (chars[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

/**
 * A one-paragraph description of a database error for people: SQLSTATE, message, where in
 * the statement, and the server's detail and hint.
 *
 * @example
 * formatDbError(e) // 'ERROR 42P01: relation "nope" does not exist (statement line 1, column 15)'
 */
export function formatDbError(error: DbError): string {
  const head = error.code ? `ERROR ${error.code}: ${error.message}` : `ERROR: ${error.message}`;
  const parts = [head];
  if (error.sql !== undefined && error.position !== undefined) {
    const { line, column } = positionToLineColumn(error.sql, error.position);
    parts[0] = `${head} (statement line ${line}, column ${column})`;
  }
  if (error.detail) parts.push(`DETAIL: ${error.detail}`);
  if (error.hint) parts.push(`HINT: ${error.hint}`);
  if (error.where) parts.push(`CONTEXT: ${error.where}`);
  return parts.join('\n');
}

/** The fields a driver error may carry (node-postgres and PGlite share these names). */
interface DriverErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly hint?: unknown;
  readonly position?: unknown;
  readonly where?: unknown;
  readonly schema?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly constraint?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Copy a driver error into a `DbError`, passing every text through `scrub` (which removes
 * secrets). Internal to the adapters.
 */
export function toDbError(
  error: unknown,
  context: { phase: DbErrorPhase; target: string; sql?: string; prefix?: string },
  scrub: (text: string) => string,
): DbError {
  if (error instanceof DbError) return error;
  const e: DriverErrorLike = typeof error === 'object' && error !== null ? error : {};
  const rawMessage = str(e.message) ?? String(error);
  const code = str(e.code);
  const sqlstate = code !== undefined && SQLSTATE.test(code) ? code : undefined;
  const positionText = e.position === undefined || e.position === null ? undefined : String(e.position);
  const position = positionText !== undefined && /^\d+$/.test(positionText) ? Number(positionText) : undefined;
  const opt = (v: unknown): string | undefined => {
    const s = str(v);
    return s === undefined ? undefined : scrub(s);
  };
  // A network error's code (ECONNREFUSED, ENOTFOUND, …) is not a SQLSTATE; keep it visible in the message.
  const networkCode = code !== undefined && sqlstate === undefined && !rawMessage.includes(code) ? ` (${code})` : '';
  const message = scrub(`${context.prefix ?? ''}${rawMessage}${networkCode}`);
  const dbError = new DbError(message, {
    phase: context.phase,
    code: sqlstate,
    detail: opt(e.detail),
    hint: opt(e.hint),
    position,
    where: opt(e.where),
    schema: opt(e.schema),
    table: opt(e.table),
    column: opt(e.column),
    constraint: opt(e.constraint),
    target: context.target,
    sql: context.sql,
  });
  // Start the stack at the adapter method that failed, not here.
  Error.captureStackTrace(dbError, toDbError);
  return dbError;
}
