/**
 * The changes of constraints (on tables that exist on both sides; a new table carries its own):
 * plain data naming the object, with the before/after model objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, QualifiedName, UniqueConstraint } from '../../model/types.js';

export type ConstraintKind = 'primary_key' | 'unique' | 'check' | 'foreign_key';

export type ConstraintChange =
  | { readonly kind: 'add_primary_key'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'drop_primary_key'; readonly table: QualifiedName; readonly primaryKey: PrimaryKey }
  | { readonly kind: 'add_unique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'drop_unique'; readonly table: QualifiedName; readonly unique: UniqueConstraint }
  | { readonly kind: 'add_check'; readonly table: QualifiedName; readonly check: CheckConstraint }
  | { readonly kind: 'drop_check'; readonly table: QualifiedName; readonly check: CheckConstraint }
  /** A live NOT VALID check or FK that the file wants valid. */
  | {
      readonly kind: 'validate_constraint';
      readonly table: QualifiedName;
      readonly constraint: string;
      readonly constraintKind: 'check' | 'foreign_key';
    }
  | { readonly kind: 'add_foreign_key'; readonly table: QualifiedName; readonly foreignKey: ForeignKey; readonly tableIsNew: boolean }
  | { readonly kind: 'drop_foreign_key'; readonly table: QualifiedName; readonly foreignKey: ForeignKey }
  /** An exclusion constraint added (also on a new table: after its columns) or dropped; a changed one is a drop + add. */
  | { readonly kind: 'add_exclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  | { readonly kind: 'drop_exclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionConstraint }
  | {
      readonly kind: 'rename_constraint';
      readonly table: QualifiedName;
      readonly constraintKind: ConstraintKind;
      readonly from: string;
      readonly to: string;
    };
