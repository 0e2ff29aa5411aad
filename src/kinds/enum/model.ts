/** Enum types in the model: the type, their order, their fingerprint form. */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export interface EnumType extends QualifiedName {
  /** Labels in sort order. */
  readonly values: readonly string[];
  /** Desired side only: value renames declared in the file, new label → old label. */
  readonly renamedValues?: Readonly<Record<string, string>>;
  readonly comment?: string;
}

export const enumModel: ModelList<'enums', EnumType> = {
  property: 'enums',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  normalize: (enums) => [...enums].sort(compareQualified),
  // The renames a file declares do not describe the schema.
  form: ({ renamedValues: _renamed, ...rest }) => rest,
  // Labelled `enum`, as format-1 plan files have it.
  label: (e) => refLabel({ kind: 'type', schema: e.schema, name: e.name }).replace(/^type /, 'enum '),
};
