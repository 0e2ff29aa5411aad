/**
 * Policies: the name is a name; renamed_from names no declared policy; the expressions parse;
 * the command allows them (no USING for insert, no WITH CHECK for select or delete); PUBLIC
 * stands alone in a role list. Whether the roles exist is asked of the database when planning
 * (./roles.ts).
 */
import type { Checker, TableScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';
import { isPublicRole } from './raw.js';

/**
 * A policy expression as the file gives it: it parses as one expression, and it is not a bare
 * query (`select true` reads as one inside `SELECT (…)`, not inside `USING (…)`: it must be
 * written in parentheses, `(select true)`).
 */
function checkExpression(c: Checker, path: DocPath, text: string, what: string): void {
  const parsed = c.expression(path, text, what);
  if (parsed === undefined) return;
  const root = parsed.root as Record<string, unknown> | undefined;
  if (root !== undefined && 'SubLink' in root && /^\s*(select|with|values|table)\b/i.test(text)) {
    c.report(path, `invalid ${what}: a query is not an expression here: write it in parentheses, (${text.trim()})`);
  }
}

function checkPolicies(c: Checker, { table }: TableScope): void {
  const names = Object.keys(table.raw.policies ?? {});
  for (const [name, policy] of entries(table.raw.policies)) {
    const path = [...table.path, 'policies', name];
    c.checkName(path, name, 'policy');
    c.checkRef([...path, 'renamed_from'], policy.renamed_from, 'policy');
    if (policy.renamed_from !== undefined && names.includes(policy.renamed_from)) {
      c.report([...path, 'renamed_from'], `renamed_from "${policy.renamed_from}" names a policy that is also declared`);
    }
    const command = policy.command ?? 'all';
    if (policy.using !== undefined) {
      if (command === 'insert') c.report([...path, 'using'], 'an insert policy has no USING expression (use with_check)', 'key');
      else checkExpression(c, [...path, 'using'], policy.using, 'policy USING expression');
    }
    if (policy.with_check !== undefined) {
      if (command === 'select' || command === 'delete') {
        c.report([...path, 'with_check'], `a ${command} policy has no WITH CHECK expression (use using)`, 'key');
      } else checkExpression(c, [...path, 'with_check'], policy.with_check, 'policy WITH CHECK expression');
    }
    const roles = policy.roles ?? [];
    if (roles.length > 1 && roles.some(isPublicRole)) {
      c.report([...path, 'roles'], 'PUBLIC applies to every role: list it alone (PostgreSQL ignores the other roles)');
    }
    const seen = new Set<string>();
    roles.forEach((role, i) => {
      const id = isPublicRole(role) ? 'public' : role;
      if (id !== 'public') c.checkRef([...path, 'roles', i], role, 'role');
      if (seen.has(id)) c.report([...path, 'roles', i], `role "${role}" is listed twice`);
      seen.add(id);
    });
  }
}

export const policyChecks: readonly KindCheck[] = [{ in: 'table', check: checkPolicies }];
