/** What names columns (`KindRefs`, ../kind.ts). */
import { columnKey, refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const columnRefs = {
  refKinds: { column: { locks: 0 }, key_column: { locks: 0 } },
  words: ['column', 'columns'],
  reports: ['column'],
  keys: {
    column: (q: QualifiedName, column: string): RefKey => columnKey(q, column),
    /**
     * A column held NOT NULL by the live primary key (its live name): the key's drop 'drops' it and
     * the column's DROP NOT NULL 'creates' it, so that DROP NOT NULL runs after the old key is gone.
     */
    keyColumn: (q: QualifiedName, column: string): RefKey => refKey({ kind: 'key_column', schema: q.schema, name: q.name, sub: column }),
  },
} as const satisfies KindRefs;
