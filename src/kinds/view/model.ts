/** Views and materialized views in the model: the type, their order, their fingerprint form. */
import { compareQualified } from '../../model/canonical.js';
import type { ObjectRef } from '../../model/object-ref.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export type CheckOption = 'local' | 'cascaded';

/** A column of a view: live, every output column with its type; desired, those the file comments. */
export interface ViewColumn {
  readonly name: string;
  /** format_type of the column (live only). */
  readonly type?: string;
  readonly comment?: string;
}

/**
 * An index of a materialized view: plain column keys (ascending, the default operator class).
 * A live index the format cannot declare (expression keys, a predicate, another order or
 * operator class) carries its `definition` and is left alone unless the view is re-created.
 */
export interface ViewIndex {
  readonly name: string;
  readonly unique: boolean;
  /** The access method (btree, hash, …). */
  readonly using: string;
  readonly columns: readonly string[];
  /** Live only: pg_get_indexdef of an index beyond plain column keys. */
  readonly definition?: string;
}

export interface View extends QualifiedName {
  /** A materialized view (`materialized_views:`), else a plain view (`views:`). */
  readonly materialized: boolean;
  /** The query: as written (desired), or pg_get_viewdef (live). */
  readonly query: string;
  readonly columns: readonly ViewColumn[];
  readonly securityBarrier?: boolean;
  readonly securityInvoker?: boolean;
  readonly checkOption?: CheckOption;
  readonly comment?: string;
  /** Desired only: the view's previous name in its schema. */
  readonly renamedFrom?: string;
  /** Materialized views: storage parameters (`WITH (...)`), values as text. */
  readonly storage?: Readonly<Record<string, string>>;
  /** Materialized views: built with data (default true). */
  readonly withData?: boolean;
  /** Materialized views: their indexes. */
  readonly indexes?: readonly ViewIndex[];
  /** Live materialized views only: pg_class.reltuples, for the re-create hazard. */
  readonly estimatedRows?: number;
  /** Live only: what the view's query uses (pg_depend of its `_RETURN` rule). */
  readonly uses?: readonly ObjectRef[];
}

/** The live query as text compared cheaply: whitespace runs collapsed, no trailing semicolon. */
export const queryText = (q: string): string => q.trim().replace(/;\s*$/, '').replace(/\s+/g, ' ').trim();

export const viewModel: ModelList<'views', View> = {
  property: 'views',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (views) =>
    [...views]
      .map((v) => ({
        ...v,
        columns: [...v.columns],
        ...(v.indexes !== undefined ? { indexes: [...v.indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) } : {}),
      }))
      .sort(compareQualified),
  form: (v) => {
    const { uses: _uses, renamedFrom: _renamed, estimatedRows: _rows, columns, query, ...rest } = v;
    return {
      ...rest,
      query: queryText(query),
      columns: columns.filter((c) => c.comment !== undefined).map((c) => ({ name: c.name, comment: c.comment })),
    };
  },
  label: (v) => refLabel({ kind: 'view', schema: v.schema, name: v.name }),
};
