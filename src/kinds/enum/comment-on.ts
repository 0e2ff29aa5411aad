/** Comments on enum types: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly enum: { readonly type: QualifiedName };
  }
}

export const enumCommentOn = {
  report: (target) => ({ object: displayQualified(target.type), of: 'enum' }),
  commentIn: (model, target) => model.enums.find((e) => sameName(e, target.type))?.comment ?? null,
  ref: (target) => objectRef('type', target.type),
  sortKey: (target) => sortPath('enum', target.type.schema, target.type.name),
  sql: (target) => ({
    sql: `TYPE ${qualify(target.type)}`,
    object: displayName(target.type),
    objectKind: 'enum',
    requires: [key.type(target.type)],
  }),
} satisfies CommentOn<'enum'>;
