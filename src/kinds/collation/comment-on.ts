/** Comments on collations: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly collation: { readonly collation: QualifiedName };
  }
}

export const collationCommentOn = {
  report: (target) => ({ object: displayQualified(target.collation), of: 'collation' }),
  commentIn: (model, target) => model.collations.find((c) => sameName(c, target.collation))?.comment ?? null,
  ref: (target) => ({ kind: 'collation', schema: target.collation.schema, name: target.collation.name }),
  sortKey: (target) => sortPath('collation', target.collation.schema, target.collation.name),
  sql: (target) => ({
    sql: `COLLATION ${qualify(target.collation)}`,
    object: displayName(target.collation),
    objectKind: 'collation',
    requires: [key.collation(target.collation)],
  }),
} satisfies CommentOn<'collation'>;
