/**
 * Roles in the model: the roles the file declares (`roles:`), cluster objects the schema refers
 * to, with the attributes the file gives. The live side has them only while planning a file that
 * manages roles (`manage_roles: true`): `planDatabase` reads the declared roles from pg_roles and
 * pg_auth_members (./introspect.ts `readLiveRoles`) into the model it diffs, never into the live
 * schema whose fingerprint the plan records (other databases share the cluster's roles).
 */
import { compareText } from '../../model/canonical.js';
import type { ModelList } from '../kind.js';

/** The name of an environment variable a password is read from (`password_env`). */
export const PASSWORD_ENV = /^[A-Z_][A-Z0-9_]*$/;

/** The attributes of a role that the file may declare; absent: not managed. */
export interface RoleAttributes {
  readonly login?: boolean;
  readonly inherit?: boolean;
  readonly createdb?: boolean;
  readonly createrole?: boolean;
  /** -1: no limit. */
  readonly connectionLimit?: number;
  /** A timestamp PostgreSQL reads (`2030-01-01`, `infinity`); on the live side its text. */
  readonly validUntil?: string;
  /** The roles it is a member of, sorted: exactly these when given. */
  readonly memberOf?: readonly string[];
}

export interface Role extends RoleAttributes {
  readonly name: string;
  /** The file says `manage_roles: true`: the plan creates and alters it. */
  readonly managed?: true;
  /** The environment variable apply reads the password from (set when the plan creates the role). */
  readonly passwordEnv?: string;
  /**
   * Live side only: the role was looked for and does not exist. A declared role the live side has
   * no entry for was not looked for (drift, a plan between two files): nothing is diffed for it.
   */
  readonly absent?: true;
}

export const roleModel: ModelList<'roles', Role> = {
  property: 'roles',
  inSchemas: false,
  emptyInFingerprint: 'left out',
  normalize: (roles) => [...roles].sort((a, b) => compareText(a.name, b.name)),
  form: (r) => r,
  label: (r) => `role ${r.name}`,
};
