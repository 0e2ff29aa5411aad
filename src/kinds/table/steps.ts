/** Steps for tables: create, drop, rename, their options. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import type { QualifiedName, ReplicaIdentity, Table } from '../../model/types.js';
import { dependentsHazards, describeSize } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, tableRequires, uniqueKeysOf, foreignKeyRequires } from '../../plan/references.js';
import { checkSql, columnDefinition, columnOptionClauses, primaryKeySql, uniqueSql } from '../../plan/sql-text.js';
import { storageParameterSql } from '../../model/sql-names.js';
import { parameterValueSql } from './options.js';
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
  const create = `CREATE ${t.unlogged === true ? 'UNLOGGED ' : ''}TABLE ${qualify(t)}`;
  const params = Object.entries(t.with ?? {});
  const withSql =
    params.length > 0 ? ` WITH (${params.map(([k, v]) => `${storageParameterSql(k)} = ${parameterValueSql(k, v)}`).join(', ')})` : '';
  const columnOptions = t.columns.flatMap(columnOptionClauses);
  return [
    draft({
      // A table may have no columns at all: `CREATE TABLE t ()`.
      sql:
        (lines.length === 0 ? `${create} ()` : `${create} (\n${lines.join(',\n')}\n)`) +
        (t.partitionBy !== undefined ? ` PARTITION BY ${partitionText(t.partitionBy)}` : '') +
        withSql,
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
    ...(columnOptions.length > 0
      ? [
          draft({
            sql: `ALTER TABLE ${qualify(t)} ${columnOptions.join(', ')}`,
            action: 'alter',
            objectKind: 'table' as const,
            object: ctx.display(t),
            detail: 'column storage and statistics',
            change: change.kind,
            requires: [key.table(t), ...columnKeys(t, t)],
          }),
        ]
      : []),
  ];
}

/** `REPLICA IDENTITY ...` of the model's replica identity. */
function replicaIdentitySql(identity: ReplicaIdentity | undefined): string {
  if (identity === undefined) return 'REPLICA IDENTITY DEFAULT';
  if (identity === 'full') return 'REPLICA IDENTITY FULL';
  if (identity === 'nothing') return 'REPLICA IDENTITY NOTHING';
  return `REPLICA IDENTITY USING INDEX ${quoteIdent(identity.index)}`;
}

const identityText = (identity: ReplicaIdentity | undefined): string =>
  identity === undefined ? 'default' : typeof identity === 'string' ? identity : `index ${identity.index}`;

/** The graph key of a table's SET LOGGED / SET UNLOGGED step (a name no constraint has). */
const persistenceKey = (table: QualifiedName): string => key.constraint(table, 'persistence:');

/**
 * The SET LOGGED / UNLOGGED steps that must run before this table's: a logged table cannot
 * reference an unlogged one, so the tables referencing it go unlogged first, and the tables it
 * references go logged first.
 */
function persistenceFirst(table: QualifiedName, unlogged: boolean, ctx: PlanContext): string[] {
  const changes = (q: QualifiedName): boolean =>
    (ctx.desiredTable(q)?.unlogged === true) === unlogged && (ctx.liveTable(q)?.unlogged === true) !== unlogged;
  const same = (q: QualifiedName): boolean => q.schema === table.schema && q.name === table.name;
  const referenced = (t: Pick<Table, 'foreignKeys'>): QualifiedName[] =>
    t.foreignKeys.map((fk) => ({ schema: fk.references.schema, name: fk.references.table }));
  const first = unlogged
    ? ctx.desired.tables.filter((t) => !same(t) && referenced(t).some(same))
    : referenced(ctx.desiredTable(table) ?? { foreignKeys: [] }).filter((q) => !same(q));
  return first.filter(changes).map(persistenceKey);
}

/**
 * A table's options: SET LOGGED / UNLOGGED (a rewrite under an ACCESS EXCLUSIVE lock), SET (...) /
 * RESET (...) of its storage parameters (after its columns' changes: a TOAST table they give it
 * keeps its `toast.*`), REPLICA IDENTITY (after the index it names is built).
 */
export function alterTableSteps(change: ChangeOf<'alter_table'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to, attributes } = change;
  const t = qualify(table);
  const name = ctx.display(table);
  const base = {
    action: 'alter' as const,
    objectKind: 'table' as const,
    object: name,
    change: change.kind,
    requires: [key.table(table)],
  };
  const steps: StepDraft[] = [];
  if (attributes.includes('unlogged')) {
    const size = describeSize(ctx.tableStats(table));
    const word = to.unlogged === true ? 'UNLOGGED' : 'LOGGED';
    steps.push(
      draft({
        ...base,
        creates: [persistenceKey(table)],
        requires: [...base.requires, ...persistenceFirst(table, to.unlogged === true, ctx)],
        sql: `ALTER TABLE ${t} SET ${word}`,
        detail: to.unlogged === true ? 'unlogged' : 'logged',
        hazards: [
          { kind: 'table_rewrite', message: `SET ${word}: table ${name} is rewritten (${size})` },
          { kind: 'access_exclusive_lock', message: `table ${name} is locked against reads and writes while it is rewritten (${size})` },
        ],
        long: true,
      }),
    );
  }
  if (attributes.includes('with')) {
    const set = Object.entries(change.set);
    const clauses = [
      ...(set.length > 0 ? [`SET (${set.map(([k, v]) => `${storageParameterSql(k)} = ${parameterValueSql(k, v)}`).join(', ')})`] : []),
      ...(change.reset.length > 0 ? [`RESET (${change.reset.map(storageParameterSql).join(', ')})`] : []),
    ];
    const desired = ctx.desiredTable(table);
    steps.push(
      draft({
        ...base,
        sql: `ALTER TABLE ${t} ${clauses.join(', ')}`,
        detail: [...set.map(([k, v]) => `${k} = ${v}`), ...change.reset.map((k) => `${k} reset`)].join(', '),
        requires: [...base.requires, ...(desired !== undefined ? columnKeys(table, desired) : [])],
      }),
    );
  }
  if (attributes.includes('replica_identity')) {
    const identity = to.replicaIdentity;
    const index = typeof identity === 'object' ? [key.index(table.schema, identity.index), key.constraint(table, identity.index)] : [];
    steps.push(
      draft({
        ...base,
        sql: `ALTER TABLE ${t} ${replicaIdentitySql(identity)}`,
        detail: `replica identity ${identityText(from.replicaIdentity)} → ${identityText(identity)}`,
        requires: [...base.requires, ...index],
      }),
    );
  }
  return steps;
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
