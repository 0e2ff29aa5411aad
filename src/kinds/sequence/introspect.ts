/**
 * Sequences read from the catalog: ./sequences.sql → the model's sequences. Identity sequences
 * are not model sequences: their options go to their columns (the column kind's build).
 */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { columnKey, comment, type KindIntrospect } from '../../introspect/model-draft.js';
import type { Sequence } from '../../model/types.js';

export interface SequenceRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min_value: string;
  readonly max_value: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** pg_depend.deptype of the owning column: `a` = OWNED BY (serial), `i` = identity. */
  readonly owner_kind?: 'a' | 'i';
  readonly owner_table_oid?: number;
  readonly owner_schema?: string;
  readonly owner_table?: string;
  readonly owner_column?: string;
  readonly comment?: string;
}

export const sequencesQuery = catalogQuery<SequenceRow>('sequences', new URL('./sequences.sql', import.meta.url), 'second');

export const sequenceIntrospect: KindIntrospect = {
  queries: [sequencesQuery],
  build: (rows, draft) => {
    for (const s of rows.of(sequencesQuery)) {
      if (s.owner_kind === 'i' && s.owner_table_oid !== undefined && s.owner_column !== undefined) {
        draft.identitySequences.set(columnKey(s.owner_table_oid, s.owner_column), s);
      }
    }
  },
  // The model's sequences once the tables are known: one owned by a column (serial) is left
  // out with its table when that is not managed.
  finish: (rows, draft) => {
    for (const s of rows.of(sequencesQuery)) {
      if (s.owner_kind === 'i' || !draft.managed(s.schema, s.name)) continue;
      if (s.owner_kind === 'a' && s.owner_table_oid !== undefined && !draft.tableParts.has(s.owner_table_oid)) continue;
      draft.model.sequences.push(toSequence(s));
    }
  },
};

function toSequence(s: SequenceRow): Sequence {
  return {
    schema: s.schema,
    name: s.name,
    type: s.type,
    start: s.start,
    increment: s.increment,
    minValue: s.min_value,
    maxValue: s.max_value,
    cache: s.cache,
    cycle: s.cycle,
    ...(s.owner_kind === 'a' && s.owner_schema !== undefined && s.owner_table !== undefined && s.owner_column !== undefined
      ? { ownedBy: { schema: s.owner_schema, table: s.owner_table, column: s.owner_column } }
      : {}),
    ...comment(s.comment),
  };
}
