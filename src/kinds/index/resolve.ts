/** Index access methods as the file names them (`using:`), for the checks (src/desired/check-semantics.ts). */

/** Index access methods: built in (undefined) or provided by an extension. */
export const indexMethods: Readonly<Record<string, string | undefined>> = {
  btree: undefined,
  hash: undefined,
  gist: undefined,
  gin: undefined,
  spgist: undefined,
  brin: undefined,
  ivfflat: 'vector',
  hnsw: 'vector',
  bloom: 'bloom',
  rum: 'rum',
};
