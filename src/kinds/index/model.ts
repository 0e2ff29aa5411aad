/** Indexes in the model: the types, their order, their fingerprint form, default operator classes. */
import { byName, expressionForm } from '../../model/canonical.js';
import type { SchemaModel } from '../../model/types.js';
import type { ModelMember } from '../kind.js';
import type { Partition, Table } from '../table/model.js';
import { withoutDefaultRangeOpclasses } from '../range-type/model.js';

declare module '../table/model.js' {
  interface Table {
    readonly indexes: readonly Index[];
  }
}

export type SortOrder = 'asc' | 'desc';
export type NullsOrder = 'first' | 'last';

/** One key of an index: a column or an expression, with its own opclass, order, nulls. */
export interface IndexKey {
  readonly column?: string;
  readonly expression?: string;
  readonly collation?: string;
  /** Operator class; undefined = the type's default opclass. */
  readonly opclass?: string;
  /** Operator class parameters, e.g. `siglen` for gist opclasses. */
  readonly opclassParams?: Readonly<Record<string, string>>;
  readonly order: SortOrder;
  /** Nulls placement; canonical: `last` for asc, `first` for desc are PostgreSQL's defaults. */
  readonly nulls: NullsOrder;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  readonly nullsNotDistinct: boolean;
  /** Access method: btree, hash, gin, gist, spgist, brin, ivfflat, hnsw, … */
  readonly using: string;
  readonly keys: readonly IndexKey[];
  readonly include: readonly string[];
  /** Partial index predicate as SQL text. */
  readonly where?: string;
  /** Storage parameters, values as text: `{ lists: '100' }`. */
  readonly with: Readonly<Record<string, string>>;
  readonly tablespace?: string;
  readonly comment?: string;
  readonly renamedFrom?: string;
  /** Live side only: the index is INVALID (a failed concurrent build). */
  readonly invalid?: boolean;
}

function indexForm(index: Index): unknown {
  const { renamedFrom: _renamed, ...rest } = index;
  return {
    ...rest,
    keys: index.keys.map((key) => ({ ...key, expression: expressionForm(key.expression) })),
    where: expressionForm(index.where),
  };
}

export const indexModel: ModelMember<Table> = {
  within: 'table',
  normalize: (table) => ({ ...table, indexes: byName(table.indexes) }),
  form: (table) => ({ indexes: table.indexes.map(indexForm) }),
};

const TEXT_LIKE: ReadonlySet<string> = new Set(['character varying', 'name']);

/**
 * The operator class PostgreSQL picks for a key of this type under this method, from the
 * catalog's defaults (`${method} ${type}` → opclass), following its fallbacks: varchar uses
 * text's, arrays anyarray's, enums anyenum's.
 */
export function defaultOpclassFor(
  defaults: ReadonlyMap<string, string>,
  method: string,
  type: string,
  isEnum: (type: string) => boolean,
): string | undefined {
  const array = type.endsWith('[]');
  const base = array ? type.slice(0, -2) : type.replace(/\(.*\)$/, '');
  const candidates = array ? ['anyarray'] : [base, ...(TEXT_LIKE.has(base) ? ['text'] : []), ...(isEnum(base) ? ['anyenum'] : [])];
  for (const c of candidates) {
    const found = defaults.get(`${method} ${c}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The model with every index key's operator class left out where it is the default one, the
 * canonical form introspection produces. Needs the catalog's defaults (LiveSchema.defaultOpclasses).
 *
 * @example
 * withoutDefaultOpclasses(desired.model, live.defaultOpclasses) // `vector_l2_ops` on hnsw(vector) removed
 */
export function withoutDefaultOpclasses(m: SchemaModel, defaults: ReadonlyMap<string, string>): SchemaModel {
  if (defaults.size === 0) return m;
  const enums = new Set(m.enums.map((e) => (e.schema === 'public' ? e.name : `${e.schema}.${e.name}`)));
  const isEnum = (t: string): boolean => enums.has(t);
  let changed = false;
  // The indexes over a table's columns, or undefined when none names a default opclass.
  const strip = (t: Table, list: readonly Index[]): Index[] | undefined => {
    let tableChanged = false;
    const indexes = list.map((index) => {
      let indexChanged = false;
      const keys = index.keys.map((k) => {
        if (k.opclass === undefined || k.column === undefined || k.opclassParams !== undefined) return k;
        const column = t.columns.find((c) => c.name === k.column);
        if (!column) return k;
        if (defaultOpclassFor(defaults, index.using, column.type, isEnum) !== k.opclass) return k;
        indexChanged = true;
        const { opclass: _dropped, ...rest } = k;
        return rest;
      });
      if (!indexChanged) return index;
      tableChanged = true;
      return { ...index, keys };
    });
    return tableChanged ? indexes : undefined;
  };
  // A partition's own indexes are over its root's columns.
  const stripPartitions = (t: Table, list: readonly Partition[] | undefined): Partition[] | undefined => {
    if (list === undefined) return undefined;
    let listChanged = false;
    const out = list.map((p) => {
      const indexes = p.indexes === undefined ? undefined : strip(t, p.indexes);
      const partitions = stripPartitions(t, p.partitions);
      if (indexes === undefined && partitions === undefined) return p;
      listChanged = true;
      return { ...p, ...(indexes !== undefined ? { indexes } : {}), ...(partitions !== undefined ? { partitions } : {}) };
    });
    return listChanged ? out : undefined;
  };
  const tables = m.tables.map((t) => {
    const indexes = strip(t, t.indexes);
    const partitions = stripPartitions(t, t.partitions);
    if (indexes === undefined && partitions === undefined) return t;
    changed = true;
    return { ...t, ...(indexes !== undefined ? { indexes } : {}), ...(partitions !== undefined ? { partitions } : {}) };
  });
  return withoutDefaultRangeOpclasses(changed ? { ...m, tables } : m, (method, type) => defaultOpclassFor(defaults, method, type, isEnum));
}
