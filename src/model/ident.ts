/**
 * Identifiers: quoting for generated SQL, display forms for people, and parsing of the
 * `schema.name` references the file format uses.
 */
import { scanSql } from '../sql/parser.js';
import type { QualifiedName } from './types.js';

/**
 * Always double-quotes, doubling embedded quotes. Use for every identifier in generated SQL.
 *
 * @example
 * quoteIdent('users')  // '"users"'
 * quoteIdent('a"b')    // '"a""b"'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A SQL string literal, `'` doubled (standard_conforming_strings, on since PostgreSQL 9.1).
 *
 * @example
 * quoteLiteral("it's")  // "'it''s'"
 */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * `"schema"."name"`, both parts always quoted.
 *
 * @example
 * qualify({ schema: 'public', name: 'users' })  // '"public"."users"'
 */
export function qualify(name: QualifiedName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
}

// quote_identifier() in ruleutils.c: `$` is allowed unquoted by the scanner but still quoted.
const plainIdent = /^[a-z_][a-z0-9_]*$/;
const keywordCache = new Map<string, boolean>();

/** True when `word` is a keyword PostgreSQL's quote_ident() would quote (any kind but unreserved). */
function isQuotedKeyword(word: string): boolean {
  const cached = keywordCache.get(word);
  if (cached !== undefined) return cached;
  const tokens = scanSql(word);
  const token = tokens[0];
  const quoted = tokens.length === 1 && token !== undefined && token.keywordKind !== 'none' && token.keywordKind !== 'unreserved';
  if (keywordCache.size > 10_000) keywordCache.clear();
  keywordCache.set(word, quoted);
  return quoted;
}

/**
 * Quotes only when PostgreSQL's `quote_ident()` would: names that are not all
 * lower-case letters, digits and underscores (first not a digit), or that are keywords
 * other than unreserved ones (PostgreSQL 18's list: `json` is quoted, as on 16+).
 * Needs `initParser()` to have run (keywords come from PostgreSQL's scanner).
 *
 * @example
 * displayIdent('users')     // 'users'
 * displayIdent('MyTable')   // '"MyTable"'
 * displayIdent('order')     // '"order"'
 * displayIdent('name')      // 'name' (unreserved keyword)
 */
export function displayIdent(name: string): string {
  if (plainIdent.test(name) && !isQuotedKeyword(name)) return name;
  return quoteIdent(name);
}

/**
 * Display form of a qualified name; the `public.` schema is omitted.
 *
 * @example
 * displayQualified({ schema: 'public', name: 'users' })   // 'users'
 * displayQualified({ schema: 'Auth', name: 'users' })     // '"Auth".users'
 */
export function displayQualified(name: QualifiedName): string {
  return name.schema === 'public' ? displayIdent(name.name) : `${displayIdent(name.schema)}.${displayIdent(name.name)}`;
}

/** A reference that is not `name`, `schema.name`, or their quoted forms. */
export class QualifiedNameError extends Error {
  override readonly name = 'QualifiedNameError';
}

/**
 * Splits `text` into name parts: unquoted parts are taken as written (the file format writes
 * identifiers as stored), quoted parts keep case and may contain dots and `""` escapes.
 *
 * @example
 * splitQualifiedName('"My.Schema".t')  // ['My.Schema', 't']
 */
export function splitQualifiedName(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new QualifiedNameError(`invalid name "${text}": ${why}`);
  };
  for (;;) {
    if (text[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted identifier');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
      if (part === '') fail('zero-length quoted identifier');
      parts.push(part);
    } else {
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '"') end += 1;
      const part = text.slice(i, end).trim();
      if (part === '') fail(i >= text.length ? 'a name part is missing' : `empty name part at column ${i + 1}`);
      if (text[end] === '"') fail(`unexpected quote at column ${end + 1}`);
      parts.push(part);
      i = end;
    }
    if (i >= text.length) return parts;
    if (text[i] !== '.') fail(`unexpected character at column ${i + 1}`);
    i += 1;
  }
}

/**
 * Parses `schema.name`, `"Mixed".name` or `name` (→ `defaultSchema`).
 * Throws `QualifiedNameError` for more than two parts or malformed quoting.
 *
 * @example
 * parseQualifiedName('auth.users', 'public')   // { schema: 'auth', name: 'users' }
 * parseQualifiedName('MyTable', 'public')      // { schema: 'public', name: 'MyTable' }
 * parseQualifiedName('"a.b"."C"', 'public')    // { schema: 'a.b', name: 'C' }
 */
export function parseQualifiedName(text: string, defaultSchema = 'public'): QualifiedName {
  const parts = splitQualifiedName(text.trim());
  const [first, second] = parts;
  if (parts.length === 1 && first !== undefined) return { schema: defaultSchema, name: first };
  if (parts.length === 2 && first !== undefined && second !== undefined) return { schema: first, name: second };
  throw new QualifiedNameError(`invalid name "${text}": expected "name" or "schema.name", got ${parts.length} parts`);
}
