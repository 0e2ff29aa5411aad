/**
 * What pgreconcile knows of extensions when it resolves names in the file (src/desired/resolve.ts):
 * the types each known extension creates.
 */

/** Types that extensions create, for the extensions pgreconcile knows. */
export const extensionTypes: Readonly<Record<string, readonly string[]>> = {
  vector: ['vector', 'halfvec', 'sparsevec'],
  citext: ['citext'],
  hstore: ['hstore'],
  ltree: ['ltree', 'lquery', 'ltxtquery'],
  cube: ['cube'],
  seg: ['seg'],
  isn: ['ean13', 'isbn', 'isbn13', 'ismn', 'ismn13', 'issn', 'issn13', 'upc'],
  postgis: ['geometry', 'geography', 'box2d', 'box3d'],
  earthdistance: ['earth'],
  lo: ['lo'],
  pg_trgm: [],
  pgcrypto: [],
  'uuid-ossp': [],
  btree_gin: [],
  btree_gist: [],
  intarray: [],
  unaccent: [],
  fuzzystrmatch: [],
  pg_stat_statements: [],
  tablefunc: [],
  plpgsql: [],
  bloom: [],
  postgres_fdw: [],
  dblink: [],
};

/** ` (declare the extension "vector")` when a known extension provides the type. */
export function extensionHint(name: string): string | undefined {
  for (const [extension, types] of Object.entries(extensionTypes)) {
    if (types.includes(name)) return ` (it comes with the extension "${extension}": declare it under extensions)`;
  }
  return undefined;
}
