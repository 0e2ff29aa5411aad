/** What names enums (their types) and the labels ADD VALUE adds (`KindRefs`, ../kind.ts). */
import { refKey, type RefKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const enumRefs = {
  refKinds: { type: { locks: 1 }, enum_value: { locks: 0 } },
  words: ['enum'],
  reports: ['enum'],
  keys: {
    type: (q: QualifiedName): RefKey => refKey({ kind: 'type', schema: q.schema, name: q.name }),
    /** A label an ADD VALUE adds to the enum `q`: steps whose expressions use the label require it. */
    enumValue: (q: QualifiedName, label: string): RefKey => refKey({ kind: 'enum_value', schema: q.schema, name: q.name, sub: label }),
  },
} as const satisfies KindRefs;
