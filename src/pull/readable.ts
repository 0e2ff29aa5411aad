/**
 * Readable spellings of what the catalog prints: short type names (`varchar(255)`,
 * `timestamptz`) and SQL fragments without the casts and parentheses the server adds
 * (`engine_type IN ('n8n', 'prefect')` for `((engine_type)::text = ANY ((ARRAY['n8n'::character
 * varying, …])::text[]))`). Every rewrite is kept only when pgreconcile's own canonical
 * comparison says it is the same thing, so a pulled file always plans empty.
 * Needs `initParser()` to have run.
 */
import { sameDefault, sameExpression } from '../model/expression.js';
import { parseTypeName, TypeNameError } from '../model/type-names.js';
import { scanSql, SqlSyntaxError } from '../sql/parser.js';
import type { Token } from '../sql/parser.js';

/** Canonical base names and their short spellings (typmods and `[]` are carried over). */
const SHORT_TYPES: readonly (readonly [RegExp, string])[] = [
  [/^character varying(\(\d+\))?$/, 'varchar$1'],
  [/^character(\(\d+\))$/, 'char$1'],
  [/^timestamp(\(\d+\))? without time zone$/, 'timestamp$1'],
  [/^timestamp(\(\d+\))? with time zone$/, 'timestamptz$1'],
  [/^time(\(\d+\))? without time zone$/, 'time$1'],
  [/^time(\(\d+\))? with time zone$/, 'timetz$1'],
  [/^bit varying(\(\d+\))?$/, 'varbit$1'],
];

/**
 * The short spelling of a canonical type when it reads back as the same type, else the
 * canonical text. `setof` and array forms keep their prefix and suffix.
 *
 * @example
 * readableType('character varying(255)')        // 'varchar(255)'
 * readableType('timestamp with time zone[]')    // 'timestamptz[]'
 * readableType('double precision')              // 'double precision'
 */
export function readableType(canonical: string): string {
  const setof = canonical.startsWith('setof ') ? 'setof ' : '';
  const rest = canonical.slice(setof.length);
  const array = rest.endsWith('[]') ? '[]' : '';
  const base = rest.slice(0, rest.length - array.length);
  for (const [pattern, replacement] of SHORT_TYPES) {
    if (!pattern.test(base)) continue;
    const candidate = `${setof}${base.replace(pattern, replacement)}${array}`;
    try {
      if (parseTypeName(candidate).canonical === canonical) return candidate;
    } catch (error) {
      if (!(error instanceof TypeNameError)) throw error;
    }
    return canonical;
  }
  return canonical;
}

// ---- expressions ---------------------------------------------------------------------------

/** Types whose constants and casts read the same as plain strings. */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'character varying', 'varchar', 'character', 'bpchar', 'char']);

function tokens(sql: string): Token[] | undefined {
  try {
    return scanSql(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined;
    throw error;
  }
}

/** Index of the token closing the bracket opened at `open` (`(`/`)` or `[`/`]`), or -1. */
function closing(list: readonly Token[], open: number): number {
  const opener = list[open]?.text;
  const closer = opener === '(' ? ')' : opener === '[' ? ']' : undefined;
  if (closer === undefined) return -1;
  let depth = 0;
  for (let i = open; i < list.length; i++) {
    const text = list[i]?.text;
    if (text === opener) depth++;
    else if (text === closer) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index just past a text-family type name starting at `at` (`character varying(10)`), or -1. */
function textTypeEnd(list: readonly Token[], at: number): number {
  const word = list[at]?.text.toLowerCase();
  if (word === undefined) return -1;
  let end = at + 1;
  let name = word;
  if ((word === 'character' || word === 'char') && list[end]?.text.toLowerCase() === 'varying') {
    name = `${word} varying`;
    end++;
  }
  if (name === 'char varying') name = 'character varying';
  if (!TEXT_TYPES.has(name)) return -1;
  if (list[end]?.text === '(' && list[end + 1]?.tokenName === 'ICONST' && list[end + 2]?.text === ')') end += 3;
  return end;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function applyEdits(sql: string, edits: readonly Edit[]): string {
  let out = sql;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** `(expr)` → `expr` when the parentheses enclose the whole text. */
function stripOuterParens(sql: string): string {
  let current = sql.trim();
  for (;;) {
    const list = tokens(current);
    if (list === undefined || list.length < 2 || list[0]?.text !== '(' || closing(list, 0) !== list.length - 1) return current;
    current = current.slice(list[0]?.end ?? 0, list[list.length - 1]?.start ?? current.length).trim();
  }
}

/**
 * `'x'::character varying` → `'x'`, and `'a'::mood` → `'a'` for the enum types `isEnum` knows:
 * string constants cast to a text type or an enum (what the server adds to them).
 */
function dropCastsOfStrings(sql: string, isEnum: (type: string) => boolean): string {
  const list = tokens(sql);
  if (list === undefined) return sql;
  const edits: Edit[] = [];
  list.forEach((token, i) => {
    if (token.tokenName !== 'TYPECAST' || list[i - 1]?.tokenName !== 'SCONST') return;
    let end = textTypeEnd(list, i + 1);
    if (end < 0) end = enumTypeEnd(list, i + 1, sql, isEnum);
    if (end < 0 || list[end]?.text === '[') return;
    edits.push({ start: token.start, end: list[end - 1]?.end ?? token.end, text: '' });
  });
  return applyEdits(sql, edits);
}

/** Index just past an enum type name starting at `at` (`mood`, `app.mood`), or -1. */
function enumTypeEnd(list: readonly Token[], at: number, sql: string, isEnum: (type: string) => boolean): number {
  let end = at;
  if (list[end] === undefined) return -1;
  while (list[end + 1]?.text === '.' && list[end + 2] !== undefined) end += 2;
  const first = list[at];
  const last = list[end];
  if (first === undefined || last === undefined) return -1;
  return isEnum(sql.slice(first.start, last.end)) ? end + 1 : -1;
}

/** Number constants cast to a number type: `(0)::numeric` → `0`, `2::bigint` → `2`. */
function dropCastsOfNumbers(sql: string): string {
  const list = tokens(sql);
  if (list === undefined) return sql;
  const numberTypes = new Set(['numeric', 'integer', 'bigint', 'smallint', 'real', 'int', 'int4', 'int8', 'int2', 'decimal']);
  const edits: Edit[] = [];
  list.forEach((token, i) => {
    if (token.tokenName !== 'TYPECAST') return;
    const type = list[i + 1];
    if (type === undefined || !numberTypes.has(type.text.toLowerCase()) || list[i + 2]?.text === '[' || list[i + 2]?.text === '(') return;
    const before = list[i - 1];
    if (before === undefined) return;
    const isNumber = (t: Token | undefined): boolean => t?.tokenName === 'ICONST' || t?.tokenName === 'FCONST';
    if (isNumber(before)) {
      edits.push({ start: token.start, end: type.end, text: '' });
    } else if (before.text === ')' && isNumber(list[i - 2]) && list[i - 3]?.text === '(') {
      const open = list[i - 3];
      const value = list[i - 2];
      if (open !== undefined && value !== undefined) edits.push({ start: open.start, end: type.end, text: value.text });
    }
  });
  return applyEdits(sql, edits);
}

/** Keywords and names after which `(` opens arguments or a list, not a group. */
function opensCall(token: Token | undefined): boolean {
  if (token === undefined) return false;
  const word = token.text.toUpperCase();
  if (word === 'AND' || word === 'OR' || word === 'NOT' || word === 'WHEN' || word === 'THEN' || word === 'ELSE' || word === 'CASE')
    return false;
  return token.tokenName === 'IDENT' || token.keywordKind !== 'none' || token.text === ']' || token.text === ')';
}

/**
 * Parentheses that group nothing the parse tree needs: each pair is dropped when the
 * expression still parses to the same tree (`(a > 0) AND (b > 0)` → `a > 0 AND b > 0`).
 */
function dropRedundantParens(sql: string): string {
  let current = sql;
  for (let pass = 0; pass < 50; pass++) {
    const list = tokens(current);
    if (list === undefined) return current;
    let changed = false;
    for (let i = 0; i < list.length && !changed; i++) {
      if (list[i]?.text !== '(' || opensCall(list[i - 1])) continue;
      const close = closing(list, i);
      const open = list[i];
      const end = list[close];
      if (close < 0 || open === undefined || end === undefined) continue;
      const candidate = current.slice(0, open.start) + current.slice(open.end, end.start) + current.slice(end.end);
      if (same(candidate, current)) {
        current = candidate;
        changed = true;
      }
    }
    if (!changed) return current;
  }
  return current;
}

/**
 * `(name)::text` and `name::text` → `name`, `(ARRAY[…])::text[]` → `ARRAY[…]`: the casts the
 * server adds around columns and arrays compared with text.
 */
function dropTextCastsOfColumns(sql: string): string {
  const list = tokens(sql);
  if (list === undefined) return sql;
  const edits: Edit[] = [];
  for (let i = 0; i < list.length; i++) {
    const token = list[i];
    // A bare `name::text` (no parentheses): the cast goes, the name stays.
    if (
      token !== undefined &&
      (token.tokenName === 'IDENT' || token.keywordKind === 'unreserved') &&
      list[i + 1]?.tokenName === 'TYPECAST'
    ) {
      const end = textTypeEnd(list, i + 2);
      if (end >= 0 && list[end]?.text !== '[' && list[i - 1]?.tokenName !== 'TYPECAST') {
        edits.push({ start: token.end, end: list[end - 1]?.end ?? token.end, text: '' });
        i = end - 1;
        continue;
      }
    }
    if (list[i]?.text !== '(') continue;
    const close = closing(list, i);
    if (close < 0 || list[close + 1]?.tokenName !== 'TYPECAST') continue;
    const inner = list.slice(i + 1, close);
    const isColumn =
      inner.length > 0 && inner.every((t, k) => (k % 2 === 0 ? t.tokenName === 'IDENT' || t.keywordKind === 'unreserved' : t.text === '.'));
    const isArray = inner[0]?.text.toUpperCase() === 'ARRAY' && inner[1]?.text === '[' && closing(inner, 1) === inner.length - 1;
    if (!isColumn && !isArray) continue;
    let end = textTypeEnd(list, close + 2);
    if (end < 0) continue;
    if (isArray) {
      if (list[end]?.text !== '[' || list[end + 1]?.text !== ']') continue;
      end += 2;
    } else if (list[end]?.text === '[') continue;
    const first = inner[0];
    const last = inner[inner.length - 1];
    if (first === undefined || last === undefined) continue;
    edits.push({ start: list[i]?.start ?? 0, end: list[end - 1]?.end ?? 0, text: sql.slice(first.start, last.end) });
    i = end - 1;
  }
  return applyEdits(sql, edits);
}

/** Tokens after which an operand starts a new comparison. */
const BOUNDARY: ReadonlySet<string> = new Set(['(', ',', 'AND', 'OR', 'NOT']);

/** `x = ANY (ARRAY[a, b])` → `x IN (a, b)`; `x <> ALL (ARRAY[a, b])` → `x NOT IN (a, b)`. */
function anyArrayToIn(sql: string): string {
  const list = tokens(sql);
  if (list === undefined) return sql;
  const edits: Edit[] = [];
  for (let i = 1; i < list.length; i++) {
    const op = list[i]?.text;
    const quantifier = list[i + 1]?.text.toUpperCase();
    const inOp = op === '=' && quantifier === 'ANY' ? 'IN' : op === '<>' && quantifier === 'ALL' ? 'NOT IN' : undefined;
    if (inOp === undefined) continue;
    // The left operand: one (possibly qualified) column name after a boundary.
    let start = i - 1;
    while (start >= 2 && list[start - 1]?.text === '.') start -= 2;
    const operand = list.slice(start, i);
    if (!operand.every((t, k) => (k % 2 === 0 ? t.tokenName === 'IDENT' || t.keywordKind === 'unreserved' : t.text === '.'))) continue;
    const before = list[start - 1];
    if (before !== undefined && !BOUNDARY.has(before.text.toUpperCase())) continue;
    const open = i + 2;
    if (list[open]?.text !== '(' || list[open + 1]?.text.toUpperCase() !== 'ARRAY' || list[open + 2]?.text !== '[') continue;
    const arrayClose = closing(list, open + 2);
    const close = closing(list, open);
    if (arrayClose < 0 || close !== arrayClose + 1) continue;
    const elements = sql.slice(list[open + 2]?.end ?? 0, list[arrayClose]?.start ?? 0).trim();
    if (elements === '') continue;
    edits.push({ start: list[i]?.start ?? 0, end: list[close]?.end ?? 0, text: `${inOp} (${elements})` });
    i = close;
  }
  return applyEdits(sql, edits);
}

function same(a: string, b: string): boolean {
  try {
    return sameExpression(a, b);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return false;
    throw error;
  }
}

/**
 * An expression as a person would write it, when pgreconcile compares it equal to the
 * catalog's form; else the catalog's text unchanged. `isEnum` names the enum types whose casts
 * of string constants may go (`'a'::mood` → `'a'`).
 *
 * @example
 * readableExpression('(rate_limit_per_minute > 0)')   // 'rate_limit_per_minute > 0'
 * readableExpression("((engine_type)::text = ANY ((ARRAY['n8n'::character varying, 'prefect'::character varying])::text[]))")
 * // "engine_type IN ('n8n', 'prefect')"
 */
export function readableExpression(sql: string, isEnum: (type: string) => boolean = () => false): string {
  const steps: readonly ((text: string) => string)[] = [
    stripOuterParens,
    (text) => dropCastsOfStrings(text, isEnum),
    dropTextCastsOfColumns,
    anyArrayToIn,
    dropCastsOfNumbers,
    dropRedundantParens,
  ];
  let current = sql;
  for (const step of steps) {
    const candidate = step(current);
    if (candidate !== current && candidate.trim() !== '' && same(candidate, sql)) current = candidate;
  }
  return current;
}

/** A string constant, optionally cast: `'x'`, `'x'::character varying`, `'a'::mood`. */
const CAST_STRING = /^('(?:[^']|'')*')::(.+)$/s;
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?$/;
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

function baseType(type: string): string {
  return type.replace(/\(.*\)$/, '');
}

function sameAsDefault(a: string, b: string, columnType: string): boolean {
  try {
    return sameDefault(a, b, columnType);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return false;
    throw error;
  }
}

/**
 * A column default without the cast the server adds to a constant of the column's own type
 * (`'pending'::state` → `'pending'`, `'n8n'::character varying` → `'n8n'`, `'-1'::integer` →
 * `-1`), when pgreconcile compares both equal; other defaults unchanged (`'{}'::jsonb` stays).
 *
 * @example
 * readableDefault("'pending'::workflowexecutionstate", 'workflowexecutionstate', true)  // "'pending'"
 * readableDefault("'{}'::jsonb", 'jsonb', false)                                        // "'{}'::jsonb"
 */
export function readableDefault(sql: string, columnType: string, columnIsEnum: boolean): string {
  const match = CAST_STRING.exec(sql);
  if (match === null) return sql;
  const [, literal = '', castType = ''] = match;
  const columnBase = baseType(columnType);
  let candidate: string | undefined;
  if (columnIsEnum && castType === columnType) candidate = literal;
  else if (TEXT_TYPES.has(baseType(castType)) && TEXT_TYPES.has(columnBase)) candidate = literal;
  else if (NUMERIC_TYPES.has(columnBase) && castType === columnBase && NUMBER_TEXT.test(literal.slice(1, -1)))
    candidate = literal.slice(1, -1);
  return candidate !== undefined && sameAsDefault(candidate, sql, columnType) ? candidate : sql;
}
