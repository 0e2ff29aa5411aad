/** Indexes as written (`indexes:` of a table) → the model: btree, ascending, NULLS LAST unless written otherwise. */
import type { DocPath } from '../../desired/diagnostic.js';
import type { Index, IndexKey } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, TableSource, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';

declare module '../table/raw.js' {
  interface RawTable {
    readonly indexes?: Readonly<Record<string, RawIndex>>;
  }
}

export type RawIndexKey =
  | string
  | {
      readonly column?: string;
      readonly expression?: string;
      readonly order?: 'asc' | 'desc';
      readonly nulls?: 'first' | 'last';
      readonly opclass?: string;
      readonly collation?: string;
    };

export interface RawIndex {
  readonly columns: readonly RawIndexKey[];
  readonly unique?: boolean;
  readonly using?: string;
  readonly include?: readonly string[];
  readonly where?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly nulls_not_distinct?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

function indexDef(name: string, raw: RawIndex, path: DocPath, ctx: ToModelContext): Index {
  const keys: IndexKey[] = raw.columns.map((key: RawIndexKey) => {
    if (typeof key === 'string') return { column: key, order: 'asc', nulls: 'last' };
    const order = key.order ?? 'asc';
    return {
      ...(key.column !== undefined ? { column: key.column } : {}),
      ...(key.expression !== undefined ? { expression: key.expression } : {}),
      ...(key.collation !== undefined ? { collation: key.collation } : {}),
      ...(key.opclass !== undefined ? { opclass: key.opclass } : {}),
      order,
      nulls: key.nulls ?? (order === 'asc' ? 'last' : 'first'),
    };
  });
  const storage: Record<string, string> = {};
  for (const [param, value] of entries(raw.with)) storage[param.toLowerCase()] = ctx.sqlText(value, [...path, 'with', param]);
  return {
    name,
    unique: raw.unique ?? false,
    nullsNotDistinct: raw.nulls_not_distinct ?? false,
    using: (raw.using ?? 'btree').toLowerCase(),
    keys,
    include: [...(raw.include ?? [])],
    ...(raw.where !== undefined ? { where: raw.where } : {}),
    with: storage,
    ...commentOf(raw),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
  };
}

/** The indexes of a table, in file order. */
function readIndexes(table: TableSource, ctx: ToModelContext): { indexes: Index[] } {
  return { indexes: entries(table.raw.indexes).map(([name, value]) => indexDef(name, value, [...table.path, 'indexes', name], ctx)) };
}

export const indexRaw = { in: 'table', read: readIndexes } as const satisfies KindRaw;
