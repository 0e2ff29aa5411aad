/** What names indexes (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { KindRefs } from '../kind.js';

export const indexRefs = {
  refKinds: { index: { locks: 1 } },
  words: ['index'],
  reports: ['index'],
  keys: {
    /** Indexes share one namespace per schema (constraint-backing ones too). */
    index: (schema: string, name: string): RefKey => refKey({ kind: 'index', schema, name }),
  },
} as const satisfies KindRefs;
