/** Steps for tables: create, drop, rename. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import type { QualifiedName, Table } from '../../model/types.js';
import { dependentsHazards, describeSize } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, tableRequires, uniqueKeysOf, foreignKeyRequires } from '../../plan/references.js';
import { checkSql, columnDefinition, primaryKeySql, uniqueSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { nameKey, refKey } from '../../model/object-ref.js';
import { partitionText } from './partitions.js';

function columnKeys(table: QualifiedName, t: Table): string[] {
  return t.columns.map((c) => key.column(table, c.name));
}

export function createTableSteps(change: ChangeOf<'create_table'>, ctx: PlanContext): StepDraft[] {
  const t = change.table;
  const lines = t.columns.map((c) => `  ${columnDefinition(c)}`);
  if (t.primaryKey) lines.push(`  CONSTRAINT ${quoteIdent(t.primaryKey.name)} ${primaryKeySql(t.primaryKey.columns)}`);
  for (const u of t.uniques) lines.push(`  CONSTRAINT ${quoteIdent(u.name)} ${uniqueSql(u)}`);
  for (const c of t.checks) lines.push(`  CONSTRAINT ${quoteIdent(c.name)} ${checkSql(c)}`);
  const constraintNames = [t.primaryKey?.name, ...t.uniques.map((u) => u.name)].filter((n): n is string => n !== undefined);
  return [
    draft({
      // A table may have no columns at all: `CREATE TABLE t ()`.
      sql:
        (lines.length === 0 ? `CREATE TABLE ${qualify(t)} ()` : `CREATE TABLE ${qualify(t)} (\n${lines.join(',\n')}\n)`) +
        (t.partitionBy !== undefined ? ` PARTITION BY ${partitionText(t.partitionBy)}` : ''),
      action: 'create',
      objectKind: 'table' as const,
      object: ctx.display(t),
      change: change.kind,
      creates: [
        key.table(t),
        ...columnKeys(t, t),
        ...constraintNames.map((n) => key.constraint(t, n)),
        ...t.checks.map((c) => key.constraint(t, c.name)),
        ...constraintNames.map((n) => key.index(t.schema, n)),
        ...uniqueKeysOf({ ...t, indexes: [] }),
      ],
      requires: tableRequires(t, ctx.refs),
    }),
  ];
}

export function dropTableSteps(change: ChangeOf<'drop_table'>, ctx: PlanContext): StepDraft[] {
  const t = change.table;
  const size = describeSize(ctx.stats.get(nameKey(t.schema, t.name)));
  const steps: StepDraft[] = [];
  // A FK to another table this plan drops goes first, so that tables referencing each other
  // can be dropped in any order.
  const crossFks = t.foreignKeys.filter(
    (fk) =>
      ctx.isDroppedTable({ schema: fk.references.schema, name: fk.references.table }) &&
      !(fk.references.schema === t.schema && fk.references.table === t.name),
  );
  for (const fk of crossFks) {
    steps.push(
      draft({
        sql: `ALTER TABLE ${qualify(t)} DROP CONSTRAINT ${quoteIdent(fk.name)}`,
        action: 'drop',
        objectKind: 'foreign key' as const,
        object: displayIdent(fk.name),
        parent: ctx.display(t),
        detail: 'dropped before the tables it links',
        change: change.kind,
        drops: [key.constraint(t, fk.name)],
        // Before the drop of the table (and key) it references.
        liveRequires: foreignKeyRequires(t, fk),
      }),
    );
  }
  const liveRequires = [...tableRequires(t, ctx.refs)];
  for (const fk of t.foreignKeys) if (!crossFks.includes(fk)) liveRequires.push(...foreignKeyRequires(t, fk));
  for (const trg of t.triggers) liveRequires.push(key.functionName(trg.function));
  steps.push(
    draft({
      sql: `DROP TABLE ${qualify(t)}`,
      hazards: [
        { kind: 'deletes_data', message: `drops table ${ctx.display(t)} and all its rows (${size})` },
        ...dependentsHazards(
          ctx.dataFacts.dependents?.get(refKey({ kind: 'table', schema: t.schema, name: t.name })),
          `table ${ctx.display(t)}`,
          'drops',
          'cannot drop table because other objects depend on it',
        ),
      ],
      deletes: { kind: 'table', schema: t.schema, table: t.name },
      action: 'drop',
      objectKind: 'table' as const,
      object: ctx.display(t),
      change: change.kind,
      drops: [
        key.table(t),
        ...columnKeys(t, t),
        ...[t.primaryKey?.name, ...t.uniques.map((u) => u.name), ...t.checks.map((c) => c.name), ...t.foreignKeys.map((f) => f.name)]
          .filter((n): n is string => n !== undefined)
          .map((n) => key.constraint(t, n)),
        ...[t.primaryKey?.name, ...t.uniques.map((u) => u.name), ...t.indexes.map((i) => i.name)]
          .filter((n): n is string => n !== undefined)
          .map((n) => key.index(t.schema, n)),
        ...t.triggers.map((trg) => key.trigger(t, trg.name)),
        ...uniqueKeysOf(t),
        ...ctx.ownedSequences(t).map((s) => key.sequence(s)),
      ],
      liveRequires,
    }),
  );
  return steps;
}

export function renameTableSteps(change: ChangeOf<'rename_table'>, ctx: PlanContext): StepDraft[] {
  const live = ctx.liveTable(change.to);
  const liveColumns = live?.columns ?? [];
  return [
    draft({
      sql: `ALTER TABLE ${qualify(change.from)} RENAME TO ${quoteIdent(change.to.name)}`,
      action: 'alter',
      objectKind: 'table' as const,
      object: ctx.display(change.to),
      detail: `renamed from ${ctx.display(change.from)}`,
      change: change.kind,
      creates: [
        key.table(change.to),
        ...liveColumns.map((c) => key.column(change.to, c.name)),
        ...(live ? uniqueKeysOf({ ...live, schema: change.to.schema, name: change.to.name }) : []),
      ],
      drops: [key.table(change.from), ...liveColumns.map((c) => key.column(change.from, c.name))],
      requires: [],
    }),
  ];
}
