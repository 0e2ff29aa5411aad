/**
 * The schema kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const schemaFormat: KindFormat = {
  placements: [
  {
    "in": "document",
    "property": "schemas",
    "schema": {
      "description": "Map from schema name to the objects it holds. `public` exists even when not listed.",
      "type": "object",
      "additionalProperties": {
        "$ref": "#/definitions/schema"
      }
    }
  }
],
  definitions: {
  "schema": {
    "description": "The objects of one schema (an empty value declares an empty schema).",
    "type": [
      "object",
      "null"
    ],
    "additionalProperties": false,
    "properties": {
      "comment": {
        "description": "COMMENT ON SCHEMA text.",
        "$ref": "#/definitions/comment"
      }
    }
  }
},
};
