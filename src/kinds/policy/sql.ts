/** The SQL text of policies and of row-level security: every name quoted, roles as identifiers (PUBLIC as the keyword). */
import { qualify, quoteIdent } from '../../model/ident.js';
import { expressionSql } from '../../model/sql-names.js';
import type { QualifiedName } from '../../model/types.js';
import { PUBLIC_ROLE, type Policy, type RowLevelSecurity } from './model.js';

/** `TO` list: PUBLIC, or the roles quoted. */
export const rolesSql = (roles: readonly string[]): string => roles.map((r) => (r === PUBLIC_ROLE ? 'PUBLIC' : quoteIdent(r))).join(', ');

/**
 * What follows `CREATE POLICY name ON table`.
 *
 * @example
 * policyClauses({ name: 'own', command: 'select', permissive: true, roles: ['app'], using: 'owner = current_user' })
 * // ' FOR SELECT TO "app" USING (owner = current_user)'
 */
export function policyClauses(policy: Policy): string {
  let sql = '';
  if (!policy.permissive) sql += ' AS RESTRICTIVE';
  if (policy.command !== 'all') sql += ` FOR ${policy.command.toUpperCase()}`;
  sql += ` TO ${rolesSql(policy.roles)}`;
  if (policy.using !== undefined) sql += ` USING (${expressionSql(policy.using)})`;
  if (policy.withCheck !== undefined) sql += ` WITH CHECK (${expressionSql(policy.withCheck)})`;
  return sql;
}

export const createPolicySql = (table: QualifiedName, policy: Policy): string =>
  `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualify(table)}${policyClauses(policy)}`;

export const dropPolicySql = (table: QualifiedName, name: string): string => `DROP POLICY ${quoteIdent(name)} ON ${qualify(table)}`;

/** The one ALTER TABLE that takes row-level security from `from` to `to`. */
export function rowSecuritySql(table: QualifiedName, from: RowLevelSecurity, to: RowLevelSecurity): string {
  const actions: string[] = [];
  if (from.enabled !== to.enabled) actions.push(`${to.enabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
  if (from.forced !== to.forced) actions.push(`${to.forced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`);
  return `ALTER TABLE ${qualify(table)} ${actions.join(', ')}`;
}
