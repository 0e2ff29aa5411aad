/**
 * Indexes read from the catalog: ./indexes.sql (those that back no constraint) and, on
 * PostgreSQL 15+, ./nulls-not-distinct.sql (also read by the constraint kind for its uniques)
 * → their tables' indexes.
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { IntrospectError, keyValueOptions } from '../../introspect/catalog-codes.js';
import { label, partitionParts, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import { closingParen, indexOfTopLevel, splitTopLevel } from '../../introspect/sql-text.js';
import type { Index, IndexKey } from '../../model/types.js';
import type { TableRow } from '../table/introspect.js';

declare module '../../introspect/model-draft.js' {
  interface TableParts {
    readonly indexes: Index[];
  }
}

export interface IndexKeyRow {
  readonly column?: string;
  readonly expression?: string;
  /** pg_index.indoption: bit 0 DESC, bit 1 NULLS FIRST; absent for INCLUDE columns. */
  readonly option?: number;
  readonly opclass?: string;
  readonly opclass_options?: readonly string[];
  /** Column keys only: the key's collation when it differs from the column's. */
  readonly collation?: string;
}

export interface IndexRow {
  readonly oid: number;
  readonly table_oid: number;
  /** The table is a partition. */
  readonly partition: boolean;
  /** The index is a partition of its parent table's index (propagated: never in the model). */
  readonly inherited: boolean;
  readonly name: string;
  readonly unique: boolean;
  readonly using: string;
  readonly key_count: number;
  readonly valid: boolean;
  readonly predicate?: string;
  readonly options?: readonly string[];
  readonly tablespace?: string;
  /** pg_get_indexdef(indexrelid, 0, true), only for indexes with expression keys. */
  readonly definition?: string;
  readonly keys: readonly IndexKeyRow[];
  readonly comment?: string;
}

/** An index declared NULLS NOT DISTINCT (PostgreSQL 15+). */
export interface NullsNotDistinctRow {
  readonly oid: number;
}

/** server_version_num from which pg_index has indnullsnotdistinct. */
const NULLS_NOT_DISTINCT_SINCE = 150000;

export const indexesQuery = catalogQuery<IndexRow>('indexes', new URL('./indexes.sql', import.meta.url), 'second');
export const nullsNotDistinctQuery = catalogQuery<NullsNotDistinctRow>(
  'nulls-not-distinct',
  new URL('./nulls-not-distinct.sql', import.meta.url),
  'second',
  NULLS_NOT_DISTINCT_SINCE,
);

export const indexIntrospect: KindIntrospect = {
  queries: [indexesQuery, nullsNotDistinctQuery],
  build: (rows, draft) => {
    const nullsNotDistinct = new Set(rows.of(nullsNotDistinctQuery).map((r) => r.oid));
    for (const i of rows.of(indexesQuery)) {
      const parts = draft.tableParts.get(i.table_oid);
      if (parts !== undefined) parts.indexes.push(toIndex(i, parts.row, nullsNotDistinct));
      // A partition's own index: kept for the table kind's finish, which places it on its partition.
      else if (i.partition && !i.inherited) partitionParts(draft, i.table_oid).indexes.push(toIndex(i, undefined, nullsNotDistinct));
    }
  },
};

// pg_index.indoption bits.
const INDOPTION_DESC = 1;
const INDOPTION_NULLS_FIRST = 2;

function toIndex(i: IndexRow, table: Pick<TableRow, 'schema' | 'name'> | undefined, nullsNotDistinct: ReadonlySet<number>): Index {
  const keys: IndexKey[] = [];
  const include: string[] = [];
  i.keys.forEach((k, position) => {
    if (position >= i.key_count) {
      if (k.column === undefined) {
        throw new IntrospectError(
          `index ${i.name} on ${label(table?.schema ?? '', table?.name ?? `(partition ${i.table_oid})`)}: INCLUDE entry is not a column`,
        );
      }
      include.push(k.column);
      return;
    }
    const option = k.option ?? 0;
    let key: Draft<IndexKey>;
    let collation: string | undefined;
    if (k.column !== undefined) {
      key = { column: k.column, order: 'asc', nulls: 'last' };
      collation = k.collation;
    } else if (k.expression !== undefined) {
      key = { expression: k.expression, order: 'asc', nulls: 'last' };
      collation = i.definition === undefined ? undefined : expressionKeyCollation(i.definition, position, k.expression);
    } else {
      const where = `index ${i.name} on ${label(table?.schema ?? '', table?.name ?? `(partition ${i.table_oid})`)}`;
      throw new IntrospectError(`${where}: key ${position + 1} has neither a column nor an expression`);
    }
    if (collation !== undefined) key.collation = collation;
    if (k.opclass !== undefined) key.opclass = k.opclass;
    if (k.opclass_options !== undefined) key.opclassParams = keyValueOptions(k.opclass_options);
    if (option & INDOPTION_DESC) key.order = 'desc';
    if (option & INDOPTION_NULLS_FIRST) key.nulls = 'first';
    keys.push(key);
  });
  const index: Draft<Index> = {
    name: i.name,
    unique: i.unique,
    nullsNotDistinct: nullsNotDistinct.has(i.oid),
    using: i.using,
    keys,
    include,
    with: keyValueOptions(i.options),
  };
  if (i.predicate !== undefined) index.where = i.predicate;
  if (i.tablespace !== undefined) index.tablespace = i.tablespace;
  if (i.comment !== undefined) index.comment = i.comment;
  if (!i.valid) index.invalid = true;
  return index;
}

/**
 * The COLLATE clause of key `position` in an index definition printed by pg_get_indexdef,
 * which prints one exactly when the key's collation differs from its expression's own:
 * `CREATE INDEX i ON t USING btree (lower(a) COLLATE "C" DESC)` → `C`. Undefined when there is none.
 */
export function expressionKeyCollation(definition: string, position: number, keyText: string): string | undefined {
  if (!definition.includes(' COLLATE ')) return undefined;
  const using = indexOfTopLevel(definition, ' USING ');
  const open = using < 0 ? -1 : definition.indexOf('(', using);
  const close = open < 0 ? -1 : closingParen(definition, open);
  if (close < 0) return undefined;
  const piece = splitTopLevel(definition.slice(open + 1, close))[position];
  if (piece === undefined || !piece.startsWith(keyText)) return undefined;
  const rest = piece.slice(keyText.length);
  if (!rest.startsWith(' COLLATE ')) return undefined;
  return leadingQualifiedName(rest.slice(' COLLATE '.length));
}

/** The (possibly qualified, possibly quoted) name at the start of `text`, unquoted: `pg_catalog."C" x` → `pg_catalog.C`. */
function leadingQualifiedName(text: string): string {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i];
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ' ' && text[i] !== '.') {
        part += text[i];
        i++;
      }
    }
    parts.push(part);
    if (text[i] !== '.') break;
    i++;
  }
  // As for columns: a collation in pg_catalog or public is named alone.
  if (parts.length === 2 && (parts[0] === 'pg_catalog' || parts[0] === 'public')) parts.shift();
  return parts.join('.');
}
