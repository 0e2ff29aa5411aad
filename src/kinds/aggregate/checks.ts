/**
 * Aggregates: the key parses and names the input types; every type resolves; the support
 * functions are `name` or `schema.name` of valid identifiers; a signature is declared once.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import { parseFunctionKey } from '../function/resolve.js';
import type { KindCheck } from '../kind.js';

function checkAggregates(c: Checker, at: SchemaScope): void {
  const seen = new Map<string, string>();
  for (const [key, raw] of entries(at.body.aggregates)) {
    const path = [...at.path, 'aggregates', key];
    const parsed = parseFunctionKey(key);
    if ('error' in parsed) {
      c.report(path, parsed.error, 'key');
      continue;
    }
    c.checkName(path, parsed.name, 'aggregate');
    const types: string[] = [];
    (raw.arguments ?? []).forEach((t, i) => {
      const resolved = c.index.resolveType(t, at.schema, 'argument');
      if (!resolved.ok) c.report([...path, 'arguments', i], resolved.message, 'value');
      else types.push(resolved.canonical);
    });
    const stype = c.index.resolveType(raw.stype, at.schema, 'argument');
    if (!stype.ok) c.report([...path, 'stype'], stype.message, 'value');
    for (const field of ['sfunc', 'finalfunc', 'combinefunc'] as const) {
      const text = raw[field];
      if (text === undefined) continue;
      const parts = text.split('.');
      if (parts.length > 2) c.report([...path, field], `aggregate ${key}: ${field} is "name" or "schema.name" (one dot)`, 'value');
      else for (const part of parts) c.checkRef([...path, field], part, 'function');
    }
    if (parsed.argTypes !== undefined && types.length === (raw.arguments ?? []).length) {
      const keyTypes = parsed.argTypes.map((t) => {
        const r = c.index.resolveType(t, at.schema, 'argument');
        return r.ok ? r.canonical : t;
      });
      if (keyTypes.join(', ') !== types.join(', '))
        c.report(path, `the key names the input types (${keyTypes.join(', ')}) but the arguments are (${types.join(', ')})`, 'key');
    }
    const signature = `${parsed.name}(${types.join(', ')})`;
    const first = seen.get(signature);
    if (first !== undefined) c.report(path, `aggregate ${signature} is declared twice (also as ${first})`, 'key');
    else seen.set(signature, key);
  }
}

export const aggregateChecks: readonly KindCheck[] = [{ in: 'schema', check: checkAggregates }];
