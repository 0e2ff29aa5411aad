/**
 * The constraint kind's part of the format's JSON Schema: assembled into schema/pgreconcile.schema.json
 * by `npm run schema` (../format-schema.ts); docs/format.md describes it for people.
 */
import type { JsonSchema, KindFormat } from '../kind.js';

/** DEFERRABLE and INITIALLY DEFERRED, as every deferrable constraint kind writes them. */
const DEFERRAL: { readonly [key: string]: JsonSchema } = {
  deferrable: {
    description: 'DEFERRABLE (default false).',
    type: 'boolean',
  },
  initially_deferred: {
    description: 'INITIALLY DEFERRED (default false; needs deferrable).',
    type: 'boolean',
  },
};

/** A constraint's comment. */
const CONSTRAINT_COMMENT: JsonSchema = {
  description: 'COMMENT ON CONSTRAINT text.',
  type: 'string',
};

export const constraintFormat: KindFormat = {
  placements: [
    {
      in: 'table',
      property: 'primary_key',
      schema: {
        description: 'The primary key: a list of columns, or { name, columns }. Default name <table>_pkey.',
        anyOf: [
          {
            description: "The primary key's columns.",
            type: 'array',
            minItems: 1,
            items: {
              description: 'A column name.',
              type: 'string',
              minLength: 1,
            },
          },
          {
            description: 'A named primary key.',
            type: 'object',
            additionalProperties: false,
            required: ['columns'],
            properties: {
              name: {
                description: 'Constraint name (default <table>_pkey).',
                type: 'string',
                minLength: 1,
              },
              columns: {
                description: "The primary key's columns.",
                type: 'array',
                minItems: 1,
                items: {
                  description: 'A column name.',
                  type: 'string',
                  minLength: 1,
                },
              },
              comment: CONSTRAINT_COMMENT,
              renamed_from: {
                description: "The constraint's previous name: planned as a RENAME.",
                type: 'string',
                minLength: 1,
              },
            },
          },
        ],
      },
    },
    {
      in: 'table',
      property: 'unique',
      schema: {
        description: 'Unique constraints. Default name <table>_<column>[_<column>...]_key.',
        type: 'array',
        items: {
          $ref: '#/definitions/unique',
        },
      },
    },
    {
      in: 'table',
      property: 'checks',
      schema: {
        description: 'Check constraints. Default name <table>_<column>_check when the expression uses one column, else <table>_check.',
        type: 'array',
        items: {
          $ref: '#/definitions/check',
        },
      },
    },
    {
      in: 'table',
      property: 'foreign_keys',
      schema: {
        description: 'Foreign keys. Default name <table>_<column>[_<column>...]_fkey.',
        type: 'array',
        items: {
          $ref: '#/definitions/foreignKey',
        },
      },
    },
    {
      in: 'table',
      property: 'exclude',
      schema: {
        description: 'Exclusion constraints: map from constraint name to definition (EXCLUDE USING … (element WITH operator, …)).',
        type: 'object',
        additionalProperties: {
          $ref: '#/definitions/exclusion',
        },
      },
    },
  ],
  definitions: {
    exclusion: {
      description: 'An exclusion constraint: no two rows for which every element compares true WITH its operator.',
      type: 'object',
      additionalProperties: false,
      required: ['elements'],
      properties: {
        using: {
          description: 'Index access method (default gist).',
          type: 'string',
          minLength: 1,
        },
        elements: {
          description: 'The elements, in order: a column or an expression, and the operator it is compared with.',
          type: 'array',
          minItems: 1,
          items: {
            $ref: '#/definitions/exclusionElement',
          },
        },
        where: {
          description: 'Predicate: the constraint covers only the rows it is true for (SQL expression).',
          $ref: '#/definitions/sqlExpression',
        },
        include: {
          description: 'INCLUDE columns stored in the index.',
          $ref: '#/definitions/columnList',
        },
        ...DEFERRAL,
        comment: CONSTRAINT_COMMENT,
      },
    },
    exclusionElement: {
      description: 'One element: { column | expression, with }.',
      type: 'object',
      additionalProperties: false,
      required: ['with'],
      properties: {
        column: {
          description: 'A column of this table.',
          type: 'string',
          minLength: 1,
        },
        expression: {
          description: 'An SQL expression over the columns, e.g. "lower(name)".',
          $ref: '#/definitions/sqlExpression',
        },
        with: {
          description: 'The operator: a symbol such as "=" or "&&", or OPERATOR(schema.symbol).',
          type: 'string',
          minLength: 1,
        },
      },
    },
    unique: {
      description: 'A unique constraint.',
      type: 'object',
      additionalProperties: false,
      required: ['columns'],
      properties: {
        name: {
          description: 'Constraint name (default <table>_<column>[_<column>...]_key).',
          type: 'string',
          minLength: 1,
        },
        columns: {
          description: 'The constrained columns, in order.',
          $ref: '#/definitions/columnList',
        },
        nulls_not_distinct: {
          description: 'NULLS NOT DISTINCT: NULLs count as equal (default false).',
          type: 'boolean',
        },
        ...DEFERRAL,
        comment: CONSTRAINT_COMMENT,
        renamed_from: {
          description: "The constraint's previous name: planned as a RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
    check: {
      description: 'A check constraint.',
      type: 'object',
      additionalProperties: false,
      required: ['expression'],
      properties: {
        name: {
          description: 'Constraint name (default <table>_<column>_check, or <table>_check when the expression uses several columns).',
          type: 'string',
          minLength: 1,
        },
        expression: {
          description: 'The boolean SQL expression, e.g. "char_length(name) > 0".',
          $ref: '#/definitions/sqlExpression',
        },
        no_inherit: {
          description: 'NO INHERIT (default false).',
          type: 'boolean',
        },
        validated: {
          description:
            'false: the check is added NOT VALID and left so (rows already there are not checked; new and updated rows are). A live check that is already valid satisfies false too: PostgreSQL cannot un-validate one. Default true: a live NOT VALID check is validated.',
          type: 'boolean',
        },
        comment: CONSTRAINT_COMMENT,
        renamed_from: {
          description: "The constraint's previous name: planned as a RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
    foreignKey: {
      description: 'A foreign key.',
      type: 'object',
      additionalProperties: false,
      required: ['columns', 'references'],
      properties: {
        name: {
          description: 'Constraint name (default <table>_<column>[_<column>...]_fkey).',
          type: 'string',
          minLength: 1,
        },
        columns: {
          description: 'The referencing columns of this table, in order.',
          $ref: '#/definitions/columnList',
        },
        references: {
          description: 'The referenced table and its columns.',
          type: 'object',
          additionalProperties: false,
          required: ['table', 'columns'],
          properties: {
            schema: {
              description: "The referenced table's schema (default: this table's schema).",
              type: 'string',
              minLength: 1,
            },
            table: {
              description: 'The referenced table: declared in this file or listed under external.',
              type: 'string',
              minLength: 1,
            },
            columns: {
              description:
                'The referenced columns, in the order of the referencing columns; a primary key or unique constraint of the referenced table must cover exactly these.',
              $ref: '#/definitions/columnList',
            },
          },
        },
        on_delete: {
          description: 'ON DELETE action (default no action).',
          enum: ['no action', 'restrict', 'cascade', 'set null', 'set default'],
        },
        on_update: {
          description: 'ON UPDATE action (default no action).',
          enum: ['no action', 'restrict', 'cascade', 'set null', 'set default'],
        },
        match: {
          description: 'MATCH type (default simple).',
          enum: ['simple', 'full'],
        },
        ...DEFERRAL,
        validated: {
          description:
            'false: the foreign key is added NOT VALID and left so (rows already there are not checked; new and updated rows are). A live key that is already valid satisfies false too: PostgreSQL cannot un-validate one. Default true: a live NOT VALID key is validated.',
          type: 'boolean',
        },
        not_valid: {
          description: 'The older spelling of validated: false (not_valid: true is validated: false). Do not write both.',
          type: 'boolean',
        },
        comment: CONSTRAINT_COMMENT,
        renamed_from: {
          description: "The constraint's previous name: planned as a RENAME.",
          $ref: '#/definitions/renamedFrom',
        },
      },
    },
  },
};
