/** Steps for comments: `COMMENT ON` every kind of object (what follows ON from its kind's `commentOn` hook). */
import type { ChangeOf } from '../../diff/changes.js';
import { literal } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { commentOnOf } from './on.js';

export function setCommentSteps(change: ChangeOf<'set_comment'>): StepDraft[] {
  const on = commentOnOf(change.target).sql(change.target);
  return [
    draft({
      sql: `COMMENT ON ${on.sql} IS ${change.comment === null ? 'NULL' : literal(change.comment)}`,
      action: 'alter',
      objectKind: on.objectKind,
      object: on.object,
      ...(on.parent !== undefined ? { parent: on.parent } : {}),
      detail: change.comment === null ? 'comment removed' : 'comment',
      change: change.kind,
      requires: on.requires,
    }),
  ];
}
