/**
 * Keeping secrets out of output: connection strings are printed with their passwords
 * replaced by `***`, and error messages are scrubbed of known secrets. Pure functions.
 *
 * Both connection string forms PostgreSQL clients accept are handled:
 * URLs (`postgres://user:secret@host/db?sslpassword=x`) and libpq key=value strings
 * (`host=db password='se cret'`).
 */

const MASK = '***';

/** Keys whose values are secrets, in URL query parameters and key=value strings. */
const SECRET_KEYS = new Set(['password', 'sslpassword']);

interface Span {
  readonly start: number;
  readonly end: number;
  /** Replacement text; `undefined` = the mask. */
  readonly replacement?: string;
}

/** Replace the given spans (non-overlapping) of `text`. */
function replaceSpans(text: string, spans: readonly Span[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + (span.replacement ?? MASK);
    at = span.end;
  }
  return out + text.slice(at);
}

const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when `value` looks like a URL (`scheme://…`) rather than a key=value string. */
export function isUrlForm(value: string): boolean {
  return URL_START.test(value.trimStart());
}

/** Spans of the secrets in a URL: the user-info password and secret query parameters. */
function urlSecretSpans(url: string): Span[] {
  const spans: Span[] = [];
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return spans;
  const authorityStart = schemeEnd + 3;
  // The query starts at the first '?' after the authority; a '#' ends it.
  const hash = url.indexOf('#', authorityStart);
  const beforeHash = hash < 0 ? url.length : hash;
  const question = url.indexOf('?', authorityStart);
  const queryStart = question < 0 || question > beforeHash ? -1 : question;
  const beforeQuery = queryStart < 0 ? beforeHash : queryStart;

  // User-info ends at the last '@' before the query: a password with an unencoded '@'
  // is still masked whole.
  const at = url.lastIndexOf('@', beforeQuery - 1);
  if (at >= authorityStart) {
    const colon = url.indexOf(':', authorityStart);
    if (colon >= 0 && colon < at && at > colon + 1) {
      spans.push({ start: colon + 1, end: at });
    }
  }

  if (queryStart >= 0) {
    let i = queryStart + 1;
    while (i < beforeHash) {
      const amp = url.indexOf('&', i);
      const end = amp < 0 || amp > beforeHash ? beforeHash : amp;
      const pair = url.slice(i, end);
      const eq = pair.indexOf('=');
      if (eq > 0) {
        const key = safeDecode(pair.slice(0, eq)).toLowerCase();
        if (SECRET_KEYS.has(key) && eq + 1 < pair.length) {
          spans.push({ start: i + eq + 1, end });
        }
      }
      i = end + 1;
    }
  }
  return spans;
}

/** A value in a libpq key=value string: `key = value`, `key='quoted \' value'`. */
interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** Parse a libpq key=value connection string (lenient: stops at the first malformed part). */
export function parseKeyValueString(text: string): KeyValue[] {
  const out: KeyValue[] = [];
  let i = 0;
  const n = text.length;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text[i] !== '=' && !isSpace(text[i])) i++;
    const key = text.slice(keyStart, i);
    while (i < n && isSpace(text[i])) i++;
    if (text[i] !== '=' || key === '') break;
    i++;
    while (i < n && isSpace(text[i])) i++;
    const valueStart = i;
    let value = '';
    if (text[i] === "'") {
      i++;
      while (i < n && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      if (i < n) i++; // closing quote
    } else {
      while (i < n && !isSpace(text[i])) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
    }
    out.push({ key: key.toLowerCase(), value, valueStart, valueEnd: i });
  }
  return out;
}

/**
 * The span of a password in a connection string written like a URL without its scheme
 * (`app:secret@db/app`, `//app:secret@db`): between the first `:` and the last `@`, when the
 * text has no `=` before the `@` (so it is not a key=value string).
 */
function schemelessSecretSpans(text: string): Span[] {
  const at = text.lastIndexOf('@');
  if (at < 0) return [];
  const head = text.slice(0, at);
  if (head.includes('=')) return [];
  const colon = head.indexOf(':', head.startsWith('//') ? 2 : 0);
  return colon >= 0 && colon + 1 < at ? [{ start: colon + 1, end: at }] : [];
}

/**
 * Spans of secret values in a key=value string. A scan rather than a parse, so a malformed
 * string (`host=x junk password=secret`) still has its password masked.
 */
function keyValueSecretSpans(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /(^|\s)(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)+)/gi;
  for (const m of text.matchAll(pattern)) {
    const value = m[3] ?? '';
    if (value === '' || m.index === undefined) continue;
    const end = m.index + m[0].length;
    spans.push({ start: end - value.length, end });
  }
  return spans;
}

/** The value of a key=value item as libpq reads it: quotes removed, backslash escapes resolved. */
function unquoteKeyValue(raw: string): string {
  const inner = raw.startsWith("'") ? raw.slice(1, raw.endsWith("'") && raw.length > 1 ? -1 : undefined) : raw;
  return inner.replace(/\\(.)/g, '$1');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The connection string with every password replaced by `***`: the password in the URL's
 * user-info, `password=` and `sslpassword=` query parameters (any letter case), and the same
 * keys in libpq key=value strings. Everything else is kept byte for byte.
 *
 * @example
 * redactUrl('postgres://app:s3cret@db:5432/app?sslpassword=k') // 'postgres://app:***@db:5432/app?sslpassword=***'
 * redactUrl("host=db password='a b' dbname=app")               // 'host=db password=*** dbname=app'
 */
export function redactUrl(url: string): string {
  if (isUrlForm(url)) return replaceSpans(url, urlSecretSpans(url));
  return replaceSpans(url, [...keyValueSecretSpans(url), ...schemelessSecretSpans(url)]);
}

/**
 * The secrets a connection string carries (passwords), in the forms they may appear in
 * messages: as written and percent-decoded. Feed them to `redactSecrets`.
 *
 * @example secretsOf('postgres://u:p%40ss@h/db') // ['p%40ss', 'p@ss']
 */
export function secretsOf(connectionString: string): string[] {
  const found = new Set<string>();
  if (isUrlForm(connectionString)) {
    for (const span of urlSecretSpans(connectionString)) {
      const raw = connectionString.slice(span.start, span.end);
      found.add(raw);
      found.add(safeDecode(raw));
    }
  } else {
    for (const span of keyValueSecretSpans(connectionString)) {
      const raw = connectionString.slice(span.start, span.end);
      found.add(raw);
      found.add(unquoteKeyValue(raw));
    }
    for (const span of schemelessSecretSpans(connectionString)) {
      const raw = connectionString.slice(span.start, span.end);
      found.add(raw);
      found.add(safeDecode(raw));
    }
  }
  found.delete('');
  return [...found];
}

/**
 * `text` with every occurrence of each secret (and its percent-encoded form) replaced by `***`.
 * Longer secrets are replaced first, so a secret containing another is masked whole.
 *
 * @example redactSecrets('auth failed for s3cret', ['s3cret']) // 'auth failed for ***'
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
  }
  let out = text;
  for (const secret of [...variants].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * `text` with every URL-form connection string inside it (`postgres://…`, `postgresql://…`)
 * redacted, for log lines and messages that may quote one.
 *
 * @example redactConnectionStrings('cannot reach postgres://u:pw@h/db') // 'cannot reach postgres://u:***@h/db'
 */
export function redactConnectionStrings(text: string): string {
  return text.replace(/\b(?:postgres|postgresql):\/\/[^\s'"<>]+/gi, (match) => {
    // Sentence punctuation after a URL is not part of it.
    const url = match.replace(/[.,;:!?)\]]+$/, '');
    return redactUrl(url) + match.slice(url.length);
  });
}
