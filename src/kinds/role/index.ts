/**
 * Roles: the cluster's roles the file refers to (`roles:`), declared so that a missing one is
 * named before anything runs (./exists.ts); never created, altered or dropped.
 */
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
  changes: {},
  drops: [],
};
