/**
 * The changes of roles, made only for a file with `manage_roles: true`: create a declared role
 * the server lacks, alter the attributes the file gives that differ, grant and revoke its
 * memberships. Roles are never dropped.
 */
import type { Role, RoleAttributes } from './model.js';

export type RoleChange =
  | { readonly kind: 'create_role'; readonly role: Role }
  | {
      readonly kind: 'alter_role';
      readonly name: string;
      /** The attributes that differ, as the file wants them (memberOf apart: grant and revoke). */
      readonly set: Omit<RoleAttributes, 'memberOf'>;
      readonly from: Omit<RoleAttributes, 'memberOf'>;
      readonly grant: readonly string[];
      readonly revoke: readonly string[];
    };
