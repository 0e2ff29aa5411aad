/**
 * The policy kind's part of the format's JSON Schema: a table's `row_level_security` and
 * `policies`, assembled into schema/pgreconcile.schema.json by `npm run schema`
 * (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const policyFormat: KindFormat = {
  placements: [
    {
      in: 'table',
      property: 'row_level_security',
      schema: { $ref: '#/definitions/rowLevelSecurity' },
    },
    {
      in: 'table',
      property: 'policies',
      schema: {
        description: 'Map from policy name to definition (CREATE POLICY).',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/policy',
        },
      },
    },
  ],
  definitions: {
    rowLevelSecurity: {
      description: 'ALTER TABLE … ENABLE / FORCE ROW LEVEL SECURITY (both default false).',
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: {
          description: 'ENABLE ROW LEVEL SECURITY: the policies decide which rows roles other than the owner see and write.',
          type: 'boolean',
        },
        forced: {
          description: "FORCE ROW LEVEL SECURITY: the policies apply to the table's owner too.",
          type: 'boolean',
        },
      },
    },
    policy: {
      description: 'A row-level security policy (CREATE POLICY).',
      type: 'object',
      additionalProperties: false,
      properties: {
        command: {
          description: 'The command the policy applies to (default all).',
          enum: ['all', 'select', 'insert', 'update', 'delete'],
        },
        as: {
          description: 'permissive (default: any permissive policy grants) or restrictive (every restrictive policy must pass too).',
          enum: ['permissive', 'restrictive'],
        },
        roles: {
          description: 'The roles the policy applies to, by exact name (default PUBLIC); PUBLIC stands alone.',
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: {
            description: 'A role name, or PUBLIC.',
            type: 'string',
            minLength: 1,
          },
        },
        using: {
          description: 'USING expression as SQL: which existing rows the policy lets through (not for insert).',
          $ref: '#/definitions/sqlExpression',
        },
        with_check: {
          description: 'WITH CHECK expression as SQL: which new rows the policy accepts (not for select or delete).',
          $ref: '#/definitions/sqlExpression',
        },
        comment: {
          description: 'COMMENT ON POLICY text.',
          type: 'string',
        },
        renamed_from: {
          description: "The policy's previous name: planned as ALTER POLICY ... RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
