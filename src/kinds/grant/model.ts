/**
 * Grants and owners in the model: one `ObjectAcl` per object the file says an owner or grants
 * for (desired side), or per object of a managed schema (live side), and one per role a schema's
 * `default_privileges` names and kind of object (the `default` entries). The diff compares only
 * what the desired side says (docs/format.md, "Grants and owners").
 */
import { compareText } from '../../model/canonical.js';
import type { ModelList } from '../kind.js';

/** What an ACL is on: the object kinds GRANT and ALTER … OWNER TO name, and `default` (ALTER DEFAULT PRIVILEGES). */
export type AclOn =
  'schema' | 'table' | 'view' | 'materialized view' | 'sequence' | 'function' | 'procedure' | 'type' | 'domain' | 'column' | 'default';

/** The kinds of object default privileges are given for in a schema (pg_default_acl.defaclobjtype). */
export type DefaultObjects = 'tables' | 'sequences' | 'functions' | 'types';

/** One privilege held by one role (or PUBLIC), with or without the grant option. */
export interface AclEntry {
  /** The role name, or `PUBLIC`. */
  readonly grantee: string;
  /** Lower case: `select`, `usage`, … */
  readonly privilege: string;
  readonly grantable: boolean;
}

export interface ObjectAcl {
  readonly on: AclOn;
  readonly schema: string;
  /** The object's name; a schema's own name for `schema`; the role the defaults are for (FOR ROLE) for `default`. */
  readonly name: string;
  /** The column (`column`: `name` is its table), or the kind of objects (`default`). */
  readonly sub?: string;
  /** A function's or procedure's input argument types. */
  readonly signature?: readonly string[];
  /** The owning role (live: always, but for columns and defaults; desired: when the file says one). */
  readonly owner?: string;
  /** What every role but the owner holds (desired: absent when the file does not say, then not compared). */
  readonly grants?: readonly AclEntry[];
}

/** The privileges each kind of object takes (PostgreSQL's list, docs "Privileges", table 5.2). */
export const PRIVILEGES: Readonly<Record<Exclude<AclOn, 'default'>, readonly string[]>> = {
  schema: ['usage', 'create'],
  table: ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'maintain'],
  view: ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'maintain'],
  'materialized view': ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'maintain'],
  sequence: ['usage', 'select', 'update'],
  function: ['execute'],
  procedure: ['execute'],
  type: ['usage'],
  domain: ['usage'],
  column: ['select', 'insert', 'update', 'references'],
};

/** The privileges default privileges may give, per kind of object. */
export const DEFAULT_PRIVILEGES: Readonly<Record<DefaultObjects, readonly string[]>> = {
  tables: PRIVILEGES.table,
  sequences: PRIVILEGES.sequence,
  functions: ['execute'],
  types: ['usage'],
};

/**
 * What roles other than the owner hold when the ACL is the default one (acldefault): PUBLIC may
 * execute functions and use types; nothing else is granted.
 */
export function defaultGrants(acl: Pick<ObjectAcl, 'on'>): readonly AclEntry[] {
  if (acl.on === 'function' || acl.on === 'procedure') return [{ grantee: 'PUBLIC', privilege: 'execute', grantable: false }];
  if (acl.on === 'type' || acl.on === 'domain') return [{ grantee: 'PUBLIC', privilege: 'usage', grantable: false }];
  return [];
}

/** The key of an ACL's object (one per object and kind of ACL). */
export function aclKey(acl: Pick<ObjectAcl, 'on' | 'schema' | 'name' | 'sub' | 'signature'>): string {
  const on = acl.on === 'procedure' ? 'function' : acl.on;
  return JSON.stringify([on, acl.schema, acl.name, acl.sub ?? null, acl.signature ?? null]);
}

export const compareEntries = (a: AclEntry, b: AclEntry): number =>
  compareText(a.grantee, b.grantee) || compareText(a.privilege, b.privilege) || Number(a.grantable) - Number(b.grantable);

/** An ACL as reports and labels name its object: `table app.users`, `column app.users.email`, `function app.f(integer)`. */
export function aclLabel(acl: ObjectAcl): string {
  if (acl.on === 'schema') return `schema ${acl.schema}`;
  if (acl.on === 'column') return `column ${acl.schema}.${acl.name}.${acl.sub ?? ''}`;
  if (acl.on === 'default') return `default privileges for ${acl.name} on ${acl.sub ?? ''} in ${acl.schema}`;
  if (acl.on === 'function' || acl.on === 'procedure') return `${acl.on} ${acl.schema}.${acl.name}(${(acl.signature ?? []).join(', ')})`;
  return `${acl.on} ${acl.schema}.${acl.name}`;
}

export const grantModel: ModelList<'acls', ObjectAcl> = {
  property: 'acls',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  // Each key made once (a live schema holds an ACL per table and sequence: 10,000 at 5,000 tables),
  // not twice per comparison; the order is the same.
  normalize: (acls) =>
    acls
      .map((a) => {
        const acl = a.grants === undefined || a.grants.length < 2 ? a : { ...a, grants: [...a.grants].sort(compareEntries) };
        return { acl, key: aclKey(acl) };
      })
      .sort((a, b) => compareText(a.key, b.key))
      .map((k) => k.acl),
  form: (a) => a,
  label: (a) => `acl ${aclLabel(a)}`,
  // Read for every object of a managed schema: those holding only PostgreSQL's default privileges
  // are left out of the live fingerprints, as fingerprints recorded before this kind have none
  // (an owner changed alone then does not make a plan stale; drift and the next plan still see it).
  inLiveFingerprint: (a) => a.on === 'default' || !sameEntries(a.grants ?? [], usualGrants(a)),
};

/**
 * What an object's roles other than its owner usually hold: the default ACL's (`defaultGrants`),
 * and for the schema `public`, made with USAGE for PUBLIC, that.
 */
export function usualGrants(acl: Pick<ObjectAcl, 'on' | 'schema'>): readonly AclEntry[] {
  return acl.on === 'schema' && acl.schema === 'public'
    ? [{ grantee: 'PUBLIC', privilege: 'usage', grantable: false }]
    : defaultGrants(acl);
}

/** The same entries, in any order. */
export function sameEntries(a: readonly AclEntry[], b: readonly AclEntry[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  const key = (e: AclEntry): string => `${e.grantee}\u0000${e.privilege}\u0000${String(e.grantable)}`;
  const keys = new Set(a.map(key));
  return b.every((e) => keys.has(key(e)));
}
