/**
 * Steps for grants and owners: ALTER … OWNER TO, GRANT and REVOKE (one statement per role and
 * grant option), ALTER DEFAULT PRIVILEGES. Role names are always quoted identifiers (PUBLIC is
 * the keyword); privileges are words of PostgreSQL's list for the object's kind (checked here
 * again: nothing else reaches the SQL). Revokes and owner changes carry `revokes_privileges`,
 * naming who loses which right.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { qualify, quoteIdent } from '../../model/ident.js';
import { functionKey } from '../../model/object-ref.js';
import type { Hazard } from '../../plan/hazards.js';
import { key } from '../../plan/references.js';
import { typeSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { aclLabel, DEFAULT_PRIVILEGES, PRIVILEGES, type AclEntry, type DefaultObjects, type ObjectAcl } from './model.js';

/** A role in GRANT, REVOKE and OWNER TO: PUBLIC, or a quoted identifier. */
export const roleSql = (role: string): string => (role === 'PUBLIC' ? 'PUBLIC' : quoteIdent(role));

const q = (acl: ObjectAcl): string => qualify({ schema: acl.schema, name: acl.name });

const signatureSql = (acl: ObjectAcl): string => `${q(acl)}(${(acl.signature ?? []).map(typeSql).join(', ')})`;

/** The object as GRANT names it (`TABLE "app"."users"`). */
function grantObjectSql(acl: ObjectAcl): string {
  switch (acl.on) {
    case 'schema':
      return `SCHEMA ${quoteIdent(acl.schema)}`;
    case 'table':
    case 'view':
    case 'materialized view':
    case 'column':
      return `TABLE ${q(acl)}`;
    case 'sequence':
      return `SEQUENCE ${q(acl)}`;
    case 'function':
      return `FUNCTION ${signatureSql(acl)}`;
    case 'procedure':
      return `PROCEDURE ${signatureSql(acl)}`;
    case 'type':
      return `TYPE ${q(acl)}`;
    case 'domain':
      return `DOMAIN ${q(acl)}`;
    case 'default':
      throw new Error('default privileges are not granted on one object');
  }
}

/** The object as ALTER … OWNER TO names it (`VIEW "app"."v"`). */
function ownerObjectSql(acl: ObjectAcl): string {
  switch (acl.on) {
    case 'schema':
      return `SCHEMA ${quoteIdent(acl.schema)}`;
    case 'table':
      return `TABLE ${q(acl)}`;
    case 'view':
      return `VIEW ${q(acl)}`;
    case 'materialized view':
      return `MATERIALIZED VIEW ${q(acl)}`;
    case 'sequence':
      return `SEQUENCE ${q(acl)}`;
    case 'function':
      return `FUNCTION ${signatureSql(acl)}`;
    case 'procedure':
      return `PROCEDURE ${signatureSql(acl)}`;
    case 'type':
      return `TYPE ${q(acl)}`;
    case 'domain':
      return `DOMAIN ${q(acl)}`;
    case 'column':
    case 'default':
      throw new Error(`a ${acl.on} has no owner of its own`);
  }
}

/** The key of the object an ACL is on: its step runs once the object exists. */
function objectKey(acl: ObjectAcl): string {
  const name = { schema: acl.schema, name: acl.name };
  switch (acl.on) {
    case 'schema':
    case 'default':
      return key.schema(acl.schema);
    case 'table':
      return key.table(name);
    case 'view':
    case 'materialized view':
      return key.view(name);
    case 'sequence':
      return key.sequence(name);
    case 'function':
    case 'procedure':
      return functionKey({ ...name, arguments: (acl.signature ?? []).map((type) => ({ type, mode: 'in' })) });
    case 'type':
    case 'domain':
      return key.type(name);
    case 'column':
      return key.column(name, acl.sub ?? '');
  }
}

/** The privileges an ACL's object takes. */
const allowed = (acl: ObjectAcl): readonly string[] =>
  acl.on === 'default' ? DEFAULT_PRIVILEGES[acl.sub as DefaultObjects] : PRIVILEGES[acl.on];

/** A privilege as SQL: one of the object's words, upper case (and the column list for a column). */
function privilegeSql(acl: ObjectAcl, privilege: string): string {
  if (!allowed(acl).includes(privilege)) throw new Error(`${privilege} is not a privilege of a ${acl.on}`);
  return acl.on === 'column' ? `${privilege.toUpperCase()} (${quoteIdent(acl.sub ?? '')})` : privilege.toUpperCase();
}

/** Entries grouped per role and grant option, roles in order. */
function byRole(list: readonly AclEntry[]): { grantee: string; grantable: boolean; privileges: string[] }[] {
  const groups = new Map<string, { grantee: string; grantable: boolean; privileges: string[] }>();
  for (const e of list) {
    const k = JSON.stringify([e.grantee, e.grantable]);
    const group = groups.get(k) ?? { grantee: e.grantee, grantable: e.grantable, privileges: [] };
    group.privileges.push(e.privilege);
    groups.set(k, group);
  }
  return [...groups.values()];
}

const stepWord = (acl: ObjectAcl): 'grant' | 'default privileges' => (acl.on === 'default' ? 'default privileges' : 'grant');

/** The object as a step's header names it (a column by its name under its table; default privileges by their role, objects and schema). */
function display(acl: ObjectAcl): string {
  if (acl.on === 'column') return acl.sub ?? '';
  if (acl.on === 'default') return `for ${acl.name} on ${acl.sub ?? ''} in ${acl.schema}`;
  return aclLabel(acl).replace(/^(schema|table|view|materialized view|sequence|function|procedure|type|domain) /, '');
}

/** `GRANT … ON … TO …` or its ALTER DEFAULT PRIVILEGES form. */
function grantSql(
  acl: ObjectAcl,
  verb: 'GRANT' | 'REVOKE' | 'REVOKE GRANT OPTION FOR',
  privileges: readonly string[],
  grantee: string,
  withOption: boolean,
): string {
  const list = privileges.map((p) => privilegeSql(acl, p)).join(', ');
  const to = verb === 'GRANT' ? 'TO' : 'FROM';
  const option = withOption && verb === 'GRANT' ? ' WITH GRANT OPTION' : '';
  if (acl.on === 'default')
    return `ALTER DEFAULT PRIVILEGES FOR ROLE ${roleSql(acl.name)} IN SCHEMA ${quoteIdent(acl.schema)} ${verb} ${list} ON ${(acl.sub ?? '').toUpperCase()} ${to} ${roleSql(grantee)}${option}`;
  if (acl.on === 'column') {
    const cols = privileges.map((p) => privilegeSql(acl, p)).join(', ');
    return `${verb} ${cols} ON ${grantObjectSql(acl)} ${to} ${roleSql(grantee)}${option}`;
  }
  return `${verb} ${list} ON ${grantObjectSql(acl)} ${to} ${roleSql(grantee)}${option}`;
}

/** The keys of the roles a step names (PUBLIC is none): their create runs first when the plan creates them. */
export function roleKeys(roles: readonly string[]): string[] {
  return roles.filter((r) => r !== 'PUBLIC').map((r) => key.role(r));
}

const loses = (grantee: string, what: string, acl: ObjectAcl): Hazard => ({
  kind: 'revokes_privileges',
  message: `${grantee} loses ${what} on ${aclLabel(acl)}`,
});

export function setGrantsSteps(change: ChangeOf<'set_grants'>): StepDraft[] {
  const acl = change.acl;
  const base = {
    action: 'alter' as const,
    objectKind: stepWord(acl),
    object: display(acl),
    ...(acl.on === 'column' ? { parent: `${acl.schema}.${acl.name}` } : {}),
    change: change.kind,
    requires: [objectKey(acl)],
  };
  const steps: StepDraft[] = [];
  for (const g of byRole(change.revoke))
    steps.push(
      draft({
        ...base,
        sql: grantSql(acl, 'REVOKE', g.privileges, g.grantee, false),
        detail: `revoke ${g.privileges.join(', ')} from ${g.grantee}`,
        hazards: [loses(g.grantee, g.privileges.join(', ').toUpperCase(), acl)],
      }),
    );
  for (const g of byRole(change.revokeOption))
    steps.push(
      draft({
        ...base,
        sql: grantSql(acl, 'REVOKE GRANT OPTION FOR', g.privileges, g.grantee, false),
        detail: `revoke grant option for ${g.privileges.join(', ')} from ${g.grantee}`,
        hazards: [loses(g.grantee, `the grant option for ${g.privileges.join(', ').toUpperCase()}`, acl)],
      }),
    );
  for (const g of byRole(change.grant))
    steps.push(
      draft({
        ...base,
        sql: grantSql(acl, 'GRANT', g.privileges, g.grantee, g.grantable),
        detail: `grant ${g.privileges.join(', ')} to ${g.grantee}${g.grantable ? ' with grant option' : ''}`,
        // After the plan creates the role (manage_roles), when it does.
        requires: [...base.requires, ...roleKeys(acl.on === 'default' ? [acl.name, g.grantee] : [g.grantee])],
      }),
    );
  return steps;
}

export function setOwnerSteps(change: ChangeOf<'set_owner'>): StepDraft[] {
  const acl = change.acl;
  return [
    draft({
      sql: `ALTER ${ownerObjectSql(acl)} OWNER TO ${roleSql(change.to)}`,
      action: 'alter',
      objectKind: 'owner',
      object: display(acl),
      change: change.kind,
      detail: change.from !== undefined ? `owner ${change.from} → ${change.to}` : `owner ${change.to}`,
      hazards: change.from !== undefined ? [loses(change.from, 'ownership', acl)] : [],
      requires: [objectKey(acl), ...roleKeys([change.to])],
    }),
  ];
}
