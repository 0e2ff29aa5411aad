/** Comments on sequences: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly sequence: { readonly sequence: QualifiedName };
  }
}

export const sequenceCommentOn = {
  report: (target) => ({ object: displayQualified(target.sequence), of: 'sequence' }),
  commentIn: (model, target) => model.sequences.find((s) => sameName(s, target.sequence))?.comment ?? null,
  ref: (target) => objectRef('sequence', target.sequence),
  sortKey: (target) => sortPath('sequence', target.sequence.schema, target.sequence.name),
  sql: (target) => ({
    sql: `SEQUENCE ${qualify(target.sequence)}`,
    object: displayName(target.sequence),
    objectKind: 'sequence',
    requires: [key.sequence(target.sequence)],
  }),
} satisfies CommentOn<'sequence'>;
