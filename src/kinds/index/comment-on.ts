/** Comments on indexes: the `commentOn` hook (../comment/on.ts). */
import { on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { indexRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly index: { readonly table: QualifiedName; readonly index: string };
  }
}

export const indexCommentOn = {
  report: (target) => ({ object: on(target.table, target.index), of: 'index' }),
  commentIn: (model, target) =>
    model.tables.find((x) => sameName(x, target.table))?.indexes.find((i) => i.name === target.index)?.comment ?? null,
  ref: (target) => indexRef(target.table, target.index),
  sortKey: (target) => sortPath('table', target.table.schema, target.table.name, 'index', target.index),
  sql: (target) => ({
    sql: `INDEX ${qualify({ schema: target.table.schema, name: target.index })}`,
    object: displayIdent(target.index),
    objectKind: 'index',
    parent: displayName(target.table),
    requires: [key.index(target.table.schema, target.index)],
  }),
} satisfies CommentOn<'index'>;
