/**
 * Canonical orders and forms the kinds' model hooks (src/kinds/<kind>/model.ts) share: text and
 * qualified-name order, lists sorted by name, an expression's fingerprint form, an object without
 * its previous name.
 *
 * A leaf for the kinds: it must not import, even indirectly, what walks the registry
 * (./normalize.ts, ./fingerprint.ts, ./types.ts's `emptyModel`), or the registry's import graph
 * gets a cycle (test/import-cycles.test.ts).
 */
import { SqlSyntaxError } from '../sql/parser.js';
import { expressionKey } from './expression.js';
import type { QualifiedName } from './types.js';

/** Code-unit order: stable across machines and locales (no localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders qualified names by schema, then name. */
export function compareQualified(a: QualifiedName, b: QualifiedName): number {
  return compareText(a.schema, b.schema) || compareText(a.name, b.name);
}

/** A copy of the list sorted by name. */
export const byName = <T extends { readonly name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => compareText(a.name, b.name));

/** The object without its desired-only previous name (fingerprints leave it out). */
export function withoutRenamedFrom<T extends { readonly renamedFrom?: string }>(item: T): Omit<T, 'renamedFrom'> {
  const { renamedFrom: _r, ...others } = item;
  return others;
}

/**
 * An expression as fingerprints read it: its canonical key (`expressionKey`); text that does not
 * parse is kept as text.
 *
 * @example
 * expressionForm(undefined)  // undefined
 */
export function expressionForm(sql: string | undefined): string | undefined {
  if (sql === undefined) return undefined;
  try {
    return expressionKey(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return `unparsed:${sql}`;
    throw error;
  }
}
