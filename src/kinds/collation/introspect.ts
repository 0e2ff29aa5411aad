/** Collations read from the catalog: ./collations.sql → the model's collations. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';
import type { CollationProvider } from './model.js';

export interface CollationRow {
  readonly schema: string;
  readonly name: string;
  readonly provider: CollationProvider;
  readonly lc_collate: string | null;
  readonly lc_ctype: string | null;
  readonly deterministic: boolean;
  readonly comment?: string;
}

export const collationsQuery = catalogQuery<CollationRow>('collations', new URL('./collations.sql', import.meta.url), 'first');

export const collationIntrospect: KindIntrospect = {
  queries: [collationsQuery],
  build: (rows, draft) => {
    for (const c of rows.of(collationsQuery)) {
      if (!draft.managed(c.schema, c.name)) continue;
      draft.model.collations.push({
        schema: c.schema,
        name: c.name,
        provider: c.provider,
        lcCollate: c.lc_collate ?? '',
        lcCtype: c.lc_ctype ?? '',
        deterministic: c.deterministic,
        ...comment(c.comment),
      });
    }
  },
};
