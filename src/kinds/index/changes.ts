/**
 * The changes of indexes: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { Index, QualifiedName } from '../../model/types.js';

export type IndexChange =
  | { readonly kind: 'create_index'; readonly table: QualifiedName; readonly index: Index; readonly tableIsNew: boolean }
  | { readonly kind: 'drop_index'; readonly table: QualifiedName; readonly index: Index }
  /** Same name, different definition: build under a temporary name, swap, never drop first. */
  | { readonly kind: 'replace_index'; readonly table: QualifiedName; readonly from: Index; readonly to: Index }
  | { readonly kind: 'rename_index'; readonly table: QualifiedName; readonly from: string; readonly to: string };
