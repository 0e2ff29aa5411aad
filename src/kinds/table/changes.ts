/**
 * The changes of tables: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { QualifiedName, Table } from '../../model/types.js';

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
    };
