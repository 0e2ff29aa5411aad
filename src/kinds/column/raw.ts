/**
 * Columns as written (`columns:` of a table) → the model: canonical types, serial columns
 * expanded (their sequence and its `nextval` default), identity options beyond the defaults.
 */
import type { DocPath } from '../../desired/diagnostic.js';
import type { SequenceType } from '../../desired/sequence-defaults.js';
import { sequenceSettings } from '../../desired/sequence-defaults.js';
import { defaultSequenceName } from '../../model/default-names.js';
import { displayIdent, quoteLiteral } from '../../model/ident.js';
import type { Column, Identity } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import { primaryKeyColumns } from '../constraint/raw.js';
import type { KindRaw, RawInteger, TableSource, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import { settingsAsWritten } from '../sequence/raw.js';

declare module '../table/raw.js' {
  interface RawTable {
    readonly columns: Readonly<Record<string, RawColumn>>;
  }
}

export type RawIdentity =
  | 'always'
  | 'by default'
  | {
      readonly kind: 'always' | 'by default';
      readonly start?: RawInteger;
      readonly increment?: RawInteger;
      readonly min_value?: RawInteger;
      readonly max_value?: RawInteger;
      readonly cache?: RawInteger;
      readonly cycle?: boolean;
    };

export interface RawColumn {
  readonly type: string;
  readonly nullable?: boolean;
  readonly default?: string | number | boolean;
  readonly identity?: RawIdentity;
  readonly generated?: string;
  readonly collation?: string;
  readonly comment?: string;
  readonly renamed_from?: string;
  readonly using?: string;
  readonly storage?: 'plain' | 'external' | 'extended' | 'main';
  readonly compression?: 'pglz' | 'lz4' | 'default';
  readonly statistics?: number;
}

function column(table: TableSource, name: string, raw: RawColumn, inPrimaryKey: boolean, ctx: ToModelContext): Column {
  const { schema } = table;
  const path: DocPath = [...table.path, 'columns', name];
  const resolved = ctx.type(raw.type, schema, 'column', [...path, 'type']);
  const serial = resolved.parsed.serial;
  let defaultSql = raw.default !== undefined ? ctx.sqlText(raw.default, [...path, 'default']) : undefined;
  if (serial !== undefined) {
    const sequence = defaultSequenceName(table.name, name);
    const regclass = schema === 'public' ? displayIdent(sequence) : `${displayIdent(schema)}.${displayIdent(sequence)}`;
    defaultSql = `nextval(${quoteLiteral(regclass)}::regclass)`;
    ctx.model.sequences.push({
      schema,
      name: sequence,
      type: serial,
      ...sequenceSettings(serial, {}),
      ownedBy: { schema, table: table.name, column: name },
    });
  }
  const identity = raw.identity !== undefined ? identityOf(raw.identity, resolved.canonical, [...path, 'identity'], ctx) : undefined;
  const nullable = serial === undefined && identity === undefined && !inPrimaryKey && (raw.nullable ?? true);
  return {
    name,
    type: resolved.canonical,
    nullable,
    ...(defaultSql !== undefined ? { default: defaultSql } : {}),
    ...(identity !== undefined ? { identity } : {}),
    ...(raw.generated !== undefined ? { generated: raw.generated } : {}),
    ...(raw.collation !== undefined ? { collation: raw.collation } : {}),
    ...commentOf(raw),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    ...(raw.using !== undefined ? { using: raw.using } : {}),
    ...(raw.storage !== undefined ? { storage: raw.storage } : {}),
    ...(raw.compression !== undefined && raw.compression !== 'default' ? { compression: raw.compression } : {}),
    ...(raw.statistics !== undefined && raw.statistics !== -1 ? { statistics: raw.statistics } : {}),
  };
}

/** Identity options; only those differing from the sequence defaults for the column's type are kept. */
function identityOf(raw: RawIdentity, columnType: string, path: DocPath, ctx: ToModelContext): Identity {
  if (typeof raw === 'string') return { kind: raw };
  const type: SequenceType = columnType === 'smallint' || columnType === 'integer' ? columnType : 'bigint';
  const given = settingsAsWritten(type, raw, path, ctx);
  // What is left out is what PostgreSQL would pick for the sequence as given (introspection
  // leaves out the same): the start follows the direction and the bounds, the bounds the direction.
  const descending = given.increment.startsWith('-');
  const direction = sequenceSettings(type, descending ? { increment: -1n } : {});
  const defaultStart = descending ? given.maxValue : given.minValue;
  return {
    kind: raw.kind,
    ...(given.start !== defaultStart ? { start: given.start } : {}),
    ...(given.increment !== '1' ? { increment: given.increment } : {}),
    ...(given.minValue !== direction.minValue ? { minValue: given.minValue } : {}),
    ...(given.maxValue !== direction.maxValue ? { maxValue: given.maxValue } : {}),
    ...(given.cache !== '1' ? { cache: given.cache } : {}),
    ...(given.cycle ? { cycle: true } : {}),
  };
}

/** The columns of a table, in file order (primary key columns are NOT NULL). */
function readColumns(table: TableSource, ctx: ToModelContext): { columns: Column[] } {
  const { raw } = table;
  const pkColumns = new Set(raw.primary_key !== undefined ? primaryKeyColumns(raw.primary_key) : []);
  return { columns: entries(raw.columns).map(([name, value]) => column(table, name, value, pkColumns.has(name), ctx)) };
}

export const columnRaw = { in: 'table', read: readColumns } as const satisfies KindRaw;
