/**
 * The enum kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const enumFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'enums',
      schema: {
        description: 'Enum types: a map from type name to its values.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/enum',
        },
      },
    },
  ],
  definitions: {
    enum: {
      description: 'An enum type (CREATE TYPE ... AS ENUM).',
      type: 'object',
      additionalProperties: false,
      required: ['values'],
      properties: {
        values: {
          description: 'The labels in sort order. A renamed label is written { name: new, renamed_from: old }.',
          type: 'array',
          items: {
            description: 'A label, or { name, renamed_from } for a renamed label.',
            anyOf: [
              {
                description: 'A label.',
                type: 'string',
                minLength: 1,
              },
              {
                description: 'A renamed label.',
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: {
                    description: 'The label.',
                    type: 'string',
                    minLength: 1,
                  },
                  renamed_from: {
                    description: "The label's previous text: planned as ALTER TYPE ... RENAME VALUE.",
                    type: 'string',
                    minLength: 1,
                  },
                },
              },
            ],
          },
        },
        comment: {
          description: 'COMMENT ON TYPE text.',
          $ref: '#/definitions/comment',
        },
      },
    },
  },
};
