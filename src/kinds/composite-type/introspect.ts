/** Composite types read from the catalog: ./composite-types.sql → the model's compositeTypes. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';

export interface CompositeTypeRow {
  readonly schema: string;
  readonly name: string;
  readonly attributes: readonly {
    readonly name: string;
    readonly type: string;
    readonly collation?: string;
    readonly comment?: string;
  }[];
  readonly comment?: string;
}

export const compositeTypesQuery = catalogQuery<CompositeTypeRow>(
  'composite-types',
  new URL('./composite-types.sql', import.meta.url),
  'second',
);

export const compositeTypeIntrospect: KindIntrospect = {
  queries: [compositeTypesQuery],
  build: (rows, draft) => {
    for (const t of rows.of(compositeTypesQuery)) {
      if (!draft.managed(t.schema, t.name)) continue;
      draft.model.compositeTypes.push({
        schema: t.schema,
        name: t.name,
        attributes: t.attributes.map((a) => ({
          name: a.name,
          type: a.type,
          ...(a.collation !== undefined ? { collation: a.collation } : {}),
          ...comment(a.comment),
        })),
        ...comment(t.comment),
      });
    }
  },
};
