/**
 * The changes of functions: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { FunctionDef } from '../../model/types.js';

export type FunctionChange =
  | { readonly kind: 'create_function'; readonly fn: FunctionDef }
  | { readonly kind: 'replace_function'; readonly from: FunctionDef; readonly to: FunctionDef }
  /** `calls`: a kept function dropped to be created again because its body uses this re-created one. */
  | { readonly kind: 'drop_function'; readonly fn: FunctionDef; readonly calls?: FunctionDef };
