/**
 * What names comments: nothing of their own. A comment is on another kind's object; its steps name
 * that object (with its kind's word and keys).
 */
import type { KindRefs } from '../kind.js';

export const commentRefs = {
  refKinds: {},
  words: [],
  reports: ['comment'],
  keys: {},
} as const satisfies KindRefs;
