/**
 * Tables in the model: the type, their order, their fingerprint form. A table's columns,
 * constraints, indexes and triggers are their kinds' (`ModelMember`s within 'table'): those
 * kinds' hooks sort and form them.
 */
import { compareQualified } from '../../model/canonical.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

/** A table: its own properties here, each kind under a table adds its own from its `model.ts` (declaration merging). */
export interface Table extends QualifiedName {
  readonly comment?: string;
  /** Desired side only: previous name, within the same schema. */
  readonly renamedFrom?: string;
  /** CREATE UNLOGGED TABLE (absent: a logged table). */
  readonly unlogged?: true;
  /** Storage parameters in canonical form (./options.ts), the TOAST table's as `toast.<name>` (absent: none). */
  readonly with?: Readonly<Record<string, string>>;
  /** REPLICA IDENTITY other than DEFAULT (absent: DEFAULT, the primary key). */
  readonly replicaIdentity?: ReplicaIdentity;
  /** Live side only: the table has no TOAST table, so PostgreSQL keeps none of its `toast.*` parameters. */
  readonly toastless?: true;
}

/** REPLICA IDENTITY FULL, NOTHING or USING INDEX (an index of the table: unique, not partial, over NOT NULL columns). */
export type ReplicaIdentity = 'full' | 'nothing' | { readonly index: string };

/** Size of a table: reltuples (0 when never analysed) and pg_total_relation_size. */
export interface TableStats {
  readonly rows: number;
  readonly bytes: number;
}

export const tableModel: ModelList<'tables', Table> = {
  property: 'tables',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  normalize: (tables) => [...tables].sort(compareQualified),
  form: ({ renamedFrom: _renamed, toastless: _toastless, ...rest }) => rest,
  label: (t) => refLabel({ kind: 'table', schema: t.schema, name: t.name }),
};
