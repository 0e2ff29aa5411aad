/** Collations in the model: the type, their order, their fingerprint form. */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export type CollationProvider = 'libc' | 'icu';

export interface Collation extends QualifiedName {
  readonly provider: CollationProvider;
  /** LC_COLLATE (libc), or the ICU locale (icu: both fields hold it). */
  readonly lcCollate: string;
  /** LC_CTYPE (libc), or the ICU locale (icu: both fields hold it). */
  readonly lcCtype: string;
  readonly deterministic: boolean;
  readonly comment?: string;
}

export const collationModel: ModelList<'collations', Collation> = {
  property: 'collations',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (collations) => [...collations].sort(compareQualified),
  form: (c) => c,
  label: (c) => refLabel({ kind: 'collation', schema: c.schema, name: c.name }),
};
