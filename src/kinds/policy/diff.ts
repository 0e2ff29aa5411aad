/**
 * Policies of a kept table: matched by name, else `renamed_from`. Roles, USING and WITH CHECK
 * change in place (ALTER POLICY); a changed command or PERMISSIVE / RESTRICTIVE, or an
 * expression taken away, re-creates the policy in one step (`replace_policy`). Expressions are
 * compared by the server (./judge.ts, docs/architecture.md rule 1), else by text. A policy whose
 * expressions read a column whose type (or collation) the plan changes, or call a function it
 * re-creates, is dropped before that change and created again after it, in one transaction.
 * The table's row-level security switches are one `set_row_level_security`.
 */
import type { Change } from '../../diff/changes.js';
import { sameExpr, sameList } from '../../diff/compare.js';
import type { TableKindDiff } from '../../diff/kind-diff.js';
import type { TableScope } from '../../diff/context.js';
import { matchObjects, nameKey } from '../../diff/match.js';
import { decide } from '../../judge/slots.js';
import type { QualifiedName, Table } from '../../model/types.js';
import { diffComment } from '../comment/diff.js';
import type { PolicyAttribute } from './changes.js';
import { rowSecurityOf, type Policy, type RowLevelSecurity } from './model.js';

const OFF: RowLevelSecurity = { enabled: false, forced: false };

const nameOf = (t: Table): QualifiedName => ({ schema: t.schema, name: t.name });

const sameSecurity = (a: RowLevelSecurity, b: RowLevelSecurity): boolean => a.enabled === b.enabled && a.forced === b.forced;

/** The policy kind's diff (`ObjectKind.diff`), on one table both sides have. */
export const policyDiff: TableKindDiff = {
  scope: 'table',
  run: ({ pair, recreatedFunctions, earlier }) => {
    const changes = diffPolicies(
      pair.scope,
      pair.desired.policies ?? [],
      pair.live.policies ?? [],
      touchedColumns(earlier),
      recreatedFunctions,
    );
    const from = rowSecurityOf(pair.live);
    const to = rowSecurityOf(pair.desired);
    if (!sameSecurity(from, to)) changes.push({ kind: 'set_row_level_security', table: pair.scope.table, from, to });
    return changes;
  },
  created: (table) => {
    const name = nameOf(table);
    const changes: Change[] = (table.policies ?? []).map((policy) => ({ kind: 'create_policy', table: name, policy }));
    const to = rowSecurityOf(table);
    if (!sameSecurity(OFF, to)) changes.push({ kind: 'set_row_level_security', table: name, from: OFF, to });
    return changes;
  },
  comments: (table) =>
    (table.policies ?? []).flatMap((policy) =>
      diffComment({ on: 'policy', table: nameOf(table), policy: policy.name }, policy.comment, undefined),
    ),
};

/** The live columns of this table whose type or collation the plan's column changes alter. */
function touchedColumns(earlier: readonly Change[]): Set<string> {
  const touched = new Set<string>();
  for (const c of earlier)
    if (c.kind === 'alter_column' && (c.attributes.includes('type') || c.attributes.includes('collation'))) touched.add(c.from.name);
  return touched;
}

/** The policy must be off while the plan changes what it uses. */
function mustRebuild(scope: TableScope, live: Policy, touched: ReadonlySet<string>, recreatedFunctions: ReadonlySet<string>): boolean {
  return (live.uses ?? []).some((u) =>
    u.kind === 'column'
      ? u.schema === scope.liveTable.schema && u.name === scope.liveTable.name && touched.has(u.sub ?? '')
      : u.kind === 'function' && recreatedFunctions.has(nameKey(u.schema ?? '', u.name)),
  );
}

/** What ALTER POLICY must change; undefined when it cannot (an expression taken away). */
function alteredAttributes(scope: TableScope, want: Policy, have: Policy): PolicyAttribute[] | undefined {
  if ((want.using === undefined && have.using !== undefined) || (want.withCheck === undefined && have.withCheck !== undefined))
    return undefined;
  const attributes: PolicyAttribute[] = [];
  if (!sameList(want.roles, have.roles)) attributes.push('roles');
  if (!decide(scope.judge?.verdict('policy_using', want.name, 0, have.using), () => sameExpr(want.using, have.using)))
    attributes.push('using');
  if (!decide(scope.judge?.verdict('policy_check', want.name, 0, have.withCheck), () => sameExpr(want.withCheck, have.withCheck)))
    attributes.push('with_check');
  return attributes;
}

/**
 * @example
 * diffPolicies(scope, [{ ...own, roles: ['app', 'audit'] }], [{ ...own, roles: ['app'] }], new Set(), new Set())
 * // [{ kind: 'alter_policy', attributes: ['roles'], ... }]
 */
export function diffPolicies(
  scope: TableScope,
  desired: readonly Policy[],
  live: readonly Policy[],
  touched: ReadonlySet<string>,
  recreatedFunctions: ReadonlySet<string>,
): Change[] {
  const table = scope.table;
  const matching = matchObjects(desired, live, {
    desired: (p) => p.name,
    live: (p) => p.name,
    previous: (p) => p.renamedFrom,
  });
  const changes: Change[] = [];
  const comment = (policy: Policy, current: string | undefined): readonly Change[] =>
    diffComment({ on: 'policy', table, policy: policy.name }, policy.comment, current);
  for (const policy of matching.added) changes.push({ kind: 'create_policy', table, policy }, ...comment(policy, undefined));
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    if (mustRebuild(scope, have, touched, recreatedFunctions)) {
      changes.push(
        { kind: 'drop_policy', table, policy: have, rebuild: true },
        { kind: 'create_policy', table, policy: want, rebuild: true },
        ...comment(want, undefined),
      );
      continue;
    }
    const attributes =
      want.command === have.command && want.permissive === have.permissive ? alteredAttributes(scope, want, have) : undefined;
    if (attributes === undefined) {
      changes.push({ kind: 'replace_policy', table, from: have, to: want }, ...comment(want, undefined));
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_policy', table, from: have.name, to: want.name });
    if (attributes.length > 0) changes.push({ kind: 'alter_policy', table, from: have, to: want, attributes });
    changes.push(...comment(want, have.comment));
  }
  for (const policy of matching.removed) changes.push({ kind: 'drop_policy', table, policy });
  return changes;
}
