/**
 * The format's JSON Schema without the kinds' parts: the document's own keys and the definitions
 * every kind shares. src/kinds/format-schema.ts adds each kind's part (`npm run schema`).
 */
import type { JsonSchema } from './kind.js';

export const FORMAT_ROOT: { readonly document: JsonSchema; readonly definitions: { readonly [name: string]: JsonSchema } } = {
  document: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'pgreconcile desired state (format version 1)',
    description:
      'One YAML file declaring the whole managed PostgreSQL schema. pgreconcile plans the SQL that turns the live database into this state.',
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: {
        description: 'The format version of this file. Always 1.',
        const: 1,
      },
      ignore: {
        description:
          'Glob patterns over "schema.object" naming objects pgreconcile leaves unmanaged: \'*\' matches any run of characters, \'?\' one character. Example: "public.tmp_*" or "audit.*".',
        type: 'array',
        items: {
          description: 'A glob pattern over "schema.object", e.g. "public.tmp_*".',
          type: 'string',
          minLength: 1,
        },
      },
      external: {
        description: 'Tables managed elsewhere that foreign keys may reference, as "schema.table" or "table" (= public).',
        type: 'array',
        items: {
          description: 'A table managed elsewhere: "schema.table" or "table" (= public).',
          type: 'string',
          minLength: 1,
        },
      },
      external_types: {
        description:
          'Types managed outside this file (domains, composite, range types) that columns, function arguments and results may use, as "schema.type" or "type" (= public). A plan checks that they exist and never creates, alters or drops them.',
        type: 'array',
        items: {
          description: 'A type managed elsewhere: "schema.type" or "type" (= public), e.g. "public.year".',
          type: 'string',
          minLength: 1,
        },
      },
      data_changes: {
        description:
          'One-time data changes (backfills, data migrations) keyed by a stable id: each runs once per database, between the schema steps its `after` and `before` name; the ledger records it.',
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' },
        additionalProperties: { $ref: '#/definitions/dataChange' },
      },
    },
  },
  definitions: {
    dataChange: {
      description: 'A data change: its SQL (inline, or a file beside schema.yaml), where it runs, and optionally in batches.',
      type: 'object',
      additionalProperties: false,
      properties: {
        sql: {
          description: 'The SQL, run as written. A batched one uses $1 and $2: the lowest and highest key of the batch.',
          type: 'string',
          minLength: 1,
        },
        file: {
          description: 'A file holding the SQL, relative to the folder of schema.yaml (and inside it).',
          type: 'string',
          minLength: 1,
        },
        after: {
          description: 'What must exist first: a table or column (added earlier in the plan, if the plan adds it), or another data change.',
          anyOf: [{ $ref: '#/definitions/dataChangeAnchor' }, { type: 'array', items: { $ref: '#/definitions/dataChangeAnchor' } }],
        },
        before: {
          description: "What runs after it: a column's NOT NULL (not_null), the drop of a table or column.",
          anyOf: [{ $ref: '#/definitions/dataChangeAnchor' }, { type: 'array', items: { $ref: '#/definitions/dataChangeAnchor' } }],
        },
        batch: {
          description: 'Run in batches over a unique, ordered key: each batch its own short transaction, resumable after a kill.',
          type: 'object',
          additionalProperties: false,
          required: ['key', 'size'],
          properties: {
            table: {
              description: 'The table, "schema.table" or "table" (= public); default: the table its after/before name.',
              type: 'string',
              minLength: 1,
            },
            key: { description: 'A column of the table with unique, ordered values (its primary key).', type: 'string', minLength: 1 },
            size: { description: 'Rows per batch.', type: 'integer', minimum: 1, maximum: 1000000 },
          },
        },
        comment: { description: 'Free text for readers.', type: 'string' },
      },
    },
    dataChangeAnchor: {
      description:
        'An object a data change runs after or before: { table: schema.table }, { column: schema.table.column }, { not_null: schema.table.column } (before only) or { data_change: id } (after only).',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        table: { type: 'string', minLength: 1 },
        column: { type: 'string', minLength: 1 },
        not_null: { type: 'string', minLength: 1 },
        data_change: { type: 'string', minLength: 1 },
      },
    },
    bigintValue: {
      description: 'A whole number; write numbers beyond 2^53 as a quoted string.',
      type: ['integer', 'string'],
      pattern: '^[+-]?[0-9]+$',
    },
    comment: {
      description: 'COMMENT ON text for this object.',
      type: 'string',
    },
    renamedFrom: {
      description: "The object's previous name: the change is planned as a RENAME, never as a drop and a create.",
      type: 'string',
      minLength: 1,
    },
    columnList: {
      description: 'Column names, as PostgreSQL stores them.',
      type: 'array',
      minItems: 1,
      items: {
        description: 'A column name.',
        type: 'string',
        minLength: 1,
      },
    },
    sqlExpression: {
      description: "A SQL expression, parsed with PostgreSQL's own parser.",
      type: 'string',
      minLength: 1,
    },
  },
};
