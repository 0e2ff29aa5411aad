/** Domains read from the catalog: ./domains.sql → the model's domains. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';

export interface DomainRow {
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly default?: string;
  readonly not_null: boolean;
  readonly collation?: string;
  readonly checks: readonly { readonly name: string; readonly expression: string; readonly validated: boolean }[];
  readonly comment?: string;
}

export const domainsQuery = catalogQuery<DomainRow>('domains', new URL('./domains.sql', import.meta.url), 'second');

export const domainIntrospect: KindIntrospect = {
  queries: [domainsQuery],
  build: (rows, draft) => {
    for (const d of rows.of(domainsQuery)) {
      if (!draft.managed(d.schema, d.name)) continue;
      draft.model.domains.push({
        schema: d.schema,
        name: d.name,
        type: d.type,
        ...(d.default !== undefined ? { default: d.default } : {}),
        notNull: d.not_null,
        ...(d.collation !== undefined ? { collation: d.collation } : {}),
        checks: d.checks.map((c) => ({ name: c.name, expression: c.expression, notValid: !c.validated })),
        ...comment(d.comment),
      });
    }
  },
};
