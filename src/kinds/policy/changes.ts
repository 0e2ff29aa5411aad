/**
 * The changes of policies and of a table's row-level security: plain data naming the object,
 * with the before/after model objects the plan needs. src/diff/changes.ts joins every kind's
 * into `Change`.
 */
import type { QualifiedName } from '../../model/types.js';
import type { Policy, RowLevelSecurity } from './model.js';

/** What ALTER POLICY changes in place. */
export type PolicyAttribute = 'roles' | 'using' | 'with_check';

export type PolicyChange =
  /** `rebuild`: put back after a change under it (a column type change), in the transaction its drop opened. */
  | { readonly kind: 'create_policy'; readonly table: QualifiedName; readonly policy: Policy; readonly rebuild?: true }
  | { readonly kind: 'drop_policy'; readonly table: QualifiedName; readonly policy: Policy; readonly rebuild?: true }
  /** A changed command or PERMISSIVE / RESTRICTIVE: ALTER POLICY cannot, so drop and create in one transaction. */
  | { readonly kind: 'replace_policy'; readonly table: QualifiedName; readonly from: Policy; readonly to: Policy }
  | {
      readonly kind: 'alter_policy';
      readonly table: QualifiedName;
      readonly from: Policy;
      readonly to: Policy;
      readonly attributes: readonly PolicyAttribute[];
    }
  | { readonly kind: 'rename_policy'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'set_row_level_security';
      readonly table: QualifiedName;
      readonly from: RowLevelSecurity;
      readonly to: RowLevelSecurity;
    };
