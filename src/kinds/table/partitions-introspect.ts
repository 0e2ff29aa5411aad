/**
 * Partitions read from the catalog (./partitions.sql) and placed under their parents: one tree
 * per managed partitioned table. A partition an `ignore` pattern covers (pg_partman's, the
 * application's) is left out with its own partitions, while its parent stays managed.
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import type { ModelDraft } from '../../introspect/model-draft.js';
import { nameKey } from '../../model/object-ref.js';
import type { Partition } from '../../model/types.js';

export interface PartitionRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly parent: number;
  readonly bound: string;
  readonly partition_by: string | null;
  readonly comment: string | null;
  readonly reltuples: number;
  readonly bytes: number;
}

export const partitionsQuery = catalogQuery<PartitionRow>('partitions', new URL('./partitions.sql', import.meta.url), 'second');

/** Parent oid → its partitions (each with its own, recursively), for the managed partitions. */
export function partitionTree(
  rows: readonly PartitionRow[],
  draft: Pick<ModelDraft, 'managed' | 'stats' | 'partitionParts'>,
  tableSchema: (oid: number) => string | undefined,
): Map<number, Partition[]> {
  const children = new Map<number, PartitionRow[]>();
  for (const row of rows) {
    const list = children.get(row.parent);
    if (list === undefined) children.set(row.parent, [row]);
    else list.push(row);
  }
  const build = (row: PartitionRow): Partition => {
    draft.stats.set(nameKey(row.schema, row.name), { rows: row.reltuples, bytes: row.bytes });
    const own = (children.get(row.oid) ?? []).filter((r) => r.schema === row.schema && draft.managed(r.schema, r.name)).map(build);
    // Its own indexes and constraints (the index and constraint kinds' builds gathered them).
    const parts = draft.partitionParts.get(row.oid);
    // An own index an `ignore` pattern matches is left out, as a partition it matches is.
    const members = parts === undefined ? undefined : { ...parts, indexes: parts.indexes.filter((i) => draft.managed(row.schema, i.name)) };
    return {
      name: row.name,
      bound: row.bound,
      ...(row.partition_by !== null ? { partitionBy: row.partition_by } : {}),
      ...(own.length > 0 ? { partitions: own } : {}),
      ...(row.comment !== null ? { comment: row.comment } : {}),
      ...(members !== undefined && members.indexes.length > 0 ? { indexes: members.indexes } : {}),
      ...(members !== undefined && members.uniques.length > 0 ? { uniques: members.uniques } : {}),
      ...(members !== undefined && members.checks.length > 0 ? { checks: members.checks } : {}),
      ...(members !== undefined && members.foreignKeys.length > 0 ? { foreignKeys: members.foreignKeys } : {}),
    };
  };
  const out = new Map<number, Partition[]>();
  for (const [parent, list] of children) {
    const schema = tableSchema(parent);
    if (schema === undefined) continue;
    out.set(parent, list.filter((r) => r.schema === schema && draft.managed(r.schema, r.name)).map(build));
  }
  return out;
}
