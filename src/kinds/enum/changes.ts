/**
 * The changes of enums: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { Column, EnumType, QualifiedName } from '../../model/types.js';

export type EnumChange =
  | { readonly kind: 'create_enum'; readonly enum: EnumType }
  | { readonly kind: 'drop_enum'; readonly enum: EnumType }
  /** ALTER TYPE ... ADD VALUE, at the declared position. */
  | {
      readonly kind: 'add_enum_value';
      readonly enum: EnumType;
      readonly value: string;
      readonly before?: string;
      readonly after?: string;
    }
  | { readonly kind: 'rename_enum_value'; readonly enum: EnumType; readonly from: string; readonly to: string }
  /** Values removed or reordered: new type, columns converted, old type dropped. */
  | {
      readonly kind: 'replace_enum';
      readonly from: EnumType;
      readonly to: EnumType;
      readonly removedValues: readonly string[];
      /** Every column (in desired tables) whose type is this enum or an array of it. */
      readonly columns: readonly { readonly table: QualifiedName; readonly column: Column }[];
    };
