/**
 * The sequence kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const sequenceFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'sequences',
      schema: {
        description: 'Stand-alone sequences: a map from sequence name to its options. Serial columns get their sequences automatically.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/sequence',
        },
      },
    },
  ],
  definitions: {
    sequence: {
      description: 'A sequence (CREATE SEQUENCE). Every option defaults as in PostgreSQL (an empty value means all defaults).',
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        type: {
          description: "The sequence's data type (default bigint).",
          enum: ['smallint', 'integer', 'bigint'],
        },
        start: {
          description: 'START WITH (default: min_value for ascending sequences, max_value for descending ones).',
          $ref: '#/definitions/bigintValue',
        },
        increment: {
          description: 'INCREMENT BY (default 1).',
          $ref: '#/definitions/bigintValue',
        },
        min_value: {
          description: 'MINVALUE (default 1 for ascending sequences).',
          $ref: '#/definitions/bigintValue',
        },
        max_value: {
          description: "MAXVALUE (default: the type's maximum for ascending sequences).",
          $ref: '#/definitions/bigintValue',
        },
        cache: {
          description: 'CACHE (default 1).',
          $ref: '#/definitions/bigintValue',
        },
        cycle: {
          description: 'CYCLE: wrap around at the limit (default false).',
          type: 'boolean',
        },
        owned_by: {
          description: 'OWNED BY: "table.column" of a table in this schema; the sequence is dropped with the column.',
          type: 'string',
          minLength: 1,
        },
        comment: {
          description: 'COMMENT ON SEQUENCE text.',
          $ref: '#/definitions/comment',
        },
      },
    },
  },
};
