/**
 * Sequences: the name is a name and a relation of its schema; increment, bounds, start and cache
 * fit the type; owned_by names a column of a table declared in the same schema.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { didYouMean } from '../../desired/diagnostic.js';
import type { RawSequence } from '../../desired/document.js';
import { entries } from '../../desired/document.js';
import { sequenceBounds } from '../../desired/sequence-defaults.js';
import type { KindCheck } from '../kind.js';

function checkSequences(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.sequences)) {
    const path = [...at.path, 'sequences', name];
    c.checkName(path, name, 'sequence');
    c.register(at.relations, name, { what: `sequence ${name}`, path }, 'key');
    if (raw !== null) checkSequence(c, at.schema, path, raw);
  }
}

function checkSequence(c: Checker, schema: string, path: DocPath, raw: RawSequence): void {
  const type = raw.type ?? 'bigint';
  const bounds = sequenceBounds(type);
  const value = (key: keyof RawSequence): bigint | undefined => {
    const v = raw[key];
    if (v === undefined || typeof v === 'boolean') return undefined;
    try {
      return BigInt(c.doc.map.raw([...path, key]) ?? String(v));
    } catch {
      return BigInt(String(v));
    }
  };
  const increment = value('increment') ?? 1n;
  if (increment === 0n) c.report([...path, 'increment'], 'INCREMENT must not be zero');
  const min = value('min_value');
  const max = value('max_value');
  for (const [key, v] of [
    ['min_value', min],
    ['max_value', max],
    ['start', value('start')],
  ] as const) {
    if (v !== undefined && (v < bounds.min || v > bounds.max)) {
      c.report([...path, key], `${key} ${v} is out of range for a sequence of type ${type} (${bounds.min} to ${bounds.max})`);
    }
  }
  if (min !== undefined && max !== undefined && min >= max) {
    c.report([...path, 'min_value'], `min_value (${min}) must be less than max_value (${max})`);
  }
  const cache = value('cache');
  if (cache !== undefined && cache < 1n) c.report([...path, 'cache'], `cache must be at least 1 (got ${cache})`);
  if (raw.owned_by !== undefined) {
    const ownedPath = [...path, 'owned_by'];
    const dot = raw.owned_by.lastIndexOf('.');
    if (dot <= 0 || dot === raw.owned_by.length - 1) {
      c.report(ownedPath, `owned_by must be "table.column" of a table in schema ${schema} (got "${raw.owned_by}")`);
      return;
    }
    const tableName = raw.owned_by.slice(0, dot);
    const column = raw.owned_by.slice(dot + 1);
    const table = c.index.table(schema, tableName);
    if (table === undefined) {
      const names = [...c.index.tables()].filter((t) => t.schema === schema).map((t) => t.name);
      c.report(ownedPath, `owned_by names table "${tableName}", which is not declared in schema ${schema}${didYouMean(tableName, names)}`);
      return;
    }
    c.columnExists(ownedPath, column, table);
  }
}

export const sequenceChecks: readonly KindCheck[] = [{ in: 'schema', check: checkSequences }];
