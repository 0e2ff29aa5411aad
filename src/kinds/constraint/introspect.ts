/**
 * Constraints read from the catalog: ./constraints.sql (primary keys, uniques, checks, foreign
 * keys) and ./exclusions.sql → their tables' constraints. Whether a unique constraint is NULLS
 * NOT DISTINCT comes from its index (the index kind's nulls-not-distinct query).
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { fkAction, fkMatch, IntrospectError } from '../../introspect/catalog-codes.js';
import { comment, label, partitionParts, type Draft, type KindIntrospect, type TableParts } from '../../introspect/model-draft.js';
import type { CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, UniqueConstraint } from '../../model/types.js';
import type { TableRow } from '../table/introspect.js';
import { nullsNotDistinctQuery } from '../index/introspect.js';

declare module '../../introspect/model-draft.js' {
  interface TableParts {
    primaryKey?: PrimaryKey;
    readonly uniques: UniqueConstraint[];
    readonly checks: CheckConstraint[];
    readonly foreignKeys: ForeignKey[];
    readonly exclusions: ExclusionConstraint[];
  }
}

export interface ConstraintRow {
  readonly table_oid: number;
  /** The table is a partition. */
  readonly partition: boolean;
  /** A check the table has from its parent (coninhcount > 0). */
  readonly inherited: boolean;
  readonly name: string;
  readonly type: 'p' | 'u' | 'c' | 'f';
  readonly columns?: readonly string[];
  readonly ref_columns?: readonly string[];
  readonly ref_schema?: string;
  readonly ref_table?: string;
  readonly on_update: string;
  readonly on_delete: string;
  readonly match: string;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  readonly validated: boolean;
  readonly no_inherit: boolean;
  readonly expression?: string;
  /** Unique constraints: their index (see the nulls-not-distinct query). */
  readonly index_oid?: number;
  readonly comment?: string;
}

/** An exclusion constraint: its index's method and elements, and the server's text of it. */
export interface ExclusionRow {
  readonly table_oid: number;
  readonly name: string;
  readonly using: string;
  readonly key_count: number;
  readonly elements: readonly { readonly column?: string; readonly expression?: string; readonly operator?: string }[] | null;
  readonly predicate?: string;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  readonly definition: string;
  readonly comment?: string;
}

export const constraintsQuery = catalogQuery<ConstraintRow>('constraints', new URL('./constraints.sql', import.meta.url), 'second');
export const exclusionsQuery = catalogQuery<ExclusionRow>('exclusions', new URL('./exclusions.sql', import.meta.url), 'second');

export const constraintIntrospect: KindIntrospect = {
  queries: [constraintsQuery, exclusionsQuery],
  build: (rows, draft) => {
    const nullsNotDistinct = new Set(rows.of(nullsNotDistinctQuery).map((r) => r.oid));
    for (const c of rows.of(constraintsQuery)) {
      const parts = draft.tableParts.get(c.table_oid);
      if (parts !== undefined) addConstraint(parts, c, nullsNotDistinct);
      // A partition's own unique, check or foreign key (its primary key stays unmanaged: the unmanaged query names it).
      else if (c.partition && !c.inherited && c.type !== 'p') {
        const own = partitionParts(draft, c.table_oid);
        addConstraint({ row: { schema: '', name: `(partition ${c.table_oid})` } as TableRow, ...own }, c, nullsNotDistinct);
      }
    }
    for (const x of rows.of(exclusionsQuery)) {
      const parts = draft.tableParts.get(x.table_oid);
      if (parts !== undefined) parts.exclusions.push(toExclusion(x, parts.row));
    }
  },
};

/** Where a constraint row goes: a table's parts, or a partition's own (with a stand-in row for messages). */
type ConstraintTarget = Pick<TableParts, 'row' | 'uniques' | 'checks' | 'foreignKeys'> & { primaryKey?: PrimaryKey };

function addConstraint(parts: ConstraintTarget, c: ConstraintRow, nullsNotDistinct: ReadonlySet<number>): void {
  const owner = (): string => `constraint ${c.name} on ${label(parts.row.schema, parts.row.name)}`;
  const columns = c.columns ?? [];
  switch (c.type) {
    case 'p':
      parts.primaryKey = { name: c.name, columns, ...comment(c.comment) };
      return;
    case 'u':
      parts.uniques.push({
        name: c.name,
        columns,
        nullsNotDistinct: c.index_oid !== undefined && nullsNotDistinct.has(c.index_oid),
        deferrable: c.deferrable,
        initiallyDeferred: c.initially_deferred,
        ...comment(c.comment),
      });
      return;
    case 'c':
      if (c.expression === undefined) throw new IntrospectError(`${owner()}: check constraint without an expression`);
      parts.checks.push({
        name: c.name,
        expression: c.expression,
        noInherit: c.no_inherit,
        notValid: !c.validated,
        ...comment(c.comment),
      });
      return;
    case 'f':
      if (c.ref_schema === undefined || c.ref_table === undefined) {
        throw new IntrospectError(`${owner()}: foreign key without a referenced table`);
      }
      parts.foreignKeys.push({
        name: c.name,
        columns,
        references: { schema: c.ref_schema, table: c.ref_table, columns: c.ref_columns ?? [] },
        onDelete: fkAction(c.on_delete, owner),
        onUpdate: fkAction(c.on_update, owner),
        match: fkMatch(c.match, owner),
        deferrable: c.deferrable,
        initiallyDeferred: c.initially_deferred,
        notValid: !c.validated,
        ...comment(c.comment),
      });
      return;
    default: {
      const never: never = c.type;
      throw new IntrospectError(`${owner()}: unexpected constraint type '${String(never)}'`);
    }
  }
}

function toExclusion(x: ExclusionRow, table: TableRow): ExclusionConstraint {
  const where = (): string => `exclusion constraint ${x.name} on ${label(table.schema, table.name)}`;
  const elements: Draft<ExclusionConstraint['elements'][number]>[] = [];
  const include: string[] = [];
  (x.elements ?? []).forEach((e, position) => {
    if (position >= x.key_count) {
      if (e.column === undefined) throw new IntrospectError(`${where()}: INCLUDE entry is not a column`);
      include.push(e.column);
      return;
    }
    if (e.operator === undefined) throw new IntrospectError(`${where()}: element ${position + 1} has no operator`);
    if (e.column !== undefined) elements.push({ column: e.column, operator: e.operator });
    else if (e.expression !== undefined) elements.push({ expression: e.expression, operator: e.operator });
    else throw new IntrospectError(`${where()}: element ${position + 1} has neither a column nor an expression`);
  });
  return {
    name: x.name,
    using: x.using,
    elements,
    include,
    ...(x.predicate !== undefined ? { where: x.predicate } : {}),
    deferrable: x.deferrable,
    initiallyDeferred: x.initially_deferred,
    definition: x.definition,
    ...comment(x.comment),
  };
}
