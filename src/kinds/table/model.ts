/**
 * Tables in the model: the type, their order, their fingerprint form. A table's columns,
 * constraints, indexes and triggers are their kinds' (`ModelMember`s within 'table'): those
 * kinds' hooks sort and form them.
 */
import { byName, compareQualified, expressionForm, withoutRenamedFrom } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { CheckConstraint, ForeignKey, Index, QualifiedName, UniqueConstraint } from '../../model/types.js';
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
 * when sub-partitioned. Its columns, and the indexes, constraints and row triggers declared on its
 * parent, are its parent's (PostgreSQL propagates them: never in the model per partition). It may
 * hold indexes and constraints of its own, created on it alone (./partition-members.ts): each list
 * absent when empty, so that a partition without them keeps the fingerprint it had before them.
 */
export interface Partition {
  readonly name: string;
  readonly bound: string;
  readonly partitionBy?: string;
  readonly partitions?: readonly Partition[];
  readonly comment?: string;
  /** Its own indexes (not its parent's). */
  readonly indexes?: readonly Index[];
  /** Its own unique constraints. */
  readonly uniques?: readonly UniqueConstraint[];
  /** Its own check constraints (not inherited from its parent). */
  readonly checks?: readonly CheckConstraint[];
  /** Its own foreign keys (not its parent's). */
  readonly foreignKeys?: readonly ForeignKey[];
}

/** Size of a table: reltuples (0 when never analysed) and pg_total_relation_size. */
export interface TableStats {
  readonly rows: number;
  readonly bytes: number;
}

/** A partition's own lists sorted by name, and left out when empty. */
function sortedMembers(p: Partition): Partition {
  const { indexes, uniques, checks, foreignKeys, ...rest } = p;
  return {
    ...rest,
    ...(indexes !== undefined && indexes.length > 0 ? { indexes: byName(indexes) } : {}),
    ...(uniques !== undefined && uniques.length > 0 ? { uniques: byName(uniques) } : {}),
    ...(checks !== undefined && checks.length > 0 ? { checks: byName(checks) } : {}),
    ...(foreignKeys !== undefined && foreignKeys.length > 0 ? { foreignKeys: byName(foreignKeys) } : {}),
  };
}

function sortPartitions(list: readonly Partition[]): Partition[] {
  return [...list]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(sortedMembers)
    .map((p) => (p.partitions === undefined ? p : { ...p, partitions: sortPartitions(p.partitions) }));
}

/** A partition's fingerprint form: its own indexes and constraints as a table's are formed (no renames, expressions in their form). */
function partitionForm(p: Partition): Partition {
  const { indexes, uniques, checks, foreignKeys, partitions, ...rest } = p;
  return {
    ...rest,
    ...(partitions !== undefined ? { partitions: partitions.map(partitionForm) } : {}),
    ...(indexes !== undefined
      ? {
          indexes: indexes.map(({ renamedFrom: _renamed, ...i }) => ({
            ...i,
            keys: i.keys.map((k) => ({ ...k, expression: expressionForm(k.expression) })),
            where: expressionForm(i.where),
          })),
        }
      : {}),
    ...(uniques !== undefined ? { uniques: uniques.map(withoutRenamedFrom) } : {}),
    ...(checks !== undefined
      ? { checks: checks.map((c) => ({ ...withoutRenamedFrom(c), expression: expressionForm(c.expression) })) }
      : {}),
    ...(foreignKeys !== undefined ? { foreignKeys: foreignKeys.map(withoutRenamedFrom) } : {}),
  } as Partition;
}

function sortedPartitions(table: Table): Table {
  return table.partitions === undefined ? table : { ...table, partitions: sortPartitions(table.partitions) };
}

export const tableModel: ModelList<'tables', Table> = {
  property: 'tables',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  normalize: (tables) => [...tables].sort(compareQualified).map(sortedPartitions),
  form: ({ renamedFrom: _renamed, toastless: _toastless, ...rest }) =>
    rest.partitions === undefined ? rest : { ...rest, partitions: rest.partitions.map(partitionForm) },
  label: (t) => refLabel({ kind: 'table', schema: t.schema, name: t.name }),
};
