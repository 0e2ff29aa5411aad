/**
 * The diff's deterministic output order: by change kind (creates in the registry's order of
 * kinds, drops in reverse, src/kinds/registry.ts), then by the name of the object changed. The
 * sort is stable, so changes of one kind on one object (labels added to one enum) keep the order
 * they were emitted in. The plan re-orders by dependencies; this order only makes the same inputs
 * give the same array, and breaks ties among steps of one phase.
 */
import { changeObjectKey, changeRank } from '../kinds/registry.js';
import type { Change } from './changes.js';

export { changeObjectKey };

/**
 * Sorts changes by kind, then object name (code-unit order, locale-independent); stable.
 *
 * @example
 * sortChanges([dropTable, createTable])  // [createTable, dropTable]
 */
export function sortChanges(changes: readonly Change[]): Change[] {
  const keyed = changes.map((change, at) => ({ change, at, rank: changeRank(change.kind), key: changeObjectKey(change) }));
  keyed.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.at - b.at);
  return keyed.map((k) => k.change);
}
