/**
 * The changes of views and materialized views: plain data naming the object, with the model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 *
 * - `create_view`, `drop_view`: `rebuild` when the view is dropped only to be created again (its
 *   query cannot be replaced in place, or something it uses is changed under it).
 * - `replace_view`: CREATE OR REPLACE VIEW (same leading columns, same types; columns appended).
 * - `alter_view_options`: security_barrier, security_invoker, check_option (ALTER VIEW SET/RESET).
 * - `rename_view`: `renamed_from`.
 * - `comment_view`: the view's comment and its columns' comments.
 * - `create_view_index`, `drop_view_index`: an index of a materialized view (changed: both).
 */
import type { View, ViewIndex } from './model.js';

export type ViewChange =
  | { readonly kind: 'create_view'; readonly view: View; readonly rebuild?: true }
  | { readonly kind: 'drop_view'; readonly view: View; readonly rebuild?: true }
  | { readonly kind: 'replace_view'; readonly from: View; readonly to: View }
  | { readonly kind: 'alter_view_options'; readonly from: View; readonly to: View }
  | { readonly kind: 'rename_view'; readonly from: View; readonly to: View }
  | { readonly kind: 'comment_view'; readonly view: View; readonly from?: View }
  | { readonly kind: 'create_view_index'; readonly view: View; readonly index: ViewIndex }
  | { readonly kind: 'drop_view_index'; readonly view: View; readonly index: ViewIndex };
