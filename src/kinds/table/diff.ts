/**
 * Tables: matched by (schema, name), else by `renamed_from` (same schema). A new table is one
 * `create_table` (columns, primary key, uniques and checks, created inline) plus separate
 * foreign keys, indexes, triggers and comments; an undeclared live table is one `drop_table`
 * (its indexes, constraints and triggers go with it). A matched pair diffs as one table: its
 * rename, the diffs of the kinds under a table (`scope: 'table'`, in registry order), its comment.
 */
import type { Column, QualifiedName, ReplicaIdentity, Table } from '../../model/types.js';
import type { TableAttribute, TableOptions } from './changes.js';
import { isToastParameter } from './options.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff, TableKindDiff } from '../../diff/kind-diff.js';
import { matchColumns } from '../column/diff.js';
import { diffComment } from '../comment/diff.js';
import { columnAfterRenames, tableAfterRenames, tableScope, type DiffContext, type TableScope } from '../../diff/context.js';
import { matchObjects, nameKey, type Matching } from '../../diff/match.js';
import { diffPartitioning, newTablePartitions } from './partitions-diff.js';
import { partitionTablePairs } from './partition-members.js';
import { constraintDiff } from '../constraint/diff.js';
import { indexDiff } from '../index/diff.js';
import type { Judge } from '../../judge/slots.js';

/** A desired table and the live table it is (possibly under its previous name). */
export interface TablePair {
  readonly desired: Table;
  readonly live: Table;
  readonly renamed: boolean;
  readonly columns: Matching<Column, Column>;
  readonly scope: TableScope;
  /** Its partitions as tables (./partition-members.ts), for their own indexes and constraints. */
  readonly partitions: readonly TablePair[];
}

export interface TableMatching {
  readonly pairs: readonly TablePair[];
  readonly added: readonly Table[];
  readonly removed: readonly Table[];
}

/** The table kind's diff (`ObjectKind.diff`): each table, and in each table both sides have the kinds under a table. */
export const tableDiff: ModelKindDiff = {
  scope: 'model',
  run: (d) => diffTables(d.tables, d.ctx, d.functions.recreated, d.underTable),
};

/**
 * Pairs desired tables with live ones, and each pair's columns.
 *
 * @example
 * matchTables([{ schema: 'public', name: 'app_users', renamedFrom: 'users', ... }], [{ schema: 'public', name: 'users', ... }])
 * // { pairs: [{ renamed: true, ... }], added: [], removed: [] }
 */
export function matchTables(desired: readonly Table[], live: readonly Table[], judge?: Judge): TableMatching {
  const matching = matchObjects(desired, live, {
    desired: (t) => nameKey(t.schema, t.name),
    live: (t) => nameKey(t.schema, t.name),
    previous: (t) => (t.renamedFrom === undefined ? undefined : nameKey(t.schema, t.renamedFrom)),
  });
  const pairs = matching.pairs.map(({ desired: d, live: l, renamed }): TablePair => {
    const columns = matchColumns(d.columns, l.columns);
    const renames = new Map<string, string>();
    for (const pair of columns.pairs) if (pair.renamed) renames.set(pair.live.name, pair.desired.name);
    const partitions = partitionTablePairs(d, l).map((p): TablePair => ({
      desired: p.desired,
      live: p.live,
      renamed: false,
      columns,
      scope: tableScope(p.desired, p.live, renames, judge?.forTable(p.desired.schema, p.desired.name)),
      partitions: [],
    }));
    return { desired: d, live: l, renamed, columns, scope: tableScope(d, l, renames, judge?.forTable(d.schema, d.name)), partitions };
  });
  return { pairs, added: matching.added, removed: matching.removed };
}

/**
 * The changes of every table, from a `matchTables` result.
 *
 * @param recreatedFunctions functions the plan drops and creates again (their triggers follow)
 * @param underTable the diffs of the kinds under a table (columns, constraints, indexes, triggers), in registry order
 * @example
 * diffTables(matchTables(desired.tables, live.tables), ctx, new Set(), [columnDiff, constraintDiff, indexDiff, triggerDiff])
 */
export function diffTables(
  tables: TableMatching,
  ctx: DiffContext,
  recreatedFunctions: ReadonlySet<string>,
  underTable: readonly TableKindDiff[],
): Change[] {
  const changes: Change[] = [];
  for (const table of tables.added) changes.push(...createTableChanges(table, underTable, ctx));
  for (const pair of tables.pairs) changes.push(...diffTablePair(pair, ctx, recreatedFunctions, underTable));
  for (const table of tables.removed) changes.push({ kind: 'drop_table', table });
  changes.push(...foreignKeysOnDroppedKeys(tables, changes, ctx));
  return changes;
}

/**
 * A foreign key the file keeps as it is, but whose referenced key (primary key, unique
 * constraint or unique index over the referenced columns) the plan drops: PostgreSQL refuses
 * to drop a key a foreign key depends on, so the foreign key is dropped before it and added
 * again after the new key.
 */
function foreignKeysOnDroppedKeys(tables: TableMatching, changes: readonly Change[], ctx: DiffContext): Change[] {
  const droppedKeys = new Set<string>();
  const keyOf = (table: QualifiedName, columns: readonly string[]): string =>
    `${nameKey(table.schema, table.name)}(${[...columns].sort().join(',')})`;
  const uniqueIndexColumns = (index: { unique: boolean; keys: readonly { column?: string }[] }): string[] | undefined =>
    index.unique && index.keys.every((k) => k.column !== undefined) ? index.keys.map((k) => k.column!) : undefined;
  const scopes = new Map(tables.pairs.map((p) => [nameKey(p.scope.table.schema, p.scope.table.name), p.scope]));
  const rebuiltForeignKeys = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'drop_foreign_key')
      rebuiltForeignKeys.add(nameKey(nameKey(change.table.schema, change.table.name), change.foreignKey.name));
    if (
      change.kind !== 'drop_primary_key' &&
      change.kind !== 'drop_unique' &&
      change.kind !== 'drop_index' &&
      change.kind !== 'replace_index'
    )
      continue;
    const scope = scopes.get(nameKey(change.table.schema, change.table.name));
    const afterRenames = (columns: readonly string[]): string[] => columns.map((c) => scope?.column(c) ?? c);
    if (change.kind === 'drop_primary_key') droppedKeys.add(keyOf(change.table, afterRenames(change.primaryKey.columns)));
    if (change.kind === 'drop_unique') droppedKeys.add(keyOf(change.table, afterRenames(change.unique.columns)));
    const index = change.kind === 'drop_index' ? change.index : change.kind === 'replace_index' ? change.from : undefined;
    const indexColumns = index === undefined ? undefined : uniqueIndexColumns(index);
    if (indexColumns !== undefined) droppedKeys.add(keyOf(change.table, afterRenames(indexColumns)));
  }
  if (droppedKeys.size === 0) return [];
  const out: Change[] = [];
  for (const pair of tables.pairs) {
    const table = pair.scope.table;
    for (const have of pair.live.foreignKeys) {
      if (rebuiltForeignKeys.has(nameKey(nameKey(table.schema, table.name), have.name))) continue;
      const want = pair.desired.foreignKeys.find((fk) => fk.name === have.name);
      if (want === undefined) continue;
      const liveTarget = { schema: have.references.schema, name: have.references.table };
      const target = tableAfterRenames(ctx, liveTarget);
      const columns = have.references.columns.map((c) => columnAfterRenames(ctx, liveTarget, c));
      if (!droppedKeys.has(keyOf(target, columns))) continue;
      out.push(
        { kind: 'drop_foreign_key', table, foreignKey: have },
        { kind: 'add_foreign_key', table, foreignKey: want, tableIsNew: false },
      );
    }
  }
  return out;
}

function diffTablePair(
  pair: TablePair,
  ctx: DiffContext,
  recreatedFunctions: ReadonlySet<string>,
  underTable: readonly TableKindDiff[],
): Change[] {
  const { desired, live, scope } = pair;
  const changes: Change[] = [];
  if (pair.renamed) changes.push({ kind: 'rename_table', from: scope.liveTable, to: scope.table });
  changes.push(...diffPartitioning(scope, desired, live));
  const members: Change[] = [];
  for (const kind of underTable) members.push(...kind.run({ pair, ctx, recreatedFunctions, earlier: members }));
  changes.push(...optionChanges(scope.table, desired, live, members), ...members);
  changes.push(...diffComment({ on: 'table', table: scope.table }, desired.comment, live.comment));
  for (const p of pair.partitions) changes.push(...partitionMemberChanges(p, ctx, recreatedFunctions));
  return changes;
}

/**
 * A partition's own indexes and constraints, diffed as a table's by the index and constraint
 * kinds (a partition the plan creates: against a bare one, everything added on it).
 */
function partitionMemberChanges(pair: TablePair, ctx: DiffContext, recreatedFunctions: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  for (const kind of [constraintDiff, indexDiff]) changes.push(...kind.run({ pair, ctx, recreatedFunctions, earlier: changes }));
  return changes;
}

/** The index names a change builds anew (a build loses the REPLICA IDENTITY mark of the index it replaces). */
function builtIndex(change: Change): string | undefined {
  switch (change.kind) {
    case 'create_index':
      return change.index.name;
    case 'replace_index':
      return change.to.name;
    case 'add_unique':
      return change.unique.name;
    case 'add_primary_key':
      return change.primaryKey.name;
    default:
      return undefined;
  }
}

const sameIdentity = (a: ReplicaIdentity | undefined, b: ReplicaIdentity | undefined): boolean =>
  typeof a === 'object' && typeof b === 'object' ? a.index === b.index : a === b;

/**
 * The `alter_table` of a kept table whose options differ (`members`: the changes of its columns,
 * indexes and constraints). `toast.*` parameters of a table without a TOAST table are not kept
 * by PostgreSQL: they are compared only when a column change may give it one (the step runs
 * after the columns').
 *
 * @example
 * optionChanges(name, { ...t, with: { fillfactor: '70' } }, t, [])  // [{ kind: 'alter_table', attributes: ['with'], set: { fillfactor: '70' }, ... }]
 */
export function optionChanges(table: QualifiedName, desired: Table, live: Table, members: readonly Change[]): Change[] {
  const attributes: TableAttribute[] = [];
  if ((desired.unlogged ?? false) !== (live.unlogged ?? false)) attributes.push('unlogged');
  const toastKept = live.toastless !== true || members.some((c) => c.kind === 'add_column' || c.kind === 'alter_column');
  const want = desired.with ?? {};
  const have = live.with ?? {};
  const compared = (name: string): boolean => toastKept || !isToastParameter(name);
  const set = Object.fromEntries(Object.entries(want).filter(([name, value]) => compared(name) && have[name] !== value));
  const reset = Object.keys(have).filter((name) => compared(name) && !Object.hasOwn(want, name));
  if (Object.keys(set).length > 0 || reset.length > 0) attributes.push('with');
  const identity = desired.replicaIdentity;
  const rebuilt = typeof identity === 'object' && members.some((c) => builtIndex(c) === identity.index);
  if (rebuilt || !sameIdentity(identity, live.replicaIdentity)) attributes.push('replica_identity');
  if (attributes.length === 0) return [];
  return [{ kind: 'alter_table', table, from: tableOptions(live), to: tableOptions(desired), attributes, set, reset, tableIsNew: false }];
}

const tableOptions = (t: Table): TableOptions => ({
  ...(t.unlogged === true ? { unlogged: true as const } : {}),
  ...(t.with !== undefined ? { with: t.with } : {}),
  ...(t.replicaIdentity !== undefined ? { replicaIdentity: t.replicaIdentity } : {}),
});

/**
 * A new table: `create_table` carrying its columns, primary key, uniques and checks (its
 * foreign keys, indexes, triggers and `validated: false` checks emptied: they follow as their
 * own changes, so that FK cycles can be broken and those checks stay NOT VALID), then those
 * changes and every comment: the kinds under a table give theirs (`created`, `comments`, in
 * registry order).
 *
 * @example
 * createTableChanges(usersTable, [columnDiff, constraintDiff, indexDiff, triggerDiff])
 * // [create_table, add_foreign_key (tableIsNew), create_index (tableIsNew), create_trigger, set_comment, ...]
 */
export function createTableChanges(table: Table, underTable: readonly TableKindDiff[], ctx?: DiffContext): Change[] {
  const name: QualifiedName = { schema: table.schema, name: table.name };
  // A check declared `validated: false` is added NOT VALID after the CREATE TABLE: declared
  // inline, PostgreSQL would mark it valid (there are no rows yet), and it would read back valid.
  const inline = table.checks.filter((c) => !c.notValid);
  const { exclusions: _exclusions, partitions: _partitions, ...withoutExclusions } = table;
  const changes: Change[] = [
    { kind: 'create_table', table: { ...withoutExclusions, checks: inline, foreignKeys: [], indexes: [], triggers: [] } },
  ];
  changes.push(...newTablePartitions(table));
  for (const kind of underTable) changes.push(...kind.created(table));
  // CREATE TABLE carries UNLOGGED and WITH; the replica identity follows the table's indexes.
  if (table.replicaIdentity !== undefined) {
    const to = { replicaIdentity: table.replicaIdentity };
    changes.push({
      kind: 'alter_table',
      table: name,
      from: {},
      to,
      attributes: ['replica_identity'],
      set: {},
      reset: [],
      tableIsNew: true,
    });
  }
  changes.push(...diffComment({ on: 'table', table: name }, table.comment, undefined));
  for (const kind of underTable) changes.push(...kind.comments(table));
  // Its partitions' own indexes and constraints, added on the partitions it creates.
  if (ctx !== undefined) {
    for (const p of partitionTablePairs(table, undefined)) {
      const scope = tableScope(p.desired, p.live, new Map());
      const columns = matchColumns(table.columns, table.columns);
      changes.push(
        ...partitionMemberChanges({ desired: p.desired, live: p.live, renamed: false, columns, scope, partitions: [] }, ctx, new Set()),
      );
    }
  }
  return changes;
}
