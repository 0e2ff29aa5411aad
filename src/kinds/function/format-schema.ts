/**
 * The function kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { KindFormat } from '../kind.js';

export const functionFormat: KindFormat = {
  placements: [
    {
      in: 'schema',
      property: 'functions',
      schema: {
        description:
          'Functions: a map from name to definition. Overloads are keyed by name and argument types, e.g. "add(integer, integer)".',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/function',
        },
      },
    },
    {
      in: 'schema',
      property: 'procedures',
      schema: {
        description:
          'Procedures (CREATE PROCEDURE, run with CALL): a map from name to definition. Overloads are keyed by name and argument types, e.g. "archive(integer)".',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/procedure',
        },
      },
    },
  ],
  definitions: {
    procedure: {
      description:
        'A procedure (CREATE PROCEDURE): like a function without a result, volatility, strictness, leakproof or parallel safety. It may COMMIT and ROLLBACK (plpgsql).',
      type: 'object',
      additionalProperties: false,
      required: ['language'],
      properties: {
        language: {
          description: 'plpgsql, sql, or any installed procedural language.',
          type: 'string',
          minLength: 1,
        },
        arguments: {
          description: 'The arguments in order (modes in, inout, variadic).',
          type: 'array',
          items: {
            $ref: '#/definitions/procedureArgument',
          },
        },
        security: {
          description: 'SECURITY INVOKER (default) or SECURITY DEFINER.',
          enum: ['invoker', 'definer'],
        },
        set: {
          description: 'SET configuration parameters applied while the procedure runs, e.g. { search_path: public }.',
          type: 'object',
          additionalProperties: {
            description: "The parameter's value.",
            type: ['string', 'number', 'boolean'],
          },
        },
        body: {
          description:
            'The procedure body (the text between the $$ quotes). sql bodies are parsed as statements, plpgsql bodies with the PL/pgSQL parser.',
          type: 'string',
          minLength: 1,
        },
        sql_body: {
          description:
            "A SQL-standard body instead of `body` (language sql): BEGIN ATOMIC … END, as pull writes it (PostgreSQL's printed form).",
          type: 'string',
          minLength: 1,
        },
        comment: {
          description: 'COMMENT ON PROCEDURE text.',
          $ref: '#/definitions/comment',
        },
      },
    },
    procedureArgument: {
      description: 'One procedure argument.',
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        name: {
          description: "The argument's name (optional).",
          type: 'string',
          minLength: 1,
        },
        type: {
          description: "The argument's type, any PostgreSQL spelling (int, varchar(10), text[], ...).",
          type: 'string',
          minLength: 1,
        },
        mode: {
          description: 'Argument mode (default in).',
          enum: ['in', 'inout', 'variadic'],
        },
        default: {
          description: 'DEFAULT expression of the argument, as SQL.',
          type: ['string', 'number', 'boolean'],
        },
      },
    },
    function: {
      description: 'A function (CREATE FUNCTION).',
      type: 'object',
      additionalProperties: false,
      required: ['returns', 'language'],
      properties: {
        returns: {
          description: 'The return type: trigger, void, integer, setof integer, table(id integer, name text), ...',
          type: 'string',
          minLength: 1,
        },
        language: {
          description: 'plpgsql, sql, or any installed procedural language.',
          type: 'string',
          minLength: 1,
        },
        arguments: {
          description: 'The arguments in order.',
          type: 'array',
          items: {
            $ref: '#/definitions/functionArgument',
          },
        },
        volatility: {
          description: 'Volatility category (default volatile).',
          enum: ['volatile', 'stable', 'immutable'],
        },
        strict: {
          description: 'STRICT, i.e. RETURNS NULL ON NULL INPUT (default false).',
          type: 'boolean',
        },
        security: {
          description: 'SECURITY INVOKER (default) or SECURITY DEFINER.',
          enum: ['invoker', 'definer'],
        },
        leakproof: {
          description: 'LEAKPROOF (default false).',
          type: 'boolean',
        },
        parallel: {
          description: 'PARALLEL safety (default unsafe).',
          enum: ['unsafe', 'restricted', 'safe'],
        },
        set: {
          description: 'SET configuration parameters applied while the function runs, e.g. { search_path: public }.',
          type: 'object',
          additionalProperties: {
            description: "The parameter's value.",
            type: ['string', 'number', 'boolean'],
          },
        },
        body: {
          description:
            'The function body (the text between the $$ quotes). sql bodies are parsed as statements, plpgsql bodies with the PL/pgSQL parser.',
          type: 'string',
          minLength: 1,
        },
        sql_body: {
          description:
            "A SQL-standard body instead of `body` (language sql): RETURN a + b, or BEGIN ATOMIC … END, as pull writes it (PostgreSQL's printed form).",
          type: 'string',
          minLength: 1,
        },
        comment: {
          description: 'COMMENT ON FUNCTION text.',
          $ref: '#/definitions/comment',
        },
      },
    },
    functionArgument: {
      description: 'One function argument.',
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        name: {
          description: "The argument's name (optional).",
          type: 'string',
          minLength: 1,
        },
        type: {
          description: "The argument's type, any PostgreSQL spelling (int, varchar(10), text[], ...).",
          type: 'string',
          minLength: 1,
        },
        mode: {
          description: 'Argument mode (default in).',
          enum: ['in', 'out', 'inout', 'variadic'],
        },
        default: {
          description: 'DEFAULT expression of the argument, as SQL.',
          type: ['string', 'number', 'boolean'],
        },
      },
    },
  },
};
