/**
 * Indexes of a kept table: matched by name, else `renamed_from` (or the name PostgreSQL
 * generated from a renamed table's old name). A different definition — or a live index left
 * INVALID by a failed concurrent build — is a `replace_index` (built under a temporary name,
 * then swapped). Storage parameters are compared as values.
 */
import type { Index, IndexKey } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { TableKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { collationName, sameExpr, sameList, sameParameters } from '../../diff/compare.js';
import type { TableScope } from '../../diff/context.js';
import { matchObjects } from '../../diff/match.js';
import { decide } from '../../judge/slots.js';
import { callsAnyOf } from '../../model/expression.js';

/**
 * @example
 * diffIndexes(scope, [{ ...hnsw, with: { m: '32' } }], [{ ...hnsw, with: { m: '16' } }])
 * // [{ kind: 'replace_index', from: { ... m: '16' }, to: { ... m: '32' } }]
 */
/** The index kind's diff (`ObjectKind.diff`), on one table both sides have. */
export const indexDiff: TableKindDiff = {
  scope: 'table',
  run: ({ pair, recreatedFunctions }) => diffIndexes(pair.scope, pair.desired.indexes, pair.live.indexes, recreatedFunctions),
  created: (table) =>
    table.indexes.map((index): Change => ({
      kind: 'create_index',
      table: { schema: table.schema, name: table.name },
      index,
      tableIsNew: true,
    })),
  comments: (table) =>
    table.indexes.flatMap((index) =>
      diffComment({ on: 'index', table: { schema: table.schema, name: table.name }, index: index.name }, index.comment, undefined),
    ),
};

/**
 * @param recreatedFunctions `nameKey` of functions the plan drops and creates again: a kept index
 * whose keys or predicate call one is dropped before and built again after (not replaced in
 * place, which would build the new index before the function exists again).
 */
export function diffIndexes(
  scope: TableScope,
  desired: readonly Index[],
  live: readonly Index[],
  recreatedFunctions: ReadonlySet<string> = new Set(),
): Change[] {
  const table = scope.table;
  const matching = matchObjects(desired, live, {
    desired: (i) => i.name,
    live: (i) => i.name,
    previous: (i) => scope.previousName(i.name, i.renamedFrom),
  });
  const changes: Change[] = [];
  const comment = (index: Index, current: string | undefined): readonly Change[] =>
    diffComment({ on: 'index', table, index: index.name }, index.comment, current);
  for (const index of matching.added) {
    changes.push({ kind: 'create_index', table, index, tableIsNew: false }, ...comment(index, undefined));
  }
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    const expressions = [have.where, ...have.keys.map((k) => k.expression)];
    if (expressions.some((e) => callsAnyOf(e, recreatedFunctions))) {
      changes.push({ kind: 'drop_index', table, index: have }, { kind: 'create_index', table, index: want, tableIsNew: false });
      changes.push(...comment(want, undefined));
      continue;
    }
    if (have.invalid === true || !sameIndex(scope, want, have)) {
      changes.push({ kind: 'replace_index', table, from: have, to: want }, ...comment(want, undefined));
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_index', table, from: have.name, to: want.name });
    changes.push(...comment(want, have.comment));
  }
  for (const index of matching.removed) changes.push({ kind: 'drop_index', table, index });
  return changes;
}

/**
 * Two index definitions build the same index (names and comments aside). Live column names
 * are read through the plan's column renames.
 *
 * @example
 * sameIndex(scope, { ...idx, with: { lists: '100' } }, { ...idx, with: { lists: '100.0' } })  // true
 */
export function sameIndex(scope: TableScope, desired: Index, live: Index): boolean {
  return (
    desired.unique === live.unique &&
    desired.nullsNotDistinct === live.nullsNotDistinct &&
    desired.using.toLowerCase() === live.using.toLowerCase() &&
    desired.keys.length === live.keys.length &&
    desired.keys.every((key, i) => {
      const other = live.keys[i];
      return other !== undefined && sameKey(scope, key, other, desired.name, i + 1);
    }) &&
    sameList(desired.include, live.include.map(scope.column)) &&
    decide(scope.judge?.verdict('where', desired.name, 0, live.where), () => sameExpr(desired.where, live.where)) &&
    sameParameters(desired.with, live.with)
  );
}

/** A key is either a column (read through the column renames) or an expression. */
function sameKeyTarget(scope: TableScope, desired: IndexKey, live: IndexKey, index: string, position: number): boolean {
  if (desired.column !== undefined || live.column !== undefined) {
    return desired.column !== undefined && live.column !== undefined && desired.column === scope.column(live.column);
  }
  return decide(scope.judge?.verdict('key', index, position, live.expression), () => sameExpr(desired.expression, live.expression));
}

function sameKey(scope: TableScope, desired: IndexKey, live: IndexKey, index: string, position: number): boolean {
  return (
    sameKeyTarget(scope, desired, live, index, position) &&
    collationName(desired.collation) === collationName(live.collation) &&
    desired.opclass === live.opclass &&
    desired.order === live.order &&
    desired.nulls === live.nulls &&
    sameParameters(desired.opclassParams, live.opclassParams)
  );
}
