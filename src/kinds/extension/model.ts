/** Extensions in the model: the type, their order, their fingerprint form. */
import { byName } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { ModelList } from '../kind.js';

export interface Extension {
  readonly name: string;
  /** Schema the extension's objects live in; undefined = PostgreSQL's default (first of search_path). */
  readonly schema?: string;
  /** Requested version; undefined = the default version. */
  readonly version?: string;
  /** Live side only, and only when false: `ALTER EXTENSION … SET SCHEMA` is refused (pg_extension.extrelocatable). */
  readonly relocatable?: false;
}

export const extensionModel: ModelList<'extensions', Extension> = {
  property: 'extensions',
  inSchemas: false,
  emptyInFingerprint: 'kept',
  normalize: byName,
  form: (e) => e,
  label: (e) => refLabel({ kind: 'extension', name: e.name }),
};
