/**
 * What names composite types (`KindRefs`, ../kind.ts): their graph key is the `type` key the enum
 * kind declares (../enum/refs.ts), which every user type shares: a column or function names a
 * type, whatever its kind.
 */
import type { KindRefs } from '../kind.js';

export const compositeTypeRefs = {
  refKinds: {},
  words: ['composite type'],
  reports: ['composite type'],
  keys: {},
} as const satisfies KindRefs;
