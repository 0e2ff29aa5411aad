/**
 * The closed set of changes the diff produces. Each is plain data naming the object and
 * carrying the before/after model objects it needs; turning a change into SQL, hazards and
 * ordering is the plan's job (src/plan/), never the diff's.
 *
 * Each kind declares its changes in `src/kinds/<kind>/changes.ts` and names them in its
 * `ObjectKind`; `Change` is the union of the registered kinds' (a type only: no module is loaded).
 */
import type { ObjectKind } from '../kinds/kind.js';
import type { KINDS } from '../kinds/registry.js';

export type { ColumnAttribute } from '../kinds/column/changes.js';
export type { CommentTarget } from '../kinds/comment/changes.js';
export type { ConstraintKind } from '../kinds/constraint/changes.js';

type ChangesOf<T> = T extends ObjectKind<infer C, infer _M, infer _R> ? C : never;

/** Every change of every kind the registry lists. */
export type Change = ChangesOf<(typeof KINDS)[number]>;
export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;
