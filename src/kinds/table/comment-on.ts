/** Comments on tables: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly table: { readonly table: QualifiedName };
  }
}

export const tableCommentOn = {
  report: (target) => ({ object: displayQualified(target.table), of: 'table' }),
  commentIn: (model, target) => model.tables.find((x) => sameName(x, target.table))?.comment ?? null,
  ref: (target) => objectRef('table', target.table),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name),
  sql: (target) => ({
    sql: `TABLE ${qualify(target.table)}`,
    object: displayName(target.table),
    objectKind: 'table',
    requires: [key.table(target.table)],
  }),
} satisfies CommentOn<'table'>;
