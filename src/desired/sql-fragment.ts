/**
 * SQL fragments of the file (defaults, checks, index expressions and predicates, WHEN,
 * USING, function bodies) parsed with PostgreSQL's own parser, with every problem reported
 * as an offset into the fragment itself so that it can be placed in the YAML file.
 */
import { parsePlpgsql, parseSql, scanSql, SqlSyntaxError } from '../sql/parser.js';

/** A problem in a fragment: a message and the 0-based offset in the fragment it concerns. */
export interface FragmentProblem {
  readonly offset: number;
  readonly message: string;
}

/** A parsed expression: its raw parse-tree root and a way back from parse-tree locations to fragment offsets. */
export interface ParsedFragment {
  readonly root: unknown;
  /** Converts a parse-tree `location` (a byte offset into the parsed text) to an offset into the fragment. */
  readonly offsetOf: (location: number) => number;
}

export type FragmentResult =
  { readonly ok: true; readonly parsed: ParsedFragment } | { readonly ok: false; readonly problem: FragmentProblem };

type Json = Record<string, unknown>;

/** Byte offsets (what PostgreSQL's locations count) → UTF-16 offsets in `text`. */
function locationMapper(text: string, prefix: number): (location: number) => number {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text);
  return (location) => {
    const units = ascii ? location : Buffer.from(text, 'utf8').subarray(0, location).toString('utf8').length;
    return Math.max(0, units - prefix);
  };
}

function syntaxProblem(error: SqlSyntaxError, prefix: number, fragment: string): FragmentProblem {
  const cursor = error.cursor === undefined ? 0 : error.cursor - 1 - prefix;
  // A cursor on the wrapper's closing text means the fragment ended too early.
  const message = cursor >= fragment.trimEnd().length ? error.message.replace(/at or near "[^"]*"$/, 'at end of input') : error.message;
  return { offset: Math.max(0, Math.min(cursor, fragment.length)), message };
}

/**
 * Parses one SQL expression (wrapped as `SELECT (<expression>)`); anything that is not
 * exactly one expression (a second target, a FROM, a second statement) is refused.
 *
 * @example
 * parseExpression('char_length(name) > 0')    // { ok: true, parsed: { root: { A_Expr: … } } }
 * parseExpression('1 +')                      // { ok: false, problem: { offset: 3, message: 'syntax error at end of input' } }
 */
export function parseExpression(expression: string): FragmentResult {
  const prefix = 'SELECT (';
  const sql = `${prefix}${expression}\n)`;
  let tree;
  try {
    tree = parseSql(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return { ok: false, problem: syntaxProblem(error, prefix.length, expression) };
    throw error;
  }
  const stmts = tree.stmts ?? [];
  const select = (stmts[0]?.stmt as Json | undefined)?.['SelectStmt'] as Json | undefined;
  const targets = select?.['targetList'] as readonly Json[] | undefined;
  const extra = select === undefined ? [] : Object.keys(select).filter((k) => !['targetList', 'limitOption', 'op'].includes(k));
  const target = targets?.[0]?.['ResTarget'] as Json | undefined;
  if (stmts.length !== 1 || targets?.length !== 1 || extra.length > 0 || target === undefined) {
    const offsetOf = locationMapper(sql, prefix.length);
    const second = targets?.[1]?.['ResTarget'] as Json | undefined;
    const at = typeof second?.['location'] === 'number' ? offsetOf(second['location']) : 0;
    return { ok: false, problem: { offset: Math.min(at, expression.length), message: 'expected exactly one SQL expression' } };
  }
  return { ok: true, parsed: { root: target['val'], offsetOf: locationMapper(sql, prefix.length) } };
}

/**
 * Parses SQL statements (the body of a `LANGUAGE sql` function).
 *
 * @example
 * parseStatements('SELECT a + b')   // undefined (no problem)
 * parseStatements('SELEC 1')        // { offset: 0, message: 'syntax error at or near "SELEC"' }
 */
export function parseStatements(sql: string): FragmentProblem | undefined {
  try {
    parseSql(sql);
    return undefined;
  } catch (error) {
    if (error instanceof SqlSyntaxError) return syntaxProblem(error, 0, sql);
    throw error;
  }
}

/**
 * Parses a SQL-standard function body (`RETURN a + b`, `BEGIN ATOMIC … END`) inside a synthesised
 * `CREATE FUNCTION`: it must be exactly that one statement's body, nothing after it.
 *
 * @example
 * parseSqlBody('RETURN a + b')             // undefined (no problem)
 * parseSqlBody('RETURN 1; DROP TABLE t')   // { offset: 0, message: '… one RETURN or BEGIN ATOMIC … END …' }
 */
export function parseSqlBody(body: string): FragmentProblem | undefined {
  const trimmed = body.trim();
  if (!/^(RETURN\s|BEGIN\s+ATOMIC\b)/i.test(trimmed))
    return { offset: 0, message: 'a SQL-standard body starts with RETURN or BEGIN ATOMIC' };
  const head = 'CREATE FUNCTION pgreconcile_check() RETURNS void LANGUAGE sql\n';
  try {
    const statements = parseSql(`${head}${trimmed}`).stmts ?? [];
    if (statements.length !== 1)
      return { offset: 0, message: 'a SQL-standard body is one RETURN or BEGIN ATOMIC … END, with nothing after it' };
    return undefined;
  } catch (error) {
    if (error instanceof SqlSyntaxError) return syntaxProblem(error, head.length, trimmed);
    throw error;
  }
}

/** A dollar-quote tag that does not occur in `body`. */
function dollarTag(body: string): string {
  let tag = '$pgreconcile$';
  for (let i = 1; body.includes(tag); i++) tag = `$pgreconcile${i}$`;
  return tag;
}

/**
 * Parses a PL/pgSQL body by synthesising `CREATE FUNCTION f(<signature>) RETURNS <returns>
 * LANGUAGE plpgsql AS $…$<body>$…$` (`CREATE PROCEDURE` without `returns`). PostgreSQL's PL/pgSQL parser reports no position, so the
 * offending token named in the message is located by re-parsing prefixes of the body.
 *
 * @example
 * parsePlpgsqlBody('BEGIN RETRUN NEW; END;', '', 'trigger')  // { offset: 6, message: 'syntax error at or near "RETRUN"' }
 */
export function parsePlpgsqlBody(body: string, signature: string, returns: string | undefined): FragmentProblem | undefined {
  const tag = dollarTag(body);
  // No result: a procedure's body (its INOUT arguments need no matching result type).
  const head =
    returns === undefined
      ? `CREATE PROCEDURE pgreconcile_check(${signature}) LANGUAGE plpgsql AS ${tag}`
      : `CREATE FUNCTION pgreconcile_check(${signature}) RETURNS ${returns} LANGUAGE plpgsql AS ${tag}`;
  const attempt = (text: string): string | undefined => {
    try {
      parsePlpgsql(`${head}${text}${tag}`);
      return undefined;
    } catch (error) {
      if (error instanceof SqlSyntaxError) return error.message;
      throw error;
    }
  };
  let message: string | undefined;
  try {
    parsePlpgsql(`${head}${body}${tag}`);
    return undefined;
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    message = error.message;
    // The statement itself (not the body) failed: the signature or return type is at fault.
    if (error.cursor !== undefined && (error.cursor <= head.length || error.cursor > head.length + body.length)) {
      return { offset: 0, message };
    }
  }
  return { offset: locateToken(body, message, attempt), message };
}

/** Offset of the token a position-less parser message is about, or 0. */
function locateToken(body: string, message: string, attempt: (text: string) => string | undefined): number {
  if (/at end of input/.test(message)) return body.trimEnd().length;
  const named = /"([^"]+)"/.exec(message)?.[1] ?? /^([A-Z]+)\b/.exec(message)?.[1];
  if (named === undefined) return 0;
  const wanted = named.toLowerCase();
  let candidates: { start: number; end: number }[] = [];
  try {
    candidates = scanSql(body)
      .filter((t) => t.text.toLowerCase() === wanted || t.text.toLowerCase() === `"${wanted}"`)
      .map((t) => ({ start: t.start, end: t.end }));
  } catch {
    // An unterminated quote: fall back to a plain text search.
  }
  if (candidates.length === 0) {
    const lower = body.toLowerCase();
    for (let at = lower.indexOf(wanted); at >= 0 && candidates.length < 50; at = lower.indexOf(wanted, at + 1)) {
      candidates.push({ start: at, end: at + wanted.length });
    }
  }
  const first = candidates[0];
  if (first === undefined) return 0;
  if (candidates.length === 1) return first.start;
  // The parser reads left to right: the culprit is the first occurrence whose prefix,
  // cut just after it, already fails with the same message.
  for (const candidate of candidates.slice(0, 50)) {
    if (attempt(`${body.slice(0, candidate.end)}\n`) === message) return candidate.start;
  }
  return first.start;
}

/**
 * Visits every node of a raw parse tree: `visit(kind, body)` for each `{ Kind: body }` object.
 * Return `false` from `visit` to skip a node's children.
 */
export function visitNodes(node: unknown, visit: (kind: string, body: Json) => boolean | void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitNodes(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && /^[A-Z]/.test(key)) {
      if (visit(key, value as Json) === false) continue;
    }
    visitNodes(value, visit);
  }
}

/** A column reference of a parse tree: its name parts (`*` for a star) and location. */
export interface ColumnReference {
  readonly parts: readonly string[];
  readonly location: number;
}

/** Results by parse-tree node: parse trees are shared between equal texts (the parser caches them). */
const referencesOf = new WeakMap<object, readonly ColumnReference[]>();
const subqueryOf = new WeakMap<object, number | undefined>();

/** Every column reference in an expression, outside sub-selects. */
export function columnReferences(root: unknown): readonly ColumnReference[] {
  if (root === null || typeof root !== 'object') return [];
  let refs = referencesOf.get(root);
  if (refs === undefined) {
    refs = collectColumnReferences(root);
    referencesOf.set(root, refs);
  }
  return refs;
}

function collectColumnReferences(root: object): ColumnReference[] {
  const refs: ColumnReference[] = [];
  visitNodes(root, (kind, body) => {
    if (kind === 'SubLink') return false;
    if (kind === 'ColumnRef') {
      const fields = (body['fields'] as readonly Json[] | undefined) ?? [];
      const parts = fields.map((f) => ((f['String'] as Json | undefined)?.['sval'] as string | undefined) ?? '*');
      refs.push({ parts, location: typeof body['location'] === 'number' ? body['location'] : 0 });
      return false;
    }
    return true;
  });
  return refs;
}

/** Location of the first sub-select in an expression, if any. */
export function firstSubquery(root: unknown): number | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  if (subqueryOf.has(root)) return subqueryOf.get(root);
  const found = findSubquery(root);
  subqueryOf.set(root, found);
  return found;
}

function findSubquery(root: object): number | undefined {
  let found: number | undefined;
  visitNodes(root, (kind, body) => {
    if (found !== undefined) return false;
    if (kind === 'SubLink') {
      found = typeof body['location'] === 'number' ? body['location'] : 0;
      return false;
    }
    return true;
  });
  return found;
}
