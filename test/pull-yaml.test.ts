/**
 * The pieces of `pull` that need no database: the YAML writer (quoting, literal blocks, layout,
 * read-back), readable type and expression spellings, and modelToYaml on hand-built models read
 * back through the real loader (both of its YAML parsers) to the same model.
 */
import jsYaml from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { emptyModel, normalizeModel } from '../src/model/index.js';
import type { Column, SchemaModel, Table } from '../src/model/index.js';
import { modelToYaml, readableDefault, readableExpression, readableType, SCHEMA_COMMENT } from '../src/pull/index.js';
import { inlineString, isPlainSafe, renderDocument, yamlMap, yamlText } from '../src/pull/yaml-writer.js';
import { initParser } from '../src/sql/parser.js';

beforeAll(async () => {
  await initParser();
});

describe('YAML scalars', () => {
  it('writes plain what reads back as the same string, and quotes the rest', () => {
    const cases: [string, string][] = [
      ['now()', 'now()'],
      ['varchar(255)', 'varchar(255)'],
      ['standard public schema', 'standard public schema'],
      ['OLD.* IS DISTINCT FROM NEW.*', 'OLD.* IS DISTINCT FROM NEW.*'],
      ["'pending'", `"'pending'"`],
      ['numeric(10,2)', '"numeric(10,2)"'],
      ['text[]', '"text[]"'],
      ['a: b', '"a: b"'],
      ['x # y', '"x # y"'],
      ['true', '"true"'],
      ['No', '"No"'],
      ['null', '"null"'],
      ['123', '"123"'],
      ['-1', '"-1"'],
      ['', '""'],
      [' lead', '" lead"'],
      ['"MyCol" > 0', `'"MyCol" > 0'`],
      ["x ~ '^\\d+$'", "x ~ '^\\d+$'"],
      ["'^\\d+$'::text", `'''^\\d+$''::text'`],
      ['say "x": y', `'say "x": y'`],
      ['tab\there', '"tab\\there"'],
      ['line\nbreak', '"line\\nbreak"'],
      ['bell\u0007', '"bell\\x07"'],
      ['é ünïcode', 'é ünïcode'],
      ['@at', '"@at"'],
      ['*star', '"*star"'],
      ['<<', '"<<"'],
    ];
    for (const [value, written] of cases) {
      expect(inlineString(value), JSON.stringify(value)).toBe(written);
      expect(jsYaml.load(`k: ${written}`, { schema: jsYaml.CORE_SCHEMA }), written).toEqual({ k: value });
      expect(parseYaml(`k: ${written}`), written).toEqual({ k: value });
      expect(jsYaml.load(`k: [${written}, { a: ${written} }]`, { schema: jsYaml.CORE_SCHEMA }), written).toEqual({
        k: [value, { a: value }],
      });
      expect(parseYaml(`k: [${written}, { a: ${written} }]`), written).toEqual({ k: [value, { a: value }] });
    }
    expect(isPlainSafe('order items')).toBe(true);
    expect(isPlainSafe('yes')).toBe(false);
  });

  it('writes text as literal blocks that keep every character, or quotes what a block cannot hold', () => {
    const texts = [
      '\nBEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND;\n',
      'BEGIN RETURN NEW; END;',
      '  leading spaces\n  kept\n',
      '\tSELECT 1\n\n',
      'trailing newlines\n\n\n',
      '\n\n  starts after blank lines\n',
      '   \nwhitespace-only first line\n',
      'trailing spaces   \nkept   ',
      'crlf\r\nline',
      'nul\u0000inside\n',
      'é\n☃\n',
    ];
    for (const text of texts) {
      const yaml = renderDocument(
        yamlMap(
          [
            ['body', yamlText(text)],
            ['after', yamlText('x')],
          ],
          'block',
        ),
      );
      expect(jsYaml.load(yaml, { schema: jsYaml.CORE_SCHEMA }), yaml).toEqual({ body: text, after: 'x' });
      expect(parseYaml(yaml), yaml).toEqual({ body: text, after: 'x' });
    }
    const body = renderDocument(yamlMap([['body', yamlText('\nBEGIN\nEND;\n')]], 'block'));
    expect(body).toBe('body: |\n\n  BEGIN\n  END;\n');
  });
});

describe('readable spellings', () => {
  it('shortens types that read back as the same type', () => {
    expect(readableType('character varying(255)')).toBe('varchar(255)');
    expect(readableType('character varying')).toBe('varchar');
    expect(readableType('character(64)')).toBe('char(64)');
    expect(readableType('timestamp without time zone')).toBe('timestamp');
    expect(readableType('timestamp(3) with time zone[]')).toBe('timestamptz(3)[]');
    expect(readableType('time with time zone')).toBe('timetz');
    expect(readableType('bit varying(8)')).toBe('varbit(8)');
    expect(readableType('setof timestamp with time zone')).toBe('setof timestamptz');
    expect(readableType('double precision')).toBe('double precision');
    expect(readableType('integer')).toBe('integer');
    expect(readableType('bpchar')).toBe('bpchar');
    expect(readableType('"char"')).toBe('"char"');
  });

  it("drops the server's casts and parentheses where pgreconcile compares the result equal", () => {
    expect(readableExpression('(rate_limit_per_minute > 0)')).toBe('rate_limit_per_minute > 0');
    expect(
      readableExpression(
        "((engine_type)::text = ANY ((ARRAY['n8n'::character varying, 'prefect'::character varying, 'windmill'::character varying])::text[]))",
      ),
    ).toBe("engine_type IN ('n8n', 'prefect', 'windmill')");
    expect(readableExpression("((status)::text <> ALL ((ARRAY['a'::character varying, 'b'::character varying])::text[]))")).toBe(
      "status NOT IN ('a', 'b')",
    );
    expect(readableExpression('((price >= (0)::numeric) AND (qty > 0))')).toBe('price >= 0 AND qty > 0');
    expect(readableExpression('((a + b) * c)')).toBe('(a + b) * c');
    expect(readableExpression('lower((email)::text)')).toBe('lower(email)');
    expect(readableExpression("(state <> 'done'::mood)", (t) => t === 'mood')).toBe("state <> 'done'");
    expect(readableExpression("(state <> 'done'::mood)")).toBe("state <> 'done'::mood");
    // What the comparison does not discount stays as the server printed it.
    expect(readableExpression("(ends_at > '2000-01-01 00:00:00+00'::timestamp with time zone)")).toBe(
      "ends_at > '2000-01-01 00:00:00+00'::timestamp with time zone",
    );
    expect(readableExpression('(a OR b) AND c')).toBe('(a OR b) AND c');
  });

  it("drops a default's cast to the column's own type", () => {
    expect(readableDefault("'pending'::workflowexecutionstate", 'workflowexecutionstate', true)).toBe("'pending'");
    expect(readableDefault("'n8n'::character varying", 'character varying(50)', false)).toBe("'n8n'");
    expect(readableDefault("'-1'::integer", 'integer', false)).toBe('-1');
    expect(readableDefault("'-1.5'::numeric", 'numeric(10,2)', false)).toBe('-1.5');
    expect(readableDefault("'{}'::jsonb", 'jsonb', false)).toBe("'{}'::jsonb");
    expect(readableDefault("'x'::text", 'jsonb', false)).toBe("'x'::text");
    expect(readableDefault('now()', 'timestamp with time zone', false)).toBe('now()');
  });
});

function column(name: string, type: string, extra: Partial<Column> = {}): Column {
  return { name, type, nullable: true, ...extra };
}

function table(name: string, extra: Partial<Table> = {}): Table {
  return { schema: 'public', name, columns: [], uniques: [], checks: [], foreignKeys: [], indexes: [], triggers: [], ...extra };
}

/** modelToYaml, then the loader (fast path and positional), must give the model back. */
async function roundTrip(model: SchemaModel): Promise<string> {
  const { yaml, warnings } = modelToYaml(model);
  expect(warnings).toEqual([]);
  const fast = await loadDesiredStateFromText(yaml, 'pulled.yaml');
  const positional = await loadDesiredStateFromText(yaml, 'pulled.yaml', { fastPath: false });
  expect(fast.model, yaml).toEqual(normalizeModel(model));
  expect(positional.model, yaml).toEqual(normalizeModel(model));
  return yaml;
}

describe('modelToYaml', () => {
  it('writes a serial column as serial and leaves its sequence out', async () => {
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'public' }],
      sequences: [
        {
          schema: 'public',
          name: 'users_id_seq',
          type: 'integer',
          start: '1',
          increment: '1',
          minValue: '1',
          maxValue: '2147483647',
          cache: '1',
          cycle: false,
          ownedBy: { schema: 'public', table: 'users', column: 'id' },
        },
      ],
      tables: [
        table('users', {
          columns: [
            column('id', 'integer', { nullable: false, default: "nextval('users_id_seq'::regclass)" }),
            column('email', 'character varying(255)', { nullable: false }),
          ],
          primaryKey: { name: 'users_pkey', columns: ['id'] },
        }),
      ],
    };
    const yaml = await roundTrip(model);
    expect(yaml).toBe(
      [
        SCHEMA_COMMENT,
        'version: 1',
        'schemas:',
        '  public:',
        '    tables:',
        '      users:',
        '        columns:',
        '          id: { type: serial }',
        '          email: { type: varchar(255), nullable: false }',
        '        primary_key: [id]',
        '',
      ].join('\n'),
    );
  });

  it('keeps a sequence with options, and the column default that uses it, when the column is not a plain serial', async () => {
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'public' }],
      sequences: [
        {
          schema: 'public',
          name: 't_id_seq',
          type: 'integer',
          start: '100',
          increment: '1',
          minValue: '1',
          maxValue: '2147483647',
          cache: '1',
          cycle: false,
          ownedBy: { schema: 'public', table: 't', column: 'id' },
        },
      ],
      tables: [table('t', { columns: [column('id', 'integer', { nullable: false, default: "nextval('t_id_seq'::regclass)" })] })],
    };
    const yaml = await roundTrip(model);
    expect(yaml).toContain('id: { type: integer, nullable: false, default: "nextval(\'t_id_seq\'::regclass)" }');
    expect(yaml).toContain('t_id_seq: { type: integer, start: 100, owned_by: t.id }');
  });

  it('leaves out the constraint names PostgreSQL would give, including numbered ones, and keeps the others', async () => {
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'public' }],
      tables: [
        table('items', {
          columns: [column('id', 'integer', { nullable: false }), column('a', 'integer'), column('b', 'integer')],
          primaryKey: { name: 'items_pk', columns: ['id'] },
          uniques: [
            { name: 'items_a_b_key', columns: ['a', 'b'], nullsNotDistinct: false, deferrable: false, initiallyDeferred: false },
            { name: 'items_a_key', columns: ['a'], nullsNotDistinct: false, deferrable: false, initiallyDeferred: false },
          ],
          checks: [
            { name: 'items_a_check', expression: 'a > 0', noInherit: false, notValid: false },
            { name: 'items_a_check1', expression: 'a < 100', noInherit: false, notValid: false },
            { name: 'items_check', expression: 'a < b', noInherit: false, notValid: false },
            { name: 'odd_name', expression: 'b > 0', noInherit: true, notValid: false },
          ],
          foreignKeys: [
            {
              name: 'items_b_fkey',
              columns: ['b'],
              references: { schema: 'public', table: 'items', columns: ['id'] },
              onDelete: 'set null',
              onUpdate: 'no action',
              match: 'simple',
              deferrable: false,
              initiallyDeferred: false,
              notValid: false,
            },
          ],
        }),
      ],
    };
    const yaml = await roundTrip(model);
    expect(yaml).toContain('primary_key: { name: items_pk, columns: [id] }');
    expect(yaml).not.toMatch(/items_a_b_key|items_a_key|items_a_check|items_check|items_b_fkey/);
    expect(yaml).toContain('- name: odd_name\n            expression: b > 0\n            no_inherit: true');
  });

  it('writes every name a loader would compute differently', async () => {
    // `t_a_check1` without a `t_a_check` is not what PostgreSQL would pick: it stays written.
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'public' }],
      tables: [
        table('t', {
          columns: [column('a', 'integer')],
          checks: [{ name: 't_a_check1', expression: 'a > 0', noInherit: false, notValid: false }],
        }),
      ],
    };
    const yaml = await roundTrip(model);
    expect(yaml).toContain('- name: t_a_check1');
  });

  it('is deterministic and writes schemas with public first', async () => {
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'b' }, { name: 'public', comment: 'standard public schema' }, { name: 'a' }],
      enums: [{ schema: 'a', name: 'mood', values: ['x', 'y'] }],
    };
    const yaml = await roundTrip(model);
    expect(yaml).toBe(
      `${SCHEMA_COMMENT}\nversion: 1\nschemas:\n  public:\n    comment: standard public schema\n  a:\n    enums:\n      mood: { values: [x, "y"] }\n  b: {}\n`,
    );
    expect(modelToYaml(model).yaml).toBe(yaml);
  });

  it('warns about what it cannot express', () => {
    const model: SchemaModel = {
      ...emptyModel(),
      schemas: [{ name: 'public' }],
      tables: [
        table('t', {
          columns: [column('a', 'integer'), column('d', 'my_domain')],
          checks: [{ name: 'c', expression: 'a > 0', noInherit: false, notValid: true }],
          indexes: [
            {
              name: 'i',
              unique: false,
              nullsNotDistinct: false,
              using: 'gist',
              keys: [{ column: 'a', order: 'asc', nulls: 'last', opclassParams: { siglen: '32' } }],
              include: [],
              with: {},
              tablespace: 'fast',
              invalid: true,
            },
          ],
        }),
      ],
    };
    const { yaml, warnings } = modelToYaml(model);
    // A NOT VALID check is declared so (validated: false), without a warning.
    expect(yaml).toContain('- name: c\n            expression: a > 0\n            validated: false\n');
    expect(warnings).toEqual([
      'column public.t.d: type my_domain cannot be declared in the file: unknown type "my_domain" (list a type created outside this file, such as a domain, under external_types); it is written as is, and the file will not validate until the type resolves',
      'index public.i is INVALID (a failed concurrent build); it is written as declared, so a plan will rebuild it',
      'index public.i: its tablespace fast cannot be expressed; it is left out',
      'index public.i: operator class parameters (siglen=32) cannot be expressed; they are left out',
    ]);
  });
});
