/**
 * Tables in the model: the type, their order, their fingerprint form. A table's columns,
 * constraints, indexes and triggers are their kinds' (`ModelMember`s within 'table'): those
 * kinds' hooks sort and form them.
 */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

/** A table: its own properties here, each kind under a table adds its own from its `model.ts` (declaration merging). */
export interface Table extends QualifiedName {
  readonly comment?: string;
  /** The partition key as PostgreSQL prints it (`RANGE (created_at)`): a partitioned table (./partitions.ts). */
  readonly partitionBy?: string;
  /** The partitions declared under it (absent = none). */
  readonly partitions?: readonly Partition[];
  /** Desired side only: previous name, within the same schema. */
  readonly renamedFrom?: string;
  /** CREATE UNLOGGED TABLE (absent: a logged table). */
  readonly unlogged?: true;
  /** Storage parameters in canonical form (./options.ts), the TOAST table's as `toast.<name>` (absent: none). */
  readonly with?: Readonly<Record<string, string>>;
  /** REPLICA IDENTITY other than DEFAULT (absent: DEFAULT, the primary key). */
  readonly replicaIdentity?: ReplicaIdentity;
  /** Live side only: the table has no TOAST table, so PostgreSQL keeps none of its `toast.*` parameters. */
  readonly toastless?: true;
}

/** REPLICA IDENTITY FULL, NOTHING or USING INDEX (an index of the table: unique, not partial, over NOT NULL columns). */
export type ReplicaIdentity = 'full' | 'nothing' | { readonly index: string };

/**
 * A partition of a partitioned table (or of a partition that is partitioned itself), in its
 * parent's schema: its bounds as `FOR VALUES …` or `DEFAULT`, its own partition key and partitions
 * when sub-partitioned. Its columns, indexes, constraints and row triggers are its parent's.
 */
export interface Partition {
  readonly name: string;
  readonly bound: string;
  readonly partitionBy?: string;
  readonly partitions?: readonly Partition[];
  readonly comment?: string;
}

/** Size of a table: reltuples (0 when never analysed) and pg_total_relation_size. */
export interface TableStats {
  readonly rows: number;
  readonly bytes: number;
}

function sortPartitions(list: readonly Partition[]): Partition[] {
  return [...list]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => (p.partitions === undefined ? p : { ...p, partitions: sortPartitions(p.partitions) }));
}

function sortedPartitions(table: Table): Table {
  return table.partitions === undefined ? table : { ...table, partitions: sortPartitions(table.partitions) };
}

export const tableModel: ModelList<'tables', Table> = {
  property: 'tables',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  normalize: (tables) => [...tables].sort(compareQualified).map(sortedPartitions),
  form: ({ renamedFrom: _renamed, toastless: _toastless, ...rest }) => rest,
  label: (t) => refLabel({ kind: 'table', schema: t.schema, name: t.name }),
};
