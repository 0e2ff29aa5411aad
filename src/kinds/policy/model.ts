/**
 * Row-level security in the model: a table's policies and its `row_level_security` switches,
 * their order and their fingerprint form.
 */
import { byName, compareText, expressionForm, withoutRenamedFrom } from '../../model/canonical.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { ModelMember } from '../kind.js';
import type { Table } from '../table/model.js';

declare module '../table/model.js' {
  interface Table {
    /** The table's policies (absent: none). */
    readonly policies?: readonly Policy[];
    /** ENABLE / FORCE ROW LEVEL SECURITY (absent: both off). */
    readonly rowLevelSecurity?: RowLevelSecurity;
  }
}

/** pg_policy.polcmd: `*` all, `r` select, `a` insert, `w` update, `d` delete. */
export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

/** The role list's name of PUBLIC (no role can be named so: `public` is reserved). */
export const PUBLIC_ROLE = 'public';

export interface Policy {
  readonly name: string;
  readonly command: PolicyCommand;
  /** PERMISSIVE (true, the default) or RESTRICTIVE. */
  readonly permissive: boolean;
  /** Role names, sorted and unique; `['public']` (PUBLIC_ROLE) for PUBLIC. */
  readonly roles: readonly string[];
  readonly using?: string;
  readonly withCheck?: string;
  readonly comment?: string;
  readonly renamedFrom?: string;
  /** Live only: the columns, functions and relations its expressions use (pg_depend). */
  readonly uses?: readonly ObjectRef[];
}

export interface RowLevelSecurity {
  readonly enabled: boolean;
  readonly forced: boolean;
}

/** Roles as the model holds them: unique, sorted by code unit. */
export const sortedRoles = (roles: readonly string[]): string[] => [...new Set(roles)].sort(compareText);

/** The switches of a table, both off when absent. */
export const rowSecurityOf = (table: Table): RowLevelSecurity => table.rowLevelSecurity ?? { enabled: false, forced: false };

export const policyModel: ModelMember<Table> = {
  within: 'table',
  // By name; roles sorted. No policies and both switches off are no properties at all.
  normalize: (table) => {
    const { policies, rowLevelSecurity, ...rest } = table;
    const rls = rowLevelSecurity !== undefined && (rowLevelSecurity.enabled || rowLevelSecurity.forced) ? rowLevelSecurity : undefined;
    return {
      ...rest,
      ...(policies !== undefined && policies.length > 0
        ? { policies: byName(policies).map((p) => ({ ...p, roles: sortedRoles(p.roles) })) }
        : {}),
      ...(rls !== undefined ? { rowLevelSecurity: { enabled: rls.enabled, forced: rls.forced } } : {}),
    };
  },
  // Left out when empty, so that fingerprints recorded before policies were managed still match.
  form: (table) => ({
    policies:
      table.policies === undefined || table.policies.length === 0
        ? undefined
        : table.policies.map(({ uses: _uses, ...policy }) => ({
            ...withoutRenamedFrom(policy),
            using: expressionForm(policy.using),
            withCheck: expressionForm(policy.withCheck),
          })),
    rowLevelSecurity:
      table.rowLevelSecurity !== undefined && (table.rowLevelSecurity.enabled || table.rowLevelSecurity.forced)
        ? table.rowLevelSecurity
        : undefined,
  }),
};
