/**
 * Grants and owners: for each object the file says an owner or grants for, the owner is set when
 * it differs, and the privileges of the other roles are made exactly the declared ones (granted,
 * revoked, the grant option given or taken). An object the plan creates, or drops and creates
 * again, starts from the default ACL (acldefault). Objects the file says nothing about are left
 * alone (docs/format.md, "Grants and owners").
 */
import type { Change } from '../../diff/changes.js';
import { columnAfterRenames, tableAfterRenames } from '../../diff/context.js';
import type { DiffContext } from '../../diff/context.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { nameKey } from '../../model/object-ref.js';
import { aclKey, defaultGrants, type AclEntry, type ObjectAcl } from './model.js';

/** The grant kind's diff (`ObjectKind.diff`). */
export const grantDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => diffAcls(d.want.acls, d.have.acls, d.ctx, recreated(d.earlier)),
};

/** The objects the plan drops (and, when the file keeps them, creates again): their ACLs start over. */
function recreated(earlier: readonly Change[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const c of earlier) {
    const object =
      c.kind === 'drop_table'
        ? c.table
        : c.kind === 'drop_view'
          ? c.view
          : c.kind === 'drop_function'
            ? c.fn
            : c.kind === 'drop_sequence'
              ? c.sequence
              : c.kind === 'drop_enum'
                ? c.enum
                : c.kind === 'drop_domain'
                  ? c.domain
                  : c.kind === 'drop_composite_type' || c.kind === 'drop_range_type'
                    ? c.type
                    : undefined;
    if (object !== undefined) out.add(nameKey(object.schema, object.name));
  }
  return out;
}

/** A live ACL under the names the plan's table and column renames give it. */
function afterRenames(ctx: DiffContext, acl: ObjectAcl): ObjectAcl {
  if (acl.on !== 'table' && acl.on !== 'column') return acl;
  const table = tableAfterRenames(ctx, acl);
  const sub = acl.on === 'column' && acl.sub !== undefined ? columnAfterRenames(ctx, acl, acl.sub) : acl.sub;
  return { ...acl, schema: table.schema, name: table.name, ...(sub !== undefined ? { sub } : {}) };
}

const entryKey = (e: AclEntry): string => JSON.stringify([e.grantee, e.privilege]);

/**
 * @example
 * diffAcls([{ on: 'table', schema: 'app', name: 't', grants: [{ grantee: 'r', privilege: 'select', grantable: false }] }],
 *          [{ on: 'table', schema: 'app', name: 't', owner: 'o', grants: [] }], ctx, new Set())
 * // [{ kind: 'set_grants', acl: …, grant: [{ grantee: 'r', privilege: 'select', grantable: false }], revoke: [], revokeOption: [], before: [] }]
 */
export function diffAcls(
  desired: readonly ObjectAcl[],
  live: readonly ObjectAcl[],
  ctx: DiffContext,
  dropped: ReadonlySet<string>,
): Change[] {
  // Only what the file says an owner or grants for is compared.
  if (desired.length === 0) return [];
  const liveByKey = new Map<string, ObjectAcl>();
  for (const acl of live) {
    if (acl.on !== 'default' && acl.on !== 'schema' && dropped.has(nameKey(acl.schema, acl.name))) continue;
    const renamed = afterRenames(ctx, acl);
    liveByKey.set(aclKey(renamed), renamed);
  }
  const changes: Change[] = [];
  for (const want of desired) {
    const have = liveByKey.get(aclKey(want));
    if (want.owner !== undefined && have?.owner !== want.owner)
      changes.push({ kind: 'set_owner', acl: bare(want), ...(have?.owner !== undefined ? { from: have.owner } : {}), to: want.owner });
    if (want.grants === undefined) continue;
    // The owner's own rights are implicit: an entry naming the owner (after the plan) is not compared.
    const owner = want.owner ?? have?.owner;
    const notOwner = (e: AclEntry): boolean => e.grantee !== owner;
    const before = (have?.grants ?? defaultGrants(want)).filter(notOwner);
    const desiredGrants = want.grants.filter(notOwner);
    const held = new Map(before.map((e) => [entryKey(e), e]));
    const wanted = new Map(desiredGrants.map((e) => [entryKey(e), e]));
    const grant = desiredGrants.filter((e) => {
      const h = held.get(entryKey(e));
      return h === undefined || (e.grantable && !h.grantable);
    });
    const revoke = before.filter((e) => !wanted.has(entryKey(e)));
    const revokeOption = before.filter((e) => e.grantable && wanted.get(entryKey(e))?.grantable === false);
    if (grant.length + revoke.length + revokeOption.length === 0) continue;
    changes.push({ kind: 'set_grants', acl: bare(want), grant, revoke, revokeOption, before });
  }
  return changes;
}

/** What names the object of an ACL (without its owner and grants). */
function bare(acl: ObjectAcl): ObjectAcl {
  const { owner: _owner, grants: _grants, ...rest } = acl;
  return rest;
}
