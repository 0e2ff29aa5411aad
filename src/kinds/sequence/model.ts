/** Sequences in the model: the type, their order, their fingerprint form. */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export interface Sequence extends QualifiedName {
  /** Canonical type: smallint, integer or bigint. */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** Column that owns the sequence (serial / OWNED BY). */
  readonly ownedBy?: { readonly schema: string; readonly table: string; readonly column: string };
  readonly comment?: string;
}

export const sequenceModel: ModelList<'sequences', Sequence> = {
  property: 'sequences',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  normalize: (sequences) => [...sequences].sort(compareQualified),
  form: (s) => s,
  label: (s) => refLabel({ kind: 'sequence', schema: s.schema, name: s.name }),
};
