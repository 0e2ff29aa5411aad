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
}

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
  form: ({ renamedFrom: _renamed, ...rest }) => rest,
  label: (t) => refLabel({ kind: 'table', schema: t.schema, name: t.name }),
};
