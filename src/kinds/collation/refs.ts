/** What names collations (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const collationRefs = {
  refKinds: { collation: { locks: 1 } },
  words: ['collation'],
  reports: ['collation'],
  keys: {
    collation: (q: QualifiedName): RefKey => refKey({ kind: 'collation', schema: q.schema, name: q.name }),
  },
} as const satisfies KindRefs;
