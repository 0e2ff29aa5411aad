/**
 * Tables as written (`tables:` of a schema) → the model. The kinds under a table read their parts
 * of it (their `raw.read`, called here): columns, constraints, indexes, triggers.
 */
import type { DocPath } from '../../desired/diagnostic.js';
import type { Table } from '../../model/types.js';
import type { RawColumn } from '../column/raw.js';
import { columnRaw } from '../column/raw.js';
import { commentOf } from '../comment/raw.js';
import type { RawCheck, RawExclusion, RawForeignKey, RawPrimaryKey, RawUnique } from '../constraint/raw.js';
import { constraintRaw } from '../constraint/raw.js';
import type { RawIndex } from '../index/raw.js';
import { indexRaw } from '../index/raw.js';
import type { KindRaw, TableSource, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import type { RawTrigger } from '../trigger/raw.js';
import { triggerRaw } from '../trigger/raw.js';
import { partitionsOf } from './partitions.js';

export interface RawTable {
  readonly comment?: string;
  readonly renamed_from?: string;
  readonly columns: Readonly<Record<string, RawColumn>>;
  readonly primary_key?: RawPrimaryKey;
  readonly unique?: readonly RawUnique[];
  readonly checks?: readonly RawCheck[];
  readonly exclude?: Readonly<Record<string, RawExclusion>>;
  readonly foreign_keys?: readonly RawForeignKey[];
  readonly indexes?: Readonly<Record<string, RawIndex>>;
  readonly triggers?: Readonly<Record<string, RawTrigger>>;
  readonly partition_by?: string;
  readonly partitions?: Readonly<Record<string, RawPartition>>;
}

export interface RawPartition {
  readonly bounds: string;
  readonly partition_by?: string;
  readonly partitions?: Readonly<Record<string, RawPartition>>;
  readonly comment?: string;
}

function table(source: TableSource, ctx: ToModelContext): Table {
  const { schema, name, raw } = source;
  // Columns first: a serial column adds its sequence to the model.
  const { columns } = columnRaw.read(source, ctx);
  const constraints = constraintRaw.read(source);
  const { indexes } = indexRaw.read(source, ctx);
  const { triggers } = triggerRaw.read(source);
  return {
    schema,
    name,
    columns,
    ...(constraints.primaryKey !== undefined ? { primaryKey: constraints.primaryKey } : {}),
    uniques: constraints.uniques,
    checks: constraints.checks,
    foreignKeys: constraints.foreignKeys,
    indexes,
    triggers,
    ...(constraints.exclusions !== undefined ? { exclusions: constraints.exclusions } : {}),
    ...commentOf(raw),
    ...partitionsOf(raw),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
  };
}

function readTables(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.tables)) {
    const path: DocPath = ['schemas', schema, 'tables', name];
    ctx.model.tables.push(table({ schema, name, raw, path }, ctx));
  }
}

export const tableRaw = { in: 'schema', read: readTables } as const satisfies KindRaw;
