/**
 * Roles in the model: the roles the file declares (`roles:`), cluster objects the schema refers
 * to. The live side has none: roles are not read into the model (they belong to the cluster, and
 * other databases' roles would change its fingerprints); the plan checks that every role the
 * file refers to exists (src/kinds/role/exists.ts).
 */
import { compareText } from '../../model/canonical.js';
import type { ModelList } from '../kind.js';

export interface Role {
  readonly name: string;
}

export const roleModel: ModelList<'roles', Role> = {
  property: 'roles',
  inSchemas: false,
  emptyInFingerprint: 'left out',
  normalize: (roles) => [...roles].sort((a, b) => compareText(a.name, b.name)),
  form: (r) => r,
  label: (r) => `role ${r.name}`,
};
