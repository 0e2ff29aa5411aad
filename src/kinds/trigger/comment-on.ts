/** Comments on triggers: the `commentOn` hook (../comment/on.ts). */
import { on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, quoteIdent, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath, tableMemberRef } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly trigger: { readonly table: QualifiedName; readonly trigger: string };
  }
}

export const triggerCommentOn = {
  report: (target) => ({ object: on(target.table, target.trigger), of: 'trigger' }),
  commentIn: (model, target) =>
    model.tables.find((x) => sameName(x, target.table))?.triggers.find((g) => g.name === target.trigger)?.comment ?? null,
  ref: (target) => tableMemberRef('trigger', target.table, target.trigger),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name, 'trigger', target.trigger),
  sql: (target) => ({
    sql: `TRIGGER ${quoteIdent(target.trigger)} ON ${qualify(target.table)}`,
    object: displayIdent(target.trigger),
    objectKind: 'trigger',
    parent: displayName(target.table),
    requires: [key.trigger(target.table, target.trigger)],
  }),
} satisfies CommentOn<'trigger'>;
