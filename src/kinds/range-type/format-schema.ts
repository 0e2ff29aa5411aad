/**
 * The range type kind's part of the format's JSON Schema: assembled into
 * schema/pgreconcile.schema.json by `npm run schema` (../format-schema.ts); docs/format.md
 * describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const rangeTypeFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'range_types',
      schema: {
        description: 'Range types (CREATE TYPE ... AS RANGE): a map from type name to its definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/rangeType',
        },
      },
    },
  ],
  definitions: {
    rangeType: {
      description: 'A range type. Any change but comment and renamed_from drops and creates it.',
      type: 'object',
      additionalProperties: false,
      required: ['subtype'],
      properties: {
        subtype: {
          description: 'The element type, in any PostgreSQL spelling.',
          type: 'string',
          minLength: 1,
        },
        subtype_opclass: {
          description: "The subtype's btree operator class. Default: the subtype's default one.",
          type: 'string',
          minLength: 1,
        },
        collation: {
          description: "The collation of a collatable subtype. Default: the subtype's.",
          type: 'string',
          minLength: 1,
        },
        canonical: {
          description: 'The canonical function (name, or schema.name).',
          type: 'string',
          minLength: 1,
        },
        subtype_diff: {
          description: 'The subtype difference function (name, or schema.name): (subtype, subtype) returns double precision.',
          type: 'string',
          minLength: 1,
        },
        multirange_type_name: {
          description:
            "The multirange type's name, in the range's schema. Default: the one PostgreSQL derives (floatrange → floatmultirange).",
          type: 'string',
          minLength: 1,
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
  },
};
