/**
 * Composite types, keyed by (schema, name), matched through `renamed_from`. A kept type's
 * attributes are matched by name (and their `renamed_from`): renamed, dropped, added at the end
 * and retyped in place, while the kept attributes keep their order and the new ones come after
 * them; any other order cannot be reached by ALTER TYPE, and the type is dropped and created.
 */
import type { Change, CommentTarget } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { collationName } from '../../diff/compare.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import type { QualifiedName } from '../../model/types.js';
import { diffComment } from '../comment/diff.js';
import type { AttributeAction } from './changes.js';
import type { CompositeAttribute, CompositeType } from './model.js';

/** The composite type kind's diff (`ObjectKind.diff`). */
export const compositeTypeDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => diffCompositeTypes(d.want.compositeTypes, d.have.compositeTypes),
};

const qualifiedName = (t: QualifiedName): QualifiedName => ({ schema: t.schema, name: t.name });
const typeTarget = (t: QualifiedName): CommentTarget => ({ on: 'composite-type', type: qualifiedName(t) });
const attributeTarget = (t: QualifiedName, attribute: string): CommentTarget => ({
  on: 'composite-type',
  type: qualifiedName(t),
  attribute,
});

/** The comments of a type the plan creates (it starts without any). */
function createdComments(t: CompositeType): Change[] {
  return [
    ...diffComment(typeTarget(t), t.comment, undefined),
    ...t.attributes.flatMap((a) => diffComment(attributeTarget(t, a.name), a.comment, undefined)),
  ];
}

const sameAttributeType = (a: CompositeAttribute, b: CompositeAttribute): boolean =>
  a.type === b.type && collationName(a.collation) === collationName(b.collation);

/**
 * @example
 * diffCompositeTypes([{ schema: 'public', name: 'address', attributes: [{ name: 'street', type: 'text' }] }], [])
 * // [{ kind: 'create_composite_type', type: { schema: 'public', name: 'address', ... } }]
 */
export function diffCompositeTypes(desired: readonly CompositeType[], live: readonly CompositeType[]): Change[] {
  const key = (t: CompositeType): string => nameKey(t.schema, t.name);
  const matching = matchObjects(desired, live, {
    desired: key,
    live: key,
    previous: (t) => (t.renamedFrom === undefined ? undefined : nameKey(t.schema, t.renamedFrom)),
  });
  const changes: Change[] = [];
  for (const type of matching.added) changes.push({ kind: 'create_composite_type', type }, ...createdComments(type));
  for (const { desired: to, live: from, renamed } of matching.pairs) {
    const actions = attributeActions(to, from);
    if (actions === undefined) {
      changes.push({ kind: 'drop_composite_type', type: from }, { kind: 'create_composite_type', type: to }, ...createdComments(to));
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_composite_type', from: qualifiedName(from), to });
    if (actions.length > 0) changes.push({ kind: 'alter_composite_type', from, to, actions });
    changes.push(...diffComment(typeTarget(to), to.comment, from.comment));
    const liveByName = new Map(from.attributes.map((a) => [a.name, a]));
    for (const a of to.attributes) {
      const was = liveByName.get(a.name) ?? (a.renamedFrom !== undefined ? liveByName.get(a.renamedFrom) : undefined);
      const kept = actions.some((x) => x.action === 'add' && x.attribute.name === a.name) ? undefined : was;
      changes.push(...diffComment(attributeTarget(to, a.name), a.comment, kept?.comment));
    }
  }
  for (const type of matching.removed) changes.push({ kind: 'drop_composite_type', type });
  return changes;
}

/**
 * The in-place attribute changes that turn `live` into `desired`, in the order they run
 * (renames, drops, retypes, adds), or undefined when the kept attributes change order or a
 * new one comes before a kept one (ALTER TYPE only adds at the end).
 */
function attributeActions(desired: CompositeType, live: CompositeType): AttributeAction[] | undefined {
  const matching = matchObjects(desired.attributes, live.attributes, {
    desired: (a) => a.name,
    live: (a) => a.name,
    previous: (a) => a.renamedFrom,
  });
  const liveIndex = new Map(live.attributes.map((a, i) => [a.name, i]));
  const pairOf = new Map(matching.pairs.map((p) => [p.desired, p]));
  let lastLive = -1;
  let addedSeen = false;
  for (const a of desired.attributes) {
    const pair = pairOf.get(a);
    if (pair === undefined) {
      addedSeen = true;
      continue;
    }
    const at = liveIndex.get(pair.live.name) ?? -1;
    if (addedSeen || at < lastLive) return undefined;
    lastLive = at;
  }
  const actions: AttributeAction[] = [];
  for (const p of matching.pairs) if (p.renamed) actions.push({ action: 'rename', from: p.live.name, to: p.desired.name });
  for (const a of matching.removed) actions.push({ action: 'drop', attribute: a });
  for (const p of matching.pairs)
    if (!sameAttributeType(p.desired, p.live)) actions.push({ action: 'retype', from: p.live, to: p.desired });
  for (const a of matching.added) actions.push({ action: 'add', attribute: a });
  return actions;
}
