/**
 * The changes of columns (`table` is the desired table name after any rename): plain data naming
 * the object, with the before/after model objects the plan needs. src/diff/changes.ts joins every
 * kind's into `Change`.
 */
import type { Column, QualifiedName } from '../../model/types.js';

/** Which attributes of a column differ. */
export type ColumnAttribute =
  'type' | 'nullable' | 'default' | 'identity' | 'generated' | 'collation' | 'storage' | 'compression' | 'statistics';

export type ColumnChange =
  | { readonly kind: 'add_column'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'drop_column'; readonly table: QualifiedName; readonly column: Column }
  | { readonly kind: 'rename_column'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'alter_column';
      readonly table: QualifiedName;
      readonly from: Column;
      readonly to: Column;
      readonly attributes: readonly ColumnAttribute[];
    };
