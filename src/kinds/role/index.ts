/**
 * Roles: the cluster's roles the file refers to (`roles:`), declared so that a missing one is
 * named before anything runs (./exists.ts). With `manage_roles: true` the plan creates the
 * declared roles the server lacks, alters the attributes and memberships the file gives, and sets
 * a created role's password from an environment variable (./steps.ts); roles are never dropped.
 */
import { added, changed } from '../../drift/items.js';
import { displayIdent } from '../../model/ident.js';
import type { ObjectKind } from '../kind.js';
import type { RoleChange } from './changes.js';
import { roleChecks } from './checks.js';
import { roleDiff } from './diff.js';
import { roleFormat } from './format-schema.js';
import { roleIntrospect } from './introspect.js';
import { roleModel } from './model.js';
import { rolePull } from './pull.js';
import { roleRaw } from './raw.js';
import { roleRefs } from './refs.js';
import { alterRoleSteps, createRoleSteps } from './steps.js';

export const roleKind: ObjectKind<RoleChange, typeof roleModel, typeof roleRefs, 'role'> = {
  name: 'role',
  format: roleFormat,
  model: roleModel,
  raw: roleRaw,
  checks: roleChecks,
  pull: rolePull,
  refs: roleRefs,
  diff: roleDiff,
  introspect: roleIntrospect,
  phase: { create: 0, drop: 0 },
  changes: {
    create_role: {
      steps: (c) => createRoleSteps(c),
      target: (c) => ({ kind: 'role', name: c.role.name }),
      sortKey: (c) => c.role.name,
      describe: (c) => added(displayIdent(c.role.name), 'role', { ...c.role, managed: undefined }),
    },
    alter_role: {
      steps: (c) => alterRoleSteps(c),
      target: (c) => ({ kind: 'role', name: c.name }),
      sortKey: (c) => c.name,
      describe: (c) => changed(displayIdent(c.name), 'role', { ...c.from, memberOf: c.revoke }, { ...c.set, memberOf: c.grant }),
    },
  },
  drops: [],
};
