/**
 * Range types, keyed by (schema, name), matched through `renamed_from`: renamed with ALTER TYPE
 * (the multirange type follows when its name is derived), dropped and created when anything but
 * the comment and the names differ (ALTER TYPE cannot change a range's definition).
 */
import type { Change, CommentTarget } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import type { QualifiedName } from '../../model/types.js';
import { diffComment } from '../comment/diff.js';
import { defaultMultirangeName, type RangeType } from './model.js';

/** The range type kind's diff (`ObjectKind.diff`). */
export const rangeTypeDiff: ModelKindDiff = { scope: 'model', run: (d) => diffRangeTypes(d.want.rangeTypes, d.have.rangeTypes) };

const qualifiedName = (t: QualifiedName): QualifiedName => ({ schema: t.schema, name: t.name });
const target = (t: QualifiedName): CommentTarget => ({ on: 'range-type', type: qualifiedName(t) });

/** The multirange type's name: as declared, or derived from the range's. */
export const multirangeName = (t: RangeType): string => t.multirangeTypeName ?? defaultMultirangeName(t.name);

const sameDefinition = (a: RangeType, b: RangeType): boolean =>
  a.subtype === b.subtype &&
  a.subtypeOpclass === b.subtypeOpclass &&
  a.collation === b.collation &&
  a.canonical === b.canonical &&
  a.subtypeDiff === b.subtypeDiff;

/**
 * @example
 * diffRangeTypes([{ schema: 'public', name: 'floatrange', subtype: 'double precision' }], [])
 * // [{ kind: 'create_range_type', type: { schema: 'public', name: 'floatrange', ... } }]
 */
export function diffRangeTypes(desired: readonly RangeType[], live: readonly RangeType[]): Change[] {
  const key = (t: RangeType): string => nameKey(t.schema, t.name);
  const matching = matchObjects(desired, live, {
    desired: key,
    live: key,
    previous: (t) => (t.renamedFrom === undefined ? undefined : nameKey(t.schema, t.renamedFrom)),
  });
  const changes: Change[] = [];
  const create = (type: RangeType): void => {
    changes.push({ kind: 'create_range_type', type }, ...diffComment(target(type), type.comment, undefined));
  };
  for (const type of matching.added) create(type);
  for (const { desired: to, live: from, renamed } of matching.pairs) {
    if (!sameDefinition(to, from)) {
      changes.push({ kind: 'drop_range_type', type: from });
      create(to);
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_range_type', from: qualifiedName(from), to });
    const liveMultirange = multirangeName(from);
    const wantMultirange = multirangeName(to);
    if (liveMultirange !== wantMultirange)
      changes.push({ kind: 'rename_multirange_type', type: to, from: liveMultirange, to: wantMultirange });
    changes.push(...diffComment(target(to), to.comment, from.comment));
  }
  for (const type of matching.removed) changes.push({ kind: 'drop_range_type', type });
  return changes;
}
