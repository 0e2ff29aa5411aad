/**
 * The changes of composite types: plain data naming the object, with the model objects the plan
 * needs. src/diff/changes.ts joins every kind's into `Change`. Attributes are added at the end,
 * dropped, renamed and retyped in place (ALTER TYPE); a type whose attribute order cannot be
 * reached so is dropped and created.
 */
import type { QualifiedName } from '../../model/types.js';
import type { CompositeAttribute, CompositeType } from './model.js';

/** One in-place change of an attribute (ALTER TYPE). */
export type AttributeAction =
  | { readonly action: 'add'; readonly attribute: CompositeAttribute }
  | { readonly action: 'drop'; readonly attribute: CompositeAttribute }
  | { readonly action: 'rename'; readonly from: string; readonly to: string }
  | { readonly action: 'retype'; readonly from: CompositeAttribute; readonly to: CompositeAttribute };

export type CompositeTypeChange =
  | { readonly kind: 'create_composite_type'; readonly type: CompositeType }
  | { readonly kind: 'rename_composite_type'; readonly from: QualifiedName; readonly to: CompositeType }
  | {
      readonly kind: 'alter_composite_type';
      readonly from: CompositeType;
      readonly to: CompositeType;
      readonly actions: readonly AttributeAction[];
    }
  | { readonly kind: 'drop_composite_type'; readonly type: CompositeType };
