/** What names functions: one overload, or every overload of a name (`KindRefs`, ../kind.ts). */
import { functionKey, refKey, type RefKey } from '../../model/object-ref.js';
import type { FunctionDef, QualifiedName } from '../../model/types.js';
import type { KindRefs } from '../kind.js';

export const functionRefs = {
  refKinds: { function: { locks: 1 }, function_name: { locks: 1 } },
  words: ['function', 'procedure'],
  reports: ['function', 'procedure'],
  keys: {
    functionName: (q: QualifiedName): RefKey => refKey({ kind: 'function_name', schema: q.schema, name: q.name }),
    function: (fn: FunctionDef): RefKey => functionKey(fn),
  },
} as const satisfies KindRefs;
