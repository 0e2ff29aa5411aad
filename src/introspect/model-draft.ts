/**
 * The model while the kinds build it from catalog rows (src/introspect/model-builder.ts runs
 * every kind's `introspect.build`, then every `finish`, in registry order), and the hook a kind
 * implements (`ObjectKind.introspect`, src/kinds/kind.ts).
 */
import type { CheckConstraint, ForeignKey, Index, SchemaModel, TableStats, UniqueConstraint } from '../model/types.js';
import type { SequenceRow } from '../kinds/sequence/introspect.js';
import type { TableRow } from '../kinds/table/introspect.js';
import type { CatalogQuery, CatalogResults } from './catalog-query.js';

/**
 * How a kind is read from the catalog: its queries (run by the driver, ./index.ts) and its rows
 * → its part of the model. A kind whose objects come in another kind's rows (columns in the
 * tables query, comments in every query) has no queries of its own.
 */
export interface KindIntrospect {
  readonly queries: readonly CatalogQuery<unknown>[];
  /**
   * Its rows into the draft, in registry order: the schema kind decides what is managed before
   * the others filter by it, the table kind gathers the tables before their members join them.
   */
  readonly build: (rows: CatalogResults, draft: ModelDraft) => void;
  /** After every kind's `build`, in registry order: what needs the rows of kinds built after it. */
  readonly finish?: (rows: CatalogResults, draft: ModelDraft) => void;
}

/** The schema model with its lists open to `push`. */
export type OpenModel = { -readonly [K in keyof SchemaModel]: SchemaModel[K] extends readonly (infer T)[] ? T[] : SchemaModel[K] };

/**
 * A table's parts while its columns, constraints, indexes and triggers are gathered: its row
 * here, each kind under a table adds its lists from its `introspect.ts` (declaration merging).
 */
export interface TableParts {
  readonly row: TableRow;
}

/** A partition's own indexes and constraints while they are gathered (./partition-members.ts of the table kind). */
export interface PartitionParts {
  readonly indexes: Index[];
  readonly uniques: UniqueConstraint[];
  readonly checks: CheckConstraint[];
  readonly foreignKeys: ForeignKey[];
}

/** The partition's own parts, started on first use. */
export function partitionParts(draft: Pick<ModelDraft, 'partitionParts'>, oid: number): PartitionParts {
  let parts = draft.partitionParts.get(oid);
  if (parts === undefined) draft.partitionParts.set(oid, (parts = { indexes: [], uniques: [], checks: [], foreignKeys: [] }));
  return parts;
}

export interface ModelDraft {
  readonly ignore: readonly string[];
  /** The schemas kept (the schema kind's build); the kinds built after it filter by them. */
  readonly managedSchemas: Set<string>;
  /** The object `schema.name` is in a managed schema and not ignored. */
  managed(schema: string, name: string): boolean;
  /** The model, its lists in catalog order (not yet normalised): `emptyModel()` filled in by the kinds. */
  readonly model: OpenModel;
  /** Per table, keyed `nameKey(schema, name)`. */
  readonly stats: Map<string, TableStats>;
  /** The managed tables by oid, while their members join them (table kind: built, then assembled in its finish). */
  readonly tableParts: Map<number, TableParts>;
  /**
   * A partition's own indexes and constraints by the partition's oid (the index and constraint
   * kinds' builds), placed on the partitions of the managed tables by the table kind's finish.
   */
  readonly partitionParts: Map<number, PartitionParts>;
  /** Identity sequences by `columnKey(table oid, column)` (sequence kind), for their columns' options. */
  readonly identitySequences: Map<string, SequenceRow>;
}

/** `schema.name` for messages. */
export const label = (schema: string, name: string): string => `${schema}.${name}`;

/** `{ comment }` when the catalog has one, else `{}` (no `comment` key at all). */
export const comment = (text: string | undefined): { comment?: string } => (text === undefined ? {} : { comment: text });

/** A model object while it is being filled in (optional keys are only added when set). */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

/** The key of a table's column in `identitySequences`. */
export function columnKey(tableOid: number, column: string): string {
  return `${tableOid}\u0000${column}`;
}
