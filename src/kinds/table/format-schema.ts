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
    partitionBy: {
      type: 'string',
      pattern: '^\\s*(?:[Rr][Aa][Nn][Gg][Ee]|[Ll][Ii][Ss][Tt]|[Hh][Aa][Ss][Hh])\\s*\\(',
    },
    partition: {
      description:
        'A partition (CREATE TABLE ... PARTITION OF its parent): its bounds, and its own partition key and partitions when it is partitioned itself.',
      type: 'object',
      additionalProperties: false,
      required: ['bounds'],
      properties: {
        bounds: {
          description:
            "FOR VALUES FROM (...) TO (...), FOR VALUES IN (...), FOR VALUES WITH (MODULUS n, REMAINDER r), or DEFAULT: compared in PostgreSQL's normal form.",
          type: 'string',
          pattern: '^\\s*(?:[Ff][Oo][Rr]\\s|[Dd][Ee][Ff][Aa][Uu][Ll][Tt]\\s*$)',
        },
        partition_by: {
          description: 'The partition key of a sub-partitioned partition.',
          $ref: '#/definitions/partitionBy',
        },
        partitions: {
          description: 'The partitions of a sub-partitioned partition.',
          type: 'object',
          additionalProperties: { $ref: '#/definitions/partition' },
        },
        comment: {
          description: 'COMMENT ON TABLE text of the partition.',
          $ref: '#/definitions/comment',
        },
        indexes: {
          description:
            "Indexes of this partition alone (not its parent's, which every partition has): map from index name to definition, over the parent's columns.",
          type: 'object',
          additionalProperties: { $ref: '#/definitions/index' },
        },
        unique: {
          description: 'Unique constraints of this partition alone. Default name <partition>_<column>[_<column>...]_key.',
          type: 'array',
          items: { $ref: '#/definitions/unique' },
        },
        checks: {
          description: 'Check constraints of this partition alone (not inherited from its parent).',
          type: 'array',
          items: { $ref: '#/definitions/check' },
        },
        foreign_keys: {
          description: "Foreign keys of this partition alone (not its parent's). Default name <partition>_<column>[_<column>...]_fkey.",
          type: 'array',
          items: { $ref: '#/definitions/foreignKey' },
        },
      },
    },
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
        partition_by: {
          description:
            "The partition key: RANGE, LIST or HASH and the key's columns or expressions in parentheses, as in PARTITION BY (`RANGE (created_at)`). PostgreSQL cannot change the key of an existing table.",
          $ref: '#/definitions/partitionBy',
        },
        partitions: {
          description:
            'The partitions of a partitioned table (partition_by): a map from partition name (a table of the same schema) to its bounds.',
          type: 'object',
          additionalProperties: { $ref: '#/definitions/partition' },
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
