/**
 * The grant kind's part of the pull writer: `owner` and `grants` of schemas and tables, a
 * schema's `default_owner` and `default_privileges`, and the entries the other kinds' writers
 * put into their objects' maps (`aclEntries`). What pull writes (docs/format.md, "Grants and
 * owners"): a schema's `default_owner` when every object of it that has an owner shares one
 * (then an object's `owner` only where it differs); `grants` only where they differ from the
 * default ACL, so that a pulled file compares grants exactly where the database has some.
 */
import type { PullContext } from '../../pull/writer-context.js';
import { yamlBool, yamlMap, yamlSeq, yamlString, type YamlNode } from '../../pull/yaml-writer.js';
import type { PullEntry, PullPlacement } from '../kind.js';
import { aclKey, compareEntries, sameEntries, usualGrants, type AclEntry, type AclOn, type ObjectAcl } from './model.js';

/** A `grants:` map: role → its privileges (a flow list, or `{ privileges, with_grant_option }`). */
export function grantsNode(list: readonly AclEntry[]): YamlNode {
  const byRole = new Map<string, { plain: string[]; option: string[] }>();
  for (const e of [...list].sort(compareEntries)) {
    const group = byRole.get(e.grantee) ?? { plain: [], option: [] };
    (e.grantable ? group.option : group.plain).push(e.privilege);
    byRole.set(e.grantee, group);
  }
  const entries: [string, YamlNode][] = [];
  for (const [role, { plain, option }] of byRole) {
    if (option.length === 0) entries.push([role, yamlSeq(plain.map(yamlString), 'flow')]);
    else if (plain.length === 0)
      entries.push([
        role,
        yamlMap(
          [
            ['privileges', yamlSeq(option.map(yamlString), 'flow')],
            ['with_grant_option', yamlBool(true)],
          ],
          'flow',
        ),
      ]);
    else
      entries.push([
        role,
        yamlMap(
          [
            ['privileges', yamlSeq([...plain, ...option].sort().map(yamlString), 'flow')],
            ['with_grant_option', yamlSeq(option.map(yamlString), 'flow')],
          ],
          'flow',
        ),
      ]);
  }
  return yamlMap(entries, 'block');
}

/** The ACL the live model has for an object. */
function aclOf(
  ctx: PullContext,
  on: AclOn,
  schema: string,
  name: string,
  extra: { sub?: string; signature?: readonly string[] } = {},
): ObjectAcl | undefined {
  const k = aclKey({ on, schema, name, ...extra });
  return ctx.model.acls.find((a) => aclKey(a) === k);
}

/**
 * Whether pull writes owners at all: only when the owned objects do not all share one owner
 * (pg_database_owner, which owns `public` from PostgreSQL 15 on, not counted).
 */
function writesOwners(ctx: PullContext): boolean {
  const owners = new Set(ctx.model.acls.map((a) => a.owner).filter((o) => o !== undefined && o !== 'pg_database_owner'));
  return owners.size > 1;
}

/** The schema's `default_owner`: the owner every owned object of it shares (none when they differ or there are none). */
export function schemaDefaultOwner(ctx: PullContext, schema: string): string | undefined {
  if (!writesOwners(ctx)) return undefined;
  const owners = new Set(
    ctx.model.acls.filter((a) => a.schema === schema && a.on !== 'schema' && a.owner !== undefined).map((a) => a.owner),
  );
  return owners.size === 1 ? [...owners][0] : undefined;
}

/** The `owner` and `grants` entries of an object's map (left out where they say nothing new). */
export function aclEntries(
  ctx: PullContext,
  on: AclOn,
  schema: string,
  name: string,
  extra: { sub?: string; signature?: readonly string[] } = {},
): PullEntry[] {
  const acl = aclOf(ctx, on, schema, name, extra);
  if (acl === undefined) return [];
  const fallback = on === 'schema' ? undefined : schemaDefaultOwner(ctx, schema);
  const grants = acl.grants ?? [];
  // `public` is made with USAGE for PUBLIC (its owner pg_database_owner): that is its default.
  const usual = usualGrants(acl);
  return [
    ['owner', writesOwners(ctx) && acl.owner !== undefined && acl.owner !== fallback ? yamlString(acl.owner) : undefined],
    ['grants', sameEntries(grants, usual) ? undefined : grantsNode(grants)],
  ];
}

function defaultPrivilegesNode(ctx: PullContext, schema: string): YamlNode | undefined {
  const defaults = ctx.model.acls.filter((a) => a.on === 'default' && a.schema === schema && (a.grants ?? []).length > 0);
  if (defaults.length === 0) return undefined;
  const roles = [...new Set(defaults.map((d) => d.name))].sort();
  return yamlMap(
    roles.map((role) => [
      role,
      yamlMap(
        (['tables', 'sequences', 'functions', 'types'] as const).map((kind) => {
          const d = defaults.find((x) => x.name === role && x.sub === kind);
          return [kind, d !== undefined ? grantsNode(d.grants ?? []) : undefined] as const;
        }),
        'block',
      ),
    ]),
    'block',
  );
}

export const grantPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    before: 'enums',
    entries: (ctx, schema) => {
      const owner = schemaDefaultOwner(ctx, schema);
      return [
        ...aclEntries(ctx, 'schema', schema, schema),
        ['default_owner', owner !== undefined ? yamlString(owner) : undefined],
        ['default_privileges', defaultPrivilegesNode(ctx, schema)],
      ];
    },
  },
  {
    in: 'table',
    before: 'columns',
    entries: (ctx, table) => aclEntries(ctx, 'table', table.schema, table.name),
  },
];
