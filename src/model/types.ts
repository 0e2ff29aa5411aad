/**
 * The schema model: one set of readonly types that both the desired state (schema.yaml)
 * and the live database (introspection) load into. Everything in here is plain data,
 * JSON-serialisable, and in canonical form:
 *
 * - identifiers are stored raw (as PostgreSQL stores them, case preserved, unquoted);
 * - type names are canonical (see `canonicalType` in ./type-names.ts), i.e. the text
 *   PostgreSQL's `format_type()` prints with `search_path = public, pg_catalog`;
 * - SQL expressions (defaults, checks, predicates, WHEN) are kept as SQL text; they are
 *   compared through `sameExpression` (./expression.ts), never as strings;
 * - lists whose order carries no meaning are sorted by name (see ./normalize.ts).
 *
 * Both sides of a diff are `SchemaModel`s; the diff never sees YAML or catalog rows.
 *
 * Each kind's types live in its folder (src/kinds/<kind>/model.ts) and are re-exported here, so
 * the rest of the tree imports them from this module. `SchemaModel` follows from the registry:
 * one list per kind whose model part is a `ModelList` (src/kinds/kind.ts).
 */
import type { KINDS } from '../kinds/registry.js';
import type { ModelList } from '../kinds/kind.js';
import type { DataChange } from '../data-changes/model.js';

export type { Extension } from '../kinds/extension/model.js';
export type { SchemaDef } from '../kinds/schema/model.js';
export type { EnumType } from '../kinds/enum/model.js';
export type { Sequence } from '../kinds/sequence/model.js';
export type { CompositeAttribute, CompositeType } from '../kinds/composite-type/model.js';
export type { RangeType } from '../kinds/range-type/model.js';
export type { ArgMode, FunctionArg, FunctionDef, ParallelSafety, Security, Volatility } from '../kinds/function/model.js';
export type { Partition, ReplicaIdentity, Table, TableStats } from '../kinds/table/model.js';
export type { Column, ColumnCompression, ColumnStorage, Identity, IdentityKind } from '../kinds/column/model.js';
export type {
  CheckConstraint,
  Deferral,
  ExclusionConstraint,
  ExclusionElement,
  FkAction,
  FkMatch,
  ForeignKey,
  PrimaryKey,
  UniqueConstraint,
} from '../kinds/constraint/model.js';
export type { Index, IndexKey, NullsOrder, SortOrder } from '../kinds/index/model.js';
export type { Trigger, TriggerEnabled, TriggerEvent, TriggerLevel, TriggerTiming } from '../kinds/trigger/model.js';
export type { View, ViewColumn } from '../kinds/view/model.js';
export { emptyModel } from '../kinds/models.js';

/** A schema-qualified name. `schema` is always set in the model. */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

/** The registry's lists: the model parts of the top-level kinds. */
type ModelLists = Extract<(typeof KINDS)[number]['model'], { readonly property: string }>;
type ItemOf<L> = L extends ModelList<string, infer T> ? T : never;

/**
 * The whole managed schema: for each top-level kind in the registry, its list under the property
 * its `model` names (`extensions`, `schemas`, `enums`, `sequences`, `functions`, `tables`).
 * Lists are sorted (see normalizeModel).
 */
export type SchemaModel = { readonly [L in ModelLists as L['property']]: readonly ItemOf<L>[] };

/** Tables outside the file that FKs may reference (declared `external` in the file). */
export interface ExternalTable extends QualifiedName {
  readonly columns?: readonly string[];
}

/**
 * The desired state: the model plus what the file says about managing it.
 */
export interface DesiredState {
  readonly model: SchemaModel;
  /** Glob patterns (`schema.name`, `*` and `?`) of objects left unmanaged. */
  readonly ignore: readonly string[];
  readonly external: readonly ExternalTable[];
  /**
   * Types managed outside the file (`external_types`: domains, composite and range types) that
   * columns and functions may use: a plan checks they exist and never touches them.
   */
  readonly externalTypes?: readonly QualifiedName[];
  /** One-time data changes (`data_changes:`, src/data-changes/): run once per database, between the schema steps they name. */
  readonly dataChanges?: readonly DataChange[];
  /** The file's path and sha256 of its canonical content. */
  readonly source?: { readonly path: string; readonly hash: string };
}
