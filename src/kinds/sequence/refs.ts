/** What names sequences (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const sequenceRefs = {
  refKinds: { sequence: { locks: 1 } },
  words: ['sequence'],
  reports: ['sequence'],
  keys: {
    sequence: (q: QualifiedName): RefKey => refKey({ kind: 'sequence', schema: q.schema, name: q.name }),
  },
} as const satisfies KindRefs;
