/**
 * Roles: a declared role is not PUBLIC (whose references are checked with the grants:
 * ../grant/checks.ts); the roles it is a member of are names, not itself; a password comes from
 * an environment variable only (`password_env`, never a password in the file).
 */
import type { Checker } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';
import { PASSWORD_ENV } from './model.js';

function checkRoles(c: Checker): void {
  for (const [name, raw] of entries(c.raw.roles)) {
    c.checkName(['roles', name], name, 'role');
    if (name.toUpperCase() === 'PUBLIC') c.report(['roles', name], 'PUBLIC is not a role: leave it out of roles:', 'key');
    if (raw === null || typeof raw !== 'object') continue;
    (raw.member_of ?? []).forEach((parent, i) => {
      c.checkName(['roles', name, 'member_of', i], parent, 'role', 'value');
      if (parent === name) c.report(['roles', name, 'member_of', i], `role "${name}" cannot be a member of itself`);
      if (parent.toUpperCase() === 'PUBLIC') c.report(['roles', name, 'member_of', i], 'PUBLIC is not a role one can be a member of');
    });
    if (raw.password_env !== undefined && !PASSWORD_ENV.test(raw.password_env))
      c.report(['roles', name, 'password_env'], `"${raw.password_env}" is not an environment variable name (^[A-Z_][A-Z0-9_]*$)`);
  }
}

export const roleChecks: readonly KindCheck[] = [{ in: 'document', check: checkRoles }];
