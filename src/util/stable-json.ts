/**
 * The one stable JSON: object keys sorted, `undefined` properties (and functions) dropped,
 * array holes and `undefined` items written `null` as JSON.stringify does. Equal values give
 * equal text; fingerprints, plan checksums, expression keys and drift descriptions use it.
 */

/**
 * @example
 * stableJson({ b: 1, a: undefined, c: [2] })  // '{"b":1,"c":[2]}'
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`).join(',')}}`;
}
