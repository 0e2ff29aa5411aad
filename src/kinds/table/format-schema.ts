/**
 * The table kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';
import { tableParametersSchema } from './options.js';

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
        unlogged: {
          description:
            'true for CREATE UNLOGGED TABLE (default false); a change is ALTER TABLE ... SET LOGGED / SET UNLOGGED, which rewrites the table.',
          type: 'boolean',
        },
        with: tableParametersSchema(),
        replica_identity: {
          description:
            'REPLICA IDENTITY: default (the primary key), full, nothing, or the name of a unique index of the table (USING INDEX; { index: name } for an index named default, full or nothing).',
          anyOf: [
            { description: 'default, full, nothing or an index name.', type: 'string', minLength: 1 },
            {
              description: 'USING INDEX.',
              type: 'object',
              additionalProperties: false,
              required: ['index'],
              properties: { index: { description: 'A unique index of the table.', type: 'string', minLength: 1 } },
            },
          ],
        },
      },
    },
  },
};
