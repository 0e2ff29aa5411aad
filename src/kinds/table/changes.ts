/**
 * The changes of tables: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { Partition, QualifiedName, Table } from '../../model/types.js';

/** A table's own options: persistence, storage parameters, replica identity. */
export type TableOptions = Pick<Table, 'unlogged' | 'with' | 'replicaIdentity'>;

/** Which options of a table differ. */
export type TableAttribute = 'unlogged' | 'with' | 'replica_identity';

export type TableChange =
  | { readonly kind: 'create_table'; readonly table: Table }
  | { readonly kind: 'drop_table'; readonly table: Table }
  | { readonly kind: 'rename_table'; readonly from: QualifiedName; readonly to: QualifiedName }
  | {
      readonly kind: 'alter_table';
      readonly table: QualifiedName;
      readonly from: TableOptions;
      readonly to: TableOptions;
      readonly attributes: readonly TableAttribute[];
      /** The storage parameters to SET (canonical values) and to RESET. */
      readonly set: Readonly<Record<string, string>>;
      readonly reset: readonly string[];
      /** A table this plan creates (only its replica identity is left to set, after its indexes). */
      readonly tableIsNew: boolean;
    }
  | PartitionChange;

/**
 * A partition added, dropped or given new bounds (./partition-steps.ts): `parent` is its immediate
 * parent, `partition` carries neither its partitions nor its comment (their own changes).
 */
export type PartitionChange =
  | {
      readonly kind: 'create_partition';
      readonly parent: QualifiedName;
      readonly partition: Partition;
      /** The parent is created by this plan: PARTITION OF; else created apart and attached online. */
      readonly parentIsNew: boolean;
      /** PostgreSQL's partition constraint of the new bounds (src/judge/partitions.ts), for the check added before ATTACH. */
      readonly check?: string;
      /** The live parent has a DEFAULT partition, which ATTACH scans under a lock. */
      readonly parentHasDefault: boolean;
    }
  | {
      readonly kind: 'drop_partition';
      readonly parent: QualifiedName;
      readonly partition: Partition;
      /** DETACH ... CONCURRENTLY (the parent has no DEFAULT partition) before the DROP. */
      readonly concurrently: boolean;
    }
  | {
      readonly kind: 'rebound_partition';
      readonly parent: QualifiedName;
      readonly from: Partition;
      readonly to: Partition;
    };
