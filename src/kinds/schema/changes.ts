/**
 * The changes of schemas: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { SchemaDef } from '../../model/types.js';

export type SchemaChange =
  | { readonly kind: 'create_schema'; readonly schema: SchemaDef }
  | { readonly kind: 'drop_schema'; readonly schema: SchemaDef };
