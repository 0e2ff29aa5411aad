/** What names schemas (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { KindRefs } from '../kind.js';

export const schemaRefs = {
  refKinds: { schema: { locks: 1 } },
  words: ['schema'],
  reports: ['schema'],
  keys: {
    schema: (schema: string): RefKey => refKey({ kind: 'schema', name: schema }),
  },
} as const satisfies KindRefs;
