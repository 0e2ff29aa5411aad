/** Comments on constraints: the `commentOn` hook (../comment/on.ts). */
import { on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, quoteIdent, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath, tableMemberRef } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly constraint: { readonly table: QualifiedName; readonly constraint: string };
  }
}

export const constraintCommentOn = {
  report: (target) => ({ object: on(target.table, target.constraint), of: 'check' }),
  commentIn: (model, target) => {
    const t = model.tables.find((x) => sameName(x, target.table));
    if (!t) return null;
    const all = [t.primaryKey, ...t.uniques, ...t.checks, ...t.foreignKeys];
    return all.find((c) => c?.name === target.constraint)?.comment ?? null;
  },
  ref: (target) => tableMemberRef('constraint', target.table, target.constraint),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name, 'constraint', target.constraint),
  sql: (target) => ({
    sql: `CONSTRAINT ${quoteIdent(target.constraint)} ON ${qualify(target.table)}`,
    object: displayIdent(target.constraint),
    objectKind: 'constraint',
    parent: displayName(target.table),
    requires: [key.constraint(target.table, target.constraint)],
  }),
} satisfies CommentOn<'constraint'>;
