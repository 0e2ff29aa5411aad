/** Comments on composite types and their attributes: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, on, sameName } from '../../drift/items.js';
import { displayIdent, qualify, quoteIdent, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    /** The type itself, or with `attribute` one of its attributes. */
    readonly 'composite-type': { readonly type: QualifiedName; readonly attribute?: string };
  }
}

export const compositeTypeCommentOn = {
  report: (target) => ({
    object: target.attribute === undefined ? displayQualified(target.type) : on(target.type, target.attribute),
    of: 'composite type',
  }),
  commentIn: (model, target) => {
    const type = model.compositeTypes.find((t) => sameName(t, target.type));
    if (target.attribute === undefined) return type?.comment ?? null;
    return type?.attributes.find((a) => a.name === target.attribute)?.comment ?? null;
  },
  ref: (target) =>
    target.attribute === undefined
      ? objectRef('type', target.type)
      : { kind: 'type', schema: target.type.schema, name: target.type.name, sub: target.attribute },
  sortKey: (target) =>
    target.attribute === undefined
      ? sortPath('type', target.type.schema, target.type.name)
      : sortPath('type', target.type.schema, target.type.name, 'attribute', target.attribute),
  sql: (target) =>
    target.attribute === undefined
      ? {
          sql: `TYPE ${qualify(target.type)}`,
          object: displayName(target.type),
          objectKind: 'composite type',
          requires: [key.type(target.type)],
        }
      : {
          sql: `COLUMN ${qualify(target.type)}.${quoteIdent(target.attribute)}`,
          object: displayIdent(target.attribute),
          objectKind: 'composite type',
          parent: displayName(target.type),
          requires: [key.type(target.type)],
        },
} satisfies CommentOn<'composite-type'>;
