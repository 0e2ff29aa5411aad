/**
 * A partition's own indexes and constraints (created on it alone, not propagated from its
 * parent: pagila's `payment_p2022_01` has its own indexes and foreign keys). Every stage handles
 * them as a table's: the partition is seen as a table of the model with its root's columns and
 * only its own indexes, uniques, checks and foreign keys (`partitionMemberTables`), so that the
 * index and constraint kinds' diffs, steps, judge and pull run on it unchanged.
 */
import type { Partition, QualifiedName, Table } from '../../model/types.js';

/** One partition seen as a table: `table` names the partition, `parent` its immediate parent, `root` the declared table. */
export interface PartitionMemberTable {
  readonly parent: QualifiedName;
  readonly root: QualifiedName;
  readonly partition: Partition;
  readonly table: Table;
}

/** A partition as a table of the model: its root's columns, its own indexes and constraints, nothing else. */
export function partitionAsTable(root: Table, p: Partition): Table {
  return {
    schema: root.schema,
    name: p.name,
    columns: root.columns,
    uniques: p.uniques ?? [],
    checks: p.checks ?? [],
    foreignKeys: p.foreignKeys ?? [],
    indexes: p.indexes ?? [],
    triggers: [],
    ...(p.partitionBy !== undefined ? { partitionBy: p.partitionBy } : {}),
  };
}

/**
 * Every partition of a table (sub-partitions included) as a table, with its parent.
 *
 * @example
 * partitionMemberTables(payment).map((m) => m.table.name)  // ['payment_p2022_01', 'payment_p2022_02', …]
 */
export function partitionMemberTables(root: Table): PartitionMemberTable[] {
  const out: PartitionMemberTable[] = [];
  const rootName = { schema: root.schema, name: root.name };
  const walk = (parent: QualifiedName, list: readonly Partition[] | undefined): void => {
    for (const p of list ?? []) {
      out.push({ parent, root: rootName, partition: p, table: partitionAsTable(root, p) });
      walk({ schema: root.schema, name: p.name }, p.partitions);
    }
  };
  walk(rootName, root.partitions);
  return out;
}

/** True when the partition holds indexes or constraints of its own. */
export function hasOwnMembers(p: Partition): boolean {
  return (p.indexes?.length ?? 0) > 0 || (p.uniques?.length ?? 0) > 0 || (p.checks?.length ?? 0) > 0 || (p.foreignKeys?.length ?? 0) > 0;
}

/** A partition's pseudo table without members: the live side of a partition the plan creates. */
function bareTable(t: Table): Table {
  return { ...t, uniques: [], checks: [], foreignKeys: [], indexes: [] };
}

/**
 * The partitions both sides have (same name, same parent) as pairs of tables, and those only
 * the file has (their live side bare: everything they hold is added, on the new partition). A
 * live partition the file drops takes its indexes and constraints with it.
 */
export function partitionTablePairs(desired: Table, live: Table | undefined): { desired: Table; live: Table; isNew: boolean }[] {
  const have = new Map((live === undefined ? [] : partitionMemberTables(live)).map((m) => [`${m.parent.name}\u0000${m.table.name}`, m]));
  const out: { desired: Table; live: Table; isNew: boolean }[] = [];
  for (const m of partitionMemberTables(desired)) {
    const other = have.get(`${m.parent.name}\u0000${m.table.name}`);
    if (other !== undefined) out.push({ desired: m.table, live: other.table, isNew: false });
    else if (hasOwnMembers(m.partition)) out.push({ desired: m.table, live: bareTable(m.table), isNew: true });
  }
  return out;
}
