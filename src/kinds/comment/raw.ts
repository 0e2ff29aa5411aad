/**
 * Comments as written → the model: `comment:` is an attribute of every object (and of a primary
 * key), so every kind's conversion spreads `commentOf(raw)` into the object it builds.
 */
import type { KindRaw } from '../raw.js';

/** `{ comment }` when the object has one, else `{}`. */
export function commentOf(raw: { readonly comment?: string }): { readonly comment?: string } {
  return raw.comment !== undefined ? { comment: raw.comment } : {};
}

export const commentRaw = { in: 'object', read: commentOf } as const satisfies KindRaw;
