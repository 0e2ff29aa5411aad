/**
 * Small comparison helpers the per-kind diffs share. Every helper answers "are these the
 * same for PostgreSQL?", never "are these the same strings?".
 */
import { listSettingElements } from '../model/sql-names.js';
import { sameExpression } from '../model/expression.js';

/**
 * Two optional SQL expressions mean the same thing. Identical text is the fast path (the
 * common case when nothing changed); otherwise the parse trees decide (`sameExpression`).
 *
 * @example
 * sameExpr("'pending'::status", "'pending'")  // true
 * sameExpr(undefined, undefined)              // true
 */
export function sameExpr(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return sameExpression(a, b);
}

/**
 * Two lists hold the same strings in the same order.
 *
 * @example
 * sameList(['a', 'b'], ['a', 'b'])  // true
 */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

const numericText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const integerText = /^[+-]?\d+$/;

/**
 * Two numeric texts denote the same number (`'1.0'` = `'1'`, `'0100'` = `'100'`); integers are
 * compared exactly (sequence bounds exceed 2^53). Non-numeric texts compare as written.
 *
 * @example
 * sameNumber('9223372036854775807', '9223372036854775807')  // true
 * sameNumber('1.0', '1')                                    // true
 */
export function sameNumber(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = a.trim();
  const y = b.trim();
  if (integerText.test(x) && integerText.test(y)) return BigInt(x) === BigInt(y);
  if (numericText.test(x) && numericText.test(y)) return Number(x) === Number(y);
  return x === y;
}

const trueWords = new Set(['true', 'on', 'yes']);
const falseWords = new Set(['false', 'off', 'no']);

/** The comparable form of one storage-parameter value: numbers by value, booleans by meaning. */
function parameterValue(text: string): string {
  const value = text.trim().toLowerCase();
  if (numericText.test(value)) return `n:${Number(value)}`;
  if (trueWords.has(value)) return 'b:true';
  if (falseWords.has(value)) return 'b:false';
  return `s:${value}`;
}

/**
 * Two storage-parameter maps (`WITH (...)`, opclass parameters) hold the same values:
 * keys case-insensitive, numeric values by value, boolean words by meaning.
 *
 * @example
 * sameParameters({ lists: '100' }, { LISTS: '100.0' })  // true
 * sameParameters({ m: '16' }, { m: '32' })              // false
 */
export function sameParameters(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {});
  const right = Object.entries(b ?? {});
  if (left.length !== right.length) return false;
  if (left.length === 0) return true;
  const rightByKey = new Map(right.map(([key, value]) => [key.toLowerCase(), value]));
  for (const [key, value] of left) {
    const other = rightByKey.get(key.toLowerCase());
    if (other === undefined || parameterValue(other) !== parameterValue(value)) return false;
  }
  return true;
}

/**
 * Two `SET` maps of a function are equal: parameter names case-insensitive, values exact
 * (after trimming).
 *
 * @example
 * sameConfig({ search_path: 'public' }, { SEARCH_PATH: 'public' })  // true
 */
export function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const left = Object.entries(a);
  const right = Object.entries(b);
  if (left.length !== right.length) return false;
  // A list setting as PostgreSQL stores it quotes its elements (`search_path="My Schema", public`).
  const form = (key: string, value: string): string => JSON.stringify(listSettingElements(key, value) ?? value.trim());
  const rightByKey = new Map(right.map(([key, value]) => [key.toLowerCase(), form(key, value)]));
  for (const [key, value] of left) {
    if (rightByKey.get(key.toLowerCase()) !== form(key, value)) return false;
  }
  return true;
}

/**
 * A function body with leading and trailing blank lines and whitespace removed: YAML block
 * scalars add a trailing newline, `$$\n...\n$$` adds both.
 *
 * @example
 * bodyText('\n  BEGIN RETURN NEW; END;\n')  // 'BEGIN RETURN NEW; END;'
 */
export function bodyText(body: string): string {
  return body.trim();
}

/** A comment as the catalog keeps it: an empty comment is no comment. */
export function commentText(comment: string | undefined): string | undefined {
  return comment === undefined || comment === '' ? undefined : comment;
}

/** A collation as compared: the database default is no collation. */
export function collationName(collation: string | undefined): string | undefined {
  return collation === undefined || collation === 'default' || collation === '' ? undefined : collation;
}
