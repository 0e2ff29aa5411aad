/**
 * PostgreSQL as the judge of partition keys and bounds (docs/architecture.md rule 1). For each
 * desired partitioned table that is live and written otherwise than the catalog prints it (or
 * that gains partitions), a temporary partitioned table with the desired columns and key is
 * created, and under it the desired partitions with their bounds, in one transaction that is
 * rolled back; the server's forms are read back the way introspection reads the live ones
 * (pg_get_partkeydef, pg_get_expr(relpartbound)), and with them each partition's constraint
 * (pg_get_partition_constraintdef), the check a new partition is given before it is attached.
 */
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import type { LiveSchema } from '../introspect/index.js';
import { qualify, quoteIdent } from '../model/ident.js';
import { nameKey } from '../model/object-ref.js';
import type { DesiredState, Partition, Table } from '../model/types.js';
import { typeSql } from '../plan/sql-text.js';
import { partitionText } from '../kinds/table/partitions.js';
import { close, open } from './probe.js';
import { slotKey, type Judge, type PartitionSlotKind, type SlotKind, type TableJudge, type Verdict } from './slots.js';

const PREFIX = 'pgreconcile_part_';

/** Slot key → the server's form, or the error it raised, for one desired table. */
type PartitionForms = Map<string, string | { readonly error: string }>;

interface Shape {
  readonly table: Table;
  /** Temporary relation name → the desired relation's name. */
  readonly names: Map<string, string>;
  readonly sql: string[];
}

function written(desired: Table, live: Table): boolean {
  if (desired.partitionBy !== live.partitionBy) return true;
  const walk = (want: readonly Partition[] | undefined, have: readonly Partition[] | undefined): boolean => {
    const byName = new Map((have ?? []).map((p) => [p.name, p]));
    for (const p of want ?? []) {
      const other = byName.get(p.name);
      if (other === undefined || other.bound !== p.bound || other.partitionBy !== p.partitionBy) return true;
      if (walk(p.partitions, other.partitions)) return true;
    }
    return false;
  };
  return walk(desired.partitions, live.partitions);
}

function shapeOf(table: Table, id: number): Shape {
  const root = `${PREFIX}${id}`;
  const names = new Map<string, string>([[root, table.name]]);
  const columns = table.columns.map(
    (c) => `${quoteIdent(c.name)} ${typeSql(c.type)}${c.collation !== undefined ? ` COLLATE ${quoteIdent(c.collation)}` : ''}`,
  );
  const sql = [
    `CREATE TEMP TABLE ${qualify({ schema: 'pg_temp', name: root })} (${columns.join(', ')}) PARTITION BY ${partitionText(table.partitionBy ?? '')}`,
  ];
  let k = 0;
  const walk = (parent: string, list: readonly Partition[] | undefined): void => {
    for (const p of list ?? []) {
      const name = `${root}_${++k}`;
      names.set(name, p.name);
      sql.push(
        `CREATE TEMP TABLE ${qualify({ schema: 'pg_temp', name })} PARTITION OF ${qualify({ schema: 'pg_temp', name: parent })} ${partitionText(p.bound)}` +
          (p.partitionBy !== undefined ? ` PARTITION BY ${partitionText(p.partitionBy)}` : ''),
      );
      walk(name, p.partitions);
    }
  };
  walk(root, table.partitions);
  return { table, names, sql };
}

const WORK_FUNCTION = `
CREATE FUNCTION pg_temp.pgreconcile_partitions(p_sql text[])
RETURNS TABLE(probe int, err text)
LANGUAGE plpgsql AS $judge$
BEGIN
  FOR i IN 1 .. coalesce(pg_catalog.array_length(p_sql, 1), 0) LOOP
    BEGIN
      EXECUTE p_sql[i];
    EXCEPTION WHEN OTHERS THEN
      probe := i; err := SQLERRM;
      RETURN NEXT;
    END;
  END LOOP;
END
$judge$`;

const READ_BACK = `
SELECT c.relname::text AS name,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS key,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_partition_constraintdef(c.oid) END AS constraintdef
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname::text ~ '^${PREFIX}[0-9_]+$'`;

/**
 * The server's forms of the desired partitioning of every live partitioned table that needs
 * them, by table key; a warning when the judge could not run at all.
 */
export async function judgePartitions(
  db: Db,
  desired: DesiredState,
  live: LiveSchema,
): Promise<{ forms: Map<string, PartitionForms>; warnings: string[] }> {
  const liveTables = new Map(live.model.tables.map((t) => [nameKey(t.schema, t.name), t]));
  const shapes: Shape[] = [];
  for (const table of desired.model.tables) {
    if (table.partitionBy === undefined) continue;
    const other = liveTables.get(nameKey(table.schema, table.name));
    if (other?.partitionBy === undefined || !written(table, other)) continue;
    shapes.push(shapeOf(table, shapes.length + 1));
  }
  const forms = new Map<string, PartitionForms>();
  if (shapes.length === 0) return { forms, warnings: [] };
  const sql: string[] = [];
  const owner: number[] = [];
  shapes.forEach((shape, i) => {
    for (const statement of shape.sql) {
      sql.push(statement);
      owner.push(i);
    }
  });
  let rows: { name: string; key: string | null; bound: string | null; constraintdef: string | null }[];
  let errors: { probe: number; err: string }[];
  try {
    await open(db);
    try {
      await db.exec(WORK_FUNCTION);
      errors = (await db.query<{ probe: number; err: string }>('SELECT * FROM pg_temp.pgreconcile_partitions($1)', [sql])).rows;
      rows = (await db.query<{ name: string; key: string | null; bound: string | null; constraintdef: string | null }>(READ_BACK)).rows;
    } finally {
      await close(db).catch(() => undefined);
    }
  } catch (error) {
    if (!isDbError(error)) throw error;
    return {
      forms,
      warnings: [
        `PostgreSQL could not judge the partition keys and bounds (${error.message}); they were compared as written (docs/judge.md)`,
      ],
    };
  }
  shapes.forEach((shape) => forms.set(nameKey(shape.table.schema, shape.table.name), new Map()));
  const put = (name: string, kind: PartitionSlotKind, form: string | { error: string }): void => {
    const id = /^pgreconcile_part_([0-9]+)/.exec(name)?.[1];
    const shape = id === undefined ? undefined : shapes[Number(id) - 1];
    const real = shape?.names.get(name);
    if (shape === undefined || real === undefined) return;
    forms.get(nameKey(shape.table.schema, shape.table.name))!.set(slotKey(kind, real), form);
  };
  for (const row of rows) {
    if (row.key !== null) put(row.name, 'partition_by', row.key);
    if (row.bound !== null) put(row.name, 'bound', row.bound);
    if (row.constraintdef !== null) put(row.name, 'partition_check', row.constraintdef);
  }
  for (const error of errors) {
    const shape = shapes[owner[error.probe - 1]!];
    if (shape === undefined) continue;
    const created = /^CREATE TEMP TABLE "pg_temp"\."(pgreconcile_part_[0-9_]+)"/.exec(sql[error.probe - 1] ?? '')?.[1];
    const real = created === undefined ? undefined : shape.names.get(created);
    if (real === undefined) continue;
    const table = forms.get(nameKey(shape.table.schema, shape.table.name))!;
    for (const kind of ['partition_by', 'bound'] as const) table.set(slotKey(kind, real), { error: error.err });
  }
  return { forms, warnings: [] };
}

const PARTITION_KINDS: ReadonlySet<string> = new Set<PartitionSlotKind>(['partition_by', 'bound', 'partition_check']);

function isPartitionKind(kind: SlotKind | PartitionSlotKind): kind is PartitionSlotKind {
  return PARTITION_KINDS.has(kind);
}

/** `judge` with the partition forms answering the partition slots of their tables. */
export function withPartitionForms(judge: Judge, all: ReadonlyMap<string, PartitionForms>): Judge {
  if (all.size === 0) return judge;
  return {
    forTable(schema: string, name: string): TableJudge | undefined {
      const base = judge.forTable(schema, name);
      const forms = all.get(nameKey(schema, name));
      if (forms === undefined) return base;
      return {
        verdict(kind: SlotKind | PartitionSlotKind, object: string, key: number, live: string | undefined): Verdict {
          if (!isPartitionKind(kind)) return base?.verdict(kind, object, key, live) ?? 'unjudged';
          const form = forms.get(slotKey(kind, object));
          if (live === undefined || form === undefined || typeof form !== 'string') return 'unjudged';
          return form === live ? 'same' : 'different';
        },
        form(kind: PartitionSlotKind, object: string): string | undefined {
          const form = forms.get(slotKey(kind, object));
          return typeof form === 'string' ? form : undefined;
        },
      };
    },
  };
}
