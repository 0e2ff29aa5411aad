/**
 * The view kind's part of the format's JSON Schema: a schema's `views` and
 * `materialized_views` maps, assembled into schema/pgreconcile.schema.json by `npm run schema`
 * (../format-schema.ts); docs/format.md describes them for people.
 */
import type { JsonSchema, KindFormat } from '../kind.js';

const query: JsonSchema = {
  description:
    'The SELECT (or VALUES, or WITH … SELECT) statement of the view, one statement. PostgreSQL judges whether it is the same as the live one.',
  type: 'string',
  minLength: 1,
};

const columns: JsonSchema = {
  description: "The view's output columns that carry a comment: a map from column name to { comment }.",
  type: 'object',
  additionalProperties: { $ref: '#/definitions/viewColumn' },
};

const renamedFrom: JsonSchema = {
  description: 'The previous name of the view in the same schema: the view is renamed, not dropped and created.',
  type: 'string',
  minLength: 1,
};

export const viewFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'views',
      schema: {
        description: 'Views: a map from view name to its definition.',
        type: 'object',
        additionalProperties: { $ref: '#/definitions/view' },
      },
    },
    {
      in: 'schema',
      property: 'materialized_views',
      schema: {
        description: 'Materialized views: a map from name to its definition. They are never refreshed by a plan.',
        type: 'object',
        additionalProperties: { $ref: '#/definitions/materializedView' },
      },
    },
  ],
  definitions: {
    viewIndex: {
      description: 'An index of a materialized view on plain columns (ascending, default operator classes).',
      type: 'object',
      additionalProperties: false,
      required: ['columns'],
      properties: {
        columns: { description: 'The key columns, in order.', type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        unique: { description: 'A unique index. Default: false.', type: 'boolean' },
        using: { description: 'The index method. Default: btree.', type: 'string', minLength: 1 },
      },
    },
    viewColumn: {
      description: 'An output column of a view: its comment.',
      type: 'object',
      additionalProperties: false,
      properties: { comment: { description: 'COMMENT ON COLUMN text.', $ref: '#/definitions/comment' } },
    },
    view: {
      description: 'A view (CREATE VIEW).',
      type: 'object',
      additionalProperties: false,
      required: ['query'],
      properties: {
        query,
        columns,
        security_barrier: { description: 'WITH (security_barrier). Default: false.', type: 'boolean' },
        security_invoker: {
          description: 'WITH (security_invoker): the query runs with the privileges of the caller. Default: false.',
          type: 'boolean',
        },
        check_option: { description: 'WITH LOCAL or CASCADED CHECK OPTION. Default: none.', enum: ['local', 'cascaded'] },
        comment: { description: 'COMMENT ON VIEW text.', $ref: '#/definitions/comment' },
        renamed_from: renamedFrom,
      },
    },
    materializedView: {
      description: 'A materialized view (CREATE MATERIALIZED VIEW). A changed query re-creates it (a hazard gives its row count).',
      type: 'object',
      additionalProperties: false,
      required: ['query'],
      properties: {
        query,
        columns,
        with: {
          description: 'Storage parameters (WITH (...)), e.g. { fillfactor: 70 }.',
          type: 'object',
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        indexes: {
          description:
            'Indexes of the materialized view: a map from index name to its column keys (a unique one makes REFRESH … CONCURRENTLY possible).',
          type: 'object',
          additionalProperties: { $ref: '#/definitions/viewIndex' },
        },
        with_data: { description: 'false: created WITH NO DATA (unreadable until refreshed). Default: true.', type: 'boolean' },
        comment: { description: 'COMMENT ON MATERIALIZED VIEW text.', $ref: '#/definitions/comment' },
        renamed_from: renamedFrom,
      },
    },
  },
};
