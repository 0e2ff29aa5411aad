/**
 * How a comment is put on the objects of one kind: the `commentOn` hook of each kind that takes
 * comments (`./<kind>/comment-on.ts`). The comment kind's handling of `set_comment` asks the hook
 * of the target's kind; src/kinds/registry.ts puts every kind's hook here when it loads (the
 * comment kind cannot import the registry: the registry imports it).
 */
import type { DriftObjectKind } from '../../drift/items.js';
import type { ObjectRef, RefKey } from '../../model/object-ref.js';
import type { SchemaModel } from '../../model/types.js';
import type { StepObjectKind } from '../../plan/step-draft.js';
import type { CommentTarget, CommentTargets } from './changes.js';

/** The target of a comment on an object of kind `K`. */
export type CommentTargetOf<K extends keyof CommentTargets> = Extract<CommentTarget, { readonly on: K }>;

/** A `COMMENT ON` step's object: its SQL (`TABLE "public"."users"`), names and the key it requires. */
export interface CommentOnSql {
  readonly sql: string;
  readonly object: string;
  readonly objectKind: StepObjectKind;
  readonly parent?: string;
  readonly requires: RefKey[];
}

/** A kind's `commentOn` hook (methods on purpose: bivariant, so each kind's is a `CommentOn`). */
export interface CommentOn<K extends keyof CommentTargets = keyof CommentTargets> {
  /** The object as drift and pending reports name it. */
  report(target: CommentTargetOf<K>): { object: string; of: DriftObjectKind };
  /** The comment the target carries in `model` (null when none or when the object is absent). */
  commentIn(model: SchemaModel, target: CommentTargetOf<K>): string | null;
  /** The object a comment is on, as a step's target. */
  ref(target: CommentTargetOf<K>): ObjectRef;
  /** What the comment sorts by: the object's kind and names, a table's members under the table. */
  sortKey(target: CommentTargetOf<K>): string;
  /** The step's object. */
  sql(target: CommentTargetOf<K>): CommentOnSql;
}

/** Every kind's hook by kind name (filled by src/kinds/registry.ts). */
export const COMMENT_ON = new Map<string, CommentOn>();

/** The hook of the kind a comment's target is on. */
export function commentOnOf(target: CommentTarget): CommentOn {
  const hook = COMMENT_ON.get(target.on);
  if (hook === undefined) throw new Error(`no kind takes comments on ${target.on}`);
  return hook;
}
