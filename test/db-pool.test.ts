/**
 * The pool of reused test databases (test/support/db-pool.ts): what a test did to its database
 * is either undone completely (the database then fingerprints as a fresh one and is pooled) or
 * makes the release refuse it (then the harness drops it for real).
 */
import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, testServerInfo } from './support/harness.js';
import { releaseToPool } from './support/db-pool.js';
import type { PoolInfo } from './support/db-pool.js';
import { isAbandoned, quoteIdent } from './support/test-databases.js';

function pool(): PoolInfo | undefined {
  return inject('pgreconcileTestPool') ?? undefined;
}

async function exists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
  await client.connect();
  try {
    return ((await client.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** A database with `sql` run in it, released to the pool by hand: whether the pool took it. */
async function released(sql: string, admin?: (name: string, client: pg.Client) => Promise<void>): Promise<boolean> {
  const info = pool()!;
  const t = await createTestDatabase();
  let pooled = false;
  try {
    await t.db.exec(sql);
    if (admin !== undefined) {
      const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
      await client.connect();
      try {
        await admin(t.name, client);
      } finally {
        await client.end();
      }
    }
    await t.db.close();
    pooled = await releaseToPool(testServerInfo().adminUrl, t.name, info);
    // Pooled: renamed away; refused: left as it was, for drop() to drop.
    expect(await exists(t.name)).toBe(!pooled);
    return pooled;
  } finally {
    if (!pooled) await t.drop();
  }
}

describe.runIf(process.env['PGRECONCILE_TEST_POOL'] !== '0')('the test database pool', () => {
  it('is prepared by the global setup', () => {
    expect(pool()?.runPid).toBeGreaterThan(0);
  });

  it('empties what tests make: schemas, public objects of every kind, extensions, temp tables, large objects, public changed', async () => {
    const role = `Pgr_T_PoolRole_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
    const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
    await client.connect();
    await client.query(`CREATE ROLE ${quoteIdent(role)}`);
    try {
      const pooled = await released(`
        CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, v text);
        CREATE SCHEMA owned AUTHORIZATION ${quoteIdent(role)};
        CREATE TABLE public.u (id serial PRIMARY KEY, x int REFERENCES app.t);
        CREATE INDEX ON public.u (x);
        CREATE TYPE public.e AS ENUM ('a'); CREATE DOMAIN public.d AS int CHECK (VALUE > 0);
        CREATE TYPE public.pair AS (a int, b int);
        CREATE FUNCTION public.f(int) RETURNS int LANGUAGE sql AS 'select 1';
        CREATE PROCEDURE public.p() LANGUAGE sql AS 'select 1';
        CREATE AGGREGATE public.agg(int) (sfunc = int4pl, stype = int);
        CREATE OPERATOR public.=== (leftarg = int, rightarg = int, function = int4eq);
        CREATE COLLATION public.c1 (locale = 'C');
        CREATE VIEW public.v AS SELECT * FROM public.u; CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one;
        CREATE SEQUENCE public.sq; CREATE STATISTICS public.st ON id, x FROM public.u;
        CREATE TABLE public.parted (id int) PARTITION BY RANGE (id);
        CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES FROM (1) TO (10);
        CREATE TEXT SEARCH CONFIGURATION public.ts (COPY = pg_catalog.simple);
        CREATE TABLE public.owned_by_role (id int); ALTER TABLE public.owned_by_role OWNER TO ${quoteIdent(role)};
        CREATE FUNCTION public.trg() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
        CREATE TRIGGER tr BEFORE INSERT ON public.u FOR EACH ROW EXECUTE FUNCTION public.trg();
        COMMENT ON TABLE public.u IS 'x';
        CREATE EXTENSION pgcrypto; CREATE EXTENSION citext SCHEMA app;
        CREATE TEMP TABLE tt (x int);
        SELECT lo_create(0);
        COMMENT ON SCHEMA public IS 'changed';
        GRANT CREATE ON SCHEMA public TO PUBLIC; GRANT USAGE ON SCHEMA public TO ${quoteIdent(role)};
        ALTER SCHEMA public OWNER TO ${quoteIdent(role)};
        INSERT INTO app.t VALUES (1, 'a');
        CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS 'begin raise exception ''no ddl''; end';
        CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION public.on_ddl();
      `);
      expect(pooled).toBe(true);
    } finally {
      await client.query(`DROP ROLE ${quoteIdent(role)}`);
      await client.end();
    }
  });

  it.each([
    ['a database setting', 'SELECT 1', (name: string, c: pg.Client) => c.query(`ALTER DATABASE ${quoteIdent(name)} SET work_mem = '5MB'`)],
    ['a database ACL', 'SELECT 1', (name: string, c: pg.Client) => c.query(`REVOKE TEMPORARY ON DATABASE ${quoteIdent(name)} FROM PUBLIC`)],
    ['a connection limit', 'SELECT 1', (name: string, c: pg.Client) => c.query(`ALTER DATABASE ${quoteIdent(name)} CONNECTION LIMIT 50`)],
    ['default privileges', `ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC`, undefined],
    ['a grant on a built-in function', `REVOKE EXECUTE ON FUNCTION pg_catalog.now() FROM PUBLIC`, undefined],
    ['a comment on a built-in object', `COMMENT ON EXTENSION plpgsql IS 'changed'`, undefined],
    ['a dropped plpgsql', `DROP EXTENSION plpgsql`, undefined],
    [
      'more objects than the reset may lock at once',
      `DO $$ BEGIN FOR i IN 1..600 LOOP EXECUTE format('CREATE FUNCTION public.f%s() RETURNS int LANGUAGE sql AS ''SELECT 1''', i); END LOOP; END $$`,
      undefined,
    ],
    ['a changed built-in language', `REVOKE USAGE ON LANGUAGE sql FROM PUBLIC`, undefined],
  ])('refuses a database with %s (dropped for real instead)', async (_what, sql, admin) => {
    expect(await released(sql, admin === undefined ? undefined : async (n, c) => void (await admin(n, c)))).toBe(false);
  });

  it('refuses a database another session is connected to', async () => {
    const t = await createTestDatabase();
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await t.db.close();
      expect(await releaseToPool(testServerInfo().adminUrl, t.name, pool()!)).toBe(false);
    } finally {
      await other.end();
      await t.drop();
    }
    expect(await exists(t.name)).toBe(false);
  });

  it('marks free databases with the run, so that the sweep drops them when the run died without its teardown', async () => {
    const t = await createTestDatabase();
    await t.drop(); // into the pool
    const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string; note: string | null }>(
        `select datname, shobj_description(oid, 'pg_database') as note from pg_database where datname like $1`,
        [`pgr\\_t\\_${pool()!.runPid}\\_free\\_%`],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { datname, note } of rows) {
        expect(note).toMatch(/^pgreconcile-test \{/);
        expect(isAbandoned(datname, note)).toBe(false); // the run is alive
        const dead = note!.replace(/"pid":\d+/, `"pid":${2 ** 22 + 7}`);
        expect(isAbandoned(datname, dead)).toBe(true);
      }
    } finally {
      await client.end();
    }
  });

  it('gives the next test a pooled database under a new name, fresh', async () => {
    const first = await createTestDatabase();
    await first.db.exec('CREATE TABLE leftover (id int)');
    await first.drop();
    const second = await createTestDatabase();
    try {
      expect(second.name).not.toBe(first.name);
      const { rows } = await second.db.query<{ n: string }>(
        `select count(*) as n from pg_class where oid >= 16384 and relnamespace not in (select oid from pg_namespace where nspname like 'pg\\_%temp%')`,
      );
      expect(rows[0]?.n).toBe('0');
    } finally {
      await second.drop();
    }
  });
});
