/** Comments on range types: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly 'range-type': { readonly type: QualifiedName };
  }
}

export const rangeTypeCommentOn = {
  report: (target) => ({ object: displayQualified(target.type), of: 'range type' }),
  commentIn: (model, target) => model.rangeTypes.find((t) => sameName(t, target.type))?.comment ?? null,
  ref: (target) => objectRef('type', target.type),
  sortKey: (target) => sortPath('type', target.type.schema, target.type.name),
  sql: (target) => ({
    sql: `TYPE ${qualify(target.type)}`,
    object: displayName(target.type),
    objectKind: 'range type',
    requires: [key.type(target.type)],
  }),
} satisfies CommentOn<'range-type'>;
