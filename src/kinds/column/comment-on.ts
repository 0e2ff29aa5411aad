/** Comments on columns: the `commentOn` hook (../comment/on.ts). */
import { on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, quoteIdent, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath, tableMemberRef } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly column: { readonly table: QualifiedName; readonly column: string };
  }
}

export const columnCommentOn = {
  report: (target) => ({ object: on(target.table, target.column), of: 'column' }),
  commentIn: (model, target) =>
    model.tables.find((x) => sameName(x, target.table))?.columns.find((c) => c.name === target.column)?.comment ?? null,
  ref: (target) => tableMemberRef('column', target.table, target.column),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name, 'column', target.column),
  sql: (target) => ({
    sql: `COLUMN ${qualify(target.table)}.${quoteIdent(target.column)}`,
    object: displayIdent(target.column),
    objectKind: 'column',
    parent: displayName(target.table),
    requires: [key.column(target.table, target.column)],
  }),
} satisfies CommentOn<'column'>;
