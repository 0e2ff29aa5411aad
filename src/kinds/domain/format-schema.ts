/**
 * The domain kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const domainFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'domains',
      schema: {
        description: 'Domains: a map from domain name to its definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/domain',
        },
      },
    },
  ],
  definitions: {
    domain: {
      description: 'A domain (CREATE DOMAIN): a base type with a default, NOT NULL, a collation and named checks.',
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: {
          description:
            'The base type in any PostgreSQL spelling, with its modifiers: integer, numeric(12,2), varchar(20), text[], an enum or domain of this file. It cannot change while columns or functions use the domain.',
          type: 'string',
          minLength: 1,
        },
        default: {
          description: "DEFAULT expression as SQL: 0, now(), 'none' (with the SQL quotes).",
          type: ['string', 'number', 'boolean'],
        },
        not_null: {
          description: 'true for NOT NULL (default false): every column of the domain is scanned when it is set.',
          type: 'boolean',
        },
        collation: {
          description: 'COLLATE, e.g. "C" (the base type must be collatable). It cannot change while columns or functions use the domain.',
          type: 'string',
          minLength: 1,
        },
        checks: {
          description: 'Named checks: a map from constraint name to its check. VALUE is the value checked.',
          type: 'object',
          additionalProperties: {
            $ref: '#/definitions/domainCheck',
          },
        },
        comment: {
          description: 'COMMENT ON DOMAIN text.',
          $ref: '#/definitions/comment',
        },
        renamed_from: {
          description: "The domain's previous name: planned as ALTER DOMAIN ... RENAME TO.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
    domainCheck: {
      description: 'A check of a domain.',
      type: 'object',
      additionalProperties: false,
      required: ['expression'],
      properties: {
        expression: {
          description: 'The boolean SQL expression over VALUE, e.g. "VALUE > 0".',
          $ref: '#/definitions/sqlExpression',
        },
        validated: {
          description:
            'false: the check is added NOT VALID and left so (values already stored are not checked; new ones are). A live check that is already valid satisfies false too. Default true: added NOT VALID, then validated; a live NOT VALID check is validated.',
          type: 'boolean',
        },
      },
    },
  },
};
