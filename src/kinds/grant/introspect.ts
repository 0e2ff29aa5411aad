/** Owners and privileges read from the catalog: ./acls.sql → the model's ACLs (one per object, in managed schemas). */
import { catalogQuery } from '../../introspect/catalog-query.js';
import type { KindIntrospect } from '../../introspect/model-draft.js';
import type { AclEntry, AclOn, ObjectAcl } from './model.js';

export interface AclRow {
  readonly on: AclOn;
  readonly schema: string;
  readonly name: string;
  readonly sub: string | null;
  readonly signature: readonly string[] | null;
  readonly owner: string | null;
  readonly grants: readonly AclEntry[];
}

export const aclsQuery = catalogQuery<AclRow>('acls', new URL('./acls.sql', import.meta.url), 'second');

/** One entry per role and privilege: granted by several grantors, it is held with the grant option when any gives it. */
export function mergeEntries(list: readonly AclEntry[]): AclEntry[] {
  // No grants but the owner's, as most objects have: nothing to merge.
  if (list.length < 2) return [...list];
  const byKey = new Map<string, AclEntry>();
  for (const e of list) {
    const k = JSON.stringify([e.grantee, e.privilege]);
    const seen = byKey.get(k);
    byKey.set(k, seen === undefined ? e : { ...seen, grantable: seen.grantable || e.grantable });
  }
  return [...byKey.values()];
}

export const grantIntrospect: KindIntrospect = {
  queries: [aclsQuery],
  build: (rows, draft) => {
    for (const r of rows.of(aclsQuery)) {
      if (r.on === 'schema' ? !draft.managedSchemas.has(r.schema) : !draft.managed(r.schema, r.name)) continue;
      const acl: ObjectAcl = {
        on: r.on,
        schema: r.schema,
        name: r.name,
        ...(r.sub !== null ? { sub: r.sub } : {}),
        ...(r.signature !== null ? { signature: r.signature } : {}),
        ...(r.owner !== null && r.on !== 'column' ? { owner: r.owner } : {}),
        grants: mergeEntries(r.grants),
      };
      draft.model.acls.push(acl);
    }
  },
};
