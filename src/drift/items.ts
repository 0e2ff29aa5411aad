/**
 * A change told as report items (drift, pending): the pieces each kind's `describe` builds
 * (src/kinds/*), before src/drift/describe-change.ts puts them in the format's terms.
 */
import type { ReportObjectKind } from '../kinds/registry.js';
import type { FunctionDef, QualifiedName } from '../model/types.js';
import { stableJson } from '../util/stable-json.js';

/**
 * The kind of object a reported difference is about: the words the registered kinds declare
 * (`reports` in src/kinds/<kind>/refs.ts).
 */
/** A kind's report word, or `data change` (src/data-changes/: one the ledger does not record as applied). */
export type DriftObjectKind = ReportObjectKind | 'data change';

export type DriftAction = 'added' | 'dropped' | 'changed' | 'renamed';

export interface DriftRawItem {
  readonly object: string;
  readonly kind: DriftObjectKind;
  readonly action: DriftAction;
  /** Which attributes changed (for `changed`). */
  readonly what?: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

/** `schema.name`, always qualified (stable in reports). */
export const displayQualified = (n: QualifiedName): string => `${n.schema}.${n.name}`;
export const on = (table: QualifiedName, name: string): string => `${displayQualified(table)}.${name}`;
export const fnName = (fn: FunctionDef): string =>
  `${displayQualified(fn)}(${fn.arguments
    .filter((a) => a.mode !== 'out')
    .map((a) => a.type)
    .join(', ')})`;

/** Plain JSON of a model object, without the desired-side-only hints (a column's `using` cast; an index's `using` is its method). */
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value ?? null;
  const column = 'nullable' in (value as Record<string, unknown>);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'renamedFrom' || (k === 'using' && column) || k === 'renamedValues' || v === undefined) continue;
    copy[k] = v;
  }
  return copy;
}

/** The keys whose values differ between two objects, and each side restricted to them. */
export function differing(
  before: unknown,
  after: unknown,
): { what: string[]; before: Record<string, unknown>; after: Record<string, unknown> } {
  const a = (plain(before) ?? {}) as Record<string, unknown>;
  const b = (plain(after) ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort();
  const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  return { what: keys, before: pick(a), after: pick(b) };
}

export const sameName = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

/** The report item of an object that was added (`after` its model value). */
export const added = (object: string, kind: DriftObjectKind, value: unknown): DriftRawItem[] => [
  { object, kind, action: 'added', before: null, after: plain(value) },
];

/** The report item of an object that was dropped (`before` its model value). */
export const dropped = (object: string, kind: DriftObjectKind, value: unknown): DriftRawItem[] => [
  { object, kind, action: 'dropped', before: plain(value), after: null },
];

/** The report item of an object renamed from `before` to `after`. */
export const renamed = (object: string, kind: DriftObjectKind, before: string, after: string): DriftRawItem[] => [
  { object, kind, action: 'renamed', before, after },
];

/** The report item of an object whose attributes changed: only those that differ. */
export const changed = (object: string, kind: DriftObjectKind, from: unknown, to: unknown): DriftRawItem[] => [
  { object, kind, action: 'changed', ...differing(from, to) },
];
