/** What names tables (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const tableRefs = {
  refKinds: { table: { locks: 3 } },
  words: ['table'],
  reports: ['table'],
  keys: {
    table: (q: QualifiedName): RefKey => refKey({ kind: 'table', schema: q.schema, name: q.name }),
  },
} as const satisfies KindRefs;
