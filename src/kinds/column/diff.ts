/**
 * Columns of a kept table: matched by name, else by `renamed_from`. An `alter_column` lists
 * exactly the attributes that differ. Column order is not a change.
 */
import type { Column, Identity } from '../../model/types.js';
import type { Change, ColumnAttribute } from '../../diff/changes.js';
import type { TableKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { collationName, sameExpr, sameNumber } from '../../diff/compare.js';
import { sameDefault } from '../../model/expression.js';
import { defaultAfterRenames, typeAfterRenames, type DiffContext, type TableScope } from '../../diff/context.js';
import { matchObjects, type Matching } from '../../diff/match.js';
import { decide, type TableJudge } from '../../judge/slots.js';

/** The column kind's diff (`ObjectKind.diff`), on one table both sides have. */
export const columnDiff: TableKindDiff = {
  scope: 'table',
  run: ({ pair, ctx }) => diffColumns(pair.scope, pair.columns, ctx),
  created: () => [],
  comments: (table) =>
    table.columns.flatMap((column) =>
      diffComment({ on: 'column', table: { schema: table.schema, name: table.name }, column: column.name }, column.comment, undefined),
    ),
};

/**
 * Pairs a table's desired columns with its live ones.
 *
 * @example
 * matchColumns([{ name: 'title', renamedFrom: 'old_title', ... }], [{ name: 'old_title', ... }]).pairs[0].renamed  // true
 */
export function matchColumns(desired: readonly Column[], live: readonly Column[]): Matching<Column, Column> {
  return matchObjects(desired, live, { desired: (c) => c.name, live: (c) => c.name, previous: (c) => c.renamedFrom });
}

/**
 * @example
 * diffColumns(scope, matchColumns([{ name: 'n', type: 'bigint', nullable: true }], [{ name: 'n', type: 'integer', nullable: true }]), ctx)
 * // [{ kind: 'alter_column', attributes: ['type'], ... }]
 */
export function diffColumns(scope: TableScope, columns: Matching<Column, Column>, ctx: DiffContext): Change[] {
  const table = scope.table;
  const changes: Change[] = [];
  for (const column of columns.added) {
    changes.push({ kind: 'add_column', table, column });
    changes.push(...diffComment({ on: 'column', table, column: column.name }, column.comment, undefined));
  }
  for (const { desired: to, live: from, renamed } of columns.pairs) {
    if (renamed) changes.push({ kind: 'rename_column', table, from: from.name, to: to.name });
    const liveDefault = defaultAfterRenames(ctx, from.default);
    const liveType = typeAfterRenames(ctx, from.type);
    const afterRenames = liveDefault === from.default && liveType === from.type ? from : { ...from, default: liveDefault, type: liveType };
    const attributes = columnDifferences(to, afterRenames, scope.judge);
    if (attributes.length > 0) changes.push({ kind: 'alter_column', table, from, to, attributes });
    changes.push(...diffComment({ on: 'column', table, column: to.name }, to.comment, from.comment));
  }
  for (const column of columns.removed) changes.push({ kind: 'drop_column', table, column });
  return changes;
}

/**
 * The attributes in which two columns differ, in a fixed order.
 *
 * @example
 * columnDifferences({ name: 'a', type: 'text', nullable: false }, { name: 'a', type: 'text', nullable: true })  // ['nullable']
 */
export function columnDifferences(desired: Column, live: Column, judge?: TableJudge): ColumnAttribute[] {
  const attributes: ColumnAttribute[] = [];
  const judged = (kind: 'type' | 'default' | 'generated', text: string | undefined) => judge?.verdict(kind, desired.name, 0, text);
  // Types as the server formats them (format_type): `geometry(polygon,4326)` is `geometry(Polygon,4326)`.
  if (desired.type !== live.type && !decide(judged('type', live.type), () => false)) attributes.push('type');
  if (desired.nullable !== live.nullable) attributes.push('nullable');
  if (!decide(judged('default', live.default), () => sameDefault(desired.default, live.default, desired.type))) attributes.push('default');
  if (!sameIdentity(desired.identity, live.identity)) attributes.push('identity');
  if (!decide(judged('generated', live.generated), () => sameExpr(desired.generated, live.generated))) attributes.push('generated');
  if (collationName(desired.collation) !== collationName(live.collation)) attributes.push('collation');
  // Left out, storage is the type's: the live side names it only where it differs from its type's.
  const liveStorage = live.storage ?? live.typeStorage;
  if (desired.storage === undefined ? live.storage !== undefined : desired.storage !== liveStorage) attributes.push('storage');
  if (desired.compression !== live.compression) attributes.push('compression');
  if (desired.statistics !== live.statistics) attributes.push('statistics');
  return attributes;
}

function sameIdentity(desired: Identity | undefined, live: Identity | undefined): boolean {
  if (desired === undefined || live === undefined) return desired === live;
  return (
    desired.kind === live.kind &&
    sameNumber(desired.start, live.start) &&
    sameNumber(desired.increment, live.increment) &&
    sameNumber(desired.minValue, live.minValue) &&
    sameNumber(desired.maxValue, live.maxValue) &&
    sameNumber(desired.cache, live.cache) &&
    (desired.cycle ?? false) === (live.cycle ?? false)
  );
}
