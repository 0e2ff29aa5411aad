/**
 * Partitioned tables as written: a table's `partition_by` (the key, as PARTITION BY takes it) and
 * `partitions` (name → bounds, comment, and for a sub-partitioned partition its own key and
 * partitions). The key and the bounds are SQL text handed to PostgreSQL, so each is held to a
 * strict grammar: the text, put in its place in a CREATE TABLE, must parse as that one statement
 * with nothing else in it (PostgreSQL's own parser, src/sql/parser.ts).
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import type { Partition, Table } from '../../model/types.js';
import { parseSql, SqlSyntaxError } from '../../sql/parser.js';
import { constraintRaw } from '../constraint/raw.js';
import { indexRaw } from '../index/raw.js';
import { entries, type TableSource, type ToModelContext } from '../raw.js';
import type { RawPartition, RawTable } from './raw.js';
/** A partition's own indexes and constraints as a table's map: its parent's columns, the rest its own. */
export function partitionRawTable(parent: RawTable, p: RawPartition): RawTable {
  return {
    columns: parent.columns,
    ...(p.indexes !== undefined ? { indexes: p.indexes } : {}),
    ...(p.unique !== undefined ? { unique: p.unique } : {}),
    ...(p.checks !== undefined ? { checks: p.checks } : {}),
    ...(p.foreign_keys !== undefined ? { foreign_keys: p.foreign_keys } : {}),
  };
}

function partition(root: TableSource, name: string, raw: RawPartition, path: DocPath, ctx: ToModelContext): Partition {
  // Its own indexes and constraints, read as a table's (names PostgreSQL would give them on the partition).
  const source: TableSource = { schema: root.schema, name, raw: partitionRawTable(root.raw, raw), path };
  const { indexes } = indexRaw.read(source, ctx);
  const { uniques, checks, foreignKeys } = constraintRaw.read(source);
  return {
    name,
    bound: raw.bounds.trim(),
    ...(raw.partition_by !== undefined ? { partitionBy: raw.partition_by.trim() } : {}),
    ...(raw.partitions !== undefined && Object.keys(raw.partitions).length > 0
      ? { partitions: entries(raw.partitions).map(([n, p]) => partition(root, n, p, [...path, 'partitions', n], ctx)) }
      : {}),
    ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
    ...(indexes.length > 0 ? { indexes } : {}),
    ...(uniques.length > 0 ? { uniques } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(foreignKeys.length > 0 ? { foreignKeys } : {}),
  };
}

/** The model's `partitionBy` and `partitions` of a table as written (nothing for a plain table). */
export function partitionsOf(source: TableSource, ctx: ToModelContext): Pick<Table, 'partitionBy' | 'partitions'> {
  const { raw } = source;
  return {
    ...(raw.partition_by !== undefined ? { partitionBy: raw.partition_by.trim() } : {}),
    ...(raw.partitions !== undefined && Object.keys(raw.partitions).length > 0
      ? { partitions: entries(raw.partitions).map(([n, p]) => partition(source, n, p, [...source.path, 'partitions', n], ctx)) }
      : {}),
  };
}

/** A key or bound in generated SQL: a trailing line comment cannot swallow what follows. */
export function partitionText(text: string): string {
  return text.includes('--') ? `${text}\n` : text;
}

type Strategy = 'range' | 'list' | 'hash';

interface ParsedCreate {
  readonly [key: string]: unknown;
}

function onlyCreate(sql: string): ParsedCreate | string {
  let tree;
  try {
    tree = parseSql(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return error.message;
    throw error;
  }
  const stmts = tree.stmts ?? [];
  const create = (stmts[0]?.stmt as { CreateStmt?: ParsedCreate } | undefined)?.CreateStmt;
  if (stmts.length !== 1 || create === undefined) return 'it is not one clause';
  return create;
}

const KEY_SQL = (text: string): string => `CREATE TABLE pgreconcile_t () PARTITION BY ${partitionText(text)}`;
const BOUND_SQL = (text: string): string => `CREATE TABLE pgreconcile_p PARTITION OF pgreconcile_t ${partitionText(text)}`;

/**
 * The strategy of a partition key as written, or the problem with it.
 *
 * @example
 * checkPartitionBy('RANGE (created_at)')  // { strategy: 'range', columns: ['created_at'] }
 * checkPartitionBy('RANGE (a); DROP TABLE x')  // 'is not a partition key: …'
 */
export function checkPartitionBy(text: string): { strategy: Strategy; columns: string[] } | string {
  const create = onlyCreate(KEY_SQL(text));
  if (typeof create === 'string')
    return `is not a partition key (RANGE, LIST or HASH and its columns or expressions in parentheses): ${create}`;
  const spec = create.partspec as { strategy?: string; partParams?: { PartitionElem?: { name?: string } }[] } | undefined;
  if (spec === undefined || Object.keys(create).some((k) => !['relation', 'partspec', 'oncommit'].includes(k)))
    return 'is not a partition key alone (RANGE, LIST or HASH and its columns or expressions in parentheses)';
  const strategy = /RANGE/.test(spec.strategy ?? '') ? 'range' : /LIST/.test(spec.strategy ?? '') ? 'list' : 'hash';
  const columns = (spec.partParams ?? []).flatMap((p) => (p.PartitionElem?.name !== undefined ? [p.PartitionElem.name] : []));
  return { strategy, columns };
}

/**
 * The kind of a partition bound as written ('default' or the strategy it belongs to), or the problem with it.
 *
 * @example
 * checkBound("FOR VALUES IN ('a', 'b')")  // 'list'
 * checkBound('DEFAULT')  // 'default'
 */
export function checkBound(text: string): string {
  const create = onlyCreate(BOUND_SQL(text));
  const problem =
    'is not a partition bound (FOR VALUES FROM (...) TO (...), FOR VALUES IN (...), FOR VALUES WITH (MODULUS n, REMAINDER r), or DEFAULT)';
  if (typeof create === 'string') return `${problem}: ${create}`;
  const bound = create.partbound as { is_default?: boolean; strategy?: string } | undefined;
  if (bound === undefined || Object.keys(create).some((k) => !['relation', 'inhRelations', 'partbound', 'oncommit'].includes(k)))
    return problem;
  if (bound.is_default === true) return 'default';
  return bound.strategy === 'r' ? 'range' : bound.strategy === 'l' ? 'list' : 'hash';
}

/** Every partition of a table, sub-partitions included, with its immediate parent's name. */
export function allPartitions(table: Pick<Table, 'name' | 'partitions'>): { parent: string; partition: Partition }[] {
  const out: { parent: string; partition: Partition }[] = [];
  const walk = (parent: string, list: readonly Partition[] | undefined): void => {
    for (const p of list ?? []) {
      out.push({ parent, partition: p });
      walk(p.name, p.partitions);
    }
  };
  walk(table.name, table.partitions);
  return out;
}

/**
 * The checks of a table's partitioning: the key and every bound parse; partitions are declared
 * only under a partitioned table, with bounds of its strategy and at most one DEFAULT (none under
 * HASH); the key's columns are the table's; each partition is a relation and a type of the schema.
 */
export function checkPartitioning(c: Checker, at: SchemaScope, raw: RawTable, path: DocPath): void {
  const columns = Object.keys(raw.columns);
  const walk = (owner: Pick<RawTable, 'partition_by' | 'partitions'>, ownerPath: DocPath): void => {
    let strategy: Strategy | undefined;
    if (owner.partition_by !== undefined) {
      const key = checkPartitionBy(owner.partition_by);
      if (typeof key === 'string') c.report([...ownerPath, 'partition_by'], `partition_by ${key}`);
      else {
        strategy = key.strategy;
        for (const column of key.columns)
          if (!columns.includes(column))
            c.report([...ownerPath, 'partition_by'], `column "${column}" of the partition key does not exist in the table`);
      }
    }
    const list = entries(owner.partitions);
    if (list.length > 0 && owner.partition_by === undefined)
      c.report([...ownerPath, 'partitions'], 'partitions are declared only under a partitioned table (add partition_by)', 'key');
    let defaults = 0;
    for (const [name, p] of list) {
      const here = [...ownerPath, 'partitions', name];
      c.checkName(here, name, 'partition');
      c.register(at.relations, name, { what: `partition ${name}`, path: here }, 'key');
      c.register(at.types, name, { what: `partition ${name}`, path: here }, 'key', ' (a partition has a row type of its own name)');
      const bound = checkBound(p.bounds);
      if (bound === 'default') defaults++;
      if (bound !== 'default' && bound !== 'range' && bound !== 'list' && bound !== 'hash')
        c.report([...here, 'bounds'], `bounds ${bound}`);
      else if (strategy !== undefined && bound !== 'default' && bound !== strategy)
        c.report([...here, 'bounds'], `bounds of a ${bound} partition under a ${strategy}-partitioned table`);
      else if (strategy === 'hash' && bound === 'default')
        c.report([...here, 'bounds'], 'a hash-partitioned table has no DEFAULT partition');
      if (defaults === 2) c.report([...here, 'bounds'], 'a partitioned table has at most one DEFAULT partition');
      // Its own indexes and constraints: the index and constraint kinds' checks of a table, over the parent's columns.
      at.checkPartition({ schema: at.schema, name, raw: partitionRawTable(raw, p), path: here });
      walk(p, here);
    }
  };
  walk(raw, path);
}
