/**
 * Owners and grants as written → the model's ACLs: `owner:` and `grants:` on a schema and on the
 * objects in it, `grants:` on a column, a schema's `default_owner` (the owner of its objects that
 * do not say one) and `default_privileges`. An ACL is made only for an object that says an owner
 * or grants (or whose schema says a default owner): nothing else is compared.
 */
import type { ModelDraft, KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { withoutTypmods } from '../function/raw.js';
import { parseFunctionKey } from '../function/resolve.js';
import type { AclEntry, AclOn, DefaultObjects, ObjectAcl } from './model.js';

/** The privileges of one role as written: a list, or with the grant option. */
export type RawGrant =
  readonly string[] | { readonly privileges: readonly string[]; readonly with_grant_option?: boolean | readonly string[] };

/** A `grants:` map: role (or PUBLIC) → its privileges. */
export type RawGrants = Readonly<Record<string, RawGrant>>;

/** What every object that has an owner may say (a type alias: each object's definition carries these properties). */
export type RawOwned = { readonly owner?: string; readonly grants?: RawGrants };

export type RawDefaultPrivileges = Readonly<Record<string, Readonly<Partial<Record<DefaultObjects, RawGrants>>>>>;

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly owner?: string;
    readonly grants?: RawGrants;
    readonly default_owner?: string;
    readonly default_privileges?: RawDefaultPrivileges;
  }
}
declare module '../table/raw.js' {
  interface RawTable {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../column/raw.js' {
  interface RawColumn {
    readonly grants?: RawGrants;
  }
}
declare module '../view/raw.js' {
  interface RawView {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
  interface RawMaterializedView {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../sequence/raw.js' {
  interface RawSequence {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../function/raw.js' {
  interface RawFunction {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
  interface RawProcedure {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../enum/raw.js' {
  interface RawEnum {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../composite-type/raw.js' {
  interface RawCompositeType {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../range-type/raw.js' {
  interface RawRangeType {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}
declare module '../domain/raw.js' {
  interface RawDomain {
    readonly owner?: string;
    readonly grants?: RawGrants;
  }
}

/** The privileges of a `grants:` map as entries (PUBLIC in any case is PUBLIC). */
export function grantEntries(grants: RawGrants): AclEntry[] {
  const out: AclEntry[] = [];
  for (const [role, grant] of entries(grants)) {
    const grantee = role.toUpperCase() === 'PUBLIC' ? 'PUBLIC' : role;
    const list = Array.isArray(grant) ? (grant as readonly string[]) : (grant as { privileges: readonly string[] }).privileges;
    const option = Array.isArray(grant) ? undefined : (grant as { with_grant_option?: boolean | readonly string[] }).with_grant_option;
    for (const privilege of list)
      out.push({ grantee, privilege, grantable: option === true || (Array.isArray(option) && option.includes(privilege)) });
  }
  return out;
}

/** A role name as written is the name (`PUBLIC` is not a role). */
export const isPublic = (role: string): boolean => role.toUpperCase() === 'PUBLIC';

const DEFAULT_OBJECTS: readonly DefaultObjects[] = ['tables', 'sequences', 'functions', 'types'];

/** Every object a schema body declares that has an owner, with what names it and its raw owner and grants. */
export function ownedObjects(
  schema: string,
  body: RawSchema,
  signature: (map: 'functions' | 'procedures', key: string) => readonly string[],
): { on: AclOn; name: string; signature?: readonly string[]; raw: RawOwned; path: (string | number)[] }[] {
  const out: { on: AclOn; name: string; signature?: readonly string[]; raw: RawOwned; path: (string | number)[] }[] = [];
  const add = (on: AclOn, map: string, objects: Readonly<Record<string, RawOwned | null>> | undefined): void => {
    for (const [name, raw] of entries(objects)) out.push({ on, name, raw: raw ?? {}, path: ['schemas', schema, map, name] });
  };
  add('table', 'tables', body.tables);
  add('view', 'views', body.views);
  add('materialized view', 'materialized_views', body.materialized_views);
  add('sequence', 'sequences', body.sequences);
  add('type', 'enums', body.enums);
  add('type', 'composite_types', body.composite_types);
  add('type', 'range_types', body.range_types);
  add('domain', 'domains', body.domains);
  for (const map of ['functions', 'procedures'] as const)
    for (const [key, raw] of entries<RawOwned>(body[map])) {
      const parsed = parseFunctionKey(key);
      out.push({
        on: map === 'functions' ? 'function' : 'procedure',
        name: 'name' in parsed ? parsed.name : key,
        signature: signature(map, key),
        raw,
        path: ['schemas', schema, map, key],
      });
    }
  return out;
}

function readGrants(schema: string, body: RawSchema, ctx: ToModelContext): void {
  const model: ModelDraft = ctx.model;
  const acl = (base: ObjectAcl, owner: string | undefined, grants: RawGrants | undefined): void => {
    if (owner === undefined && grants === undefined) return;
    model.acls.push({
      ...base,
      ...(owner !== undefined ? { owner } : {}),
      ...(grants !== undefined ? { grants: grantEntries(grants) } : {}),
    });
  };
  acl({ on: 'schema', schema, name: schema }, body.owner, body.grants);
  const signature = (map: 'functions' | 'procedures', key: string): readonly string[] => {
    const fn = body[map]?.[key];
    return (fn?.arguments ?? [])
      .map((arg, i) => ({ arg, i }))
      .filter(({ arg }) => arg.mode !== 'out')
      .map(({ arg, i }) =>
        withoutTypmods(ctx.type(arg.type, schema, 'argument', ['schemas', schema, map, key, 'arguments', i, 'type']).canonical),
      );
  };
  for (const object of ownedObjects(schema, body, signature)) {
    const owner = object.raw.owner ?? (object.on === 'sequence' && ownedByColumn(object.raw) ? undefined : body.default_owner);
    acl(
      { on: object.on, schema, name: object.name, ...(object.signature !== undefined ? { signature: object.signature } : {}) },
      owner,
      object.raw.grants,
    );
  }
  for (const [table, raw] of entries(body.tables))
    for (const [column, def] of entries(raw.columns))
      if (def.grants !== undefined) acl({ on: 'column', schema, name: table, sub: column }, undefined, def.grants);
  for (const [role, objects] of entries(body.default_privileges))
    for (const kind of DEFAULT_OBJECTS)
      model.acls.push({ on: 'default', schema, name: role, sub: kind, grants: grantEntries(objects[kind] ?? {}) });
}

/** A sequence OWNED BY a column follows its table's owner (ALTER TABLE … OWNER TO moves it too). */
const ownedByColumn = (raw: RawOwned): boolean => (raw as { owned_by?: unknown }).owned_by !== undefined;

export const grantRaw = { in: 'schema', read: readGrants } as const satisfies KindRaw;
