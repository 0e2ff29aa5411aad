/** Policies and row-level security read from the catalog: ./policies.sql and ./row-security.sql → their tables. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { IntrospectError } from '../../introspect/catalog-codes.js';
import { label, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { TableRow } from '../table/introspect.js';
import { sortedRoles, type Policy, type PolicyCommand } from './model.js';

declare module '../../introspect/model-draft.js' {
  interface TableParts {
    readonly policies: Policy[];
    /** Set when the table's row-level security is enabled or forced. */
    readonly rowSecurity: { enabled: boolean; forced: boolean };
  }
}

interface UseRow {
  readonly kind: 'column' | 'table' | 'view' | 'sequence' | 'function';
  readonly schema: string;
  readonly name: string;
  readonly sub?: string | null;
  readonly signature?: readonly string[] | null;
}

export interface PolicyRow {
  readonly table_oid: number;
  readonly name: string;
  readonly command: string;
  readonly permissive: boolean;
  /** Role names; `public` for PUBLIC; null for a role that no longer exists. */
  readonly roles?: readonly (string | null)[] | null;
  readonly using?: string;
  readonly with_check?: string;
  readonly uses?: readonly UseRow[] | null;
  readonly comment?: string;
}

export interface RowSecurityRow {
  readonly table_oid: number;
  readonly enabled: boolean;
  readonly forced: boolean;
}

export const policiesQuery = catalogQuery<PolicyRow>('policies', new URL('./policies.sql', import.meta.url), 'second');
export const rowSecurityQuery = catalogQuery<RowSecurityRow>('row-security', new URL('./row-security.sql', import.meta.url), 'second');

const COMMANDS: Readonly<Record<string, PolicyCommand>> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

function useRef(u: UseRow): ObjectRef {
  if (u.kind === 'column') return { kind: 'column', schema: u.schema, name: u.name, sub: u.sub ?? '' };
  if (u.kind === 'function') return { kind: 'function', schema: u.schema, name: u.name, signature: u.signature ?? [] };
  return { kind: u.kind, schema: u.schema, name: u.name };
}

function toPolicy(p: PolicyRow, table: TableRow): Policy {
  const command = COMMANDS[p.command];
  if (command === undefined) {
    throw new IntrospectError(`policy ${p.name} on ${label(table.schema, table.name)}: unknown command code '${p.command}' in the catalog`);
  }
  const policy: Draft<Policy> = {
    name: p.name,
    command,
    permissive: p.permissive,
    roles: sortedRoles((p.roles ?? []).filter((r): r is string => r !== null)),
  };
  if (p.using !== undefined) policy.using = p.using;
  if (p.with_check !== undefined) policy.withCheck = p.with_check;
  if (p.comment !== undefined) policy.comment = p.comment;
  if (p.uses !== undefined && p.uses !== null && p.uses.length > 0) policy.uses = p.uses.map(useRef);
  return policy;
}

export const policyIntrospect: KindIntrospect = {
  queries: [policiesQuery, rowSecurityQuery],
  build: (rows, draft) => {
    for (const p of rows.of(policiesQuery)) {
      const parts = draft.tableParts.get(p.table_oid);
      if (parts !== undefined) parts.policies.push(toPolicy(p, parts.row));
    }
    for (const r of rows.of(rowSecurityQuery)) {
      const parts = draft.tableParts.get(r.table_oid);
      if (parts === undefined) continue;
      parts.rowSecurity.enabled = r.enabled;
      parts.rowSecurity.forced = r.forced;
    }
  },
};
