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
    /** A partition attached to its parent (created PARTITION OF, or ATTACHed): what its own indexes and constraints wait for. */
    partitionAttached: (q: QualifiedName): RefKey => refKey({ kind: 'table', schema: q.schema, name: q.name, sub: 'attached' }),
  },
} as const satisfies KindRefs;
