/** Comments on policies: the `commentOn` hook (../comment/on.ts). */
import { on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, quoteIdent, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly policy: { readonly table: QualifiedName; readonly policy: string };
  }
}

export const policyCommentOn = {
  report: (target) => ({ object: on(target.table, target.policy), of: 'policy' }),
  commentIn: (model, target) =>
    model.tables.find((x) => sameName(x, target.table))?.policies?.find((p) => p.name === target.policy)?.comment ?? null,
  ref: (target) => ({ kind: 'policy', schema: target.table.schema, name: target.table.name, sub: target.policy }),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name, 'policy', target.policy),
  sql: (target) => ({
    sql: `POLICY ${quoteIdent(target.policy)} ON ${qualify(target.table)}`,
    object: displayIdent(target.policy),
    objectKind: 'policy',
    parent: displayName(target.table),
    requires: [key.policy(target.table, target.policy)],
  }),
} satisfies CommentOn<'policy'>;
