import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import {
  builtinTypeNames,
  canonicalType,
  isBinaryCoercible,
  parseTypeName,
  suggestName,
  TypeNameError,
} from '../../src/model/type-names.js';
import { createTestDatabase } from '../support/harness.js';
import type { OwnedTestDatabase } from '../support/harness.js';

beforeAll(async () => {
  await initParser();
});

/** [spelling, canonical form] — every canonical form is checked against the server below. */
const spellings: readonly (readonly [string, string])[] = [
  ['int', 'integer'],
  ['int4', 'integer'],
  ['integer', 'integer'],
  ['INTEGER', 'integer'],
  ['pg_catalog.int4', 'integer'],
  ['int8', 'bigint'],
  ['bigint', 'bigint'],
  ['smallint', 'smallint'],
  ['int2', 'smallint'],
  ['varchar', 'character varying'],
  ['varchar(255)', 'character varying(255)'],
  ['VARCHAR(255)', 'character varying(255)'],
  ['character varying', 'character varying'],
  ['character varying(10)', 'character varying(10)'],
  ['national character varying(3)', 'character varying(3)'],
  ['char', 'character(1)'],
  ['character', 'character(1)'],
  ['char(64)', 'character(64)'],
  ['character(64)', 'character(64)'],
  ['nchar(2)', 'character(2)'],
  ['bpchar', 'bpchar'],
  ['"char"', '"char"'],
  ['bool', 'boolean'],
  ['boolean', 'boolean'],
  ['float4', 'real'],
  ['real', 'real'],
  ['float(24)', 'real'],
  ['float8', 'double precision'],
  ['float', 'double precision'],
  ['float(53)', 'double precision'],
  ['double precision', 'double precision'],
  ['decimal', 'numeric'],
  ['decimal(10,2)', 'numeric(10,2)'],
  ['numeric(10, 2)', 'numeric(10,2)'],
  ['numeric(10)', 'numeric(10,0)'],
  ['dec(5,1)', 'numeric(5,1)'],
  ['numeric', 'numeric'],
  ['timestamptz', 'timestamp with time zone'],
  ['timestamp with time zone', 'timestamp with time zone'],
  ['timestamptz(3)', 'timestamp(3) with time zone'],
  ['timestamp(3) with time zone', 'timestamp(3) with time zone'],
  ['timestamp', 'timestamp without time zone'],
  ['timestamp(3)', 'timestamp(3) without time zone'],
  ['timestamp(0) without time zone', 'timestamp(0) without time zone'],
  ['time', 'time without time zone'],
  ['time(2)', 'time(2) without time zone'],
  ['timetz', 'time with time zone'],
  ['time with time zone', 'time with time zone'],
  ['timetz(4)', 'time(4) with time zone'],
  ['interval', 'interval'],
  ['interval(3)', 'interval(3)'],
  ['interval year', 'interval year'],
  ['interval month', 'interval month'],
  ['interval year to month', 'interval year to month'],
  ['interval day to hour', 'interval day to hour'],
  ['interval day to second(3)', 'interval day to second(3)'],
  ['interval hour to minute', 'interval hour to minute'],
  ['interval minute to second(0)', 'interval minute to second(0)'],
  ['interval second(2)', 'interval second(2)'],
  ['int[]', 'integer[]'],
  ['integer[]', 'integer[]'],
  ['_int4', 'integer[]'],
  ['int4[][]', 'integer[]'],
  ['integer ARRAY', 'integer[]'],
  ['integer ARRAY[3]', 'integer[]'],
  ['int[3][4]', 'integer[]'],
  ['varchar(10)[]', 'character varying(10)[]'],
  ['_text', 'text[]'],
  ['timestamptz[]', 'timestamp with time zone[]'],
  ['bit', 'bit(1)'],
  ['bit(8)', 'bit(8)'],
  ['bit varying', 'bit varying'],
  ['bit varying(5)', 'bit varying(5)'],
  ['varbit(5)', 'bit varying(5)'],
  ['text', 'text'],
  ['json', 'json'],
  ['jsonb', 'jsonb'],
  ['jsonb[]', 'jsonb[]'],
  ['uuid', 'uuid'],
  ['bytea', 'bytea'],
  ['inet', 'inet'],
  ['cidr', 'cidr'],
  ['date', 'date'],
  ['name', 'name'],
  ['oid', 'oid'],
  ['regclass', 'regclass'],
  ['money', 'money'],
  ['tsvector', 'tsvector'],
  ['int4range', 'int4range'],
  ['xml', 'xml'],
  ['mood', 'mood'],
  ['public.mood', 'mood'],
  ['MOOD', 'mood'],
  ['mood[]', 'mood[]'],
  ['_mood', 'mood[]'],
  ['other_schema.mood', 'other_schema.mood'],
  ['other_schema.mood[]', 'other_schema.mood[]'],
  ['"MixedCase"', '"MixedCase"'],
  ['public."MixedCase"', '"MixedCase"'],
  ['"My Schema"."Mood"', '"My Schema"."Mood"'],
  ['"order"', '"order"'],
];

describe('canonicalType', () => {
  it.each(spellings)('%s → %s', (spelling, canonical) => {
    expect(canonicalType(spelling)).toBe(canonical);
  });

  it('canonical forms are fixed points', () => {
    for (const [, canonical] of spellings) expect(canonicalType(canonical)).toBe(canonical);
  });

  it('reduces fractional-seconds precision above 6 as PostgreSQL does', () => {
    expect(canonicalType('timestamp(9)')).toBe('timestamp(6) without time zone');
  });

  it('handles vector(n) and other extension types with modifiers', () => {
    expect(canonicalType('vector(1024)')).toBe('vector(1024)');
    expect(canonicalType('public.vector(3)')).toBe('vector(3)');
    expect(parseTypeName('vector(1024)')).toEqual({
      canonical: 'vector(1024)',
      name: 'vector',
      typmods: ['1024'],
      arrayDims: 0,
      builtin: false,
    });
  });

  it('supports setof for function return types', () => {
    expect(canonicalType('SETOF int4')).toBe('setof integer');
  });
});

describe('parseTypeName', () => {
  it('reports serial types as their integer type', () => {
    expect(parseTypeName('serial')).toMatchObject({ canonical: 'integer', serial: 'integer' });
    expect(parseTypeName('serial4')).toMatchObject({ canonical: 'integer', serial: 'integer' });
    expect(parseTypeName('bigserial')).toMatchObject({ canonical: 'bigint', serial: 'bigint' });
    expect(parseTypeName('serial8')).toMatchObject({ canonical: 'bigint', serial: 'bigint' });
    expect(parseTypeName('smallserial')).toMatchObject({ canonical: 'smallint', serial: 'smallint' });
    expect(parseTypeName('serial2')).toMatchObject({ canonical: 'smallint', serial: 'smallint' });
    expect(parseTypeName('integer').serial).toBeUndefined();
  });

  it('splits the parts of a type', () => {
    expect(parseTypeName('varchar(255)[]')).toEqual({
      canonical: 'character varying(255)[]',
      name: 'character varying',
      typmods: ['255'],
      arrayDims: 1,
      builtin: true,
    });
    expect(parseTypeName('numeric(10,2)')).toMatchObject({ name: 'numeric', typmods: ['10', '2'], builtin: true });
    expect(parseTypeName('interval day to second(3)')).toMatchObject({ name: 'interval', typmods: ['day to second', '3'] });
    expect(parseTypeName('"My Schema"."Mood"[]')).toEqual({
      canonical: '"My Schema"."Mood"[]',
      schema: 'My Schema',
      name: 'Mood',
      typmods: [],
      arrayDims: 1,
      builtin: false,
    });
    expect(parseTypeName('public.mood')).toEqual({ canonical: 'mood', name: 'mood', typmods: [], arrayDims: 0, builtin: false });
  });

  it.each([
    ['varchar(', 'invalid type name "varchar(": syntax error at end of input'],
    ['int4(5)', 'invalid type name "int4(5)": type modifier is not allowed for type integer'],
    ['varchar(0)', 'invalid type name "varchar(0)": length for type character varying must be at least 1'],
    ['numeric(0)', 'invalid type name "numeric(0)": NUMERIC precision 0 must be between 1 and 1000'],
    ['integer; drop table users', 'invalid type name "integer; drop table users": not a single type name'],
    ['int, text', 'invalid type name "int, text": not a single type name'],
    ['int from users', 'invalid type name "int from users": not a single type name'],
    ['text COLLATE "C"', 'invalid type name "text COLLATE "C"": not a single type name'],
    ['a.b.c', 'invalid type name "a.b.c": cross-database references are not implemented'],
    ['serial[]', 'invalid type name "serial[]": array of serial is not implemented'],
    ['', 'invalid type name "": empty type name'],
  ])('rejects %j', (text, message) => {
    expect(() => parseTypeName(text)).toThrow(TypeNameError);
    expect(() => parseTypeName(text)).toThrow(message);
  });
});

describe('suggestName', () => {
  it('suggests the closest type name', () => {
    expect(suggestName('intger', builtinTypeNames())).toBe('integer');
    expect(suggestName('varchr', builtinTypeNames())).toBe('varchar');
    expect(suggestName('timestmptz', builtinTypeNames())).toBe('timestamptz');
    expect(suggestName('jsnob', builtinTypeNames())).toBe('jsonb');
    expect(suggestName('Booelan', builtinTypeNames())).toBe('boolean');
  });

  it('suggests nothing when nothing is close', () => {
    expect(suggestName('completely_different', builtinTypeNames())).toBeUndefined();
    expect(suggestName('x', [])).toBeUndefined();
  });

  it('lists common spellings', () => {
    const names = builtinTypeNames();
    for (const name of ['int', 'integer', 'varchar', 'text', 'timestamptz', 'jsonb', 'uuid']) expect(names).toContain(name);
  });
});

describe('isBinaryCoercible', () => {
  it.each([
    ['varchar(10)', 'varchar(20)', true],
    ['varchar(10)', 'character varying(10)', true],
    ['varchar(20)', 'varchar(10)', false],
    ['varchar(10)', 'varchar', true],
    ['varchar(10)', 'text', true],
    ['varchar', 'text', true],
    ['text', 'varchar', true],
    ['text', 'varchar(10)', false],
    ['numeric(10,2)', 'numeric(12,2)', true],
    ['numeric(10,2)', 'numeric(12,3)', false],
    ['numeric(10,2)', 'numeric(8,2)', false],
    ['numeric(10,2)', 'numeric', true],
    ['numeric', 'numeric(10,2)', false],
    ['char(5)', 'char(10)', false],
    ['int', 'bigint', false],
    ['integer', 'int4', true],
    ['mood', 'mood', true],
    ['mood', 'text', false],
    ['timestamp(3)', 'timestamp(6)', true],
    ['timestamp', 'timestamptz', false],
    ['varchar(10)[]', 'varchar(20)[]', false],
    ['not a type(', 'text', false],
  ] as const)('%s → %s: %s', (from, to, expected) => {
    expect(isBinaryCoercible(from, to)).toBe(expected);
  });
});

describe('canonical forms match format_type() on a real server', () => {
  let database: OwnedTestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.exec(`
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE SCHEMA other_schema;
      CREATE TYPE other_schema.mood AS ENUM ('x');
      CREATE TYPE "MixedCase" AS ENUM ('x');
      CREATE SCHEMA "My Schema";
      CREATE TYPE "My Schema"."Mood" AS ENUM ('x');
      CREATE TYPE "order" AS ENUM ('x');
    `);
  });

  afterAll(async () => {
    await database?.drop();
  });

  const serverCases: readonly (readonly [string, string])[] = [
    ...spellings,
    ['serial', 'integer'],
    ['bigserial', 'bigint'],
    ['smallserial', 'smallint'],
    ['serial8', 'bigint'],
    ['timestamp(9)', 'timestamp(6) without time zone'],
  ];

  it('every spelling, as a column type, prints as our canonical form', async () => {
    const db = database?.db;
    if (db === undefined) throw new Error('no database');
    const columns = serverCases.map(([spelling], i) => `c${i} ${spelling}`).join(',\n');
    await db.exec(`SET client_min_messages = error; CREATE TABLE spellings (\n${columns}\n)`);
    await db.exec('SET search_path = public');
    const { rows } = await db.query<{ attname: string; type: string }>(
      `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = 'public.spellings'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    const actual = rows.map((row) => [serverCases[Number(row.attname.slice(1))]?.[0], row.type]);
    const expected = serverCases.map(([spelling]) => [spelling, canonicalType(spelling)]);
    expect(actual).toEqual(expected);
  });

  it('our canonical forms are accepted by the server and print unchanged', async () => {
    const db = database?.db;
    if (db === undefined) throw new Error('no database');
    const canonical = [...new Set(spellings.map(([, c]) => c))];
    const columns = canonical.map((type, i) => `c${i} ${type}`).join(',\n');
    await db.exec(`CREATE TABLE canonical (\n${columns}\n)`);
    await db.exec('SET search_path = public');
    const { rows } = await db.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = 'public.canonical'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(rows.map((row) => row.type)).toEqual(canonical);
  });
});
