/**
 * The changes of tables: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { QualifiedName, Table } from '../../model/types.js';

export type TableChange =
  | { readonly kind: 'create_table'; readonly table: Table }
  | { readonly kind: 'drop_table'; readonly table: Table }
  | { readonly kind: 'rename_table'; readonly from: QualifiedName; readonly to: QualifiedName };
