/**
 * The changes of range types: plain data naming the object, with the model objects the plan
 * needs. src/diff/changes.ts joins every kind's into `Change`. ALTER TYPE renames a range type
 * (and its multirange type) but alters nothing else of it: any other change drops and creates it.
 */
import type { QualifiedName } from '../../model/types.js';
import type { RangeType } from './model.js';

export type RangeTypeChange =
  | { readonly kind: 'create_range_type'; readonly type: RangeType }
  | { readonly kind: 'rename_range_type'; readonly from: QualifiedName; readonly to: RangeType }
  /** The multirange type renamed (its live name → the desired or derived one). */
  | { readonly kind: 'rename_multirange_type'; readonly type: RangeType; readonly from: string; readonly to: string }
  | { readonly kind: 'drop_range_type'; readonly type: RangeType };
