/** Roles: a declared role is not PUBLIC (whose references are checked with the grants: ../grant/checks.ts). */
import type { Checker } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';

function checkRoles(c: Checker): void {
  for (const [name] of entries(c.raw.roles)) {
    c.checkName(['roles', name], name, 'role');
    if (name.toUpperCase() === 'PUBLIC') c.report(['roles', name], 'PUBLIC is not a role: leave it out of roles:', 'key');
  }
}

export const roleChecks: readonly KindCheck[] = [{ in: 'document', check: checkRoles }];
