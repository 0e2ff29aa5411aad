/** Schemas in the model: the type, their order, their fingerprint form. */
import { byName } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { ModelList } from '../kind.js';

export interface SchemaDef {
  readonly name: string;
  readonly comment?: string;
}

export const schemaModel: ModelList<'schemas', SchemaDef> = {
  property: 'schemas',
  inSchemas: false,
  emptyInFingerprint: 'kept',
  normalize: byName,
  form: (s) => s,
  label: (s) => refLabel({ kind: 'schema', name: s.name }),
};
