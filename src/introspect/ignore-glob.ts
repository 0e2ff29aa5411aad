/**
 * `ignore` patterns: globs over "schema.name" where `*` is any run of characters and `?` one
 * character. A pattern without a dot names an object in `public`.
 */

const compiled = new Map<string, RegExp>();
const compiledSchemas = new Map<string, RegExp>();

/** The pattern with `public.` added when it has no schema part. */
function qualifyPattern(pattern: string): string {
  return pattern.includes('.') ? pattern : `public.${pattern}`;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function patternRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = globToRegExp(qualifyPattern(pattern));
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * True when any pattern matches the object "schema.name".
 *
 * @example
 * matchesIgnore(['tmp_*'], 'public', 'tmp_load') // true
 * matchesIgnore(['audit.*'], 'audit', 'events')  // true
 * matchesIgnore(['tmp_*'], 'app', 'tmp_load')    // false (no dot means public)
 */
export function matchesIgnore(patterns: readonly string[], schema: string, name: string): boolean {
  if (patterns.length === 0) return false;
  const subject = `${schema}.${name}`;
  return patterns.some((p) => patternRegExp(p).test(subject));
}

/**
 * True when a pattern of the form `<schema glob>.*` ignores the whole schema (its objects and
 * the schema itself). `public` is never ignored as a schema: it is implied by every file.
 *
 * @example schemaIgnored(['audit.*'], 'audit') // true
 */
export function schemaIgnored(patterns: readonly string[], schema: string): boolean {
  if (schema === 'public') return false;
  return patterns.some((p) => {
    const q = qualifyPattern(p);
    if (!q.endsWith('.*')) return false;
    const schemaGlob = q.slice(0, -2);
    let re = compiledSchemas.get(schemaGlob);
    if (re === undefined) {
      re = globToRegExp(schemaGlob);
      compiledSchemas.set(schemaGlob, re);
    }
    return re.test(schema);
  });
}
