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

const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => compareText(a.name, b.name));

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
    functions: [...m.functions].sort(
      (a, b) => compareQualified(a, b) || compareText(functionIdentityArgs(a), functionIdentityArgs(b)),
    ),
    tables: [...m.tables].sort(compareQualified).map(normalizeTable),
  };
}
