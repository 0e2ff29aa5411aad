/** What names triggers (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const triggerRefs = {
  refKinds: { trigger: { locks: 0 } },
  words: ['trigger'],
  reports: ['trigger'],
  keys: {
    trigger: (q: QualifiedName, name: string): RefKey => refKey({ kind: 'trigger', schema: q.schema, name: q.name, sub: name }),
  },
} as const satisfies KindRefs;
