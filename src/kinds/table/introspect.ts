/**
 * Tables read from the catalog: ./tables.sql (with their columns, for the column kind) → the
 * model's tables and their size statistics. The build gathers the managed tables; their columns,
 * constraints, indexes and triggers join them (those kinds' builds) before `finish` assembles them.
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { IntrospectError } from '../../introspect/catalog-codes.js';
import { label, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import type { ReplicaIdentity, Table } from '../../model/types.js';
import { liveParameters } from './options.js';

const nonEmpty = (record: Record<string, string>): Record<string, string> | undefined =>
  Object.keys(record).length > 0 ? record : undefined;
import { nameKey } from '../../model/object-ref.js';
import type { ColumnRow } from '../column/introspect.js';
import { partitionsQuery, partitionTree } from './partitions-introspect.js';

export interface TableRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly comment?: string;
  readonly partition_by?: string;
  readonly reltuples: number;
  readonly bytes: number;
  readonly unlogged: boolean;
  /** pg_class.reloptions of the table and of its TOAST table (`name=value`). */
  readonly options?: readonly string[] | null;
  readonly toast_options?: readonly string[] | null;
  readonly toastless: boolean;
  /** pg_class.relreplident: d default, f full, n nothing, i index (`replica_index`, absent when it was dropped). */
  readonly replica_identity: string;
  readonly replica_index?: string | null;
  readonly columns: readonly ColumnRow[];
}

/** REPLICA IDENTITY from pg_class.relreplident (an index that was dropped leaves 'i': PostgreSQL then acts as NOTHING). */
function replicaIdentity(row: TableRow): ReplicaIdentity | undefined {
  switch (row.replica_identity) {
    case 'd':
      return undefined;
    case 'f':
      return 'full';
    case 'n':
      return 'nothing';
    case 'i':
      return row.replica_index === undefined || row.replica_index === null ? 'nothing' : { index: row.replica_index };
    default:
      throw new IntrospectError(
        `table ${label(row.schema, row.name)}: unknown replica identity code '${row.replica_identity}' in the catalog`,
      );
  }
}

export const tablesQuery = catalogQuery<TableRow>('tables', new URL('./tables.sql', import.meta.url), 'first');

export const tableIntrospect: KindIntrospect = {
  queries: [tablesQuery, partitionsQuery],
  build: (rows, draft) => {
    for (const row of rows.of(tablesQuery)) {
      if (!draft.managed(row.schema, row.name)) continue;
      draft.tableParts.set(row.oid, {
        row,
        columns: [],
        uniques: [],
        checks: [],
        foreignKeys: [],
        indexes: [],
        triggers: [],
        exclusions: [],
        policies: [],
        rowSecurity: { enabled: false, forced: false },
      });
    }
  },
  finish: (rows, draft) => {
    const partitions = partitionTree(rows.of(partitionsQuery), draft, (oid) => draft.tableParts.get(oid)?.row.schema);
    for (const parts of draft.tableParts.values()) {
      const { row } = parts;
      const own = partitions.get(row.oid);
      // Keys set one by one in the model's order (the live model's JSON is fingerprinted as is),
      // not spread from conditional objects: 5,000 tables at a time.
      const table = { schema: row.schema, name: row.name, columns: parts.columns } as Draft<Table>;
      if (parts.primaryKey !== undefined) table.primaryKey = parts.primaryKey;
      table.uniques = parts.uniques;
      table.checks = parts.checks;
      table.foreignKeys = parts.foreignKeys;
      table.indexes = parts.indexes;
      table.triggers = parts.triggers;
      if (parts.exclusions.length > 0) table.exclusions = parts.exclusions;
      if (parts.policies.length > 0) table.policies = parts.policies;
      if (parts.rowSecurity.enabled || parts.rowSecurity.forced) table.rowLevelSecurity = { ...parts.rowSecurity };
      if (row.comment !== undefined) table.comment = row.comment;
      if (row.unlogged) table.unlogged = true;
      const parameters =
        row.options === undefined && row.toast_options === undefined
          ? undefined
          : nonEmpty(liveParameters(row.options ?? undefined, row.toast_options ?? undefined));
      if (parameters !== undefined) table.with = parameters;
      const identity = replicaIdentity(row);
      if (identity !== undefined) table.replicaIdentity = identity;
      if (row.toastless) table.toastless = true;
      if (row.partition_by !== undefined && row.partition_by !== null) table.partitionBy = row.partition_by;
      if (own !== undefined && own.length > 0) table.partitions = own;
      draft.model.tables.push(table);
      draft.stats.set(nameKey(row.schema, row.name), { rows: row.reltuples < 0 ? 0 : row.reltuples, bytes: row.bytes });
    }
  },
};
