/**
 * The aggregate kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

const functionName = (what: string): object => ({
  description: `${what}: "name" (a function of this schema the file declares, else pg_catalog's) or "schema.name".`,
  type: 'string',
  minLength: 1,
});

export const aggregateFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'aggregates',
      schema: {
        description:
          'Aggregates (CREATE AGGREGATE): a map from name to definition. Overloads are keyed by name and input types, e.g. "total(integer)".',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/aggregate',
        },
      },
    },
  ],
  definitions: {
    aggregate: {
      description: 'An ordinary aggregate (CREATE AGGREGATE name(types) (SFUNC, STYPE, …)).',
      type: 'object',
      additionalProperties: false,
      required: ['sfunc', 'stype'],
      properties: {
        arguments: {
          description: 'The input types in order (none: an aggregate over *).',
          type: 'array',
          items: { description: 'An input type, any PostgreSQL spelling.', type: 'string', minLength: 1 },
        },
        sfunc: functionName('The state transition function (SFUNC)'),
        stype: { description: 'The state type (STYPE).', type: 'string', minLength: 1 },
        finalfunc: functionName('The final function (FINALFUNC)'),
        finalfunc_extra: {
          description: 'FINALFUNC_EXTRA: the final function also takes the input values as NULLs (default false).',
          type: 'boolean',
        },
        combinefunc: functionName('The combine function (COMBINEFUNC), for partial aggregation'),
        initcond: { description: 'The initial state (INITCOND), as text; none: NULL.', type: ['string', 'number', 'boolean'] },
        parallel: { description: 'PARALLEL safety (default unsafe).', enum: ['unsafe', 'restricted', 'safe'] },
      },
    },
  },
};
