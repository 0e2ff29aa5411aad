/** Columns in the model: the types and their fingerprint form (a table's `columns`, in their order). */
import { expressionForm } from '../../model/canonical.js';
import type { ModelMember } from '../kind.js';
import type { Table } from '../table/model.js';

declare module '../table/model.js' {
  interface Table {
    readonly columns: readonly Column[];
  }
}

export type IdentityKind = 'always' | 'by default';

export interface Identity {
  readonly kind: IdentityKind;
  /** Sequence options; only those differing from the defaults are set. */
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
}

/** attstorage: how values are kept (PLAIN, EXTERNAL, EXTENDED, MAIN). */
export type ColumnStorage = 'plain' | 'external' | 'extended' | 'main';
/** attcompression: the column's own compression method. */
export type ColumnCompression = 'pglz' | 'lz4';

export interface Column {
  readonly name: string;
  /** Canonical type, e.g. `integer`, `character varying(255)`, `timestamp with time zone`, `vector(1024)`, `public.status[]`. */
  readonly type: string;
  readonly nullable: boolean;
  /** Default expression as SQL text. */
  readonly default?: string;
  readonly identity?: Identity;
  /** Expression of a `GENERATED ALWAYS AS (...) STORED` column. */
  readonly generated?: string;
  readonly collation?: string;
  readonly comment?: string;
  /**
   * SET STORAGE. Live side: only where it differs from its type's (`typeStorage`); desired side:
   * as written (absent: the type's).
   */
  readonly storage?: ColumnStorage;
  /** Live side only: the storage of the column's type (pg_type.typstorage), what `storage` is compared with when absent. */
  readonly typeStorage?: ColumnStorage;
  /** SET COMPRESSION (absent: the server's default_toast_compression). */
  readonly compression?: ColumnCompression;
  /** SET STATISTICS target, 0 to 10000 (absent: -1, default_statistics_target). */
  readonly statistics?: number;
  /** Desired side only: the column's previous name. */
  readonly renamedFrom?: string;
  /** Desired side only: the USING expression of a type change (a custom conversion; without it, `"col"::type` where no assignment cast exists). */
  readonly using?: string;
}

function columnForm(column: Column): unknown {
  // Desired-only attributes (renamedFrom, using) do not describe the schema.
  // typeStorage is the type's, not the column's: left out, as old fingerprints have it.
  const { renamedFrom: _renamed, using: _using, typeStorage: _typeStorage, ...rest } = column;
  return { ...rest, default: expressionForm(column.default), generated: expressionForm(column.generated) };
}

export const columnModel: ModelMember<Table> = {
  within: 'table',
  // Columns keep their order: it is the table's.
  normalize: (table) => table,
  form: (table) => ({ columns: table.columns.map(columnForm) }),
};
