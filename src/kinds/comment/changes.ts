/**
 * The changes of comments: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { FunctionDef, QualifiedName } from '../../model/types.js';

/** What a comment is attached to. */
export type CommentTarget =
  | { readonly on: 'schema'; readonly schema: string }
  | { readonly on: 'table'; readonly table: QualifiedName }
  | { readonly on: 'column'; readonly table: QualifiedName; readonly column: string }
  | { readonly on: 'enum'; readonly type: QualifiedName }
  | { readonly on: 'collation'; readonly collation: QualifiedName }
  | { readonly on: 'domain'; readonly domain: QualifiedName }
  | { readonly on: 'sequence'; readonly sequence: QualifiedName }
  | { readonly on: 'function'; readonly fn: FunctionDef }
  | { readonly on: 'index'; readonly table: QualifiedName; readonly index: string }
  | { readonly on: 'constraint'; readonly table: QualifiedName; readonly constraint: string }
  | { readonly on: 'trigger'; readonly table: QualifiedName; readonly trigger: string };

export type CommentChange = { readonly kind: 'set_comment'; readonly target: CommentTarget; readonly comment: string | null };
