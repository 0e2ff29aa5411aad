/** What names extensions (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { KindRefs } from '../kind.js';

export const extensionRefs = {
  refKinds: { extension: { locks: 1 } },
  words: ['extension'],
  reports: ['extension'],
  keys: {
    extension: (name: string): RefKey => refKey({ kind: 'extension', name }),
  },
} as const satisfies KindRefs;
