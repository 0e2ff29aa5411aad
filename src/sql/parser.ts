/**
 * A thin wrapper over `libpg-query` (PostgreSQL 18's own parser compiled to WebAssembly).
 *
 * Call `await initParser()` once (it is idempotent and cheap after the first call); every
 * other function here is synchronous and throws if the parser was not initialised.
 * Parse errors are thrown as `SqlSyntaxError`, never abort the process.
 */
import type { ParseResult } from 'libpg-query';

/** The JSON parse tree libpg-query returns: `{ version, stmts: [{ stmt: { SelectStmt: … } }] }`. */
export type ParseTree = ParseResult;

/** PostgreSQL's keyword categories (`src/include/parser/kwlist.h`). */
export type KeywordKind = 'none' | 'unreserved' | 'col_name' | 'type_func_name' | 'reserved';

/** One lexical token. `start`/`end` are 0-based offsets into the given JavaScript string. */
export interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Token name for non-keyword tokens (`IDENT`, `SCONST`, `ICONST`, …), `UNKNOWN` for keywords and punctuation. */
  readonly tokenName: string;
  readonly keywordKind: KeywordKind;
}

/** A syntax error reported by PostgreSQL's parser. */
export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';
  /** 1-based character offset into the text that was parsed, when the parser reported one. */
  readonly cursor: number | undefined;
  /** The text that was parsed. */
  readonly sql: string;

  constructor(message: string, sql: string, cursor?: number) {
    super(message);
    this.sql = sql;
    this.cursor = cursor;
  }
}

type LibPgQuery = typeof import('libpg-query');

let lib: LibPgQuery | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the WebAssembly parser. Idempotent: later calls return at once.
 *
 * @example
 * await initParser();
 * parseSql('SELECT 1');
 */
export function initParser(): Promise<void> {
  if (lib !== undefined) return Promise.resolve();
  loading ??= (async () => {
    const mod = await import('libpg-query');
    await mod.loadModule();
    lib = mod;
  })().catch((error: unknown) => {
    loading = undefined; // let a later call try again
    throw error;
  });
  return loading;
}

/** True once `initParser()` has completed. */
export function parserReady(): boolean {
  return lib !== undefined;
}

function loaded(): LibPgQuery {
  if (lib === undefined) {
    throw new Error('the SQL parser is not initialised: call `await initParser()` first');
  }
  return lib;
}

/** Converts a 1-based code-point position (what PostgreSQL reports) to a 1-based UTF-16 position. */
function codePointToUtf16Position(text: string, position: number): number {
  let units = 0;
  let points = 0;
  while (points < position - 1 && units < text.length) {
    const code = text.codePointAt(units) ?? 0;
    units += code > 0xffff ? 2 : 1;
    points += 1;
  }
  return units + 1 + Math.max(0, position - 1 - points);
}

function syntaxError(error: unknown, sql: string): SqlSyntaxError {
  if (error instanceof Error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const zeroBased = details?.cursorPosition;
    const cursor = typeof zeroBased === 'number' && zeroBased >= 0 ? codePointToUtf16Position(sql, zeroBased + 1) : undefined;
    return new SqlSyntaxError(error.message, sql, cursor);
  }
  return new SqlSyntaxError(String(error), sql);
}

/**
 * Parses one or more SQL statements into libpg-query's JSON parse tree.
 * Throws `SqlSyntaxError` (with `cursor`) on invalid SQL.
 *
 * @example
 * parseSql('SELECT 1').stmts?.[0]?.stmt  // { SelectStmt: { … } }
 */
export function parseSql(sql: string): ParseTree {
  const cached = parseCache.get(sql);
  if (cached !== undefined) {
    if (cached instanceof SqlSyntaxError) throw cached;
    return cached;
  }
  const parser = loaded();
  let result: ParseTree | SqlSyntaxError;
  if (sql.trim() === '') result = new SqlSyntaxError('empty SQL text', sql);
  else {
    try {
      result = parser.parseSync(sql);
    } catch (error) {
      result = syntaxError(error, sql);
    }
  }
  if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.clear();
  parseCache.set(sql, result);
  if (result instanceof SqlSyntaxError) throw result;
  return result;
}

/**
 * Parse results by text. Schemas repeat their fragments (the same defaults, checks and types on
 * many tables), and one text is parsed by several stages (validation, comparison, planning),
 * so each distinct text crosses into WebAssembly once. Trees are shared: callers never mutate them.
 */
const parseCache = new Map<string, ParseTree | SqlSyntaxError>();
const PARSE_CACHE_SIZE = 50_000;

/**
 * Parses the PL/pgSQL body of a `CREATE FUNCTION … LANGUAGE plpgsql` statement.
 * Returns libpg-query's PL/pgSQL JSON tree; throws `SqlSyntaxError` on invalid code.
 *
 * @example
 * parsePlpgsql("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
 */
export function parsePlpgsql(createFunctionSql: string): unknown {
  const parser = loaded();
  // libpg-query reports PL/pgSQL errors as plain strings; parse the SQL first for a cursor.
  parseSql(createFunctionSql);
  try {
    return parser.parsePlPgSQLSync(createFunctionSql);
  } catch (error) {
    throw syntaxError(error, createFunctionSql);
  }
}

const keywordKinds: readonly KeywordKind[] = ['none', 'unreserved', 'col_name', 'type_func_name', 'reserved'];

/** Maps UTF-8 byte offsets to UTF-16 offsets for `text` (identity when the text is ASCII). */
function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (offset) => offset;
  const map: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < width; b++) map[bytes + b] = i;
    bytes += width;
    i += code > 0xffff ? 2 : 1;
  }
  map[bytes] = text.length;
  return (offset) => map[offset] ?? text.length;
}

/**
 * Splits SQL into tokens with PostgreSQL's scanner (keywords classified).
 *
 * @example
 * scanSql('select "User"')  // [{ text: 'select', keywordKind: 'reserved', … }, { text: '"User"', tokenName: 'IDENT', … }]
 */
export function scanSql(sql: string): Token[] {
  const parser = loaded();
  let result: ReturnType<LibPgQuery['scanSync']>;
  try {
    result = parser.scanSync(sql);
  } catch (error) {
    throw syntaxError(error, sql);
  }
  const at = byteOffsetMapper(sql);
  return (result.tokens ?? []).map((token) => {
    const start = at(token.start);
    const end = at(token.end);
    return {
      start,
      end,
      text: sql.slice(start, end),
      tokenName: token.tokenName,
      keywordKind: keywordKinds[token.keywordKind] ?? 'none',
    };
  });
}
