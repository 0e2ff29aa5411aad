/**
 * What an object kind is made of: the `ObjectKind` interface every folder under src/kinds/
 * implements, so that a missing piece is a compile error (docs/architecture.md, "Object kinds").
 *
 * A kind owns its change kinds (src/diff/changes.ts): for each one, the plan steps it becomes,
 * the object a step of it acts on, the name it sorts by, and how drift and pending reports tell
 * it. It declares its phase (the tie-break among steps free to run: creates early, drops late),
 * and the ordering it needs beyond the keys its steps create and require.
 */
import type { Checker, DocumentScope, SchemaScope, TableScope } from '../desired/check-helpers.js';
import type { Change } from '../diff/changes.js';
import type { KindDiff } from '../diff/kind-diff.js';
import type { DriftRawItem } from '../drift/items.js';
import type { KindIntrospect } from '../introspect/model-draft.js';
import type { UnmanagedKind } from '../introspect/unmanaged.js';
import type { ObjectRef } from '../model/object-ref.js';
import type { SchemaModel, Table } from '../model/types.js';
import type { PlanContext } from '../plan/plan-context.js';
import type { PullContext } from '../pull/writer-context.js';
import type { YamlNode } from '../pull/yaml-writer.js';
import type { StepDraft } from '../plan/step-draft.js';
import type { KindRaw } from './raw.js';
import type { CommentTargets } from './comment/changes.js';
import type { CommentOn } from './comment/on.js';
import type { KindName } from './registry.js';

/** The kinds' names, one folder each under src/kinds/: the registry's (src/kinds/registry.ts). */
export type { KindName } from './registry.js';

/** A change: plain data whose `kind` names its change kind (each kind's in `./<kind>/changes.ts`). */
export interface AnyChange {
  readonly kind: string;
}

/** How one change kind (the change type `C`) becomes steps, names its object, sorts, and is reported. */
export interface ChangeHandling<C extends AnyChange = Change> {
  /** The plan steps of one change (their keys say what they create, drop and require). */
  readonly steps: (change: C, ctx: PlanContext) => StepDraft[];
  /** The object every step of the change acts on: a plan step's `target`. */
  readonly target: (change: C) => ObjectRef;
  /** The name the change sorts by among changes of its kind (the diff's deterministic order). */
  readonly sortKey: (change: C) => string;
  /** The change as report items (drift, pending), before = the diff's live side. */
  readonly describe: (change: C, from: SchemaModel) => DriftRawItem[];
  /**
   * The change gives an existing object a new name: the keys it creates are that object under
   * its new name, not a re-creation, so they need not wait for a drop of the same key.
   */
  readonly renames?: true;
}

/**
 * Priorities among steps free to run (lower first), one pair per kind: `create` for the steps
 * that create or alter an object of the kind, `drop` for those that drop one. The graph's edges
 * always win (docs/architecture.md rule 2).
 */
export interface KindPhase {
  readonly create: number;
  readonly drop: number;
}

/**
 * A kind: `C` its changes (`./<kind>/changes.ts`, joined into `Change` by src/diff/changes.ts),
 * `M` its part of the model (`./<kind>/model.ts`), `R` what names its objects (`./<kind>/refs.ts`),
 * `N` its name (`KindName` is the registered kinds' `N`s).
 */
export interface ObjectKind<
  C extends AnyChange,
  M extends KindModel = KindModel,
  R extends KindRefs = KindRefs,
  N extends string = string,
> {
  readonly name: N;
  /** Its part of the format's JSON Schema (`./<kind>/format-schema.ts`). */
  readonly format: KindFormat;
  /** Its part of the model (`./<kind>/model.ts`): where its objects sit, their order, their fingerprint form. */
  readonly model: M;
  /** What names its objects: graph key kinds and lock weights, step words, keys (`./<kind>/refs.ts`). */
  readonly refs: R;
  /** Its diff (`./<kind>/diff.ts`): of the whole models, of one table, or by the objects it is on. */
  readonly diff: KindDiff;
  /** How its objects are read from a checked document into the model (`./<kind>/raw.ts`). */
  readonly raw: KindRaw;
  /** Its semantic checks of the desired file (`./<kind>/checks.ts`); `[]` when it has none. */
  readonly checks: readonly KindCheck[];
  /** Its catalog queries and its rows → model (`./<kind>/introspect.ts`, src/introspect/model-draft.ts). */
  readonly introspect: KindIntrospect;
  /** Its part of the file `pull` writes (`./<kind>/pull.ts`): the entries it writes and where they sit. */
  readonly pull: readonly PullPlacement[];
  readonly phase: KindPhase;
  /**
   * The kind's change kinds, in the order the diff emits them among creates and alterations;
   * the diff puts every kind's creates in registry order and drops in reverse registry order.
   */
  readonly changes: { readonly [K in C['kind']]: ChangeHandling<Extract<C, { readonly kind: K }>> };
  /** The change kinds of `changes` that drop an object (they sort after every create). */
  readonly drops: readonly C['kind'][];
  /** How comments are put on its objects (`./<kind>/comment-on.ts`), when they take comments. */
  readonly commentOn?: N extends keyof CommentTargets ? CommentOn<N> : never;
  /**
   * Objects of this kind can provide what any other object uses (an extension's types and
   * functions): its creates run before every other create or alteration, and its drops after
   * every other drop, except for the kinds named here (what it lives in).
   */
  readonly enclosesAllExcept?: readonly KindName[];
  /** The rows of the unmanaged-objects query (src/introspect/unmanaged.ts) this kind manages: no longer reported as unmanaged. */
  readonly covers?: readonly UnmanagedKind[];
}

/**
 * A kind's part of the model (src/model/types.ts): a list of the model (`ModelList`), a part of
 * another kind's objects (`ModelMember`: a table's columns), or an attribute of every object
 * (`ModelAttribute`: comments). The hooks are methods on purpose: method parameters are
 * bivariant, so a kind's `ModelList<'tables', Table>` is a `KindModel`.
 */
export type KindModel = ModelList<string, unknown> | ModelMember<unknown> | ModelAttribute;

/**
 * A top-level kind: its objects are the list `SchemaModel[property]` of `T`s. `SchemaModel` and
 * `emptyModel` follow from the registry's lists; normalizeModel, fingerprintModel and
 * objectFingerprints walk them.
 */
export interface ModelList<P extends string, T> {
  readonly property: P;
  /**
   * Its objects live in a schema (`schema`, `name`): `ignore` globs leave them out of the diff
   * (src/diff/index.ts `managedModel`), and the schemas they name are implied or kept.
   */
  readonly inSchemas: boolean;
  /**
   * Whether an empty list is part of the model's fingerprints (`fingerprintModel`,
   * `liveFingerprint`): `'kept'` for the lists fingerprints were first recorded with, `'left out'`
   * for every list added since (collations on), so that the fingerprints plan files and ledger
   * rows recorded before it still match a model that has none of its objects.
   */
  readonly emptyInFingerprint: 'kept' | 'left out';
  /** The list in its canonical order (normalizeModel); its members' `normalize` run after. */
  normalize(items: readonly T[]): readonly T[];
  /**
   * An object as fingerprintModel reads it: desired-only and live-only attributes left out,
   * expressions in their canonical form. Its members' `form` replace their properties.
   */
  form(item: T): object;
  /** Its key among objectFingerprints (`table public.users`). */
  label(item: T): string;
  /**
   * Whether a live object counts in the live fingerprints (`liveFingerprint`,
   * `objectFingerprints`); absent, every one does. A kind that reads a live object for every
   * object of another kind (owners and privileges) leaves out those that say nothing beyond
   * PostgreSQL's defaults, so that fingerprints recorded before it still match.
   */
  inLiveFingerprint?(item: T): boolean;
}

/** A kind whose objects are properties of another kind's objects (`within`: a table's columns). */
export interface ModelMember<T> {
  readonly within: KindName;
  /** The container with this kind's lists in their canonical order (after the container's own). */
  normalize(container: T): T;
  /** This kind's properties of the container's fingerprint form (they replace the container's own). */
  form(container: T): object;
}

/** A kind whose objects are one attribute of every other object (`comment`): nothing to sort or form. */
export interface ModelAttribute {
  readonly attribute: string;
}

/**
 * One semantic check of the desired file, beyond the JSON Schema (src/desired/check-semantics.ts
 * runs them): once per document (`in: 'document'`), on each declared schema (`in: 'schema'`), or
 * on each declared table (`in: 'table'`). At each level the kinds' checks run in registry order:
 * a schema's when the schema kind's check reaches it, a table's when the table kind's check has
 * registered the table's names. A `late` table check runs after every other check of the same
 * table, so that in the namespaces they share the names it registers yield to theirs. Reports may
 * come in any order (they are sorted); only the order of registrations decides which of two
 * objects of one name is reported.
 */
export type KindCheck =
  | { readonly in: 'document'; readonly check: (c: Checker, at: DocumentScope) => void }
  | { readonly in: 'schema'; readonly check: (c: Checker, at: SchemaScope) => void }
  | { readonly in: 'table'; readonly late?: true; readonly check: (c: Checker, at: TableScope) => void };

/**
 * What names a kind's objects (`./<kind>/refs.ts`): the kinds of graph key its objects have, the
 * words its steps and reports name them with, and the functions that build its keys. `RefKind`,
 * `StepObjectKind`, `DriftObjectKind`, the lock weights and src/plan/references.ts `key` are the
 * registered kinds' (src/kinds/registry.ts).
 */
export interface KindRefs {
  /**
   * The kinds of graph key (`RefKind`, src/model/object-ref.ts) that name its objects or what
   * depends on them, each with the locks one such object costs a transaction
   * (src/plan/lock-budget.ts; 0 for what locks its table, counted already).
   */
  readonly refKinds: { readonly [refKind: string]: { readonly locks: number } };
  /** The words its steps name their objects with (`StepObjectKind`: a step's summary and header). */
  readonly words: readonly string[];
  /** The words drift and pending reports name its objects with (`DriftObjectKind`, src/drift/items.ts). */
  readonly reports: readonly string[];
  /** The graph key of each of its objects, by what it is called in src/plan/references.ts `key`. */
  readonly keys: { readonly [name: string]: (...args: never[]) => string };
}

/** A JSON Schema (draft-07) node, as plain JSON. */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * Where a kind's map sits in the format: as the property `property` of the document
 * (`in: 'document'`) or of another kind's definition (`in: 'schema'`, `in: 'table'`), inserted
 * before the container's property `before` when given, else after the container's own.
 */
export interface FormatPlacement {
  readonly in: string;
  readonly property: string;
  readonly schema: JsonSchema;
  readonly before?: string;
}

/**
 * A kind's part of the format's JSON Schema: its definitions and where they sit. The schema file
 * (schema/pgreconcile.schema.json) is assembled from the kinds' parts (src/kinds/format-schema.ts,
 * `npm run schema`), never written by hand.
 */
export interface KindFormat {
  readonly placements: readonly FormatPlacement[];
  readonly definitions: { readonly [name: string]: JsonSchema };
}

/** One entry of a map the pull writer writes: its key and node (left out when undefined). */
export type PullEntry = readonly [string, YamlNode | undefined];

/**
 * The maps of the written file that kinds write entries into, with what a kind's writer is given
 * besides the writer context: the document, one schema's map (by its name), one table's map.
 */
export interface PullContainers {
  readonly document: readonly [];
  readonly schema: readonly [schema: string];
  readonly table: readonly [table: Table];
}

/**
 * Where a kind's entries sit in the written file: in the container `in`, after the container's
 * own entries and those of the kinds before it in the registry, or before the entry `before`
 * when given (which must be there). The writers run in registry order, whatever their place.
 */
export type PullPlacement = {
  readonly [I in keyof PullContainers]: {
    readonly in: I;
    readonly before?: string;
    readonly entries: (ctx: PullContext, ...at: PullContainers[I]) => PullEntry[];
  };
}[keyof PullContainers];
