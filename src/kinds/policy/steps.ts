/**
 * Steps for policies and row-level security. What a policy needs comes from its parsed
 * expressions on the desired side (`policyRequires`: its table, the columns it reads, the
 * functions it calls, the tables its subqueries name) and from pg_depend on the live side
 * (`uses`): the graph orders it after what it reads and takes it off before what changes under
 * it (docs/architecture.md rule 2). Row-level security is switched on after every policy the
 * table declares exists, and off before any of its policies is dropped: the table is never
 * enabled with fewer policies than the file (or the live table) gives it.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, qualify, quoteIdent } from '../../model/ident.js';
import { refKey } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, sequencesIn } from '../../plan/references.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { expressionSql } from '../../model/sql-names.js';
import { parseSql } from '../../sql/parser.js';
import { PUBLIC_ROLE, type Policy } from './model.js';
import { createPolicySql, dropPolicySql, rolesSql, rowSecuritySql } from './sql.js';

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node !== null && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

/**
 * What a declared policy needs before it is created: its table, the columns of it (and of the
 * tables its subqueries read) that its expressions name, the user functions they call, the
 * sequences of `nextval('…')`. `columns` are the (table, column) pairs it reads, for
 * `key.columnType`. Unqualified names resolve as the pinned search_path `public` does.
 */
export function policyRequires(
  table: QualifiedName,
  policy: Policy,
  ctx: PlanContext,
): { requires: string[]; columns: [QualifiedName, string][] } {
  // The roles it is for: after the plan creates them (manage_roles), when it does.
  const requires = new Set<string>([key.table(table), ...policy.roles.filter((r) => r !== PUBLIC_ROLE).map((r) => key.role(r))]);
  const columns: [QualifiedName, string][] = [];
  const relations: QualifiedName[] = [table];
  const named = new Set<string>();
  const expressions = [policy.using, policy.withCheck].filter((e): e is string => e !== undefined);
  for (const expression of expressions) {
    try {
      walk(parseSql(`SELECT (${expressionSql(expression)})`), (node) => {
        const range = node.RangeVar as { schemaname?: string; relname?: string } | undefined;
        if (range?.relname !== undefined) relations.push({ schema: range.schemaname ?? 'public', name: range.relname });
        const ref = node.ColumnRef as { fields?: { String?: { sval?: string }; A_Star?: object }[] } | undefined;
        for (const field of ref?.fields ?? []) if (field.String?.sval !== undefined) named.add(field.String.sval);
      });
    } catch {
      // An expression the parser rejects was reported by validation; it requires nothing here.
    }
    for (const k of ctx.refs.callKeysIn(expression)) requires.add(k);
    for (const seq of sequencesIn(expression)) requires.add(key.sequence(seq));
  }
  const seen = new Set<string>();
  for (const q of relations) {
    const declared = ctx.desiredTable(q);
    if (declared === undefined) {
      if (ctx.desired.views.some((v) => v.schema === q.schema && v.name === q.name)) requires.add(key.view(q));
      continue;
    }
    if (seen.has(key.table(declared))) continue;
    seen.add(key.table(declared));
    requires.add(key.table(declared));
    for (const column of declared.columns) {
      if (!named.has(column.name)) continue;
      requires.add(key.column(declared, column.name));
      columns.push([declared, column.name]);
    }
  }
  return { requires: [...requires], columns };
}

/** What a live policy used (pg_depend): its drop runs before their drops and type changes. */
export function policyLiveRequires(table: QualifiedName, policy: Policy): string[] {
  const keys = [key.table(table)];
  for (const use of policy.uses ?? []) {
    if (use.kind === 'column') {
      const t = { schema: use.schema ?? '', name: use.name };
      keys.push(key.column(t, use.sub ?? ''), key.columnType(t, use.sub ?? ''));
    } else keys.push(refKey(use));
  }
  return keys;
}

const base = (table: QualifiedName, name: string, ctx: PlanContext, change: StepDraft['change']) => ({
  objectKind: 'policy' as const,
  object: displayIdent(name),
  parent: ctx.display(table),
  change,
});

export function createPolicySteps(change: ChangeOf<'create_policy'>, ctx: PlanContext): StepDraft[] {
  const { table, policy } = change;
  const { requires, columns } = policyRequires(table, policy, ctx);
  return [
    draft({
      ...base(table, policy.name, ctx, change.kind),
      sql: createPolicySql(table, policy),
      action: 'create',
      ...(change.rebuild === true ? { detail: 'created again', span: 'closes' as const } : {}),
      creates: [key.policy(table, policy.name), ...columns.map(([t, c]) => key.columnType(t, c))],
      requires,
    }),
  ];
}

export function dropPolicySteps(change: ChangeOf<'drop_policy'>, ctx: PlanContext): StepDraft[] {
  const { table, policy } = change;
  return [
    draft({
      ...base(table, policy.name, ctx, change.kind),
      sql: dropPolicySql(table, policy.name),
      action: 'drop',
      ...(change.rebuild === true ? { detail: 'to be created again', span: 'opens' as const } : {}),
      drops: [key.policy(table, policy.name)],
      requires: [key.table(table), key.rowSecurityOff(table)],
      liveRequires: policyLiveRequires(table, policy),
    }),
  ];
}

/**
 * A changed command or PERMISSIVE / RESTRICTIVE: dropped and created again, the two steps in one
 * transaction (the drop opens a span the create closes), so no moment exists without it.
 */
export function replacePolicySteps(change: ChangeOf<'replace_policy'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to } = change;
  const { requires, columns } = policyRequires(table, to, ctx);
  return [
    draft({
      ...base(table, from.name, ctx, change.kind),
      sql: dropPolicySql(table, from.name),
      action: 'alter',
      detail: 'replaced: dropped',
      span: 'opens',
      drops: [key.policy(table, from.name)],
      requires: [key.table(table)],
      liveRequires: policyLiveRequires(table, from),
    }),
    draft({
      ...base(table, to.name, ctx, change.kind),
      sql: createPolicySql(table, to),
      action: 'alter',
      detail: 'replaced: created',
      span: 'closes',
      creates: [key.policy(table, to.name), ...columns.map(([t, c]) => key.columnType(t, c))],
      requires,
    }),
  ];
}

export function alterPolicySteps(change: ChangeOf<'alter_policy'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to, attributes } = change;
  const { requires, columns } = policyRequires(table, to, ctx);
  const clauses: string[] = [];
  if (attributes.includes('roles')) clauses.push(`TO ${rolesSql(to.roles)}`);
  if (attributes.includes('using') && to.using !== undefined) clauses.push(`USING (${expressionSql(to.using)})`);
  if (attributes.includes('with_check') && to.withCheck !== undefined) clauses.push(`WITH CHECK (${expressionSql(to.withCheck)})`);
  return [
    draft({
      ...base(table, to.name, ctx, change.kind),
      sql: `ALTER POLICY ${quoteIdent(to.name)} ON ${qualify(table)} ${clauses.join(' ')}`,
      action: 'alter',
      detail: attributes.join(', '),
      creates: columns.map(([t, c]) => key.columnType(t, c)),
      requires: [...requires, key.policy(table, to.name)],
      liveRequires: policyLiveRequires(table, from),
    }),
  ];
}

export function renamePolicySteps(change: ChangeOf<'rename_policy'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      ...base(table, change.to, ctx, change.kind),
      sql: `ALTER POLICY ${quoteIdent(change.from)} ON ${qualify(table)} RENAME TO ${quoteIdent(change.to)}`,
      action: 'alter',
      detail: `renamed from ${change.from}`,
      creates: [key.policy(table, change.to)],
      drops: [key.policy(table, change.from)],
      requires: [key.table(table)],
    }),
  ];
}

/**
 * ENABLE / DISABLE and FORCE / NO FORCE ROW LEVEL SECURITY. Switching on waits for every policy
 * the file gives the table; switching off comes first of the table's policy drops (they require
 * the key it creates).
 */
export function setRowLevelSecuritySteps(change: ChangeOf<'set_row_level_security'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to } = change;
  const policies = ctx.desiredTable(table)?.policies ?? [];
  const on = (to.enabled && !from.enabled) || (to.forced && !from.forced);
  const off = (from.enabled && !to.enabled) || (from.forced && !to.forced);
  const detail = [
    ...(from.enabled !== to.enabled ? [to.enabled ? 'enabled' : 'disabled'] : []),
    ...(from.forced !== to.forced ? [to.forced ? 'forced' : 'not forced'] : []),
  ].join(', ');
  return [
    draft({
      sql: rowSecuritySql(table, from, to),
      action: 'alter',
      objectKind: 'row level security' as const,
      object: ctx.display(table),
      detail,
      change: change.kind,
      creates: off ? [key.rowSecurityOff(table)] : [],
      requires: [key.table(table), ...(on ? policies.map((p) => key.policy(table, p.name)) : [])],
    }),
  ];
}
