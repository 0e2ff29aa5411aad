/**
 * The one list of object kinds. Every stage that handles changes walks it: the plan's step
 * handlers, a step's target, the diff's order, drift and pending reports, the phases and the
 * ordering rules of src/plan/order.ts. A change kind that no kind handles fails to compile.
 *
 * The order is the order creates run in when nothing else decides (and drops run in reverse).
 */
import type { Change, ChangeKind, ChangeOf } from '../diff/changes.js';
import type { DriftRawItem } from '../drift/items.js';
import type { ObjectRef } from '../model/object-ref.js';
import type { SchemaModel } from '../model/types.js';
import type { PlanContext } from '../plan/plan-context.js';
import type { StepDraft, StepObjectKind } from '../plan/step-draft.js';
import { columnKind } from './column/index.js';
import { commentKind } from './comment/index.js';
import { constraintKind } from './constraint/index.js';
import { enumKind } from './enum/index.js';
import { extensionKind } from './extension/index.js';
import { functionKind } from './function/index.js';
import { indexKind } from './index/index.js';
import type { ChangeHandling, KindName, ObjectKind } from './kind.js';
import { schemaKind } from './schema/index.js';
import { sequenceKind } from './sequence/index.js';
import { tableKind } from './table/index.js';
import { triggerKind } from './trigger/index.js';

export const KINDS = [
  extensionKind,
  schemaKind,
  enumKind,
  sequenceKind,
  functionKind,
  tableKind,
  columnKind,
  constraintKind,
  indexKind,
  triggerKind,
  commentKind,
] as const;

type ChangesOf<T> = T extends ObjectKind<infer C> ? C : never;
type Handled = ChangesOf<(typeof KINDS)[number]>;
/** Compiles only while every change kind has a kind that handles it. */
const everyChangeHandled: [ChangeKind] extends [Handled] ? true : never = true;
void everyChangeHandled;

interface Entry {
  readonly kind: ObjectKind<ChangeKind>;
  readonly handling: ChangeHandling<ChangeKind>;
  readonly rank: number;
}

const BY_CHANGE: ReadonlyMap<ChangeKind, Entry> = (() => {
  const all = KINDS as unknown as readonly ObjectKind<ChangeKind>[];
  const map = new Map<ChangeKind, Entry>();
  let rank = 0;
  const add = (kind: ObjectKind<ChangeKind>, change: ChangeKind): void => {
    if (map.has(change)) throw new Error(`change kind ${change} is handled by two kinds`);
    map.set(change, { kind, handling: kind.changes[change] as unknown as ChangeHandling<ChangeKind>, rank: rank++ });
  };
  for (const kind of all)
    for (const change of Object.keys(kind.changes) as ChangeKind[]) if (!kind.drops.includes(change)) add(kind, change);
  for (const kind of [...all].reverse()) for (const change of kind.drops) add(kind, change);
  return map;
})();

function entry(kind: ChangeKind): Entry {
  const found = BY_CHANGE.get(kind);
  if (found === undefined) throw new Error(`no object kind handles the change kind ${kind}`);
  return found;
}

const handling = <K extends ChangeKind>(change: ChangeOf<K>): ChangeHandling<K> =>
  entry(change.kind).handling as unknown as ChangeHandling<K>;

/** The kind a change kind belongs to. */
export function kindOfChange(change: ChangeKind): ObjectKind<ChangeKind> {
  return entry(change).kind;
}

/** The plan steps of a change, from its kind. */
export function changeSteps(change: Change, ctx: PlanContext): StepDraft[] {
  return handling(change).steps(change, ctx);
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

/** The kind whose objects a step names with this word (`primary key` → constraint). */
const STEP_WORD_KIND: Readonly<Record<StepObjectKind, KindName>> = {
  extension: 'extension',
  schema: 'schema',
  enum: 'enum',
  sequence: 'sequence',
  function: 'function',
  table: 'table',
  column: 'column',
  columns: 'column',
  'primary key': 'constraint',
  unique: 'constraint',
  check: 'constraint',
  'foreign key': 'constraint',
  constraint: 'constraint',
  index: 'index',
  trigger: 'trigger',
};

const BY_NAME: ReadonlyMap<KindName, ObjectKind<ChangeKind>> = new Map(
  (KINDS as unknown as readonly ObjectKind<ChangeKind>[]).map((k) => [k.name, k]),
);

/** The kind of the object a step acts on. */
export function kindOfStep(step: Pick<StepDraft, 'objectKind'>): ObjectKind<ChangeKind> {
  return BY_NAME.get(STEP_WORD_KIND[step.objectKind])!;
}
