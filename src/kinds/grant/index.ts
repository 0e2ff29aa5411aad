/**
 * Grants, owners and default privileges: `owner:` and `grants:` on schemas and the objects in
 * them, `grants:` on columns, a schema's `default_owner` and `default_privileges`. Compared only
 * where the file says them (docs/format.md, "Grants and owners").
 */
import type { ObjectRef } from '../../model/object-ref.js';
import type { ObjectKind } from '../kind.js';
import { sortPath } from '../shared.js';
import type { GrantChange } from './changes.js';
import { grantChecks } from './checks.js';
import { grantDiff } from './diff.js';
import { grantFormat } from './format-schema.js';
import { grantIntrospect } from './introspect.js';
import { aclKey, aclLabel, grantModel, type ObjectAcl } from './model.js';
import { grantPull } from './pull.js';
import { grantRaw } from './raw.js';
import { grantRefs } from './refs.js';
import { setGrantsSteps, setOwnerSteps } from './steps.js';

/** The object an ACL is on, as a step's target. */
function aclRef(acl: ObjectAcl): ObjectRef {
  switch (acl.on) {
    case 'schema':
    case 'default':
      return { kind: 'schema', name: acl.schema };
    case 'table':
      return { kind: 'table', schema: acl.schema, name: acl.name };
    case 'view':
    case 'materialized view':
      return { kind: 'view', schema: acl.schema, name: acl.name };
    case 'sequence':
      return { kind: 'sequence', schema: acl.schema, name: acl.name };
    case 'function':
    case 'procedure':
      return { kind: 'function', schema: acl.schema, name: acl.name, signature: acl.signature ?? [] };
    case 'type':
    case 'domain':
      return { kind: 'type', schema: acl.schema, name: acl.name };
    case 'column':
      return { kind: 'column', schema: acl.schema, name: acl.name, sub: acl.sub ?? '' };
  }
}

const plainEntries = (list: readonly { grantee: string; privilege: string; grantable: boolean }[]): string[] =>
  list.map((e) => `${e.grantee}: ${e.privilege}${e.grantable ? ' with grant option' : ''}`).sort();

export const grantKind: ObjectKind<GrantChange, typeof grantModel, typeof grantRefs, 'grant'> = {
  name: 'grant',
  format: grantFormat,
  model: grantModel,
  raw: grantRaw,
  checks: grantChecks,
  pull: grantPull,
  refs: grantRefs,
  diff: grantDiff,
  introspect: grantIntrospect,
  phase: { create: 12, drop: 12 },
  // Privileges of tables and sequences were reported as unmanaged: they are written now.
  covers: ['privileges'],
  // Grants before owners: an owner taken from the deployer may need the CREATE on its schema a
  // grant gives (ALTER … OWNER TO checks it), and grants made before move with the object.
  changes: {
    set_grants: {
      steps: (c) => setGrantsSteps(c),
      target: (c) => aclRef(c.acl),
      sortKey: (c) => sortPath(aclKey(c.acl)),
      describe: (c) => {
        const revoked = new Set([...c.revoke, ...c.revokeOption].map((e) => JSON.stringify([e.grantee, e.privilege])));
        const after = [
          ...c.before.filter((e) => !revoked.has(JSON.stringify([e.grantee, e.privilege]))),
          ...c.revokeOption.map((e) => ({ ...e, grantable: false })),
          ...c.grant,
        ].filter(
          (e, i, all) => all.findIndex((x) => x.grantee === e.grantee && x.privilege === e.privilege && x.grantable === e.grantable) === i,
        );
        const merged = after.filter(
          (e) => !(e.grantable === false && after.some((x) => x.grantee === e.grantee && x.privilege === e.privilege && x.grantable)),
        );
        return [
          {
            object: aclLabel(c.acl),
            kind: c.acl.on === 'default' ? 'default privileges' : 'grants',
            action: 'changed',
            what: ['grants'],
            before: { grants: plainEntries(c.before) },
            after: { grants: plainEntries(merged) },
          },
        ];
      },
    },
    set_owner: {
      steps: (c) => setOwnerSteps(c),
      target: (c) => aclRef(c.acl),
      sortKey: (c) => sortPath(aclKey(c.acl)),
      describe: (c) => [
        {
          object: aclLabel(c.acl),
          kind: 'owner',
          action: 'changed',
          what: ['owner'],
          before: { owner: c.from ?? null },
          after: { owner: c.to },
        },
      ],
    },
  },
  drops: [],
};
