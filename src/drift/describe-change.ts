/**
 * A typed change told as a fact about one object: which object, what kind, what changed, and
 * its value before and after. Drift and pending reports are lists of these.
 */
import type { Change, CommentTarget } from '../diff/changes.js';
import type { FunctionDef, QualifiedName, SchemaModel } from '../model/types.js';
import { readableType } from '../pull/readable.js';
import { stableJson } from '../util/stable-json.js';

/** The kind of object a reported difference is about. */
export type DriftObjectKind =
  | 'extension'
  | 'schema'
  | 'enum'
  | 'sequence'
  | 'function'
  | 'table'
  | 'column'
  | 'primary_key'
  | 'unique'
  | 'check'
  | 'foreign_key'
  | 'index'
  | 'trigger'
  | 'comment';

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

type Action = 'added' | 'dropped' | 'changed' | 'renamed';

interface RawItem {
  readonly object: string;
  readonly kind: DriftObjectKind;
  readonly action: Action;
  /** Which attributes changed (for `changed`). */
  readonly what?: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

/** `schema.name`, always qualified (stable in reports). */
const displayQualified = (n: QualifiedName): string => `${n.schema}.${n.name}`;
const on = (table: QualifiedName, name: string): string => `${displayQualified(table)}.${name}`;
const fnName = (fn: FunctionDef): string =>
  `${displayQualified(fn)}(${fn.arguments
    .filter((a) => a.mode !== 'out')
    .map((a) => a.type)
    .join(', ')})`;

/** Plain JSON of a model object, without the desired-side-only hints (a column's `using` cast; an index's `using` is its method). */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value ?? null;
  const column = 'nullable' in (value as Record<string, unknown>);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'renamedFrom' || (k === 'using' && column) || k === 'renamedValues' || v === undefined) continue;
    copy[k] = v;
  }
  return copy;
}

/** Model attribute names that the format spells differently (others: camelCase → snake_case). */
const FORMAT_KEYS: Readonly<Record<string, string>> = { keys: 'columns', level: 'for_each' };
/** A trigger's `enabled` as the format writes it. */
const FORMAT_ENABLED: Readonly<Record<string, unknown>> = { origin: true, disabled: false, replica: 'replica', always: 'always' };

/** A model attribute's name as the format (docs/format.md) spells it: `nullsNotDistinct` → `nulls_not_distinct`. */
function formatKey(key: string): string {
  return FORMAT_KEYS[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * A model value in the format's terms, for reports people and scripts read: the format's key
 * names, its type spellings (`timestamptz`), a trigger's `enabled: true`, a function as
 * `schema.name`.
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
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [formatKey(k), inFormat(v, k)]));
}

/** The keys whose values differ between two objects, and each side restricted to them. */
function differing(before: unknown, after: unknown): { what: string[]; before: Record<string, unknown>; after: Record<string, unknown> } {
  const a = (plain(before) ?? {}) as Record<string, unknown>;
  const b = (plain(after) ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort();
  const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  return { what: keys, before: pick(a), after: pick(b) };
}

function commentObject(target: CommentTarget): { object: string; of: DriftObjectKind } {
  switch (target.on) {
    case 'schema':
      return { object: target.schema, of: 'schema' };
    case 'table':
      return { object: displayQualified(target.table), of: 'table' };
    case 'column':
      return { object: on(target.table, target.column), of: 'column' };
    case 'enum':
      return { object: displayQualified(target.type), of: 'enum' };
    case 'sequence':
      return { object: displayQualified(target.sequence), of: 'sequence' };
    case 'function':
      return { object: fnName(target.fn), of: 'function' };
    case 'index':
      return { object: on(target.table, target.index), of: 'index' };
    case 'constraint':
      return { object: on(target.table, target.constraint), of: 'check' };
    case 'trigger':
      return { object: on(target.table, target.trigger), of: 'trigger' };
  }
}

const sameName = (a: QualifiedName, b: QualifiedName): boolean => a.schema === b.schema && a.name === b.name;

/** The comment `target` carries in `model` (null when none or when the object is absent). */
function commentIn(model: SchemaModel, target: CommentTarget): string | null {
  const table = (t: QualifiedName) => model.tables.find((x) => sameName(x, t));
  switch (target.on) {
    case 'schema':
      return model.schemas.find((s) => s.name === target.schema)?.comment ?? null;
    case 'table':
      return table(target.table)?.comment ?? null;
    case 'column':
      return table(target.table)?.columns.find((c) => c.name === target.column)?.comment ?? null;
    case 'enum':
      return model.enums.find((e) => sameName(e, target.type))?.comment ?? null;
    case 'sequence':
      return model.sequences.find((s) => sameName(s, target.sequence))?.comment ?? null;
    case 'function':
      return model.functions.find((f) => fnName(f) === fnName(target.fn))?.comment ?? null;
    case 'index':
      return table(target.table)?.indexes.find((i) => i.name === target.index)?.comment ?? null;
    case 'constraint': {
      const t = table(target.table);
      if (!t) return null;
      const all = [t.primaryKey, ...t.uniques, ...t.checks, ...t.foreignKeys];
      return all.find((c) => c?.name === target.constraint)?.comment ?? null;
    }
    case 'trigger':
      return table(target.table)?.triggers.find((g) => g.name === target.trigger)?.comment ?? null;
  }
}

/** A change as a raw item in the diff's own direction: `before` = the live side, `after` = the desired side. */
function raw(change: Change, from: SchemaModel): RawItem[] {
  switch (change.kind) {
    case 'create_extension':
      return [{ object: change.extension.name, kind: 'extension', action: 'added', before: null, after: plain(change.extension) }];
    case 'drop_extension':
      return [{ object: change.extension.name, kind: 'extension', action: 'dropped', before: plain(change.extension), after: null }];
    case 'alter_extension':
      return [{ object: change.to.name, kind: 'extension', action: 'changed', ...differing(change.from, change.to) }];
    case 'create_schema':
      return [{ object: change.schema.name, kind: 'schema', action: 'added', before: null, after: plain(change.schema) }];
    case 'drop_schema':
      return [{ object: change.schema.name, kind: 'schema', action: 'dropped', before: plain(change.schema), after: null }];
    case 'create_enum':
      return [{ object: displayQualified(change.enum), kind: 'enum', action: 'added', before: null, after: plain(change.enum) }];
    case 'drop_enum':
      return [{ object: displayQualified(change.enum), kind: 'enum', action: 'dropped', before: plain(change.enum), after: null }];
    case 'add_enum_value': {
      const values = change.enum.values;
      return [
        {
          object: displayQualified(change.enum),
          kind: 'enum',
          action: 'changed',
          what: ['values'],
          before: { values: values.filter((v) => v !== change.value) },
          after: { values },
        },
      ];
    }
    case 'rename_enum_value':
      return [
        {
          object: displayQualified(change.enum),
          kind: 'enum',
          action: 'changed',
          what: ['value name'],
          before: { value: change.from },
          after: { value: change.to },
        },
      ];
    case 'replace_enum':
      return [
        {
          object: displayQualified(change.to),
          kind: 'enum',
          action: 'changed',
          what: ['values'],
          before: { values: change.from.values },
          after: { values: change.to.values },
        },
      ];
    case 'create_sequence':
      return [
        { object: displayQualified(change.sequence), kind: 'sequence', action: 'added', before: null, after: plain(change.sequence) },
      ];
    case 'drop_sequence':
      return [
        { object: displayQualified(change.sequence), kind: 'sequence', action: 'dropped', before: plain(change.sequence), after: null },
      ];
    case 'alter_sequence':
      return [{ object: displayQualified(change.to), kind: 'sequence', action: 'changed', ...differing(change.from, change.to) }];
    case 'rename_sequence':
      return [
        {
          object: displayQualified(change.to),
          kind: 'sequence',
          action: 'renamed',
          before: displayQualified(change.from),
          after: displayQualified(change.to),
        },
      ];
    case 'create_function':
      return [{ object: fnName(change.fn), kind: 'function', action: 'added', before: null, after: plain(change.fn) }];
    case 'drop_function':
      return [{ object: fnName(change.fn), kind: 'function', action: 'dropped', before: plain(change.fn), after: null }];
    case 'replace_function':
      return [{ object: fnName(change.to), kind: 'function', action: 'changed', ...differing(change.from, change.to) }];
    case 'create_table':
      return [
        {
          object: displayQualified(change.table),
          kind: 'table',
          action: 'added',
          before: null,
          after: { columns: change.table.columns.map((c) => c.name) },
        },
      ];
    case 'drop_table':
      return [
        {
          object: displayQualified(change.table),
          kind: 'table',
          action: 'dropped',
          before: { columns: change.table.columns.map((c) => c.name) },
          after: null,
        },
      ];
    case 'rename_table':
      return [
        {
          object: displayQualified(change.to),
          kind: 'table',
          action: 'renamed',
          before: displayQualified(change.from),
          after: displayQualified(change.to),
        },
      ];
    case 'add_column':
      return [{ object: on(change.table, change.column.name), kind: 'column', action: 'added', before: null, after: plain(change.column) }];
    case 'drop_column':
      return [
        { object: on(change.table, change.column.name), kind: 'column', action: 'dropped', before: plain(change.column), after: null },
      ];
    case 'rename_column':
      return [{ object: on(change.table, change.to), kind: 'column', action: 'renamed', before: change.from, after: change.to }];
    case 'alter_column': {
      const d = differing(change.from, change.to);
      return [{ object: on(change.table, change.to.name), kind: 'column', action: 'changed', ...d, what: [...change.attributes] }];
    }
    case 'add_primary_key':
      return [
        {
          object: on(change.table, change.primaryKey.name),
          kind: 'primary_key',
          action: 'added',
          before: null,
          after: plain(change.primaryKey),
        },
      ];
    case 'drop_primary_key':
      return [
        {
          object: on(change.table, change.primaryKey.name),
          kind: 'primary_key',
          action: 'dropped',
          before: plain(change.primaryKey),
          after: null,
        },
      ];
    case 'add_unique':
      return [{ object: on(change.table, change.unique.name), kind: 'unique', action: 'added', before: null, after: plain(change.unique) }];
    case 'drop_unique':
      return [
        { object: on(change.table, change.unique.name), kind: 'unique', action: 'dropped', before: plain(change.unique), after: null },
      ];
    case 'add_check':
      return [{ object: on(change.table, change.check.name), kind: 'check', action: 'added', before: null, after: plain(change.check) }];
    case 'drop_check':
      return [{ object: on(change.table, change.check.name), kind: 'check', action: 'dropped', before: plain(change.check), after: null }];
    case 'validate_constraint':
      return [
        {
          object: on(change.table, change.constraint),
          kind: change.constraintKind,
          action: 'changed',
          what: ['notValid'],
          before: { notValid: true },
          after: { notValid: false },
        },
      ];
    case 'add_foreign_key':
      return [
        {
          object: on(change.table, change.foreignKey.name),
          kind: 'foreign_key',
          action: 'added',
          before: null,
          after: plain(change.foreignKey),
        },
      ];
    case 'drop_foreign_key':
      return [
        {
          object: on(change.table, change.foreignKey.name),
          kind: 'foreign_key',
          action: 'dropped',
          before: plain(change.foreignKey),
          after: null,
        },
      ];
    case 'rename_constraint':
      return [
        { object: on(change.table, change.to), kind: change.constraintKind, action: 'renamed', before: change.from, after: change.to },
      ];
    case 'create_index':
      return [{ object: on(change.table, change.index.name), kind: 'index', action: 'added', before: null, after: plain(change.index) }];
    case 'drop_index':
      return [{ object: on(change.table, change.index.name), kind: 'index', action: 'dropped', before: plain(change.index), after: null }];
    case 'replace_index':
      return [{ object: on(change.table, change.to.name), kind: 'index', action: 'changed', ...differing(change.from, change.to) }];
    case 'rename_index':
      return [{ object: on(change.table, change.to), kind: 'index', action: 'renamed', before: change.from, after: change.to }];
    case 'create_trigger':
      return [
        { object: on(change.table, change.trigger.name), kind: 'trigger', action: 'added', before: null, after: plain(change.trigger) },
      ];
    case 'drop_trigger':
      return [
        { object: on(change.table, change.trigger.name), kind: 'trigger', action: 'dropped', before: plain(change.trigger), after: null },
      ];
    case 'replace_trigger':
      return [{ object: on(change.table, change.to.name), kind: 'trigger', action: 'changed', ...differing(change.from, change.to) }];
    case 'rename_trigger':
      return [{ object: on(change.table, change.to), kind: 'trigger', action: 'renamed', before: change.from, after: change.to }];
    case 'set_trigger_enabled': {
      const live = from.tables.find((t) => sameName(t, change.table))?.triggers.find((g) => g.name === change.trigger);
      return [
        {
          object: on(change.table, change.trigger),
          kind: 'trigger',
          action: 'changed',
          what: ['enabled'],
          before: { enabled: live?.enabled ?? null },
          after: { enabled: change.enabled },
        },
      ];
    }
    case 'set_comment': {
      const { object, of } = commentObject(change.target);
      return [
        {
          object,
          kind: of,
          action: 'changed',
          what: ['comment'],
          before: { comment: commentIn(from, change.target) },
          after: { comment: change.comment },
        },
      ];
    }
  }
}

/** A `dropped` and an `added` of the same object (how the diff changes a check or a foreign key) told as one `changed`. */
function mergePairs(items: readonly RawItem[]): RawItem[] {
  const out: RawItem[] = [];
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

function finish(item: RawItem): DriftItem {
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
  return mergePairs(changes.flatMap((c) => raw(c, from))).map(finish);
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
  const flip: Record<Action, Action> = { added: 'dropped', dropped: 'added', changed: 'changed', renamed: 'renamed' };
  return mergePairs(changes.flatMap((c) => raw(c, live)))
    .map((r) => ({ ...r, action: flip[r.action], before: r.after, after: r.before }))
    .map(finish);
}
