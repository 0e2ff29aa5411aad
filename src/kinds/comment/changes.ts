/**
 * The changes of comments: plain data naming the object, with the before/after model
 * objects the plan needs. src/diff/changes.ts joins every kind's into `Change`.
 */

/**
 * What names the object a comment is on, by the kind of the object: each kind that takes
 * comments adds its entry from its `comment-on.ts` by declaration merging
 * (`declare module '../comment/changes.js' { interface CommentTargets { … } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CommentTargets {}

/** What a comment is attached to: `on` the kind of the object, and what names it. */
export type CommentTarget = { [K in keyof CommentTargets]: { readonly on: K } & CommentTargets[K] }[keyof CommentTargets];

export type CommentChange = { readonly kind: 'set_comment'; readonly target: CommentTarget; readonly comment: string | null };
