/**
 * The extension kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const extensionFormat: KindFormat = {
  placements: [
    {
      in: 'document',
      property: 'extensions',
      before: 'ignore',
      schema: {
        description: 'Extensions to install: a map from extension name (e.g. vector, pgcrypto) to its options.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/extension',
        },
      },
    },
  ],
  definitions: {
    extension: {
      description: 'Options of one extension; both are optional (an empty value means the defaults).',
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        schema: {
          description: "The schema the extension's objects are created in (WITH SCHEMA). Default: the first schema of search_path.",
          type: 'string',
          minLength: 1,
        },
        version: {
          description: 'The extension version to install, as a string (e.g. "0.8.0"). Default: the extension\'s default version.',
          type: 'string',
          minLength: 1,
        },
      },
    },
  },
};
