/** Policies and row-level security as written (`policies:` and `row_level_security:` of a table) → the model. */
import type { Policy, RowLevelSecurity } from './model.js';
import { PUBLIC_ROLE, sortedRoles } from './model.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, TableSource } from '../raw.js';
import { entries } from '../raw.js';

declare module '../table/raw.js' {
  interface RawTable {
    readonly row_level_security?: RawRowLevelSecurity;
    readonly policies?: Readonly<Record<string, RawPolicy>>;
  }
}

export interface RawRowLevelSecurity {
  readonly enabled?: boolean;
  readonly forced?: boolean;
}

export interface RawPolicy {
  readonly command?: 'all' | 'select' | 'insert' | 'update' | 'delete';
  readonly as?: 'permissive' | 'restrictive';
  readonly roles?: readonly string[];
  readonly using?: string;
  readonly with_check?: string;
  readonly comment?: string;
  readonly renamed_from?: string;
}

/** A role as written: PUBLIC in any case is PUBLIC; every other name is the role's exact name. */
export const isPublicRole = (role: string): boolean => role.toLowerCase() === PUBLIC_ROLE;

function policy(name: string, raw: RawPolicy): Policy {
  const roles =
    raw.roles === undefined || raw.roles.length === 0 ? [PUBLIC_ROLE] : raw.roles.map((r) => (isPublicRole(r) ? PUBLIC_ROLE : r));
  return {
    name,
    command: raw.command ?? 'all',
    permissive: raw.as !== 'restrictive',
    roles: sortedRoles(roles),
    ...(raw.using !== undefined ? { using: raw.using } : {}),
    ...(raw.with_check !== undefined ? { withCheck: raw.with_check } : {}),
    ...commentOf(raw),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
  };
}

/** The policies of a table in file order, and its switches (absent when both are off). */
function readPolicies(table: TableSource): { policies?: Policy[]; rowLevelSecurity?: RowLevelSecurity } {
  const policies = entries(table.raw.policies).map(([name, value]) => policy(name, value));
  const rls = table.raw.row_level_security;
  const enabled = rls?.enabled ?? false;
  const forced = rls?.forced ?? false;
  return {
    ...(policies.length > 0 ? { policies } : {}),
    ...(enabled || forced ? { rowLevelSecurity: { enabled, forced } } : {}),
  };
}

export const policyRaw = { in: 'table', read: readPolicies } as const satisfies KindRaw;
