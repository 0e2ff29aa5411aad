/**
 * The changes of grants and owners: plain data naming the object (its `ObjectAcl` without the
 * lists), what to grant and what to revoke. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { AclEntry, ObjectAcl } from './model.js';

export type GrantChange =
  | {
      readonly kind: 'set_owner';
      readonly acl: ObjectAcl;
      /** The live owner; absent for an object the plan creates. */
      readonly from?: string;
      readonly to: string;
    }
  | {
      readonly kind: 'set_grants';
      readonly acl: ObjectAcl;
      /** Privileges to grant (with the grant option where `grantable`). */
      readonly grant: readonly AclEntry[];
      /** Privileges to revoke entirely. */
      readonly revoke: readonly AclEntry[];
      /** Privileges kept, whose grant option is revoked. */
      readonly revokeOption: readonly AclEntry[];
      /** The live grants (for reports). */
      readonly before: readonly AclEntry[];
    };
