/**
 * Columns read from the catalog: they come in the tables query's rows (src/kinds/table/tables.sql),
 * an identity column's options from its sequence (the sequence kind's build).
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { IntrospectError, identityKind, identityOptions, type Owner } from '../../introspect/catalog-codes.js';
import { columnKey, label, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import type { Column, ColumnCompression, ColumnStorage } from '../../model/types.js';
import type { SequenceRow } from '../sequence/introspect.js';
import type { TableRow } from '../table/introspect.js';

declare module '../../introspect/model-draft.js' {
  interface TableParts {
    columns: readonly Column[];
  }
}

export interface ColumnRow {
  readonly name: string;
  readonly type: string;
  readonly not_null: boolean;
  readonly default?: string;
  readonly generated?: string;
  /** pg_attribute.attidentity: `a` always, `d` by default; absent when none (''). */
  readonly identity?: string;
  readonly collation?: string;
  /**
   * pg_attribute.attstorage followed by its type's typstorage, one letter each (`xx`, `mx`):
   * p plain, e external, x extended, m main.
   */
  readonly storage: string;
  /** attstattarget when not the default (-1). */
  readonly statistics?: number;
  readonly comment?: string;
}

/** A column's own compression method (pg_attribute.attcompression: p pglz, l lz4). */
export interface CompressionRow {
  readonly table_oid: number;
  readonly name: string;
  readonly compression: string;
}

/** server_version_num from which pg_attribute has attcompression. */
const COMPRESSION_SINCE = 140000;

export const compressionQuery = catalogQuery<CompressionRow>(
  'column-compression',
  new URL('./column-compression.sql', import.meta.url),
  'second',
  COMPRESSION_SINCE,
);

export const columnIntrospect: KindIntrospect = {
  queries: [compressionQuery],
  build: (rows, draft) => {
    const compressions = new Map(rows.of(compressionQuery).map((r) => [columnKey(r.table_oid, r.name), r.compression]));
    for (const parts of draft.tableParts.values()) {
      parts.columns = (parts.row.columns ?? []).map((col) =>
        toColumn(col, parts.row, draft.identitySequences, compressions.get(columnKey(parts.row.oid, col.name))),
      );
    }
  },
};

function toColumn(
  col: ColumnRow,
  table: TableRow,
  identitySequences: ReadonlyMap<string, SequenceRow>,
  compressionCode: string | undefined,
): Column {
  const owner = (): string => `column ${label(table.schema, table.name)}.${col.name}`;
  const kind = identityKind(col.identity ?? '', owner);
  let identity: Column['identity'];
  if (kind !== undefined) {
    const seq = identitySequences.get(columnKey(table.oid, col.name));
    identity =
      seq === undefined
        ? { kind }
        : identityOptions(kind, seq.type, {
            start: seq.start,
            increment: seq.increment,
            minValue: seq.min_value,
            maxValue: seq.max_value,
            cache: seq.cache,
            cycle: seq.cycle,
          });
  }
  const column: Draft<Column> = { name: col.name, type: col.type, nullable: !col.not_null };
  if (col.default !== undefined) column.default = col.default;
  if (identity !== undefined) column.identity = identity;
  if (col.generated !== undefined) column.generated = col.generated;
  if (col.collation !== undefined) column.collation = col.collation;
  if (col.storage.length !== 2) throw new IntrospectError(`${owner()}: unknown storage codes '${col.storage}' in the catalog`);
  const storage = columnStorage(col.storage[0]!, owner);
  const typeStorage = columnStorage(col.storage[1]!, owner);
  if (storage !== typeStorage) column.storage = storage;
  column.typeStorage = typeStorage;
  if (compressionCode !== undefined) column.compression = columnCompression(compressionCode, owner);
  if (col.statistics !== undefined && col.statistics !== null) column.statistics = col.statistics;
  if (col.comment !== undefined) column.comment = col.comment;
  return column;
}

const STORAGE: Readonly<Record<string, ColumnStorage>> = { p: 'plain', e: 'external', x: 'extended', m: 'main' };
const COMPRESSION: Readonly<Record<string, ColumnCompression>> = { p: 'pglz', l: 'lz4' };

/** pg_attribute.attstorage / pg_type.typstorage. */
function columnStorage(code: string, owner: Owner): ColumnStorage {
  const storage = Object.hasOwn(STORAGE, code) ? STORAGE[code] : undefined;
  if (storage === undefined) throw new IntrospectError(`${owner()}: unknown storage code '${code}' in the catalog`);
  return storage;
}

/** pg_attribute.attcompression (not ''). */
function columnCompression(code: string, owner: Owner): ColumnCompression {
  const compression = Object.hasOwn(COMPRESSION, code) ? COMPRESSION[code] : undefined;
  if (compression === undefined) throw new IntrospectError(`${owner()}: unknown compression code '${code}' in the catalog`);
  return compression;
}
