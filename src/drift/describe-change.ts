/**
 * A typed change told as a fact about one object: which object, what kind, what changed, and
 * its value before and after. Drift and pending reports are lists of these.
 */
import type { Change } from '../diff/changes.js';
import { describeChange } from '../kinds/registry.js';
import type { SchemaModel } from '../model/types.js';
import { readableType } from '../pull/readable.js';
import { differing, type DriftAction, type DriftObjectKind, type DriftRawItem } from './items.js';

export type { DriftObjectKind } from './items.js';

/** One difference: `change` is e.g. `added`, `dropped`, `renamed`, `type, default changed`. */
export interface DriftItem {
  /** Qualified object name: `public.users.email` for a column, `public.users.users_pkey` for a constraint. */
  readonly object: string;
  readonly kind: DriftObjectKind;
  readonly change: string;
  /** The object (or the attributes that differ) before; null when it did not exist. */
  readonly before: unknown;
  /** The object (or the attributes that differ) after; null when it no longer exists. */
  readonly after: unknown;
}

/** Model attribute names that the format spells differently (others: camelCase → snake_case). */
const FORMAT_KEYS: Readonly<Record<string, string>> = { keys: 'columns', level: 'for_each', notValid: 'validated' };
/** A trigger's `enabled` as the format writes it. */
const FORMAT_ENABLED: Readonly<Record<string, unknown>> = { origin: true, disabled: false, replica: 'replica', always: 'always' };

/** A model attribute's name as the format (docs/format.md) spells it: `nullsNotDistinct` → `nulls_not_distinct`. */
function formatKey(key: string): string {
  return FORMAT_KEYS[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * A model value in the format's terms, for reports people and scripts read: the format's key
 * names, its type spellings (`timestamptz`), a trigger's `enabled: true`, a function as
 * `schema.name`, a constraint's `validated`.
 */
function inFormat(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => inFormat(v, key));
  if (typeof value === 'string') {
    if (key === 'type' || key === 'returns') return readableType(value);
    if (key === 'enabled' && value in FORMAT_ENABLED) return FORMAT_ENABLED[value];
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (
    key === 'function' &&
    typeof record['schema'] === 'string' &&
    typeof record['name'] === 'string' &&
    Object.keys(record).length === 2
  ) {
    return `${record['schema']}.${record['name']}`;
  }
  // A constraint's `notValid` is the format's `validated`, the other way round.
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [formatKey(k), k === 'notValid' ? v !== true : inFormat(v, k)]));
}

/** A `dropped` and an `added` of the same object (how the diff changes a check or a foreign key) told as one `changed`. */
function mergePairs(items: readonly DriftRawItem[]): DriftRawItem[] {
  const out: DriftRawItem[] = [];
  const used = new Set<number>();
  items.forEach((item, i) => {
    if (used.has(i)) return;
    if (item.action === 'dropped' || item.action === 'added') {
      const j = items.findIndex(
        (o, k) =>
          k > i &&
          !used.has(k) &&
          o.object === item.object &&
          o.kind === item.kind &&
          o.action === (item.action === 'added' ? 'dropped' : 'added'),
      );
      const other = items[j];
      if (other !== undefined) {
        used.add(j);
        const [dropped, added] = item.action === 'dropped' ? [item, other] : [other, item];
        out.push({ object: item.object, kind: item.kind, action: 'changed', ...differing(dropped.before, added.after) });
        return;
      }
    }
    out.push(item);
  });
  return out;
}

function finish(item: DriftRawItem): DriftItem {
  const what = item.action === 'changed' && item.what && item.what.length > 0 ? `${item.what.map(formatKey).join(', ')} ` : '';
  return {
    object: item.object,
    kind: item.kind,
    change: `${what}${item.action}`,
    before: inFormat(item.before),
    after: inFormat(item.after),
  };
}

/**
 * Describes changes in the diff's direction: `before` from `from` (the diff's live side),
 * `after` from the desired side. What `pending` reports (the file against the last snapshot).
 *
 * @example
 * describeChanges(diffSchemas(file, snapshot.model), snapshot.model)
 * // [{ object: 'public.users.email', kind: 'column', change: 'added', before: null, after: { name: 'email', type: 'text', nullable: true } }]
 */
export function describeChanges(changes: readonly Change[], from: SchemaModel): DriftItem[] {
  return mergePairs(changes.flatMap((c) => describeChange(c, from))).map(finish);
}

/**
 * Describes the changes that would restore `recorded` on a database whose model is `live`
 * (`diffSchemas(recorded, live)`) as what happened to the database: `before` is the recorded
 * value, `after` the live one; an object the plan would create was `dropped`.
 *
 * @example
 * describeDrift(diffSchemas(snapshot, live.model), live.model)
 * // [{ object: 'public.users.nickname', kind: 'column', change: 'added', before: null, after: {...} }]
 */
export function describeDrift(changes: readonly Change[], live: SchemaModel): DriftItem[] {
  const flip: Record<DriftAction, DriftAction> = { added: 'dropped', dropped: 'added', changed: 'changed', renamed: 'renamed' };
  return mergePairs(changes.flatMap((c) => describeChange(c, live)))
    .map((r) => ({ ...r, action: flip[r.action], before: r.after, after: r.before }))
    .map(finish);
}
