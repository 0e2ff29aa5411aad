/**
 * What names range types (`KindRefs`, ../kind.ts): their graph key is the `type` key the enum
 * kind declares (../enum/refs.ts), which every user type shares; a column of the multirange type
 * requires the range's key too.
 */
import type { KindRefs } from '../kind.js';

export const rangeTypeRefs = {
  refKinds: {},
  words: ['range type'],
  reports: ['range type'],
  keys: {},
} as const satisfies KindRefs;
