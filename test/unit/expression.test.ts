import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { initParser, SqlSyntaxError } from '../../src/sql/parser.js';
import { expressionKey, isNullExpression, sameExpression, sameDefault } from '../../src/model/expression.js';
import { canonicalType } from '../../src/model/type-names.js';
import type { Db } from '../../src/db/db.js';
import { createTestDatabase } from '../support/harness.js';
import type { OwnedTestDatabase } from '../support/harness.js';
import { SLIDEFACTORY_INIT_SQL } from '../support/fixtures.js';

beforeAll(async () => {
  await initParser();
});

/** Pairs that must compare equal without a server. */
const equal: readonly (readonly [string | undefined, string | undefined])[] = [
  [undefined, undefined],
  ['NULL', undefined],
  ['NULL::text', undefined],
  ['(a)', 'a'],
  ['((a > 0))', 'a > 0'],
  ['a  >  0', 'a>0'],
  ["'pending'::workflowexecutionstate", "'pending'"],
  ["'{}'::jsonb", "'{}'"],
  ["'-1'::integer", '-1'],
  ["'n8n'::character varying", "'n8n'"],
  ['(engine_type)::text', 'engine_type'],
  ["(ARRAY['a'::character varying, 'b'::character varying])::text[]", "ARRAY['a', 'b']"],
  ["x IN ('a', 'b')", "x = ANY (ARRAY['a', 'b'])"],
  ["x NOT IN ('a', 'b')", "x <> ALL (ARRAY['a', 'b'])"],
  ['n BETWEEN 1 AND 2', '(n >= 1) AND (n <= 2)'],
  ['n NOT BETWEEN 1 AND 2', '(n < 1) OR (n > 2)'],
  ["x LIKE 'a%'", "x ~~ 'a%'"],
  ["x ILIKE 'a%'", "x ~~* 'a%'"],
  ["x NOT LIKE 'a%'", "x !~~ 'a%'"],
  ["x NOT ILIKE 'a%'", "x !~~* 'a%'"],
  ['a AND (b AND c)', '(a AND b) AND c'],
  ['a OR (b OR c)', 'a OR b OR c'],
  ["'t'::boolean", 'true'],
  ["'yes'::bool", 'true'],
  ["'0'::boolean", 'false'],
  ['1e3', '1000'],
  ['.5', '0.5'],
  ["'0.50'::numeric", '0.50'],
  ["X'F'", "B'1111'"],
  ["'2020-01-01T10:00:00Z'", "'2020-01-01 10:00:00'"],
  ["'2020-01-01 12:00+02'", "'2020-01-01 10:00:00+00'"],
  ["'2020-01-01'", "'2020-01-01 00:00:00+00'::timestamp with time zone"],
  ["nextval('seq')", "nextval('public.seq'::regclass)"],
  ["'seq'::regclass", "'public.seq'::regclass"],
  ['nextval(\'"MySeq"\'::regclass)', 'nextval(\'public."MySeq"\')'],
  ['x::varchar::varchar', 'x::varchar'],
  ['a IN (b, c)', 'a = b OR a = c'],
  ['a NOT IN (b, c)', 'a <> b AND a <> c'],
  ["a IN ('x')", "a = 'x'"],
  ['pg_catalog.lower(x)', 'lower(x)'],
  ['public.my_fn(x)', 'my_fn(x)'],
  ['x OPERATOR(pg_catalog.=) 1', 'x = 1'],
  ['CAST(x AS int4)', 'x::integer'],
  ['x::timestamptz', 'x::timestamp with time zone'],
  ['substring(x from 1 for 2)', 'substring(x, 1, 2)'],
  [`'{"a": 1}'::jsonb`, `'{"a": 1}'`],
  ["'{1, 2}'::int[]", 'ARRAY[1,2]'],
  ["'{}'::text[]", 'ARRAY[]::text[]'],
  ['CASE WHEN a THEN 1 END', 'CASE WHEN a THEN 1 ELSE NULL::integer END'],
  ['n > 0.5', '(n)::numeric > 0.5'],
  ['price * quantity', '(price * (quantity)::numeric)'],
  ['ratio * 2.5e0', '((ratio)::double precision * 2.5e0)'],
];

/** Pairs that differ for real and must never compare equal. */
const different: readonly (readonly [string | undefined, string | undefined])[] = [
  ['a > 0', 'a >= 0'],
  ['lower(x)', 'upper(x)'],
  ["'a'", "'b'"],
  ['1', '2'],
  ["'1'", '1'],
  ['true', "'true'"],
  ['n > 0', 'b > 0'],
  ["x IN ('a','b')", "x IN ('a','c')"],
  ["x IN ('a','b')", "x NOT IN ('a','b')"],
  ['a AND b', 'a OR b'],
  ['a AND b', 'b AND a'],
  ["x LIKE 'a%'", "x ILIKE 'a%'"],
  ["x LIKE 'a%'", "x NOT LIKE 'a%'"],
  ['n BETWEEN 1 AND 10', 'n BETWEEN 1 AND 11'],
  ['n BETWEEN 1 AND 10', 'n NOT BETWEEN 1 AND 10'],
  ['n IS NULL', 'n IS NOT NULL'],
  ["'2020-01-01'", "'2020-01-02'"],
  ["'2020-01-01 10:00:00'", "'2020-01-01 10:00:01'"],
  ["nextval('a_seq')", "nextval('b_seq')"],
  ["nextval('other.a_seq')", "nextval('a_seq')"],
  ['x::date', 'x::timestamp'],
  ['x::date', 'x'],
  ['x::int', 'x::bigint'],
  ["'{a,b}'", "'{a,c}'"],
  ['ARRAY[1,2]', 'ARRAY[2,1]'],
  ['coalesce(a, 0)', 'coalesce(a, 1)'],
  ["x = 'A'", "x = 'a'"],
  ['public.f(x)', 'other.f(x)'],
  ["B'101'", "B'100'"],
  ['1e3', '100'],
  ['NULL', "''"],
  ["''", undefined],
  ['now()', undefined],
  ['-1', '1'],
  ["'t'::boolean", 'false'],
  ['n % 2 = 0', 'n % 2 = 1'],
  ['n > 0.5', 'n > 0.6'],
  ['now()', "now() + interval '1 day'"],
  ["'1 day'::interval", "'2 days'::interval"],
  ["data ->> 'a'", "data -> 'a'"],
  ['a + b', 'a - b'],
  ['a = b', 'a <> b'],
  ['n = ANY (ARRAY[1, 2])', 'n = ALL (ARRAY[1, 2])'],
  ['CASE WHEN a THEN 1 END', 'CASE WHEN a THEN 1 ELSE 2 END'],
  ['sum(a)', 'sum(DISTINCT a)'],
  ["'1.5'::numeric", "'1.50'::numeric"],
  ['x IS TRUE', 'x IS NOT FALSE'],
  [`v = 'x' COLLATE "C"`, "v = 'x'"],
  ['x', 'y'],
  ['t.x', 'x'],
];

describe('sameExpression without a server', () => {
  it.each(equal)('%s = %s', (a, b) => {
    expect(sameExpression(a, b)).toBe(true);
    expect(sameExpression(b, a)).toBe(true);
  });

  it.each(different)('%s ≠ %s', (a, b) => {
    expect(sameExpression(a, b)).toBe(false);
    expect(sameExpression(b, a)).toBe(false);
  });
});

describe('expressionKey', () => {
  it('is a JSON string without positions', () => {
    const key = expressionKey('a + 1');
    expect(() => JSON.parse(key) as unknown).not.toThrow();
    expect(key).not.toContain('location');
    expect(expressionKey('  a+1')).toBe(key);
  });

  it('throws SqlSyntaxError with a cursor into the given text', () => {
    let error: unknown;
    try {
      expressionKey('a > > 1');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).cursor).toBe(5);
    expect((error as SqlSyntaxError).sql).toBe('a > > 1');
  });

  it('rejects text that is more than one expression', () => {
    expect(() => expressionKey('1) FROM pg_class WHERE (true')).toThrow(SqlSyntaxError);
    expect(() => expressionKey('1); DROP TABLE t; SELECT (1')).toThrow(SqlSyntaxError);
    expect(() => expressionKey('a AS b')).toThrow(SqlSyntaxError);
  });

  it('allows a trailing line comment', () => {
    expect(sameExpression('a > 0 -- positive', 'a > 0')).toBe(true);
  });

  it('recognises NULL defaults', () => {
    expect(isNullExpression('NULL')).toBe(true);
    expect(isNullExpression('NULL::character varying')).toBe(true);
    expect(isNullExpression("''")).toBe(false);
  });
});

describe('sameDefault', () => {
  it('reads constants as the column type does', () => {
    expect(sameDefault("'t'", 'true', 'boolean')).toBe(true);
    expect(sameDefault('5', "'5'::text", 'text')).toBe(false);
    expect(sameDefault("'5'", '5', 'integer')).toBe(true);
    expect(sameDefault('now()', 'now()', 'timestamp with time zone')).toBe(true);
    expect(sameDefault("'pending'", "'pending'::mood", 'mood')).toBe(true);
    expect(sameDefault('NULL', undefined, 'text')).toBe(true);
    expect(sameDefault('0', '1', 'integer')).toBe(false);
  });
});

/** Objects on the server: what the server stores and prints, against what a person wrote. */
const serverSetup = `CREATE TYPE executionstate AS ENUM ('pending', 'running', 'finished', 'canceled');
CREATE TYPE workflowexecutionstate AS ENUM ('pending', 'running', 'finished', 'canceled');
CREATE SEQUENCE t_seq;
CREATE SCHEMA other;
CREATE SEQUENCE other.o_seq;
CREATE TABLE t (
  id int, n int, b bigint, s smallint, amount numeric(10,2), price numeric, f float8, r real,
  name text, v varchar(50), c char(3), flag boolean, is_active boolean,
  created_at timestamp, created_tz timestamptz, d date, u uuid, iv interval,
  data jsonb, j json, tags text[], vtags varchar(20)[], ints int[], bigs bigint[],
  state workflowexecutionstate, execution_state executionstate, url text, email varchar(255),
  engine_type varchar(50), engine varchar(50), result_type varchar(100), content jsonb, scopes jsonb,
  rate_limit_per_minute int, slide_count int, seq int, version int, usage_count bigint, key_prefix varchar(12),
  deleted timestamptz, ts tsvector, bits bit(3), vb varbit
);`;

type Kind = 'default' | 'check' | 'index' | 'where' | 'when';
const serverCases: readonly (readonly [Kind, string | undefined, string])[] = [
  // fixture defaults
  ['default', 'flag', 'TRUE'],
  ['default', 'created_at', 'now()'],
  ['default', 'state', "'pending'"],
  ['default', 'execution_state', "'pending'"],
  ['default', 'engine', "'n8n'"],
  ['default', 'engine_type', "'n8n'"],
  ['default', 'seq', '0'],
  ['default', 'version', '1'],
  ['default', 'u', 'gen_random_uuid()'],
  ['default', 'created_tz', 'now()'],
  ['default', 'result_type', "'generic'"],
  ['default', 'content', "'{}'::jsonb"],
  ['default', 'content', "'{}'"],
  ['default', 'scopes', "'[]'::jsonb"],
  ['default', 'rate_limit_per_minute', '60'],
  ['default', 'usage_count', '0'],
  // more defaults
  ['default', 'n', '-1'],
  ['default', 'b', '-1'],
  ['default', 'b', '9223372036854775807'],
  ['default', 's', '-5'],
  ['default', 'amount', '0'],
  ['default', 'amount', '1.50'],
  ['default', 'amount', '-1.5'],
  ['default', 'price', '0.0'],
  ['default', 'f', '1.5'],
  ['default', 'f', '0'],
  ['default', 'r', '-0.5'],
  ['default', 'name', "''"],
  ['default', 'name', "'it''s'"],
  ['default', 'v', "''"],
  ['default', 'c', "'abc'"],
  ['default', 'flag', 'false'],
  ['default', 'flag', "'t'::boolean"],
  ['default', 'created_at', 'CURRENT_TIMESTAMP'],
  ['default', 'created_at', "timezone('utc', now())"],
  ['default', 'created_at', "(now() at time zone 'utc')"],
  ['default', 'created_tz', 'clock_timestamp()'],
  ['default', 'd', 'CURRENT_DATE'],
  ['default', 'd', "'2020-01-01'"],
  ['default', 'iv', "'1 day'"],
  ['default', 'iv', "interval '1 day'"],
  ['default', 'created_at', "now() + interval '1 day'"],
  ['default', 'tags', "'{}'"],
  ['default', 'tags', "'{}'::text[]"],
  ['default', 'tags', 'ARRAY[]::text[]'],
  ['default', 'tags', "ARRAY['a', 'b']"],
  ['default', 'tags', "'{a,b}'"],
  ['default', 'vtags', "ARRAY['a', 'b']"],
  ['default', 'vtags', "'{}'"],
  ['default', 'ints', 'ARRAY[1, 2]'],
  ['default', 'ints', "'{1,2}'"],
  ['default', 'bigs', 'ARRAY[1, 2]'],
  ['default', 'data', `'{"a": 1}'`],
  ['default', 'data', "jsonb_build_object('a', 1)"],
  ['default', 'j', "'[]'"],
  ['default', 'n', "nextval('t_seq')"],
  ['default', 'n', "nextval('t_seq'::regclass)"],
  ['default', 'n', "nextval('public.t_seq'::regclass)"],
  ['default', 'n', "nextval('public.t_seq')"],
  ['default', 'n', "nextval('other.o_seq')"],
  ['default', 'name', 'current_user'],
  ['default', 'name', 'md5(random()::text)'],
  ['default', 'name', "pg_catalog.lower('X')"],
  ['default', 'name', "upper(CAST('x' AS varchar(3)))"],
  ['default', 'n', '1 + 2'],
  ['default', 'n', '(extract(year from now()))::int'],
  ['default', 'bits', "B'101'"],
  ['default', 'vb', "B'1'"],
  ['default', 'ts', "to_tsvector('english', 'hello')"],
  ['default', 'name', "'a' || 'b'"],
  ['default', 'name', 'NULL'],
  ['default', 'v', "'n8n'::character varying"],
  ['default', 'v', "'n8n'::varchar"],
  ['default', 'v', "CASE WHEN true THEN 'a' END"],
  // checks
  ['check', undefined, "engine_type IN ('n8n', 'prefect', 'windmill')"],
  ['check', undefined, "engine_type NOT IN ('n8n', 'prefect')"],
  ['check', undefined, 'rate_limit_per_minute > 0'],
  ['check', undefined, 'slide_count >= 0'],
  ['check', undefined, 'char_length(name) > 0'],
  ['check', undefined, 'char_length(v) > 0'],
  ['check', undefined, 'length(email) BETWEEN 3 AND 255'],
  ['check', undefined, 'n NOT BETWEEN 3 AND 5'],
  ['check', undefined, 'n BETWEEN SYMMETRIC 3 AND 5'],
  ['check', undefined, "email LIKE '%@%'"],
  ['check', undefined, "email NOT LIKE '%@%'"],
  ['check', undefined, "email ILIKE '%@%'"],
  ['check', undefined, "name NOT ILIKE 'x%'"],
  ['check', undefined, "name SIMILAR TO '[a-z]+'"],
  ['check', undefined, "name ~ '^[a-z]+$'"],
  ['check', undefined, 'n > 0 AND n < 10 AND b > 0'],
  ['check', undefined, '(n > 0 AND n < 10) AND (b > 0 OR b IS NULL)'],
  ['check', undefined, 'n > 0 OR (b > 0 OR s > 0)'],
  ['check', undefined, 'NOT (n = 1)'],
  ['check', undefined, 'n <> 1'],
  ['check', undefined, 'n != 1'],
  ['check', undefined, 'amount >= 0'],
  ['check', undefined, 'amount > 0.5'],
  ['check', undefined, 'n > 0.5'],
  ['check', undefined, 'price > 0'],
  ['check', undefined, "state IN ('pending', 'running')"],
  ['check', undefined, "state <> 'canceled'"],
  ['check', undefined, "state = 'pending' OR flag"],
  ['check', undefined, "v IN ('a')"],
  ['check', undefined, 'n IN (1, 2, 3)'],
  ['check', undefined, 'n IN (1, b)'],
  ['check', undefined, 'n IN (1, 2, b)'],
  ['check', undefined, 'created_at < created_tz'],
  ['check', undefined, "created_tz > '2020-01-01'"],
  ['check', undefined, "d > '2020-01-01'::date"],
  ['check', undefined, 'd >= CURRENT_DATE - 30'],
  ['check', undefined, "tags <> '{}'"],
  ['check', undefined, 'cardinality(tags) > 0'],
  ['check', undefined, "'a' = ANY (tags)"],
  ['check', undefined, "data ? 'a'"],
  ['check', undefined, "data ->> 'kind' IN ('x', 'y')"],
  ['check', undefined, "jsonb_typeof(data) = 'object'"],
  ['check', undefined, "(data -> 'a')::int > 0"],
  ['check', undefined, 'COALESCE(n, 0) >= 0'],
  ['check', undefined, "NULLIF(name, '') IS NOT NULL"],
  ['check', undefined, 'name IS DISTINCT FROM v'],
  ['check', undefined, 'flag IS TRUE'],
  ['check', undefined, 'CASE WHEN flag THEN n > 0 ELSE true END'],
  ['check', undefined, 'CASE WHEN flag THEN n > 0 END'],
  ['check', undefined, "c = 'abc'"],
  ['check', undefined, "c IN ('abc', 'def')"],
  ['check', undefined, 'email = lower(email)'],
  ['check', undefined, 'v = \'x\' COLLATE "C"'],
  ['check', undefined, 'n % 2 = 0'],
  ['check', undefined, '-n < 0'],
  ['check', undefined, "n::text <> ''"],
  ['check', undefined, 'b > 1e3'],
  ['check', undefined, 'greatest(n, 0) = n'],
  ['check', undefined, 'u IS NOT NULL'],
  ['check', undefined, 'num_nonnulls(n, b) = 1'],
  ['check', undefined, "key_prefix ~ '^[a-z0-9_]+$'"],
  ['check', undefined, "iv < interval '1 day'"],
  ['check', undefined, "position('@' in email) > 1"],
  ['check', undefined, "substring(name from 1 for 2) = 'ab'"],
  ['check', undefined, 'trim(name) = name'],
  ['check', undefined, 'extract(year from d) > 2000'],
  ['check', undefined, 'n = ANY (ARRAY[1, 2])'],
  ['check', undefined, "v = ANY ('{a,b}')"],
  ['check', undefined, 'ints @> ARRAY[1]'],
  ['check', undefined, "vtags @> ARRAY['a']::varchar[]"],
  ['check', undefined, "bits <> B'000'"],
  // index expressions
  ['index', undefined, 'md5(url)'],
  ['index', undefined, 'lower(email)'],
  ['index', undefined, 'lower(name)'],
  ['index', undefined, "(data ->> 'kind')"],
  ['index', undefined, "(data -> 'a')"],
  ['index', undefined, 'coalesce(n, 0)'],
  ['index', undefined, 'n + b'],
  ['index', undefined, "date_trunc('day', created_at)"],
  ['index', undefined, "to_tsvector('english', name)"],
  ['index', undefined, '(v::text)'],
  ['index', undefined, 'upper(v)'],
  ['index', undefined, "(name || ' ' || v)"],
  ['index', undefined, "COALESCE(v, '')"],
  // partial predicates
  ['where', undefined, 'is_active'],
  ['where', undefined, 'is_active = true'],
  ['where', undefined, 'NOT is_active'],
  ['where', undefined, 'n IS NOT NULL'],
  ['where', undefined, "state IN ('pending', 'running')"],
  ['where', undefined, "engine_type IN ('n8n', 'prefect')"],
  ['where', undefined, "state = 'pending'"],
  ['where', undefined, "engine_type = 'n8n'"],
  ['where', undefined, 'n > 0 AND b > 0'],
  ['where', undefined, 'n BETWEEN 1 AND 10'],
  ['where', undefined, "email LIKE '%@x.com'"],
  ['where', undefined, "created_at > '2020-01-01'"],
  ['where', undefined, "d > '2020-01-01'::date"],
  ['where', undefined, "tags && ARRAY['x']"],
  ['where', undefined, 'n IN (1, 2)'],
  ['where', undefined, 'n NOT IN (1, 2)'],
  ['where', undefined, 'amount > 10'],
  ['where', undefined, "v IS NOT NULL AND v <> ''"],
  ['where', undefined, 'deleted IS NULL'],
  // trigger WHEN
  ['when', undefined, 'OLD.* IS DISTINCT FROM NEW.*'],
  ['when', undefined, 'OLD.state IS DISTINCT FROM NEW.state'],
  ['when', undefined, "NEW.engine_type IN ('a', 'b')"],
  ['when', undefined, 'NEW.n > 0'],
];

/** The stored forms of the object made from `written`; `undefined` = no default stored (DEFAULT NULL). */
async function readBack(db: Db, kind: Kind, column: string | undefined, written: string, i: number): Promise<(string | undefined)[]> {
  switch (kind) {
    case 'default': {
      await db.exec(`ALTER TABLE t ALTER COLUMN ${column ?? ''} SET DEFAULT ${written}`);
      const { rows } = await db.query<{ e: string }>(
        `SELECT pg_get_expr(d.adbin, d.adrelid) AS e FROM pg_attrdef d
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
         WHERE d.adrelid = 'public.t'::regclass AND a.attname = $1`,
        [column],
      );
      await db.exec(`ALTER TABLE t ALTER COLUMN ${column ?? ''} DROP DEFAULT`);
      return rows.length === 0 ? [undefined] : rows.map((r) => r.e);
    }
    case 'check': {
      await db.exec(`ALTER TABLE t ADD CONSTRAINT k${i} CHECK (${written})`);
      const { rows } = await db.query<{ e: string; d: string }>(
        `SELECT pg_get_expr(conbin, conrelid) AS e, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = $1`,
        [`k${i}`],
      );
      const row = rows[0];
      const def = /^CHECK \((.*)\)$/s.exec(row?.d ?? '')?.[1];
      return row === undefined || def === undefined ? [] : [row.e, def];
    }
    case 'index': {
      await db.exec(`CREATE INDEX i${i} ON t ((${written}))`);
      const { rows } = await db.query<{ e: string }>(
        `SELECT pg_get_indexdef(indexrelid, 1, true) AS e FROM pg_index WHERE indexrelid = 'public.i${i}'::regclass`,
      );
      return rows.map((r) => r.e);
    }
    case 'where': {
      await db.exec(`CREATE INDEX i${i} ON t (id) WHERE ${written}`);
      const { rows } = await db.query<{ e: string; d: string }>(
        `SELECT pg_get_expr(indpred, indrelid) AS e, pg_get_indexdef(indexrelid) AS d FROM pg_index
         WHERE indexrelid = 'public.i${i}'::regclass`,
      );
      const row = rows[0];
      const def = / WHERE (.*)$/s.exec(row?.d ?? '')?.[1];
      return row === undefined || def === undefined ? [] : [row.e, def];
    }
    case 'when': {
      await db.exec(`CREATE TRIGGER tr${i} BEFORE UPDATE ON t FOR EACH ROW WHEN (${written}) EXECUTE FUNCTION trg()`);
      const { rows } = await db.query<{ d: string }>(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgname = $1`, [`tr${i}`]);
      const when = /WHEN \((.*)\) EXECUTE/s.exec(rows[0]?.d ?? '')?.[1];
      return when === undefined ? [] : [when];
    }
  }
}

/** The session settings introspection uses when it reads expressions. */
const SESSION = "SET search_path = public; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'";

describe('sameExpression against what a real server stores', () => {
  let database: OwnedTestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.exec(SESSION);
    await database.db.exec(serverSetup);
    await database.db.exec('CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('hand-written defaults, checks, index expressions, predicates and WHEN equal their stored form', async () => {
    const db = database?.db;
    if (db === undefined) throw new Error('no database');
    const mismatches: string[] = [];
    for (const [i, [kind, column, written]] of serverCases.entries()) {
      const stored = await readBack(db, kind, column, written, i);
      if (stored.length === 0) mismatches.push(`${kind} ${written}: nothing read back`);
      for (const form of stored) {
        if (!sameExpression(written, form)) mismatches.push(`${kind} ${column ?? ''} ${written}  ≠  ${form}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** Column defaults as a person writes them for a typed column: [column type, default]. */
const typedDefaults: readonly (readonly [string, string])[] = [
  ['integer', "'5'"],
  ['boolean', "'t'"],
  ['boolean', "'false'"],
  ['numeric(10,2)', '1'],
  ['numeric(10,2)', '0.00'],
  ['double precision', '0'],
  ['real', '1.5'],
  ['date', "'2020-01-01'"],
  ['text[]', "'{}'"],
  ['text[]', "'{a, b}'"],
  ['interval', "'1 day'"],
  ['mood[]', "'{pending}'"],
  ['mood[]', "ARRAY['pending']::mood[]"],
  ['mood[]', "ARRAY['pending'::mood]"],
  ['bigint', '5'],
  ['bigint', "'5'"],
  ['smallint', '1'],
  ['varchar(10)', "'x'"],
  ['char(3)', "'ab'"],
  ['text', '5'],
  ['jsonb', "'[]'"],
  ['json', "'{}'"],
  ['uuid', "'00000000-0000-0000-0000-000000000000'"],
  ['timestamptz', "'2020-01-01 10:00'"],
  ['timestamp', "'epoch'"],
  ['timestamptz', "'infinity'"],
  ['timestamp', "(now() AT TIME ZONE 'utc')"],
  ['timestamp', 'now()'],
  ['date', 'now()'],
  ['date', 'CURRENT_DATE'],
  ['numeric', "'NaN'"],
  ['double precision', "'Infinity'"],
  ['integer[]', "'{1,2}'"],
  ['integer[]', 'ARRAY[]::integer[]'],
  ['bytea', "'\\x00'"],
  ['inet', "'127.0.0.1'"],
  ['boolean', '1 = 1'],
  ['text', "'a'::text || 'b'"],
  ['bit(3)', "B'101'"],
  ['bit(3)', "'101'"],
  ['integer', '-2147483648'],
  ['bigint', '-1'],
  ['numeric(5,1)', '-0.5'],
  ['text', "E'a\\nb'"],
  ['text', '$$x$$'],
  ['text', 'NULL'],
  ['serial', "nextval('d_serial_c_seq')"],
];

describe('sameDefault against what a real server stores', () => {
  let database: OwnedTestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.exec(SESSION);
    await database.db.exec("CREATE TYPE mood AS ENUM ('pending', 'done')");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('every typed default equals its stored form', async () => {
    const db = database?.db;
    if (db === undefined) throw new Error('no database');
    const mismatches: string[] = [];
    for (const [i, [type, written]] of typedDefaults.entries()) {
      const table = type === 'serial' ? 'd_serial' : `d${i}`;
      await db.exec(type === 'serial' ? `CREATE TABLE ${table} (c serial)` : `CREATE TABLE ${table} (c ${type} DEFAULT ${written})`);
      const { rows } = await db.query<{ e: string }>(
        `SELECT pg_get_expr(adbin, adrelid) AS e FROM pg_attrdef WHERE adrelid = $1::regclass`,
        [table],
      );
      const stored = rows[0]?.e;
      if (!sameDefault(written, stored, canonicalType(type))) mismatches.push(`${type} DEFAULT ${written}  ≠  ${stored ?? '(none)'}`);
    }
    expect(mismatches).toEqual([]);
  });
});

/**
 * Every default, check, index expression and partial predicate of the slidefactory fixture,
 * as written in init.sql. The test loads the fixture (without pgvector, which the server
 * lacks) and requires an entry here for every expression the server reports.
 */
const fixtureExpressions: Readonly<Record<string, string>> = {
  'default app_users.id': "nextval('app_users_id_seq')",
  'default app_users.is_active': 'TRUE',
  'default app_users.created_at': 'now()',
  'default app_workflow_meta.id': "nextval('app_workflow_meta_id_seq')",
  'default app_workflow_meta.created_at': 'now()',
  'default app_workflows.id': "nextval('app_workflows_id_seq')",
  'default app_workflows.state': "'pending'",
  'default app_workflows.created_at': 'now()',
  'default app_processes.id': "nextval('app_processes_id_seq')",
  'default app_processes.execution_state': "'pending'",
  'default app_processes.engine': "'n8n'",
  'default app_processes.created_at': 'now()',
  'default app_workflow_meta_files.id': "nextval('app_workflow_meta_files_id_seq')",
  'default app_workflow_meta_files.engine_type': "'n8n'",
  'default app_workflow_meta_files.is_active': 'TRUE',
  'default app_workflow_meta_files.created_at': 'now()',
  'default app_prompts.id': "nextval('app_prompts_id_seq')",
  'default app_prompts.sequence': '0',
  'default app_prompts.version': '1',
  'default app_prompts.created_at': 'now()',
  'default app_sequence_order.id': "nextval('app_sequence_order_id_seq')",
  'default app_dimension_order.id': "nextval('app_dimension_order_id_seq')",
  'default app_storage_items.id': "nextval('app_storage_items_id_seq')",
  'default app_storage_items.created_at': 'now()',
  'default context_documents.id': 'gen_random_uuid()',
  'default context_documents.timestamp': 'now()',
  'default context_chunks.id': "nextval('context_chunks_id_seq')",
  'default context_chunks.created_at': 'now()',
  'default results_data.id': 'gen_random_uuid()',
  'default results_data.result_type': "'generic'",
  'default results_data.content': "'{}'::jsonb",
  'default results_data.created_at': 'now()',
  'default results_data.updated_at': 'now()',
  'default api_keys.id': "nextval('api_keys_id_seq')",
  'default api_keys.scopes': "'[]'::jsonb",
  'default api_keys.rate_limit_per_minute': '60',
  'default api_keys.usage_count': '0',
  'default api_keys.is_active': 'TRUE',
  'default api_keys.created_at': 'now()',
  'default presentation_records.id': 'gen_random_uuid()',
  'default presentation_records.created_at': 'now()',
  'default cache_scraped_raw.id': "nextval('cache_scraped_raw_id_seq')",
  'default cache_scraped_raw.fetched_at': 'now()',
  'check app_workflow_meta_files.chk_engine_type': "engine_type IN ('n8n', 'prefect', 'windmill')",
  'check api_keys.api_keys_rate_limit_per_minute_check': 'rate_limit_per_minute > 0',
  'check presentation_records.presentation_records_slide_count_check': 'slide_count >= 0',
  'where app_workflow_meta_files.idx_workflow_meta_files_engine': 'is_active',
  'where api_keys.idx_api_keys_active': 'is_active',
  'index cache_scraped_raw.idx_cache_scraped_raw_url': 'md5(url)',
};

describe('the slidefactory fixture', () => {
  let database: OwnedTestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const fixture = readFileSync(SLIDEFACTORY_INIT_SQL, 'utf8')
      .replace('CREATE EXTENSION IF NOT EXISTS vector;', '')
      .replace('vector(1024)', 'real[]')
      .replace(/CREATE INDEX context_chunks_embedding_cosine_idx[^;]*;/, '');
    await database.db.exec(SESSION);
    await database.db.exec(fixture);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('every stored expression equals the one init.sql writes', async () => {
    const db = database?.db;
    if (db === undefined) throw new Error('no database');
    const { rows } = await db.query<{ key: string; expr: string }>(`
      SELECT 'default ' || c.relname || '.' || a.attname AS key, pg_get_expr(d.adbin, d.adrelid) AS expr
        FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
        JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       WHERE c.relnamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'check ' || c.relname || '.' || k.conname, pg_get_expr(k.conbin, k.conrelid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE k.contype = 'c' AND c.relnamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'where ' || c.relname || '.' || ic.relname, pg_get_expr(i.indpred, i.indrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       WHERE i.indpred IS NOT NULL AND c.relnamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'index ' || c.relname || '.' || ic.relname, pg_get_indexdef(i.indexrelid, k.n + 1, true)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
        CROSS JOIN LATERAL generate_subscripts(i.indkey, 1) AS k(n)
       WHERE i.indkey[k.n] = 0 AND c.relnamespace = 'public'::regnamespace
    `);
    expect(rows.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const row of rows) {
      const written = fixtureExpressions[row.key];
      if (written === undefined) problems.push(`${row.key}: no hand-written form for ${row.expr}`);
      else if (!sameExpression(written, row.expr)) problems.push(`${row.key}: ${written} ≠ ${row.expr}`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(fixtureExpressions).filter((key) => !rows.some((row) => row.key === key))).toEqual([]);
  });
});
