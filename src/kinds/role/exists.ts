/**
 * The roles a desired model names — declared under `roles:`, owners, grantees, the roles default
 * privileges are for — that do not exist on the server: the plan fails on them, naming each and
 * where it is used, before anything is compared (src/plan-database.ts `checkRoles`). A declared
 * role of a file with `manage_roles: true` is not missing: the plan creates it.
 */
import type { Db } from '../../db/db.js';
import type { SchemaModel } from '../../model/types.js';
import { aclLabel } from '../grant/model.js';

/** A role the file names that the server lacks, with what the file uses it as. */
export interface MissingRole {
  readonly role: string;
  readonly declared: boolean;
  /** `owner of table app.users`, `grantee on column app.users.email`, … */
  readonly uses: readonly string[];
  /** The schema of its first use (for the diagnostic's position), when it is used in one. */
  readonly schema?: string;
}

/** What each role is used as in the model. */
export function roleUses(model: SchemaModel): Map<string, { uses: string[]; schema?: string }> {
  const out = new Map<string, { uses: string[]; schema?: string }>();
  const add = (role: string, use: string | undefined, schema?: string): void => {
    const seen = out.get(role) ?? { uses: [], ...(schema !== undefined ? { schema } : {}) };
    if (use !== undefined && !seen.uses.includes(use)) seen.uses.push(use);
    out.set(role, seen);
  };
  for (const r of model.roles) {
    add(r.name, undefined);
    for (const parent of r.memberOf ?? []) if (r.managed === true) add(parent, `role ${r.name} is a member of`);
  }
  for (const acl of model.acls) {
    if (acl.owner !== undefined) add(acl.owner, `owner of ${aclLabel(acl)}`, acl.schema);
    if (acl.on === 'default') add(acl.name, `role of ${aclLabel(acl)}`, acl.schema);
    for (const e of acl.grants ?? []) if (e.grantee !== 'PUBLIC') add(e.grantee, `grantee on ${aclLabel(acl)}`, acl.schema);
  }
  return out;
}

/** The declared roles the plan creates when missing (`manage_roles: true`): never reported missing. */
export function createdRoles(model: SchemaModel): Set<string> {
  return new Set(model.roles.filter((r) => r.managed === true).map((r) => r.name));
}

export async function missingRoles(db: Db, model: SchemaModel): Promise<MissingRole[]> {
  const uses = roleUses(model);
  for (const name of createdRoles(model)) uses.delete(name);
  if (uses.size === 0) return [];
  const { rows } = await db.query<{ name: string }>(
    'SELECT x.name FROM unnest($1::text[]) AS x(name) WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = x.name) ORDER BY x.name',
    [[...uses.keys()]],
  );
  const declared = new Set(model.roles.map((r) => r.name));
  return rows.map(({ name }) => {
    const use = uses.get(name)!;
    return { role: name, declared: declared.has(name), uses: use.uses, ...(use.schema !== undefined ? { schema: use.schema } : {}) };
  });
}
