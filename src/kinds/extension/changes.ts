/**
 * The changes of extensions: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { Extension } from '../../model/types.js';

export type ExtensionChange =
  | { readonly kind: 'create_extension'; readonly extension: Extension }
  | { readonly kind: 'drop_extension'; readonly extension: Extension }
  | { readonly kind: 'alter_extension'; readonly from: Extension; readonly to: Extension };
