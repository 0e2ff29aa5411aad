/**
 * Comments: nothing to check beyond the JSON Schema (a comment is a string on the object it
 * describes) and the text check every string of the file gets (src/desired/check-helpers.ts).
 */
import type { KindCheck } from '../kind.js';

export const commentChecks: readonly KindCheck[] = [];
