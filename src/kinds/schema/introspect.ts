/** Schemas read from the catalog: ./schemas.sql → the model's schemas, and which schemas are managed. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { schemaIgnored } from '../../introspect/ignore-glob.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';

export interface SchemaRow {
  readonly name: string;
  readonly comment?: string;
}

export const schemasQuery = catalogQuery<SchemaRow>('schemas', new URL('./schemas.sql', import.meta.url), 'first');

export const schemaIntrospect: KindIntrospect = {
  queries: [schemasQuery],
  build: (rows, draft) => {
    for (const s of rows.of(schemasQuery)) {
      if (schemaIgnored(draft.ignore, s.name)) continue;
      draft.model.schemas.push({ name: s.name, ...comment(s.comment) });
      draft.managedSchemas.add(s.name);
    }
  },
};
