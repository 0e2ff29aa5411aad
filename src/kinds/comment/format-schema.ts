/**
 * The comment kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const commentFormat: KindFormat = {
  placements: [],
  definitions: {},
};
