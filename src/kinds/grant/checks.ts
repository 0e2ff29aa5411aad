/**
 * Grants and owners: each privilege is one of PostgreSQL's for the kind of object it is granted
 * on; a role name is not empty and PUBLIC only as a grantee; when the document lists `roles:`,
 * every role it names is listed there.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import type { RawDocument } from '../raw.js';
import type { KindCheck } from '../kind.js';
import { DEFAULT_PRIVILEGES, PRIVILEGES, type DefaultObjects } from './model.js';
import { isPublic, ownedObjects, type RawGrants } from './raw.js';

/** A role the file names, and where. */
export interface RoleUse {
  readonly role: string;
  readonly path: DocPath;
  /** What the role is named as (`owner of table app.users`). */
  readonly as: string;
}

/** Every role a document names in owner, default_owner, grants and default_privileges (not PUBLIC). */
export function rolesUsed(doc: RawDocument): RoleUse[] {
  const out: RoleUse[] = [];
  const grants = (map: RawGrants | undefined, path: DocPath, on: string): void => {
    for (const [role] of entries(map)) if (!isPublic(role)) out.push({ role, path: [...path, role], as: `grantee on ${on}` });
  };
  for (const [schema, body] of entries(doc.schemas)) {
    if (body === null) continue;
    const at: DocPath = ['schemas', schema];
    if (body.owner !== undefined) out.push({ role: body.owner, path: [...at, 'owner'], as: `owner of schema ${schema}` });
    if (body.default_owner !== undefined)
      out.push({ role: body.default_owner, path: [...at, 'default_owner'], as: `default owner in schema ${schema}` });
    grants(body.grants, [...at, 'grants'], `schema ${schema}`);
    for (const o of ownedObjects(schema, body, () => [])) {
      const name = `${o.on} ${schema}.${o.name}`;
      if (o.raw.owner !== undefined) out.push({ role: o.raw.owner, path: [...o.path, 'owner'], as: `owner of ${name}` });
      grants(o.raw.grants, [...o.path, 'grants'], name);
    }
    for (const [table, raw] of entries(body.tables))
      for (const [column, def] of entries(raw.columns))
        grants(def.grants, [...at, 'tables', table, 'columns', column, 'grants'], `column ${schema}.${table}.${column}`);
    for (const [role, objects] of entries(body.default_privileges)) {
      out.push({ role, path: [...at, 'default_privileges', role], as: `role of default privileges in schema ${schema}` });
      for (const [kind, map] of Object.entries(objects))
        grants(map, [...at, 'default_privileges', role, kind], `${kind} ${role} creates in ${schema}`);
    }
  }
  return out;
}

function checkGrantMap(c: Checker, map: RawGrants | undefined, path: DocPath, allowed: readonly string[], on: string): void {
  for (const [role, grant] of entries(map)) {
    const list = Array.isArray(grant) ? (grant as readonly string[]) : (grant as { privileges: readonly string[] }).privileges;
    list.forEach((privilege, i) => {
      if (!allowed.includes(privilege))
        c.report(
          [...path, role, ...(Array.isArray(grant) ? [] : ['privileges']), i],
          `${privilege} is not a privilege of ${on}: ${allowed.join(', ')}`,
        );
    });
  }
}

function checkSchemaGrants(c: Checker, at: SchemaScope): void {
  const { schema, body } = at;
  checkGrantMap(c, body.grants, [...at.path, 'grants'], PRIVILEGES.schema, 'a schema');
  for (const o of ownedObjects(schema, body, () => [])) {
    if (o.on === 'default') continue;
    checkGrantMap(c, o.raw.grants, [...o.path, 'grants'], PRIVILEGES[o.on], `a ${o.on}`);
  }
  for (const [table, raw] of entries(body.tables))
    for (const [column, def] of entries(raw.columns))
      checkGrantMap(c, def.grants, [...at.path, 'tables', table, 'columns', column, 'grants'], PRIVILEGES.column, 'a column');
  for (const [role, objects] of entries(body.default_privileges)) {
    if (isPublic(role))
      c.report([...at.path, 'default_privileges', role], 'default privileges are for a role that creates objects, not PUBLIC', 'key');
    for (const [kind, map] of Object.entries(objects) as [DefaultObjects, RawGrants][])
      checkGrantMap(c, map, [...at.path, 'default_privileges', role, kind], DEFAULT_PRIVILEGES[kind], kind);
  }
}

function checkRoles(c: Checker): void {
  for (const use of rolesUsed(c.raw)) {
    const last = use.path[use.path.length - 1];
    const where = typeof last === 'string' && last === use.role ? 'key' : 'value';
    c.checkName(use.path, use.role, 'role', where);
    if (isPublic(use.role) && where === 'value') c.report(use.path, `PUBLIC is not a role: it cannot be the ${use.as}`, where);
    else if (c.raw.roles !== undefined && !Object.hasOwn(c.raw.roles, use.role))
      c.report(use.path, `role ${use.role} (${use.as}) is not listed under roles:`, where);
  }
}

export const grantChecks: readonly KindCheck[] = [
  { in: 'schema', check: checkSchemaGrants },
  { in: 'document', check: checkRoles },
];
