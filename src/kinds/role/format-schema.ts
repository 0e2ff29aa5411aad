/**
 * The role kind's part of the format's JSON Schema: the document's `roles` map. Assembled into
 * schema/pgreconcile.schema.json by `npm run schema` (../format-schema.ts).
 */
import type { KindFormat } from '../kind.js';

export const roleFormat: KindFormat = {
  placements: [
    {
      in: 'document',
      property: 'roles',
      schema: {
        description:
          'The roles (cluster objects) the file refers to in owner, grants and default_privileges: a map from role name to null. When given, every role the file names must be listed; plan fails when one does not exist on the server.',
        type: 'object',
        propertyNames: { $ref: '#/definitions/roleName' },
        additionalProperties: {
          description: 'A role the schema refers to: null (it must exist; pgreconcile does not create roles).',
          type: 'null',
        },
      },
    },
  ],
  definitions: {},
};
