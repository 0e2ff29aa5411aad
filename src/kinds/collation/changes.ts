/**
 * The changes of collations: plain data naming the object, with the model object the plan
 * needs. src/diff/changes.ts joins every kind's into `Change`. A collation cannot be altered
 * (ALTER COLLATION only renames, moves or refreshes): a changed one is dropped and created.
 */
import type { Collation } from './model.js';

export type CollationChange =
  { readonly kind: 'create_collation'; readonly collation: Collation } | { readonly kind: 'drop_collation'; readonly collation: Collation };
