/**
 * Small scanners over SQL text that PostgreSQL itself printed (pg_get_function_arguments,
 * pg_get_triggerdef, pg_get_indexdef). They only need to know where quoted strings, quoted identifiers and
 * parentheses begin and end; they never interpret the SQL.
 */

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * The next index at or after `from` that is outside single-quoted literals and double-quoted
 * identifiers, at parenthesis/bracket depth 0, and where `matches(index)` holds; -1 if none.
 * A doubled quote inside a quoted run closes and reopens it, so it stays inside.
 */
function nextTopLevel(text: string, from: number, firstChar: number, matches: (index: number) => boolean): number {
  let depth = 0;
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === SINGLE_QUOTE || ch === DOUBLE_QUOTE) {
      quote = ch;
    } else if (ch === OPEN_PAREN || ch === OPEN_BRACKET) {
      depth++;
    } else if (ch === CLOSE_PAREN || ch === CLOSE_BRACKET) {
      depth--;
    } else if (depth === 0 && ch === firstChar && matches(i)) {
      return i;
    }
  }
  return -1;
}

const always = (): boolean => true;

/**
 * Splits at top-level commas, trimming each piece. An empty text gives no pieces.
 *
 * @example splitTopLevel("a integer, b text DEFAULT 'x,y'::text") // ['a integer', "b text DEFAULT 'x,y'::text"]
 */
export function splitTopLevel(text: string): string[] {
  if (text.trim() === '') return [];
  const pieces: string[] = [];
  let start = 0;
  for (let comma = nextTopLevel(text, 0, COMMA, always); comma >= 0; comma = nextTopLevel(text, start, COMMA, always)) {
    pieces.push(text.slice(start, comma).trim());
    start = comma + 1;
  }
  pieces.push(text.slice(start).trim());
  return pieces;
}

/**
 * Index of the first top-level occurrence of `needle` in `text` at or after `from`, or -1.
 *
 * @example indexOfTopLevel("x text DEFAULT 'a DEFAULT b'", ' DEFAULT ') // 6
 */
export function indexOfTopLevel(text: string, needle: string, from = 0): number {
  // Nothing to scan for when the needle is nowhere in the text (the common case).
  if (needle === '' || text.indexOf(needle, from) < 0) return -1;
  return nextTopLevel(text, from, needle.charCodeAt(0), (i) => text.startsWith(needle, i));
}

/**
 * Given the index of an opening parenthesis, the index of the parenthesis that closes it
 * (skipping quoted text), or -1.
 *
 * @example closingParen('f(a, (b)) x', 1) // 8
 */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === SINGLE_QUOTE || ch === DOUBLE_QUOTE) {
      quote = ch;
    } else if (ch === OPEN_PAREN) {
      depth++;
    } else if (ch === CLOSE_PAREN) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Writes the `old`/`new` row qualifiers PostgreSQL prints in lower case the way people write
 * them: `old.x IS DISTINCT FROM new.x` → `OLD.x IS DISTINCT FROM NEW.x`. Quoted text is untouched.
 *
 * @example upcaseRowQualifiers("new.b <> 'old.b'") // "NEW.b <> 'old.b'"
 */
export function upcaseRowQualifiers(expression: string): string {
  if (!expression.includes('old.') && !expression.includes('new.')) return expression;
  let out = '';
  let copied = 0;
  let quote = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === SINGLE_QUOTE || ch === DOUBLE_QUOTE) {
      quote = ch;
    } else if (
      (ch === 0x6f /* o */ || ch === 0x6e) /* n */ &&
      (expression.startsWith('old.', i) || expression.startsWith('new.', i)) &&
      (i === 0 || (!IDENT_CHAR.test(expression.charAt(i - 1)) && expression.charAt(i - 1) !== '.'))
    ) {
      out += expression.slice(copied, i) + expression.slice(i, i + 3).toUpperCase();
      copied = i + 3;
      i += 2;
    }
  }
  return out + expression.slice(copied);
}
