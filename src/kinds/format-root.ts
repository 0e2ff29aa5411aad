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
    },
  },
  definitions: {
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
