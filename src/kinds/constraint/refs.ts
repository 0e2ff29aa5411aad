/** What names constraints, and the unique keys foreign keys need (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const constraintRefs = {
  refKinds: { constraint: { locks: 0 }, unique_key: { locks: 0 } },
  words: ['primary key', 'unique', 'check', 'foreign key', 'constraint'],
  reports: ['primary_key', 'unique', 'check', 'foreign_key', 'exclusion'],
  keys: {
    constraint: (q: QualifiedName, name: string): RefKey => refKey({ kind: 'constraint', schema: q.schema, name: q.name, sub: name }),
    /** A unique key (PK, UNIQUE constraint or unique index) over these columns: what a FK needs. */
    uniqueKey: (q: QualifiedName, columns: readonly string[]): RefKey =>
      refKey({ kind: 'unique_key', schema: q.schema, name: q.name, signature: columns }),
  },
} as const satisfies KindRefs;
