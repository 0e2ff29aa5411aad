/**
 * A partition's own indexes and constraints (created on it alone, not propagated from its
 * parent: pagila's `payment_p2022_01` has its own indexes and foreign keys). Every stage handles
 * them as a table's: the partition is seen as a table of the model with its root's columns and
 * only its own indexes, uniques, checks and foreign keys (`partitionMemberTables`), so that the
 * index and constraint kinds' diffs, steps, judge and pull run on it unchanged.
 */
import type { Change } from '../../diff/changes.js';
import type { Partition, QualifiedName, Table } from '../../model/types.js';
import type { PlanContext } from '../../plan/plan-context.js';
import type { StepDraft } from '../../plan/step-draft.js';
import { tableRefs } from './refs.js';
import { constraintRefs } from '../constraint/refs.js';
import { indexRefs } from '../index/refs.js';

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

/** The changes that add a partition's own objects (made before the ATTACH, PostgreSQL would take a matching one as its parent's). */
const ADDS: ReadonlySet<string> = new Set(['create_index', 'replace_index', 'add_unique', 'add_check', 'add_foreign_key']);

/**
 * The steps of a change that adds an object on a partition the file declares, made to wait for
 * the partition's attachment: ATTACH PARTITION (and CREATE INDEX on the parent) attach a
 * partition's index or foreign key written like the parent's as the parent's own part.
 */
export function afterAttach(change: Change, ctx: PlanContext, drafts: StepDraft[]): StepDraft[] {
  if (!ADDS.has(change.kind) || !('table' in change)) return drafts;
  const table = change.table;
  const root = ctx.partitionRoot(table);
  if (root === undefined) return drafts;
  // And after its parent's indexes and foreign keys: CREATE INDEX and ADD FOREIGN KEY on the parent would take them too.
  const after = [
    tableRefs.keys.partitionAttached(table),
    ...root.indexes.map((i) => indexRefs.keys.index(root.schema, i.name)),
    ...root.foreignKeys.map((f) => constraintRefs.keys.constraint(root, f.name)),
  ];
  return drafts.map((d) => ({ ...d, requires: [...d.requires, ...after] }));
}
