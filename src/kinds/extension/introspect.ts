/** Extensions read from the catalog: ./extensions.sql → the model's extensions. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import type { KindIntrospect } from '../../introspect/model-draft.js';

export interface ExtensionRow {
  readonly name: string;
  readonly schema: string;
  readonly version: string;
  readonly relocatable: boolean;
}

export const extensionsQuery = catalogQuery<ExtensionRow>('extensions', new URL('./extensions.sql', import.meta.url), 'first');

export const extensionIntrospect: KindIntrospect = {
  queries: [extensionsQuery],
  build: (rows, draft) => {
    for (const e of rows.of(extensionsQuery)) {
      draft.model.extensions.push({
        name: e.name,
        schema: e.schema,
        version: e.version,
        ...(e.relocatable === false ? { relocatable: false as const } : {}),
      });
    }
  },
};
