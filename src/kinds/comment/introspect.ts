/**
 * Comments read from the catalog: every kind's query reads its objects' comments (pg_description)
 * and its build puts them on its objects, so this kind has no query and nothing to build.
 */
import type { KindIntrospect } from '../../introspect/model-draft.js';

export const commentIntrospect: KindIntrospect = {
  queries: [],
  build: () => undefined,
};
