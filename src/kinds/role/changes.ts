/** Roles have no changes: they are declared, checked to exist, never created or altered. */
export type RoleChange = never;
