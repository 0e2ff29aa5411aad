/**
 * The grammar of every name the file format hands to SQL that is not a plain object name
 * (tables, columns, … are always double-quoted): storage parameters, configuration parameters
 * (GUCs), operator classes, collations, procedural languages, index access methods, extension
 * names and versions, enum labels; and the rules every identifier obeys (not empty, no NUL, at
 * most 63 bytes). One place, so that the checks a kind module needs can move with it.
 *
 * Each `check…` function returns a problem in words, or undefined when the text is acceptable.
 * The `…Sql` functions render a name for generated SQL; they quote whatever is not a plain
 * lower-case identifier, so that even a name that never went through the checks (a model read
 * back from the ledger) cannot leave its place in the statement.
 */
import { clipBytes, MAX_IDENTIFIER_BYTES } from './default-names.js';
import { displayIdent, quoteIdent, splitQualifiedName, QualifiedNameError } from './ident.js';

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** What a name is, for the words of a problem: `table`, `storage parameter`, … */
export type NameRole = string;

/** A lone UTF-16 surrogate: not a character, cannot be sent to the server as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Characters that change how text is shown rather than what it says: control characters other
 * than tab and line breaks (an escape sequence can rewrite a terminal's screen), and the Unicode
 * bidirectional controls ("Trojan Source": text displayed in another order than it is read).
 */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Any character one of the checks of checkText is about: one test clears almost every string. */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
/** Line breaks and tabs: fine in comments, bodies and expressions, never in a name. */
const BREAKS = /[\t\n\r\u2028\u2029]/;

/** `U+001B` for a character. */
const codePoint = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Problems any text of the file has: a NUL character (PostgreSQL text cannot hold one), a lone
 * surrogate (not encodable as UTF-8), or a character that changes how the plan reads on a screen
 * (control characters but tab and line breaks, bidirectional controls): a reviewer must see what runs.
 *
 * @example
 * checkText('a\u0000b')  // 'contains a NUL character (\\u0000), which PostgreSQL cannot store'
 */
export function checkText(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which PostgreSQL cannot store';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not a character';
  const hidden = HIDDEN.exec(text);
  if (hidden !== null) return `contains the invisible control character ${codePoint(hidden[0])}, which changes how a plan reads on screen`;
  return undefined;
}

/**
 * `text` with every character that is not printable as it is (controls, line breaks, bidirectional
 * controls) written as `\u{…}`: for one line of output that quotes a name.
 *
 * @example printable('a\nb') // 'a\\u{a}b'
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this escapes
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g,
    (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

/**
 * The name PostgreSQL would use for `name`: cut to 63 bytes, never inside a character.
 *
 * @example
 * truncatedName('a'.repeat(70))  // 'aaaa…' (63 a's)
 */
export function truncatedName(name: string): string {
  return clipBytes(name, MAX_IDENTIFIER_BYTES);
}

/**
 * An identifier (any object name; it is always double-quoted in SQL): not empty, no NUL, at most
 * 63 bytes (PostgreSQL silently cuts longer names, so two long names can become one).
 *
 * @example
 * checkIdentifier('users', 'table')             // undefined
 * checkIdentifier('', 'column')                 // 'column name is empty'
 * checkIdentifier('x'.repeat(64), 'index')      // 'index name "xxx…" is 64 bytes long; PostgreSQL truncates names to 63 bytes and would use "xxx…"'
 */
export function checkIdentifier(name: string, role: NameRole): string | undefined {
  if (name === '') return `${role} name is empty`;
  const text = checkText(name);
  if (text !== undefined) return `${role} name ${text}`;
  const brk = BREAKS.exec(name);
  if (brk !== null) return `${role} name contains the line break or tab ${codePoint(brk[0])}: names are written on one line`;
  const bytes = byteLength(name);
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return `${role} name "${name}" is ${bytes} bytes long; PostgreSQL truncates names to ${MAX_IDENTIFIER_BYTES} bytes and would use "${truncatedName(name)}"`;
  }
  return undefined;
}

/**
 * A name that may be schema-qualified (`name`, `schema.name`, `"Odd.Name"`): each part an
 * identifier. Returns the parts or the problem.
 */
export function checkQualified(text: string, role: NameRole): { readonly parts: readonly string[] } | { readonly problem: string } {
  const bad = checkText(text);
  if (bad !== undefined) return { problem: `${role} ${bad}` };
  let parts: string[];
  try {
    parts = splitQualifiedName(text.trim());
  } catch (error) {
    if (!(error instanceof QualifiedNameError)) throw error;
    return { problem: `${role}: ${error.message}` };
  }
  if (parts.length > 2) return { problem: `${role} "${text}" has ${parts.length} parts; expected "name" or "schema.name"` };
  for (const part of parts) {
    const problem = checkIdentifier(part, role);
    if (problem !== undefined) return { problem };
  }
  return { parts };
}

/** A storage parameter (`fillfactor`, `lists`, `toast.autovacuum_enabled`): PostgreSQL's reloption names. */
const STORAGE_PARAMETER = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?$/;

/**
 * An index storage parameter name (the keys of `with:`), compared in lower case as PostgreSQL
 * folds them: letters, digits and underscores, optionally `namespace.name`.
 *
 * @example
 * checkStorageParameter('fillfactor')                     // undefined
 * checkStorageParameter('fillfactor=90); drop table x')   // 'storage parameter "fillfactor=90); drop table x" is not a parameter name: …'
 */
export function checkStorageParameter(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!STORAGE_PARAMETER.test(lower) || byteLength(lower) > MAX_IDENTIFIER_BYTES) {
    return `storage parameter ${JSON.stringify(name)} is not a parameter name: use letters, digits and underscores (e.g. fillfactor, lists, ef_construction)`;
  }
  return undefined;
}

/** A configuration parameter: `work_mem`, `search_path`, `myapp.tenant` (custom ones have a prefix). */
const CONFIG_PARAMETER = /^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*$/;

/**
 * A configuration parameter name (the keys of a function's `set:`).
 *
 * @example
 * checkConfigParameter('search_path')   // undefined
 * checkConfigParameter('a; drop')       // 'configuration parameter "a; drop" is not a parameter name: …'
 */
export function checkConfigParameter(name: string): string | undefined {
  if (!CONFIG_PARAMETER.test(name) || name.split('.').some((part) => byteLength(part) > MAX_IDENTIFIER_BYTES)) {
    return `configuration parameter ${JSON.stringify(name)} is not a parameter name: use letters, digits and underscores, with a dot for a custom parameter (e.g. search_path, work_mem, myapp.tenant)`;
  }
  return undefined;
}

/** A plain SQL word: what a procedural language or an index access method is called. */
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A procedural language name (`sql`, `plpgsql`, `plpython3u`).
 *
 * @example checkLanguage('plpgsql') // undefined
 */
export function checkLanguage(name: string): string | undefined {
  if (!PLAIN_WORD.test(name) || byteLength(name) > MAX_IDENTIFIER_BYTES) {
    return `language ${JSON.stringify(name)} is not a language name: use letters, digits and underscores (e.g. sql, plpgsql)`;
  }
  return undefined;
}

/**
 * An index access method (`btree`, `gin`, `hnsw`).
 *
 * @example checkAccessMethod('hnsw') // undefined
 */
export function checkAccessMethod(name: string): string | undefined {
  if (!PLAIN_WORD.test(name) || byteLength(name) > MAX_IDENTIFIER_BYTES) {
    return `index method ${JSON.stringify(name)} is not an access method name: use letters, digits and underscores (e.g. btree, gin, hnsw)`;
  }
  return undefined;
}

/**
 * An extension name, by the rules PostgreSQL applies to them (`check_valid_extension_name`): not
 * empty, no `--`, not starting or ending with `-`, no directory separator; and an identifier.
 *
 * @example checkExtensionName('uuid-ossp') // undefined
 */
export function checkExtensionName(name: string): string | undefined {
  const id = checkIdentifier(name, 'extension');
  if (id !== undefined) return id;
  if (name.includes('--') || name.startsWith('-') || name.endsWith('-') || /[/\\]/.test(name) || /[\s'"$;]/.test(name)) {
    return `extension name ${JSON.stringify(name)} is not valid: an extension is named by its control file (letters, digits, _ . -; no "--", no leading or trailing "-")`;
  }
  return undefined;
}

/**
 * An extension version (`check_valid_version_name`): not empty, no `--`, not starting or ending
 * with `-`, no directory separator, no quote or space.
 *
 * @example checkExtensionVersion('0.8.0') // undefined
 */
export function checkExtensionVersion(version: string): string | undefined {
  const text = checkText(version);
  if (text !== undefined) return `extension version ${text}`;
  if (
    version === '' ||
    version.includes('--') ||
    version.startsWith('-') ||
    version.endsWith('-') ||
    /[/\\\s'"$;]/.test(version) ||
    byteLength(version) > MAX_IDENTIFIER_BYTES
  ) {
    return `extension version ${JSON.stringify(version)} is not a version name: letters, digits, . _ - (e.g. 0.8.0); no "--", no leading or trailing "-"`;
  }
  return undefined;
}

/**
 * An operator class (`vector_cosine_ops`, `ext.my_ops`, `"Odd"`): a possibly qualified identifier.
 *
 * @example checkOpclass('text_pattern_ops') // undefined
 */
export function checkOpclass(text: string): string | undefined {
  const result = checkQualified(text, 'operator class');
  return 'problem' in result ? result.problem : undefined;
}

/**
 * A collation (`C`, `de_DE.utf8`, `und-x-icu`): one identifier (it may contain dots; it is
 * always double-quoted whole).
 *
 * @example checkCollation('de_DE.utf8') // undefined
 */
export function checkCollation(name: string): string | undefined {
  return checkIdentifier(name, 'collation');
}

/**
 * An enum label: not empty (allowed by PostgreSQL, but indistinguishable in the file), no NUL, at
 * most 63 bytes.
 *
 * @example checkEnumLabel('pending') // undefined
 */
export function checkEnumLabel(label: string): string | undefined {
  const text = checkText(label);
  if (text !== undefined) return `enum label ${text}`;
  const brk = BREAKS.exec(label);
  if (brk !== null) return `enum label contains the line break or tab ${codePoint(brk[0])}: labels are written on one line`;
  const bytes = byteLength(label);
  if (bytes > MAX_IDENTIFIER_BYTES)
    return `enum label "${label}" is ${bytes} bytes long; PostgreSQL allows at most ${MAX_IDENTIFIER_BYTES}`;
  return undefined;
}

/**
 * A storage parameter or operator-class parameter name for SQL, part by part (`namespace.name`):
 * bare when it is a plain lower-case word that is not a keyword (`fillfactor`), double-quoted
 * otherwise (`"select"`, `"a); drop"`). Needs `initParser()` (keywords come from the scanner).
 *
 * @example
 * storageParameterSql('lists')           // 'lists'
 * storageParameterSql('toast.x')         // 'toast.x'
 * storageParameterSql('a); drop')        // '"a); drop"'
 */
export function storageParameterSql(name: string): string {
  return name.split('.').map(displayIdent).join('.');
}

/**
 * A configuration parameter name for `SET name = …`, part by part as `storageParameterSql`:
 * `search_path`, `myapp.tenant`, `"select"` (a reserved word is no parameter name unquoted).
 *
 * @example
 * configParameterSql('search_path')   // 'search_path'
 * configParameterSql('a b')           // '"a b"'
 */
export function configParameterSql(name: string): string {
  return CONFIG_PARAMETER.test(name) ? name.split('.').map(displayIdent).join('.') : quoteIdent(name);
}

/**
 * A possibly qualified name as the model holds it (`vector_cosine_ops`, `ext.my_ops`, or written
 * with quotes `"My Ops"`), every part double-quoted. Text that does not split into one or two
 * parts is quoted whole, so it stays one name.
 *
 * @example
 * qualifiedNameSql('ext.my_ops')     // '"ext"."my_ops"'
 * qualifiedNameSql('"My.Ops"')       // '"My.Ops"'
 */
export function qualifiedNameSql(text: string): string {
  if (!text.includes('"')) {
    const dot = text.indexOf('.');
    return dot > 0 ? `${quoteIdent(text.slice(0, dot))}.${quoteIdent(text.slice(dot + 1))}` : quoteIdent(text);
  }
  try {
    const parts = splitQualifiedName(text.trim());
    if (parts.length <= 2) return parts.map(quoteIdent).join('.');
  } catch (error) {
    if (!(error instanceof QualifiedNameError)) throw error;
  }
  return quoteIdent(text);
}

/**
 * An SQL expression as generated SQL embeds it: unchanged, with a line break after it when it
 * holds `--`, so that a line comment inside it cannot swallow what the statement says after it
 * (`DEFAULT 0 -- zero` followed by `NOT NULL`).
 *
 * @example
 * expressionSql('now()')          // 'now()'
 * expressionSql('0 -- zero')      // '0 -- zero\n'
 */
export function expressionSql(text: string): string {
  return text.includes('--') ? `${text}\n` : text;
}

/** Settings whose value is a list: `SET search_path = 'a', 'b'` gives one literal per element. */
export const LIST_SETTINGS: ReadonlySet<string> = new Set([
  'search_path',
  'temp_tablespaces',
  'session_preload_libraries',
  'local_preload_libraries',
]);

/**
 * The elements of a list setting's value as written in the file or as PostgreSQL stores it
 * (`public, "My Schema"`): split at commas outside double quotes, trimmed, quotes removed.
 * Undefined for a setting that is not a list.
 *
 * @example
 * listSettingElements('search_path', 'public, "a,b"')  // ['public', 'a,b']
 * listSettingElements('search_path', '"$user", "My Schema"')  // ['$user', 'My Schema']
 */
export function listSettingElements(name: string, value: string): string[] | undefined {
  if (!LIST_SETTINGS.has(name.toLowerCase())) return undefined;
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      if (ch === '"' && value[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') {
      // The blanks after the previous comma are not part of a quoted element.
      if (!wasQuoted) current = current.trim();
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') {
      out.push(wasQuoted ? current : current.trim());
      current = '';
      wasQuoted = false;
    } else if (!(wasQuoted && /\s/.test(ch))) current += wasQuoted ? '' : ch;
  }
  out.push(wasQuoted ? current : current.trim());
  return out;
}
