/** What names policies and a table's row-level security (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const policyRefs = {
  refKinds: { policy: { locks: 0 }, row_security_off: { locks: 0 } },
  words: ['policy', 'row level security'],
  reports: ['policy', 'row level security'],
  keys: {
    policy: (q: QualifiedName, name: string): RefKey => refKey({ kind: 'policy', schema: q.schema, name: q.name, sub: name }),
    /**
     * Created by the step that turns a table's row-level security off: the table's policy drops
     * require it, so a table is never left enabled with fewer of its policies than it had.
     */
    rowSecurityOff: (q: QualifiedName): RefKey => refKey({ kind: 'row_security_off', schema: q.schema, name: q.name }),
  },
} as const satisfies KindRefs;
