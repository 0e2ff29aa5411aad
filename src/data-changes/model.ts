/**
 * Data changes (`data_changes:` in schema.yaml): one-time data migrations and backfills that run
 * between schema steps, ordered by the objects they name, once per database (the ledger's
 * `pgreconcile.data_changes` records each). They are not schema objects: no introspection, no
 * diff; the planner adds a step for each one the ledger does not record as applied.
 */
import type { QualifiedName } from '../model/types.js';

/** A stable id: letters, digits, `_`, `-` and `.`, starting with a letter or digit, at most 100 characters. */
export const DATA_CHANGE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** What a data change runs after or before, as the file names it. */
export type DataChangeAnchor =
  /** after: the table exists (created earlier in the plan, if the plan creates it); before: before the table is dropped. */
  | { readonly kind: 'table'; readonly table: QualifiedName }
  /** after: the column exists; before: before the column is dropped (or renamed). */
  | { readonly kind: 'column'; readonly table: QualifiedName; readonly column: string }
  /** before only: before the column's NOT NULL is set (the data change fills it). */
  | { readonly kind: 'not_null'; readonly table: QualifiedName; readonly column: string }
  /** after only: after another data change. */
  | { readonly kind: 'data_change'; readonly id: string };

/** A backfill in batches: the rows of `table` by ascending `key`, `size` at a time. */
export interface DataChangeBatch {
  readonly table: QualifiedName;
  /** A column of `table` whose values are unique and ordered (a primary key): ranges of it are the batches. */
  readonly key: string;
  readonly size: number;
}

export interface DataChange {
  readonly id: string;
  /** The SQL, as written in the file or read from `file`. A batched one uses `$1` and `$2`: the batch's lowest and highest key. */
  readonly sql: string;
  /** `sha256:<hex>` of `sql`: an applied data change whose checksum changed is refused. */
  readonly checksum: string;
  /** The SQL holds several statements (known from its parse when the file was loaded): run as a script, its rows not counted. */
  readonly script?: true;
  /** The file the SQL was read from, relative to schema.yaml, when it was. */
  readonly file?: string;
  readonly after: readonly DataChangeAnchor[];
  readonly before: readonly DataChangeAnchor[];
  readonly batch?: DataChangeBatch;
}

/** A data change the ledger records: applied, or begun (a batched backfill that was interrupted). */
export interface AppliedDataChange {
  readonly id: string;
  readonly checksum: string;
  readonly status: 'running' | 'applied';
  readonly version: string | null;
  readonly rowsAffected: number;
  readonly batches: number;
  readonly lastKey: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly dbUser: string;
  readonly osUser: string | null;
  readonly host: string | null;
}
