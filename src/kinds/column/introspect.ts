/**
 * Columns read from the catalog: they come in the tables query's rows (src/kinds/table/tables.sql),
 * an identity column's options from its sequence (the sequence kind's build).
 */
import { identityKind, identityOptions } from '../../introspect/catalog-codes.js';
import { columnKey, label, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import type { Column } from '../../model/types.js';
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
  /** pg_attribute.attidentity: '' none, `a` always, `d` by default. */
  readonly identity: string;
  readonly collation?: string;
  readonly comment?: string;
}

export const columnIntrospect: KindIntrospect = {
  queries: [],
  build: (_rows, draft) => {
    for (const parts of draft.tableParts.values()) {
      parts.columns = (parts.row.columns ?? []).map((col) => toColumn(col, parts.row, draft.identitySequences));
    }
  },
};

function toColumn(col: ColumnRow, table: TableRow, identitySequences: ReadonlyMap<string, SequenceRow>): Column {
  const owner = (): string => `column ${label(table.schema, table.name)}.${col.name}`;
  const kind = identityKind(col.identity, owner);
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
  if (col.comment !== undefined) column.comment = col.comment;
  return column;
}
