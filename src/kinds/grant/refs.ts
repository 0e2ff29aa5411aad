/** What names grants and owners: the object they are on (its kind's keys); no key of their own. */
import type { KindRefs } from '../kind.js';

export const grantRefs = {
  refKinds: {},
  words: ['grant', 'owner', 'default privileges'],
  reports: ['grants', 'owner', 'default privileges'],
  keys: {},
} as const satisfies KindRefs;
