/** Enum types read from the catalog: ./enums.sql → the model's enums. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';

export interface EnumRow {
  readonly schema: string;
  readonly name: string;
  readonly values: readonly string[];
  readonly comment?: string;
}

export const enumsQuery = catalogQuery<EnumRow>('enums', new URL('./enums.sql', import.meta.url), 'first');

export const enumIntrospect: KindIntrospect = {
  queries: [enumsQuery],
  build: (rows, draft) => {
    for (const e of rows.of(enumsQuery)) {
      if (draft.managed(e.schema, e.name))
        draft.model.enums.push({ schema: e.schema, name: e.name, values: e.values, ...comment(e.comment) });
    }
  },
};
