/**
 * The composite type kind's part of the format's JSON Schema: assembled into
 * schema/pgreconcile.schema.json by `npm run schema` (../format-schema.ts); docs/format.md
 * describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const compositeTypeFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'composite_types',
      schema: {
        description: 'Composite types (CREATE TYPE ... AS (...)): a map from type name to its attributes.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/compositeType',
        },
      },
    },
  ],
  definitions: {
    compositeType: {
      description: 'A composite type.',
      type: 'object',
      additionalProperties: false,
      required: ['attributes'],
      properties: {
        attributes: {
          description: 'Map from attribute name to definition, in attribute order.',
          type: 'object',
          additionalProperties: {
            $ref: '#/definitions/compositeAttribute',
          },
        },
        comment: {
          description: 'COMMENT ON TYPE text.',
          $ref: '#/definitions/comment',
        },
        renamed_from: {
          description: "The type's previous name in this schema: planned as ALTER TYPE ... RENAME TO.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
    compositeAttribute: {
      description: 'An attribute of a composite type.',
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: {
          description: "The attribute's type in any PostgreSQL spelling, as a column's (no serial).",
          type: 'string',
          minLength: 1,
        },
        collation: {
          description: 'COLLATE of the attribute (a collatable type).',
          type: 'string',
          minLength: 1,
        },
        comment: {
          description: 'COMMENT ON COLUMN type.attribute text.',
          $ref: '#/definitions/comment',
        },
        renamed_from: {
          description: "The attribute's previous name: planned as ALTER TYPE ... RENAME ATTRIBUTE.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
