/**
 * Comments: one `set_comment` whenever the desired comment differs from the live one.
 * An absent or empty comment is no comment; removing one is `comment: null`.
 */
import type { Change, CommentTarget } from '../../diff/changes.js';
import type { OwnedKindDiff } from '../../diff/kind-diff.js';
import { commentText } from '../../diff/compare.js';

const noChanges: readonly Change[] = Object.freeze([]);

/** The comment kind's diff (`ObjectKind.diff`): none of its own, every kind's diff calls `diffComment`. */
export const commentDiff: OwnedKindDiff = { scope: 'owners' };

/**
 * The change (if any) that gives `target` its desired comment. Pass `live` as undefined for
 * an object the plan creates or re-creates (it starts without a comment).
 *
 * @example
 * diffComment({ on: 'schema', schema: 'app' }, 'the app', undefined)
 * // [{ kind: 'set_comment', target: { on: 'schema', schema: 'app' }, comment: 'the app' }]
 * diffComment({ on: 'schema', schema: 'app' }, undefined, 'old')   // [... comment: null]
 * diffComment({ on: 'schema', schema: 'app' }, 'same', 'same')     // []
 */
export function diffComment(target: CommentTarget, desired: string | undefined, live: string | undefined): readonly Change[] {
  if (desired === live) return noChanges;
  const want = commentText(desired);
  const have = commentText(live);
  if (want === have) return noChanges;
  return [{ kind: 'set_comment', target, comment: want ?? null }];
}
