/**
 * The trigger kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const triggerFormat: KindFormat = {
  placements: [
    {
      in: 'table',
      property: 'triggers',
      schema: {
        description: 'Map from trigger name to definition.',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/trigger',
        },
      },
    },
  ],
  definitions: {
    trigger: {
      description: 'A trigger (CREATE TRIGGER).',
      type: 'object',
      additionalProperties: false,
      required: ['timing', 'events', 'function'],
      properties: {
        timing: {
          description: 'When the trigger fires.',
          enum: ['before', 'after', 'instead of'],
        },
        events: {
          description: 'The events that fire the trigger.',
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: {
            description: 'An event.',
            enum: ['insert', 'update', 'delete', 'truncate'],
          },
        },
        update_of: {
          description: 'UPDATE OF columns (only with the update event).',
          type: 'array',
          minItems: 1,
          items: {
            description: 'A column name.',
            type: 'string',
            minLength: 1,
          },
        },
        for_each: {
          description: 'FOR EACH ROW or STATEMENT (default statement, as in PostgreSQL).',
          enum: ['row', 'statement'],
        },
        when: {
          description: 'WHEN condition as SQL, e.g. "OLD.* IS DISTINCT FROM NEW.*" (row triggers only may use OLD/NEW).',
          $ref: '#/definitions/sqlExpression',
        },
        function: {
          description: 'The trigger function: "name" (in this schema) or "schema.name".',
          type: 'string',
          minLength: 1,
        },
        arguments: {
          description: 'String arguments passed to the function (TG_ARGV).',
          type: 'array',
          items: {
            description: 'An argument.',
            type: ['string', 'number'],
          },
        },
        enabled: {
          description: 'true (default, fires in origin and local mode), false (disabled), replica (fires only in replica mode) or always.',
          enum: [true, false, 'replica', 'always'],
        },
        constraint: {
          description:
            'A constraint trigger (CREATE CONSTRAINT TRIGGER; default false): timing after, for_each row; it may be deferred to the end of the transaction.',
          type: 'boolean',
        },
        deferrable: {
          description: 'DEFERRABLE (default false; only with constraint: true).',
          type: 'boolean',
        },
        initially_deferred: {
          description: 'INITIALLY DEFERRED (default false; needs deferrable).',
          type: 'boolean',
        },
        comment: {
          description: 'COMMENT ON TRIGGER text.',
          type: 'string',
        },
        renamed_from: {
          description: "The trigger's previous name: planned as ALTER TRIGGER ... RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
