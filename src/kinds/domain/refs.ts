/**
 * What names domains (`KindRefs`, ../kind.ts). A domain is a type: its graph key is the type key
 * (`key.type`, the enum kind's), so columns, functions and domains that name it require it.
 */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const domainRefs = {
  refKinds: { domain_check: { locks: 0 } },
  words: ['domain'],
  reports: ['domain'],
  keys: {
    /** A check of the domain `q`: added after the drop of the check of the same name. */
    domainCheck: (q: QualifiedName, check: string): RefKey => refKey({ kind: 'domain_check', schema: q.schema, name: q.name, sub: check }),
  },
} as const satisfies KindRefs;
