/** What names roles: the role key its create makes, which owners, grants, policies and memberships require. */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { KindRefs } from '../kind.js';

export const roleRefs = {
  refKinds: { role: { locks: 1 } },
  words: ['role'],
  reports: ['role'],
  keys: {
    role: (name: string): RefKey => refKey({ kind: 'role', name }),
  },
} as const satisfies KindRefs;
