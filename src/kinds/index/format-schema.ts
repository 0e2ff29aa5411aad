/**
 * The index kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const indexFormat: KindFormat = {
  placements: [
    {
      in: 'table',
      property: 'indexes',
      schema: {
        description: 'Map from index name to definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/index',
        },
      },
    },
  ],
  definitions: {
    index: {
      description: 'An index (CREATE INDEX).',
      type: 'object',
      additionalProperties: false,
      required: ['columns'],
      properties: {
        columns: {
          description: 'The index keys: column names, or { column | expression, order, nulls, opclass, collation }.',
          type: 'array',
          minItems: 1,
          items: {
            description: 'A column name or a key object.',
            anyOf: [
              {
                description: 'A column name.',
                type: 'string',
                minLength: 1,
              },
              {
                description: 'An index key: a column or an expression, with its options.',
                type: 'object',
                additionalProperties: false,
                properties: {
                  column: {
                    description: 'The indexed column.',
                    type: 'string',
                    minLength: 1,
                  },
                  expression: {
                    description: 'The indexed SQL expression, e.g. lower(email).',
                    type: 'string',
                    minLength: 1,
                  },
                  order: {
                    description: 'Sort order (default asc).',
                    enum: ['asc', 'desc'],
                  },
                  nulls: {
                    description: 'NULLS FIRST or LAST (default last for asc, first for desc).',
                    enum: ['first', 'last'],
                  },
                  opclass: {
                    description: "Operator class, e.g. text_pattern_ops, vector_cosine_ops (default: the type's default).",
                    type: 'string',
                    minLength: 1,
                  },
                  collation: {
                    description: 'COLLATE of this key.',
                    type: 'string',
                    minLength: 1,
                  },
                },
              },
            ],
          },
        },
        unique: {
          description: 'UNIQUE index (default false).',
          type: 'boolean',
        },
        using: {
          description: 'Access method: btree (default), hash, gin, gist, spgist, brin, ivfflat, hnsw, ...',
          type: 'string',
          minLength: 1,
          examples: ['btree', 'hash', 'gin', 'gist', 'spgist', 'brin', 'ivfflat', 'hnsw'],
        },
        include: {
          description: 'INCLUDE columns (covering index).',
          type: 'array',
          items: {
            description: 'A column name.',
            type: 'string',
            minLength: 1,
          },
        },
        where: {
          description: 'Predicate of a partial index, as SQL.',
          $ref: '#/definitions/sqlExpression',
        },
        with: {
          description: 'Storage parameters, e.g. { fillfactor: 90 }, ivfflat { lists: 100 }, hnsw { m: 16, ef_construction: 64 }.',
          type: 'object',
          additionalProperties: {
            description: "The parameter's value.",
            type: ['string', 'number', 'boolean'],
          },
        },
        nulls_not_distinct: {
          description: 'NULLS NOT DISTINCT for a unique index (default false).',
          type: 'boolean',
        },
        comment: {
          description: 'COMMENT ON INDEX text.',
          type: 'string',
        },
        renamed_from: {
          description: "The index's previous name: planned as ALTER INDEX ... RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
