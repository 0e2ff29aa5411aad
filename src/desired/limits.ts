/** Limits on what a desired-state file may be: size and YAML alias expansion. */

/** Largest accepted file: 4 MiB. */
export const maxFileBytes = 4 * 1024 * 1024;
/** Largest number of nodes one alias may expand to. */
export const maxAliasExpansion = 10_000;
/** Largest number of nodes the whole document may have after alias expansion. */
export const maxDocumentNodes = 2_000_000;
/** Largest number of aliases in one document. */
export const maxAliasCount = 1_000;
