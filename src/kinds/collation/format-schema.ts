/**
 * The collation kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const collationFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'collations',
      schema: {
        description: 'Collations: a map from collation name to its definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/collation',
        },
      },
    },
  ],
  definitions: {
    collation: {
      description: 'A collation (CREATE COLLATION): locale, or both lc_collate and lc_ctype.',
      type: 'object',
      additionalProperties: false,
      properties: {
        provider: {
          description: 'The provider of the collation. Default: libc.',
          enum: ['libc', 'icu'],
        },
        locale: {
          description: 'The locale (sets LC_COLLATE and LC_CTYPE; for icu, the ICU locale).',
          type: 'string',
          minLength: 1,
        },
        lc_collate: {
          description: 'LC_COLLATE of a libc collation, with lc_ctype (instead of locale).',
          type: 'string',
          minLength: 1,
        },
        lc_ctype: {
          description: 'LC_CTYPE of a libc collation, with lc_collate (instead of locale).',
          type: 'string',
          minLength: 1,
        },
        deterministic: {
          description: 'false for a nondeterministic collation (icu only). Default: true.',
          type: 'boolean',
        },
        comment: {
          description: 'COMMENT ON COLLATION text.',
          $ref: '#/definitions/comment',
        },
      },
    },
  },
};
