/** Composite types in the model (`CREATE TYPE ... AS (...)`): the type, their order, their fingerprint form. */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

/** One attribute, in the type's attribute order. */
export interface CompositeAttribute {
  readonly name: string;
  /** Canonical type text (as a column's). */
  readonly type: string;
  /** A collation other than the type's default. */
  readonly collation?: string;
  readonly comment?: string;
  /** Desired side only: the attribute's previous name (`renamed_from`). */
  readonly renamedFrom?: string;
}

export interface CompositeType extends QualifiedName {
  readonly attributes: readonly CompositeAttribute[];
  readonly comment?: string;
  /** Desired side only: the type's previous name in its schema (`renamed_from`). */
  readonly renamedFrom?: string;
}

export const compositeTypeModel: ModelList<'compositeTypes', CompositeType> = {
  property: 'compositeTypes',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (types) => [...types].sort(compareQualified),
  // The renames a file declares do not describe the schema.
  form: ({ renamedFrom: _renamed, attributes, ...rest }) => ({
    ...rest,
    attributes: attributes.map(({ renamedFrom: _r, ...a }) => a),
  }),
  label: (t) => refLabel({ kind: 'type', schema: t.schema, name: t.name }).replace(/^type /, 'composite type '),
};
