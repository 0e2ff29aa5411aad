/** The model: types, identifiers, canonical forms, normalisation and fingerprints. */
export * from './types.js';
export * from './ident.js';
export * from './type-names.js';
export * from './expression.js';
export * from './default-names.js';
export * from './normalize.js';
export * from './fingerprint.js';
