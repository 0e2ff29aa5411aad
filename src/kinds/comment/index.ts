/**
 * Comments (`COMMENT ON … IS`) on every object that has one: one change kind whose target says
 * what the comment is on; the `commentOn` hook of that object's kind (./on.ts) does the rest.
 */
import { setCommentSteps } from './steps.js';
import type { CommentChange } from './changes.js';
import { commentRefs } from './refs.js';
import { commentDiff } from './diff.js';
import { commentFormat } from './format-schema.js';
import { commentOnOf } from './on.js';
import type { ModelAttribute, ObjectKind } from '../kind.js';
import { commentModel } from './model.js';
import { commentRaw } from './raw.js';
import { commentChecks } from './checks.js';
import { commentPull } from './pull.js';
import { commentIntrospect } from './introspect.js';

export const commentKind: ObjectKind<CommentChange, ModelAttribute, typeof commentRefs, 'comment'> = {
  name: 'comment',
  format: commentFormat,
  model: commentModel,
  raw: commentRaw,
  checks: commentChecks,
  pull: commentPull,
  refs: commentRefs,
  diff: commentDiff,
  introspect: commentIntrospect,
  phase: { create: 11, drop: 11 },
  changes: {
    set_comment: {
      steps: (c) => setCommentSteps(c),
      target: (c) => commentOnOf(c.target).ref(c.target),
      sortKey: (c) => commentOnOf(c.target).sortKey(c.target),
      describe: (c, from) => {
        const { object, of } = commentOnOf(c.target).report(c.target);
        return [
          {
            object,
            kind: of,
            action: 'changed',
            what: ['comment'],
            before: { comment: commentOnOf(c.target).commentIn(from, c.target) },
            after: { comment: c.comment },
          },
        ];
      },
    },
  },
  drops: [],
};
