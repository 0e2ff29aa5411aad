/** What names aggregates (`KindRefs`, ../kind.ts): one per name and input types. */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { KindRefs } from '../kind.js';
import type { Aggregate } from './model.js';

export const aggregateRefs = {
  refKinds: { aggregate: { locks: 1 } },
  words: ['aggregate'],
  reports: ['aggregate'],
  keys: {
    aggregate: (a: Aggregate): RefKey => refKey({ kind: 'aggregate', schema: a.schema, name: a.name, signature: [...a.arguments] }),
  },
} as const satisfies KindRefs;
