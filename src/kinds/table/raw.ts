/**
 * Tables as written (`tables:` of a schema) → the model. The kinds under a table read their parts
 * of it (their `raw.read`, called here): columns, constraints, indexes, triggers.
 */
import type { DocPath } from '../../desired/diagnostic.js';
import type { ReplicaIdentity, Table } from '../../model/types.js';
import { columnRaw } from '../column/raw.js';
import { commentOf } from '../comment/raw.js';
import { constraintRaw } from '../constraint/raw.js';
import { indexRaw } from '../index/raw.js';
import type { KindRaw, TableSource, ToModelContext } from '../raw.js';
import { entries, optional } from '../raw.js';
import { canonicalParameter } from './options.js';
import type { RawSchema } from '../schema/raw.js';
import { triggerRaw } from '../trigger/raw.js';
import { policyRaw } from '../policy/raw.js';
import { partitionsOf } from './partitions.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly tables?: Readonly<Record<string, RawTable>>;
  }
}

/** A table as written: its own keys here, each kind under a table adds its map from its `raw.ts` (declaration merging). */
export interface RawTable {
  readonly comment?: string;
  readonly renamed_from?: string;
  readonly partition_by?: string;
  readonly partitions?: Readonly<Record<string, RawPartition>>;
  readonly unlogged?: boolean;
  readonly with?: Readonly<Record<string, number | boolean | string>>;
  readonly replica_identity?: RawReplicaIdentity;
}

/** `default`, `full`, `nothing`, or an index of the table (a name, or `{ index: name }` for an index named like one of the words). */
export type RawReplicaIdentity = string | { readonly index: string };

/** The model's replica identity (undefined: DEFAULT). */
export function replicaIdentityOf(raw: RawReplicaIdentity | undefined): ReplicaIdentity | undefined {
  if (raw === undefined || raw === 'default') return undefined;
  if (typeof raw !== 'string') return { index: raw.index };
  return raw === 'full' || raw === 'nothing' ? raw : { index: raw };
}

/** The canonical storage parameters (the file was checked: each is a table parameter with a value of its type). */
function storageParameters(raw: RawTable): Readonly<Record<string, string>> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of entries(raw.with)) {
    const canonical = canonicalParameter(name, value);
    if (canonical === undefined) throw new Error(`storage parameter ${JSON.stringify(name)} = ${JSON.stringify(value)} passed the checks`);
    out[name] = canonical;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface RawPartition {
  readonly bounds: string;
  readonly partition_by?: string;
  readonly partitions?: Readonly<Record<string, RawPartition>>;
  readonly comment?: string;
  /** Indexes and constraints of the partition alone (not its parent's): as a table's. */
  readonly indexes?: RawTable['indexes'];
  readonly unique?: RawTable['unique'];
  readonly checks?: RawTable['checks'];
  readonly foreign_keys?: RawTable['foreign_keys'];
}

function table(source: TableSource, ctx: ToModelContext): Table {
  const { schema, name, raw } = source;
  // Columns first: a serial column adds its sequence to the model.
  const { columns } = columnRaw.read(source, ctx);
  const constraints = constraintRaw.read(source);
  const { indexes } = indexRaw.read(source, ctx);
  const { triggers } = triggerRaw.read(source);
  const security = policyRaw.read(source);
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
    ...security,
    ...commentOf(raw),
    ...partitionsOf(source, ctx),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    ...(raw.unlogged === true ? { unlogged: true as const } : {}),
    ...optional('with', storageParameters(raw)),
    ...optional('replicaIdentity', replicaIdentityOf(raw.replica_identity)),
  };
}

function readTables(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.tables)) {
    const path: DocPath = ['schemas', schema, 'tables', name];
    ctx.model.tables.push(table({ schema, name, raw, path }, ctx));
  }
}

export const tableRaw = { in: 'schema', read: readTables } as const satisfies KindRaw;
