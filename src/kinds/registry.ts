/**
 * The one list of object kinds. Every stage that handles changes walks it: the diff (each kind's
 * `diff`), the plan's step handlers, a step's target, the diff's order, drift and pending reports,
 * the phases and the ordering rules of src/plan/order.ts. `Change` (src/diff/changes.ts), the
 * graph key kinds and their lock weights, the step and report words derive from it.
 *
 * The order is the order creates run in when nothing else decides (and drops run in reverse).
 */
import { afterAttach } from './table/partition-members.js';
import type { Change, ChangeKind } from '../diff/changes.js';
import type { DriftRawItem } from '../drift/items.js';
import type { ObjectRef } from '../model/object-ref.js';
import type { SchemaModel } from '../model/types.js';
import type { PlanContext } from '../plan/plan-context.js';
import { key } from '../plan/references.js';
import type { StepDraft } from '../plan/step-draft.js';
import { aggregateKind } from './aggregate/index.js';
import { collationKind } from './collation/index.js';
import { columnKind } from './column/index.js';
import { commentKind } from './comment/index.js';
import { COMMENT_ON, type CommentOn } from './comment/on.js';
import { compositeTypeKind } from './composite-type/index.js';
import { constraintKind } from './constraint/index.js';
import { domainKind } from './domain/index.js';
import { enumKind } from './enum/index.js';
import { extensionKind } from './extension/index.js';
import { functionKind } from './function/index.js';
import { grantKind } from './grant/index.js';
import { rangeTypeKind } from './range-type/index.js';
import { roleKind } from './role/index.js';
import { indexKind } from './index/index.js';
import type { ChangeHandling, KindModel, KindRefs, ObjectKind } from './kind.js';
import { schemaKind } from './schema/index.js';
import { sequenceKind } from './sequence/index.js';
import { tableKind } from './table/index.js';
import { triggerKind } from './trigger/index.js';
import { policyKind } from './policy/index.js';
import { viewKind } from './view/index.js';

export const KINDS = [
  roleKind,
  extensionKind,
  schemaKind,
  enumKind,
  collationKind,
  rangeTypeKind,
  compositeTypeKind,
  domainKind,
  sequenceKind,
  functionKind,
  aggregateKind,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  triggerKind,
  policyKind,
  viewKind,
  commentKind,
  grantKind,
] as const;

type RefsOf<T> = T extends ObjectKind<infer _C, infer _M, infer R> ? R : never;

/**
 * The registered kinds' names (each kind's `ObjectKind<C, M, R, 'name'>`). Compiles only while
 * every kind states its name: one left at the default would make it `string`.
 */
export type KindName = (typeof KINDS)[number]['name'];
const everyKindNamed: string extends KindName ? never : true = true;
void everyKindNamed;
type Refs = RefsOf<(typeof KINDS)[number]>;
type Distributed<R> = R extends KindRefs ? keyof R['refKinds'] : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The kinds of graph key the registered kinds declare (src/model/object-ref.ts `RefKind`). */
export type RefKind = Distributed<Refs>;

/** The words steps name their objects with, the registered kinds' (src/plan/step-draft.ts). */
export type StepObjectKind = Refs['words'][number];

/** The words drift and pending reports name objects with, the registered kinds' (src/drift/items.ts). */
export type ReportObjectKind = Refs['reports'][number];

/** Every registered kind's key functions, as one object's type (src/plan/references.ts `key`). */
export type KeyFunctions = Intersection<Refs['keys']>;

/** Every kind, as the stages walk them. */
export type AnyKind = ObjectKind<Change, KindModel, KindRefs, KindName>;

const ALL = KINDS as unknown as readonly AnyKind[];

// src/plan/references.ts `key`: every kind's key functions (a name two kinds use throws).
for (const kind of ALL)
  for (const [name, fn] of Object.entries(kind.refs.keys)) {
    if (name in key) throw new Error(`key function ${name} is declared by two kinds`);
    Object.assign(key, { [name]: fn });
  }

// src/kinds/comment/on.ts: the kinds' `commentOn` hooks.
for (const kind of ALL) if (kind.commentOn !== undefined) COMMENT_ON.set(kind.name, kind.commentOn as CommentOn);

interface Entry {
  readonly kind: AnyKind;
  readonly handling: ChangeHandling;
  readonly rank: number;
}

const BY_CHANGE: ReadonlyMap<ChangeKind, Entry> = (() => {
  const map = new Map<ChangeKind, Entry>();
  let rank = 0;
  const add = (kind: AnyKind, change: ChangeKind): void => {
    if (map.has(change)) throw new Error(`change kind ${change} is handled by two kinds`);
    map.set(change, { kind, handling: kind.changes[change] as unknown as ChangeHandling, rank: rank++ });
  };
  for (const kind of ALL)
    for (const change of Object.keys(kind.changes) as ChangeKind[]) if (!kind.drops.includes(change)) add(kind, change);
  for (const kind of [...ALL].reverse()) for (const change of kind.drops) add(kind, change);
  return map;
})();

/** Each declared graph key kind with its kind; a key kind two kinds declare throws. */
function byRefKind(): ReadonlyMap<string, { readonly kind: AnyKind; readonly locks: number }> {
  const map = new Map<string, { kind: AnyKind; locks: number }>();
  for (const kind of ALL)
    for (const [refKind, { locks }] of Object.entries(kind.refs.refKinds)) {
      if (map.has(refKind)) throw new Error(`graph key kind ${refKind} is declared by two kinds`);
      map.set(refKind, { kind, locks });
    }
  return map;
}

const BY_REF_KIND = byRefKind();

/** Every graph key kind (src/model/object-ref.ts `RefKind`), in registry order. */
export const REF_KINDS: readonly RefKind[] = [...BY_REF_KIND.keys()] as RefKind[];

/** The locks one object of each graph key kind costs a transaction (src/plan/lock-budget.ts). */
export const REF_LOCKS: Readonly<Record<RefKind, number>> = Object.fromEntries(
  [...BY_REF_KIND].map(([refKind, { locks }]) => [refKind, locks]),
) as Record<RefKind, number>;

function entry(kind: ChangeKind): Entry {
  const found = BY_CHANGE.get(kind);
  if (found === undefined) throw new Error(`no object kind handles the change kind ${kind}`);
  return found;
}

const handling = (change: Change): ChangeHandling => entry(change.kind).handling;

/** The kind a change kind belongs to. */
export function kindOfChange(change: ChangeKind): AnyKind {
  return entry(change).kind;
}

/** The plan steps of a change, from its kind. */
export function changeSteps(change: Change, ctx: PlanContext): StepDraft[] {
  return afterAttach(change, ctx, handling(change).steps(change, ctx));
}

/**
 * The object each step of a change acts on.
 *
 * @example changeTarget({ kind: 'add_column', table: { schema: 'public', name: 'users' }, column })
 * // { kind: 'column', schema: 'public', name: 'users', sub: 'email' }
 */
export function changeTarget(change: Change): ObjectRef {
  return handling(change).target(change);
}

/**
 * The name a change sorts by within its change kind.
 *
 * @example changeObjectKey({ kind: 'drop_index', table: { schema: 'public', name: 't' }, index })  // 'public\0t\0<index name>'
 */
export function changeObjectKey(change: Change): string {
  return handling(change).sortKey(change);
}

/** The position of a change kind in the diff's order: creates by registry order, then drops in reverse. */
export function changeRank(kind: ChangeKind): number {
  return entry(kind).rank;
}

/** A change as report items. */
export function describeChange(change: Change, from: SchemaModel): DriftRawItem[] {
  return handling(change).describe(change, from);
}

/** The change gives an existing object a new name (see `ChangeHandling.renames`). */
export function isRename(kind: ChangeKind): boolean {
  return entry(kind).handling.renames === true;
}

/** The kind whose objects a step names with this word (`primary key` → constraint); a word two kinds use throws. */
const STEP_WORD_KIND: ReadonlyMap<string, AnyKind> = (() => {
  const map = new Map<string, AnyKind>();
  for (const kind of ALL)
    for (const word of kind.refs.words) {
      if (map.has(word)) throw new Error(`step word ${word} is used by two kinds`);
      map.set(word, kind);
    }
  return map;
})();

/** Every word a step names its object with (a plan file's `object_kind`), in registry order. */
export const STEP_OBJECT_KINDS: readonly StepObjectKind[] = [...STEP_WORD_KIND.keys()] as StepObjectKind[];

/** The kind of the object a step acts on. */
export function kindOfStep(step: Pick<StepDraft, 'objectKind'>): AnyKind {
  return STEP_WORD_KIND.get(step.objectKind)!;
}
