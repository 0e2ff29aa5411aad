/**
 * The changes of triggers: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { QualifiedName, Trigger, TriggerEnabled } from '../../model/types.js';

export type TriggerChange =
  | { readonly kind: 'create_trigger'; readonly table: QualifiedName; readonly trigger: Trigger }
  | { readonly kind: 'drop_trigger'; readonly table: QualifiedName; readonly trigger: Trigger }
  /** Drop and create in one transaction. */
  | { readonly kind: 'replace_trigger'; readonly table: QualifiedName; readonly from: Trigger; readonly to: Trigger }
  | { readonly kind: 'rename_trigger'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'set_trigger_enabled';
      readonly table: QualifiedName;
      readonly trigger: string;
      readonly enabled: TriggerEnabled;
    };
