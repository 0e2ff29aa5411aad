/**
 * Comments are an attribute of every other object (`comment` on a schema, a table, a column, …):
 * they have no list or member of their own to sort or fingerprint; each object's own form
 * carries its comment.
 */
import type { ModelAttribute } from '../kind.js';

export const commentModel: ModelAttribute = { attribute: 'comment' };
