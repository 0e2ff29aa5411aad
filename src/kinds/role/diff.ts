/**
 * Roles: for a file with `manage_roles: true`, each declared role the live side lacks is created,
 * and the attributes the file gives are compared with the live role's (memberships: exactly the
 * file's `member_of`). The live side holds only what `planDatabase` read for the declared roles
 * (one marked `absent` when it does not exist); a role it did not read, and every role without
 * manage_roles, is not diffed (the plan checks that the roles exist).
 */
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import type { Role } from './model.js';

const SCALARS = ['login', 'inherit', 'createdb', 'createrole', 'connectionLimit', 'validUntil'] as const;

export function diffRoles(want: readonly Role[], have: readonly Role[]): Change[] {
  const live = new Map(have.map((r) => [r.name, r]));
  const changes: Change[] = [];
  for (const role of want) {
    if (role.managed !== true) continue;
    const current = live.get(role.name);
    if (current === undefined) continue;
    if (current.absent === true) {
      changes.push({ kind: 'create_role', role });
      continue;
    }
    const set: Record<string, unknown> = {};
    const from: Record<string, unknown> = {};
    for (const attr of SCALARS) {
      const w = role[attr];
      if (w === undefined) continue;
      const h = current[attr];
      // valid_until: the live side holds the file's text when the server reads it as the same instant (./introspect.ts).
      if (w === h) continue;
      set[attr] = w;
      if (h !== undefined) from[attr] = h;
    }
    const had = current.memberOf ?? [];
    const grant = role.memberOf === undefined ? [] : role.memberOf.filter((r) => !had.includes(r));
    const revoke = role.memberOf === undefined ? [] : had.filter((r) => !role.memberOf!.includes(r));
    if (Object.keys(set).length > 0 || grant.length > 0 || revoke.length > 0)
      changes.push({
        kind: 'alter_role',
        name: role.name,
        set: set,
        from: from,
        grant,
        revoke,
      });
  }
  return changes;
}

export const roleDiff: ModelKindDiff = { scope: 'model', run: ({ want, have }) => diffRoles(want.roles, have.roles) };
