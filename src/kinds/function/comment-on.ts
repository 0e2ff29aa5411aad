/** Comments on functions: the `commentOn` hook (../comment/on.ts). */
import { fnName } from '../../drift/items.js';
import { functionKey, functionRef } from '../../model/object-ref.js';
import type { FunctionDef } from '../../model/types.js';
import { key } from '../../plan/references.js';
import { functionSignatureSql, routineKeyword } from '../../plan/sql-text.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath } from '../shared.js';
import { functionDisplay, routineWord } from './steps.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly function: { readonly fn: FunctionDef };
  }
}

export const functionCommentOn = {
  report: (target) => ({ object: fnName(target.fn), of: 'function' }),
  commentIn: (model, target) => model.functions.find((f) => fnName(f) === fnName(target.fn))?.comment ?? null,
  ref: (target) => functionRef(target.fn),
  sortKey: (target) => sortPath('function', functionKey(target.fn)),
  sql: (target) => ({
    sql: `${routineKeyword(target.fn)} ${functionSignatureSql(target.fn)}`,
    object: functionDisplay(target.fn),
    objectKind: routineWord(target.fn),
    requires: [key.function(target.fn)],
  }),
} satisfies CommentOn<'function'>;
