/** What names views and materialized views (`KindRefs`, ../kind.ts): one key kind for both, and the column types views use. */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const viewRefs = {
  refKinds: { view: { locks: 1 }, column_type: { locks: 0 } },
  words: ['view', 'materialized view'],
  reports: ['view', 'materialized view'],
  keys: {
    view: (q: QualifiedName): RefKey => refKey({ kind: 'view', schema: q.schema, name: q.name }),
    /**
     * The type of a column as views see it: dropped by a step that changes a column's type (or
     * collation), created by a view's create step for each column its query uses, so that a view
     * taken off for the change runs before it and comes back after.
     */
    columnType: (table: QualifiedName, column: string): RefKey =>
      refKey({ kind: 'column_type', schema: table.schema, name: table.name, sub: column }),
  },
} as const satisfies KindRefs;
