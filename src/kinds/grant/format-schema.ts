/**
 * The grant kind's part of the format's JSON Schema: `owner` and `grants` on schemas, tables,
 * views, sequences, functions, procedures and types, `grants` on columns, `default_owner` and
 * `default_privileges` on schemas. Assembled into schema/pgreconcile.schema.json by
 * `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { FormatPlacement, KindFormat } from '../kind.js';

const owner = { description: 'The owning role (ALTER … OWNER TO). Compared only when given.', $ref: '#/definitions/roleName' };
const grants = {
  description: 'The privileges of roles other than the owner (GRANT / REVOKE): exactly these, when given. Absent: not compared.',
  $ref: '#/definitions/grants',
};

const OWNED = [
  'schema',
  'table',
  'view',
  'materializedView',
  'sequence',
  'function',
  'procedure',
  'enum',
  'compositeType',
  'rangeType',
  'domain',
];

export const grantFormat: KindFormat = {
  placements: [
    ...OWNED.flatMap((definition): FormatPlacement[] => [
      { in: definition, property: 'owner', schema: owner },
      { in: definition, property: 'grants', schema: grants },
    ]),
    { in: 'column', property: 'grants', schema: grants },
    {
      in: 'schema',
      property: 'default_owner',
      schema: {
        description: 'The owner of every object of the schema that does not say its own (not of the schema itself).',
        $ref: '#/definitions/roleName',
      },
    },
    {
      in: 'schema',
      property: 'default_privileges',
      schema: {
        description:
          'ALTER DEFAULT PRIVILEGES FOR ROLE … IN SCHEMA: a map from the role that creates objects to the privileges others get on them. For each role listed, exactly these.',
        type: 'object',
        propertyNames: { $ref: '#/definitions/roleName' },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            tables: { $ref: '#/definitions/grants' },
            sequences: { $ref: '#/definitions/grants' },
            functions: { $ref: '#/definitions/grants' },
            types: { $ref: '#/definitions/grants' },
          },
        },
      },
    },
  ],
  definitions: {
    roleName: { description: 'A role name, as is (quoted as an identifier in SQL).', type: 'string', minLength: 1, maxLength: 63 },
    grants: {
      description: 'A map from role (or PUBLIC) to its privileges: a list (`[select, insert]`) or `{ privileges, with_grant_option }`.',
      type: 'object',
      propertyNames: { $ref: '#/definitions/roleName' },
      additionalProperties: {
        anyOf: [
          { $ref: '#/definitions/privilegeList' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['privileges'],
            properties: {
              privileges: { $ref: '#/definitions/privilegeList' },
              with_grant_option: {
                description: 'The role may grant these privileges on (WITH GRANT OPTION): true for all of them, or a list of some.',
                anyOf: [{ type: 'boolean' }, { $ref: '#/definitions/privilegeList' }],
              },
            },
          },
        ],
      },
    },
    privilegeList: {
      description: 'Privileges, lower case: select, insert, update, delete, truncate, references, trigger, usage, create, execute.',
      type: 'array',
      items: { type: 'string', pattern: '^[a-z]+$' },
      uniqueItems: true,
    },
  },
};
