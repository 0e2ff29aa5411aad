/**
 * Sorting of the lists whose order carries no meaning, so that two models describing the
 * same schema are deep-equal and fingerprint the same.
 */
import type { FunctionDef, QualifiedName, SchemaModel, Table, TriggerEvent } from './types.js';

/** Code-unit order: stable across machines and locales (no localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders qualified names by schema, then name. */
export function compareQualified(a: QualifiedName, b: QualifiedName): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name);
}

const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => compareText(a.name, b.name));

const eventOrder: Readonly<Record<TriggerEvent, number>> = { insert: 0, update: 1, delete: 2, truncate: 3 };

/** The argument types that identify a function (IN, INOUT and VARIADIC arguments). */
export function functionIdentityArgs(fn: FunctionDef): string {
  return fn.arguments
    .filter((arg) => arg.mode !== 'out')
    .map((arg) => arg.type)
    .join(',');
}

function normalizeTable(table: Table): Table {
  return {
    ...table,
    uniques: byName(table.uniques),
    checks: byName(table.checks),
    foreignKeys: byName(table.foreignKeys),
    ...(table.exclusions !== undefined && table.exclusions.length > 0 ? { exclusions: byName(table.exclusions) } : {}),
    indexes: byName(table.indexes),
    triggers: byName(table.triggers).map((trigger) => ({
      ...trigger,
      events: [...new Set(trigger.events)].sort((a, b) => eventOrder[a] - eventOrder[b]),
    })),
  };
}

/**
 * Returns a copy of the model with every meaningless order fixed: extensions and schemas
 * by name; enums, sequences, tables by (schema, name); functions by (schema, name,
 * argument types); a table's uniques, checks, foreign keys, indexes and triggers by name;
 * trigger events as insert, update, delete, truncate. Columns and enum values keep their order.
 *
 * @example
 * normalizeModel(model).tables.map((t) => t.name)  // ['a', 'b', …]
 */
export function normalizeModel(m: SchemaModel): SchemaModel {
  return {
    ...m,
    extensions: byName(m.extensions),
    schemas: byName(m.schemas),
    enums: [...m.enums].sort(compareQualified),
    sequences: [...m.sequences].sort(compareQualified),
    functions: [...m.functions].sort((a, b) => compareQualified(a, b) || compareText(functionIdentityArgs(a), functionIdentityArgs(b))),
    tables: [...m.tables].sort(compareQualified).map(normalizeTable),
  };
}

const TEXT_LIKE: ReadonlySet<string> = new Set(['character varying', 'name']);

/**
 * The operator class PostgreSQL picks for a key of this type under this method, from the
 * catalog's defaults (`${method} ${type}` → opclass), following its fallbacks: varchar uses
 * text's, arrays anyarray's, enums anyenum's.
 */
export function defaultOpclassFor(
  defaults: ReadonlyMap<string, string>,
  method: string,
  type: string,
  isEnum: (type: string) => boolean,
): string | undefined {
  const array = type.endsWith('[]');
  const base = array ? type.slice(0, -2) : type.replace(/\(.*\)$/, '');
  const candidates = array ? ['anyarray'] : [base, ...(TEXT_LIKE.has(base) ? ['text'] : []), ...(isEnum(base) ? ['anyenum'] : [])];
  for (const c of candidates) {
    const found = defaults.get(`${method} ${c}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The model with every index key's operator class left out where it is the default one, the
 * canonical form introspection produces. Needs the catalog's defaults (LiveSchema.defaultOpclasses).
 *
 * @example
 * withoutDefaultOpclasses(desired.model, live.defaultOpclasses) // `vector_l2_ops` on hnsw(vector) removed
 */
export function withoutDefaultOpclasses(m: SchemaModel, defaults: ReadonlyMap<string, string>): SchemaModel {
  if (defaults.size === 0) return m;
  const enums = new Set(m.enums.map((e) => (e.schema === 'public' ? e.name : `${e.schema}.${e.name}`)));
  const isEnum = (t: string): boolean => enums.has(t);
  let changed = false;
  const tables = m.tables.map((t) => {
    let tableChanged = false;
    const indexes = t.indexes.map((index) => {
      let indexChanged = false;
      const keys = index.keys.map((k) => {
        if (k.opclass === undefined || k.column === undefined || k.opclassParams !== undefined) return k;
        const column = t.columns.find((c) => c.name === k.column);
        if (!column) return k;
        if (defaultOpclassFor(defaults, index.using, column.type, isEnum) !== k.opclass) return k;
        indexChanged = true;
        const { opclass: _dropped, ...rest } = k;
        return rest;
      });
      if (!indexChanged) return index;
      tableChanged = true;
      return { ...index, keys };
    });
    if (!tableChanged) return t;
    changed = true;
    return { ...t, indexes };
  });
  return changed ? { ...m, tables } : m;
}
