/**
 * The table kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const tableFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'tables',
      schema: {
        description: 'Tables: a map from table name to definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/table',
        },
      },
    },
  ],
  definitions: {
    table: {
      description: 'A table (CREATE TABLE).',
      type: 'object',
      additionalProperties: false,
      required: ['columns'],
      properties: {
        comment: {
          description: 'COMMENT ON TABLE text.',
          $ref: '#/definitions/comment',
        },
        renamed_from: {
          description: "The table's previous name in this schema: planned as ALTER TABLE ... RENAME, never as a drop and a create.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
