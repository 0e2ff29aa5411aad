/**
 * The role kind's part of the format's JSON Schema: the document's `roles` map and its
 * `manage_roles` switch. Assembled into schema/pgreconcile.schema.json by `npm run schema`
 * (../format-schema.ts).
 */
import type { KindFormat } from '../kind.js';

export const roleFormat: KindFormat = {
  placements: [
    {
      in: 'document',
      property: 'manage_roles',
      schema: {
        description:
          'Whether the plan creates the roles under `roles:` that do not exist, alters the attributes and memberships the file gives, and sets the password of a role it creates from `password_env` (default false: roles must exist, plan fails naming a missing one). Roles are never dropped.',
        type: 'boolean',
      },
    },
    {
      in: 'document',
      property: 'roles',
      schema: {
        description:
          'The roles (cluster objects) the file refers to in owner, grants, policies and default_privileges: a map from role name to null or its attributes. When given, every role the file names must be listed; plan fails when one does not exist on the server, unless `manage_roles: true` (then the plan creates it).',
        type: 'object',
        propertyNames: { $ref: '#/definitions/roleName' },
        additionalProperties: {
          description:
            'A role the schema refers to: null (it must exist), or its attributes (created and altered only with manage_roles: true).',
          oneOf: [{ type: 'null' }, { $ref: '#/definitions/role' }],
        },
      },
    },
  ],
  definitions: {
    role: {
      description: "A role's attributes; an attribute left out is not compared (CREATE ROLE then uses PostgreSQL's default).",
      type: 'object',
      additionalProperties: false,
      properties: {
        login: { description: 'LOGIN / NOLOGIN.', type: 'boolean' },
        inherit: { description: 'INHERIT / NOINHERIT.', type: 'boolean' },
        createdb: { description: 'CREATEDB / NOCREATEDB.', type: 'boolean' },
        createrole: { description: 'CREATEROLE / NOCREATEROLE.', type: 'boolean' },
        connection_limit: { description: 'CONNECTION LIMIT; -1: no limit.', type: 'integer', minimum: -1, maximum: 2147483647 },
        valid_until: {
          description: 'VALID UNTIL: a date or timestamp ("2030-01-01", "2030-01-01 00:00:00+00") or "infinity".',
          type: 'string',
          pattern:
            '^(infinity|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)?)?)$',
        },
        member_of: {
          description: 'The roles this role is a member of: exactly these (memberships granted and revoked).',
          type: 'array',
          items: { $ref: '#/definitions/roleName' },
        },
        password_env: {
          description:
            'The environment variable apply reads the password from, when the plan creates the role (the password itself never appears in the file, the plan or the ledger).',
          type: 'string',
          pattern: '^[A-Z_][A-Z0-9_]*$',
          maxLength: 100,
        },
      },
    },
  },
};
