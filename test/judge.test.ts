/**
 * PostgreSQL as the judge of expression equivalence (src/judge, docs/judge.md), each case
 * through a real plan against a real database: written differently but equal plans nothing;
 * looking equal but different plans a change; pull writes what the server means; the cache;
 * PGlite; a role without TEMP degrades to the parse-tree comparison with a warning.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/pg-db.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { judgeDesired } from '../src/judge/index.js';
import { withoutTempName } from '../src/judge/probe.js';
import { introspect } from '../src/introspect/index.js';
import { canonicalDesired } from '../src/plan-database.js';
import { executePlan, planDatabase, pullSchema } from '../src/index.js';
import { initParser } from '../src/sql/parser.js';
import type { Db } from '../src/db/db.js';
import { createTestDatabase, useTestDatabase } from './support/harness.js';

let work: string;
beforeAll(async () => {
  await initParser();
  work = await mkdtemp(join(tmpdir(), 'pgr-judge-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let files = 0;
async function desiredOf(yaml: string) {
  files += 1;
  return loadDesiredStateFromText(yaml, join(work, `schema-${files}.yaml`), { fastPath: false });
}

/** The plan of `yaml` against the database, with the judge (and, when `judge: false`, without). */
async function plan(db: Db, yaml: string, options: { judge?: boolean; cacheDir?: string } = {}) {
  return planDatabase(db, await desiredOf(yaml), options);
}

/** Applies `yaml`, then asserts that the next plan is empty. */
async function applyAndReplan(db: Db, yaml: string): Promise<void> {
  const first = await plan(db, yaml);
  await executePlan(db, first.plan);
  const again = await plan(db, yaml);
  expect(again.plan.steps.map((s) => s.sql)).toEqual([]);
}

function table(columns: string, extra = ''): string {
  return `version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n${columns}${extra}`;
}

describe('the judge: written differently but equal gives no diff', () => {
  const database = useTestDatabase();

  it('casts the server adds, redundant parentheses, BETWEEN and IN (…) as the server stores it plan nothing', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE t (
      id integer,
      code varchar(10) DEFAULT 'a',
      n integer,
      CONSTRAINT t_code CHECK (code IN ('a', 'b')),
      CONSTRAINT t_n CHECK ((n > 0) AND (n < 10)),
      CONSTRAINT t_range CHECK (n >= 1 AND n <= 9))`);
    await db.exec(`CREATE INDEX t_lower ON t ((lower(code))) WHERE n > 1`);
    const yaml = table(
      `          id: { type: integer }\n          code: { type: varchar(10), default: "'a'" }\n          n: { type: integer }\n`,
      `        checks:\n          - { name: t_code, expression: "code IN ('a', 'b')" }\n          - { name: t_n, expression: "(((n > 0))) AND n < 10" }\n` +
        `          - { name: t_range, expression: "n BETWEEN 1 AND 9" }\n` +
        `        indexes:\n          t_lower: { columns: [{ expression: "lower(code::text)" }], where: "(n > 1)" }\n`,
    );
    const result = await plan(db, yaml);
    expect(result.plan.steps.map((s) => s.sql)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('IN (…) and = ANY (ARRAY[…]): the server stores other casts, so the plan replaces the check once and converges', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE t (code varchar(10), CONSTRAINT t_code CHECK (code IN ('a', 'b')))`);
    const yaml = table(
      `          code: { type: varchar(10) }\n`,
      `        checks:\n          - { name: t_code, expression: "code = ANY (ARRAY['a', 'b'])" }\n`,
    );
    expect((await plan(db, yaml, { judge: false })).plan.steps).toEqual([]);
    expect((await plan(db, yaml)).plan.steps.length).toBeGreaterThan(0);
    await applyAndReplan(db, yaml);
    const { rows } = await db.query<{ e: string }>(`SELECT pg_get_expr(conbin, conrelid) AS e FROM pg_constraint WHERE conname = 't_code'`);
    expect(rows[0]?.e).toBe("((code)::text = ANY (ARRAY['a'::text, 'b'::text]))");
  });

  it('now() and CURRENT_TIMESTAMP: the server keeps them apart, so the plan changes the default, once', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE t (at timestamptz DEFAULT CURRENT_TIMESTAMP)`);
    const yaml = table(`          at: { type: timestamptz, default: "now()" }\n`);
    const first = await plan(db, yaml);
    expect(first.plan.steps.map((s) => s.sql).join('\n')).toContain('SET DEFAULT now()');
    await applyAndReplan(db, yaml);
    // And the other way round: CURRENT_TIMESTAMP as written is what the server keeps.
    await db.exec(`ALTER TABLE t ALTER COLUMN at SET DEFAULT CURRENT_TIMESTAMP`);
    expect((await plan(db, table(`          at: { type: timestamptz, default: CURRENT_TIMESTAMP }\n`))).plan.steps).toEqual([]);
  });

  it('an unqualified function that resolves differently from the live one is a change', async () => {
    const { db } = database();
    await db.exec(`CREATE SCHEMA other;
      CREATE FUNCTION other.pick() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 2';
      CREATE FUNCTION public.pick() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
      CREATE TABLE t (n integer DEFAULT other.pick())`);
    // `pick()` resolves to public.pick() under the pinned search_path: not the live default.
    const yaml = `version: 1\nignore: ["other.*", "public.pick"]\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          n: { type: integer, default: "pick()" }\n`;
    const result = await plan(db, yaml);
    expect(result.plan.steps.map((s) => s.sql).join('\n')).toContain('SET DEFAULT pick()');
  });
});

describe('the judge: looking equal but different gives a diff (class 1)', () => {
  const database = useTestDatabase();

  it('a cast the parse-tree comparison discounts on a varchar[] column is not discounted', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE r (perms varchar[] NOT NULL, CONSTRAINT c CHECK (NOT ((perms)::text ~ ':'::text)))`);
    const yaml =
      `version: 1\nschemas:\n  public:\n    tables:\n      r:\n        columns:\n          perms: { type: "varchar[]", nullable: false }\n` +
      `        checks:\n          - { name: c, expression: "NOT perms ~ ':'" }\n`;
    // Without the judge the parse trees call these equal.
    expect((await plan(db, yaml, { judge: false })).plan.steps).toEqual([]);
    const judged = await plan(db, yaml);
    expect(judged.plan.steps.length).toBeGreaterThan(0);
    expect(judged.warnings.join('\n')).toContain('operator does not exist');
    // Pull writes the server's text, and that file plans empty against the same database.
    const pulled = await pullSchema(db);
    expect(pulled.yaml).toContain('(perms)::text');
    expect((await plan(db, pulled.yaml)).plan.steps).toEqual([]);
  });

  it('an index on a user function public.lower(text[]): pull keeps what the server means, and the file rebuilds the same index', async () => {
    const { db } = database();
    const setup = `CREATE FUNCTION public.lower(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS 'SELECT $1';
      CREATE TABLE a (name varchar(20), other text[]);
      CREATE INDEX i ON a USING gin (public.lower((ARRAY[(name)::text] || other)))`;
    await db.exec(setup);
    const pulled = await pullSchema(db);
    expect((await plan(db, pulled.yaml)).plan.steps).toEqual([]);
    // Built from the pulled file on an empty database, the index is the same.
    const fresh = await createTestDatabase();
    try {
      await applyAndReplan(fresh.db, pulled.yaml);
      const definition = async (d: Db) => (await d.query<{ d: string }>(`SELECT pg_get_indexdef('i'::regclass) AS d`)).rows[0]?.d;
      expect(await definition(fresh.db)).toBe(await definition(db));
    } finally {
      await fresh.drop();
    }
    // Written by hand without the cast, the key resolves otherwise: a change.
    const handWritten = pulled.yaml.replace(/expression: "[^"]*"/, 'expression: "lower(ARRAY[name] || other)"');
    expect(handWritten).not.toBe(pulled.yaml);
    expect((await plan(db, handWritten, { judge: false })).plan.steps).toEqual([]);
    expect((await plan(db, handWritten)).plan.steps.length).toBeGreaterThan(0);
  });
});

describe('the judge: exclusion constraints (issue 15, class 11)', () => {
  const database = useTestDatabase();

  it('two tables, each with one: written otherwise they are the same; a function that resolves elsewhere is a change', async () => {
    const { db } = database();
    await db.exec(`CREATE SCHEMA other;
      CREATE FUNCTION other.pick() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 2';
      CREATE FUNCTION public.pick() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
      CREATE TABLE a (during tstzrange, n integer, CONSTRAINT a_x EXCLUDE USING gist (during WITH &&) WHERE (n > 0));
      CREATE TABLE b (c varchar(10), r int4range,
        CONSTRAINT b_x EXCLUDE USING gist (r WITH &&) WHERE ((c)::text <> 'x'::text AND other.pick() > 0))`);
    const yaml = (where: string) =>
      `version: 1\nignore: ["other.*", "public.pick"]\nschemas:\n  public:\n    tables:\n` +
      `      a:\n        columns:\n          during: { type: tstzrange }\n          n: { type: integer }\n` +
      `        exclude:\n          a_x: { using: GIST, elements: [{ column: during, with: "&&" }], where: "((n > 0))" }\n` +
      `      b:\n        columns:\n          c: { type: varchar(10) }\n          r: { type: int4range }\n` +
      `        exclude:\n          b_x: { elements: [{ column: r, with: "&&" }], where: "${where}" }\n`;
    // The same, written otherwise (the casts left to the server): no change on either table.
    const result = await plan(db, yaml(`c <> 'x' AND other.pick() > 0`));
    expect(result.plan.steps.map((s) => s.sql)).toEqual([]);
    expect(result.warnings).toEqual([]);
    // Looking alike but different: pick() resolves to public.pick() under the pinned search_path.
    const other = yaml(`c <> 'x' AND pick() > 0`);
    const changed = await plan(db, other);
    expect(changed.plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."b" DROP CONSTRAINT "b_x"',
      `ALTER TABLE "public"."b" ADD CONSTRAINT "b_x" EXCLUDE USING "gist" ("r" WITH &&) WHERE (c <> 'x' AND pick() > 0)`,
    ]);
    await applyAndReplan(db, other);
  });
});

describe('the judge: extension types with typmods are compared as the server formats them (class 2)', () => {
  const database = useTestDatabase();

  it('geometry(Polygon,4326) is geometry(polygon,4326)', async ({ skip }) => {
    const { db } = database();
    try {
      await db.exec('CREATE EXTENSION postgis');
    } catch (error) {
      skip(`PostGIS is not available on this server: ${String(error)}`);
    }
    await db.exec('CREATE TABLE g (shape geometry(Polygon,4326))');
    const yaml = `version: 1\nextensions:\n  postgis: {}\nschemas:\n  public:\n    tables:\n      g:\n        columns:\n          shape: { type: "geometry(Polygon,4326)" }\n`;
    expect((await plan(db, yaml, { judge: false })).plan.steps.length).toBeGreaterThan(0);
    expect((await plan(db, yaml)).plan.steps).toEqual([]);
  });
});

describe('the judge: what it cannot judge yet', () => {
  const database = useTestDatabase();

  it('a default on an enum label, or a function, that the plan creates first is left to the parse-tree comparison', async () => {
    const { db } = database();
    await db.exec(`CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood DEFAULT 'a', n integer)`);
    const yaml =
      `version: 1\nschemas:\n  public:\n    enums:\n      mood: { values: [a, b, c] }\n` +
      `    functions:\n      seven:\n        returns: integer\n        language: sql\n        volatility: immutable\n        body: SELECT 7\n` +
      `    tables:\n      t:\n        columns:\n          m: { type: mood, default: "'c'" }\n          n: { type: integer, default: "seven()" }\n`;
    const first = await plan(db, yaml);
    expect(first.warnings).toEqual([]);
    expect(first.plan.steps.length).toBeGreaterThan(0);
    await applyAndReplan(db, yaml);
  });
});

describe('the judge: the cache', () => {
  const database = useTestDatabase();

  it('a re-plan with nothing changed creates no temporary table; a changed expression is judged again', async () => {
    const { db } = database();
    const cacheDir = join(work, 'cache');
    await db.exec(`CREATE TABLE t (code varchar(10) DEFAULT 'a', CONSTRAINT k CHECK (((code)::text <> 'x'::text)))`);
    const yaml = table(
      `          code: { type: varchar(10), default: "'a'" }\n`,
      `        checks:\n          - { name: k, expression: "code <> 'x'" }\n`,
    );
    const desired = await desiredOf(yaml);
    const live = await introspect(db);
    const target = canonicalDesired(desired, live);
    const first = await judgeDesired(db, target, live, { cacheDir });
    // One temporary table: the desired expressions read back as the live texts (no second one for the live expressions).
    expect(first.stats).toEqual({ tables: 1, created: 1, runCached: false });
    const second = await judgeDesired(db, target, live, { cacheDir });
    expect(second.stats).toEqual({ tables: 1, created: 0, runCached: true });
    expect(second.judge.forTable('public', 't')?.verdict('check', 'k', 0, "((code)::text <> 'x'::text)")).toBe('same');
    expect((await readdir(cacheDir)).filter((f) => f.startsWith('judge-')).length).toBe(2);
    // A catalog change the expressions could see (a new function) misses the whole-run key, not the shape.
    await db.exec(`CREATE FUNCTION public.unrelated() RETURNS integer LANGUAGE sql AS 'SELECT 1'`);
    const third = await judgeDesired(db, target, live, { cacheDir });
    expect(third.stats).toEqual({ tables: 1, created: 0, runCached: false });
    const changed = canonicalDesired(await desiredOf(yaml.replace("code <> 'x'", "code <> 'y'")), live);
    const fourth = await judgeDesired(db, changed, live, { cacheDir });
    // The desired check and (its normal form not being the live text) the live one, in the desired context.
    expect(fourth.stats.created).toBe(2);
    expect(fourth.judge.forTable('public', 't')?.verdict('check', 'k', 0, "((code)::text <> 'x'::text)")).toBe('different');
    expect((await planDatabase(db, changed, { live, cacheDir })).plan.steps.length).toBeGreaterThan(0);
  });

  it('warm, tables sharing a shape keep their verdicts through the live variant and each get their own rejection warning', async () => {
    const { db } = database();
    const cacheDir = join(work, 'cache-shared');
    for (const name of ['a', 'b']) {
      await db.exec(`CREATE TABLE ${name} (code varchar(10), n integer,
        CONSTRAINT k CHECK (code = ANY (ARRAY['a'::varchar, 'b'::varchar])), CONSTRAINT r CHECK (n > 0))`);
    }
    // k: the live text reads back otherwise than it is stored (not a fixpoint), so only the live variant finds it the same.
    const checks =
      `        checks:\n          - { name: k, expression: "(code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])" }\n` +
      `          - { name: r, expression: "n > 'x'::integer" }\n`;
    const tableYaml = (name: string): string =>
      `      ${name}:\n        columns:\n          code: { type: varchar(10) }\n          n: { type: integer }\n${checks}`;
    const yaml = `version: 1\nschemas:\n  public:\n    tables:\n${tableYaml('a')}${tableYaml('b')}`;
    const live = await introspect(db);
    const target = canonicalDesired(await desiredOf(yaml), live);
    const liveK = "((code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
    const rejected = (name: string): string =>
      `${name}: PostgreSQL rejects check r as declared: invalid input syntax for type integer: "x"`;
    for (const [run, stats] of [
      ['cold', { tables: 2, created: 2, runCached: false }],
      ['warm', { tables: 2, created: 0, runCached: true }],
    ] as const) {
      const result = await judgeDesired(db, target, live, { cacheDir });
      expect(result.stats, run).toEqual(stats);
      expect(result.warnings, run).toEqual([rejected('a'), rejected('b')]);
      for (const name of ['a', 'b']) expect(result.judge.forTable('public', name)?.verdict('check', 'k', 0, liveK), run).toBe('same');
    }
  });

  it('tables sharing a shape under different object names each get their own verdicts and warnings', async () => {
    const { db } = database();
    const cacheDir = join(work, 'cache-renamed');
    for (const name of ['p', 'q']) {
      await db.exec(`CREATE TABLE ${name} (code varchar(10), n integer,
        CONSTRAINT ${name}_code CHECK (code = ANY (ARRAY['a'::varchar, 'b'::varchar])), CONSTRAINT ${name}_n CHECK (n > 0));
        CREATE INDEX ${name}_live ON ${name} (n) WHERE code = 'a'`);
    }
    const tableYaml = (name: string): string =>
      `      ${name}:\n        columns:\n          code: { type: varchar(10) }\n          n: { type: integer }\n` +
      `        checks:\n          - { name: ${name}_code, expression: "code IN ('a', 'b')" }\n` +
      `          - { name: ${name}_n, expression: "n > 'x'::integer" }\n` +
      `        indexes:\n          ${name}_live: { columns: [n], where: "code = 'a'" }\n`;
    const yaml = `version: 1\nschemas:\n  public:\n    tables:\n${tableYaml('p')}${tableYaml('q')}`;
    const live = await introspect(db);
    const target = canonicalDesired(await desiredOf(yaml), live);
    const liveCode = "((code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
    for (const [run, created] of [
      ['cold', 1],
      ['warm', 0],
    ] as const) {
      const result = await judgeDesired(db, target, live, { cacheDir });
      // One temporary table for both: the shape does not depend on the objects' names.
      expect(result.stats.created, run).toBe(created);
      expect(result.warnings, run).toEqual(
        ['p', 'q'].map((name) => `${name}: PostgreSQL rejects check ${name}_n as declared: invalid input syntax for type integer: "x"`),
      );
      for (const name of ['p', 'q']) {
        const judge = result.judge.forTable('public', name);
        expect(judge?.verdict('check', `${name}_code`, 0, liveCode), `${run} ${name}`).toBe('same');
        expect(judge?.verdict('check', `${name}_code`, 0, '(code IS NOT NULL)'), `${run} ${name}`).toBe('different');
        expect(judge?.verdict('where', `${name}_live`, 0, "((code)::text = 'a'::text)"), `${run} ${name}`).toBe('same');
      }
    }
  });

  it('warm, a live expression changed by hand since the cached run is judged again, not read from the old live variant', async () => {
    const { db } = database();
    const cacheDir = join(work, 'cache-drift');
    await db.exec(`CREATE TABLE t (code varchar(10), CONSTRAINT k CHECK (code = ANY (ARRAY['a'::varchar, 'b'::varchar])))`);
    // Not a fixpoint: only the live variant finds the live check the same as the declared one.
    const yaml = table(
      `          code: { type: varchar(10) }\n`,
      `        checks:\n          - { name: k, expression: "(code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])" }\n`,
    );
    const target = async () => canonicalDesired(await desiredOf(yaml), await introspect(db));
    const before = "((code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
    const cold = await judgeDesired(db, await target(), await introspect(db), { cacheDir });
    expect(cold.judge.forTable('public', 't')?.verdict('check', 'k', 0, before)).toBe('same');
    // By hand: another list, still written otherwise than the file, so the same slots differ.
    await db.exec(`ALTER TABLE t DROP CONSTRAINT k, ADD CONSTRAINT k CHECK (code = ANY (ARRAY['a'::varchar, 'c'::varchar]))`);
    const after = "((code)::text = ANY ((ARRAY['a'::character varying, 'c'::character varying])::text[]))";
    const live = await introspect(db);
    const warm = await judgeDesired(db, canonicalDesired(await desiredOf(yaml), live), live, { cacheDir });
    expect(warm.stats.runCached).toBe(false);
    expect(warm.judge.forTable('public', 't')?.verdict('check', 'k', 0, after)).toBe('different');
    const { plan } = await planDatabase(db, await desiredOf(yaml), { live, cacheDir });
    expect(plan.steps.map((s) => s.sql).join('\n')).toContain('ADD CONSTRAINT "k"');
  });
});

describe('the judge without TEMP privilege', () => {
  const database = useTestDatabase();

  it('degrades to the parse-tree comparison with a warning, not a failure', async () => {
    const { db, name, url } = database();
    const role = `${name}_notemp`;
    await db.exec(`CREATE ROLE "${role}" LOGIN; REVOKE TEMPORARY ON DATABASE "${name}" FROM PUBLIC;
      CREATE TABLE t (code varchar(10) DEFAULT 'a'); GRANT USAGE ON SCHEMA public TO "${role}"; GRANT SELECT ON t TO "${role}"`);
    const other = await connectPostgres(url.replace(/\/\/[^@/]*@/, `//${role}@`).replace(/\/\/(?![^/]*@)/, `//${role}@`));
    try {
      const result = await plan(other, table(`          code: { type: varchar(10), default: "'a'" }\n`));
      expect(result.plan.steps).toEqual([]);
      expect(result.warnings.join('\n')).toContain('could not judge');
    } finally {
      await other.close();
      await db.exec(`DROP OWNED BY "${role}"; DROP ROLE "${role}"`);
    }
  });
});

describe('the judge on PGlite', () => {
  const database = useTestDatabase({ pglite: true });

  it('judges there too', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE r (perms varchar[] NOT NULL, CONSTRAINT c CHECK (NOT ((perms)::text ~ ':'::text)))`);
    const yaml =
      `version: 1\nschemas:\n  public:\n    tables:\n      r:\n        columns:\n          perms: { type: "varchar[]", nullable: false }\n` +
      `        checks:\n          - { name: c, expression: "NOT perms ~ ':'" }\n`;
    expect((await plan(db, yaml)).plan.steps.length).toBeGreaterThan(0);
    expect((await plan(db, yaml.replace("NOT perms ~ ':'", "NOT perms::text ~ ':'"))).plan.steps).toEqual([]);
  });
});

describe('the temporary table name in read-back text', () => {
  it('is replaced where it is an identifier, never inside a literal', async () => {
    await initParser();
    expect(withoutTempName(`f(pgreconcile_judge_3.*) = 'pgreconcile_judge_3'`, 3)).toBe(`f(\u0000.*) = 'pgreconcile_judge_3'`);
    expect(withoutTempName(`"pgreconcile_judge_3".x`, 3)).toBe(`\u0000.x`);
    expect(withoutTempName(`pgreconcile_judge_31`, 3)).toBe(`pgreconcile_judge_31`);
  });
});
