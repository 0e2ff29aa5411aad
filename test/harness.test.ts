import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectPostgres } from '../src/db/pg-db.js';
import { createTestDatabase, serverHasExtension, testServerInfo, useTestDatabase } from './support/harness.js';
import { isAbandoned } from './support/test-databases.js';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('test server', () => {
  it('is decided once by the global setup and reachable', async () => {
    const info = testServerInfo();
    expect(['env', 'local', 'testcontainers', 'initdb']).toContain(info.source);
    const db = await connectPostgres(info.adminUrl);
    try {
      const { rows } = await db.query<{ n: number }>('select 1 as n');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});

describe('useTestDatabase isolation', () => {
  const database = useTestDatabase();
  const seen: string[] = [];

  it('gives the first test a fresh, empty database', async () => {
    const { db, name, url } = database();
    seen.push(name);
    expect(name).toMatch(/^pgr_t_\d+_\d+_/);
    expect(url).toContain(name);
    const { rows } = await db.query<{ current_database: string }>('select current_database()');
    expect(rows[0]?.current_database).toBe(name);
    await db.exec('create table only_in_first (id int primary key); insert into only_in_first values (1)');
  });

  it('gives the second test another database, without the first one’s table', async () => {
    const { db, name } = database();
    seen.push(name);
    expect(seen[0]).toBeDefined();
    expect(name).not.toBe(seen[0]);
    const { rows } = await db.query<{ t: string | null }>(`select to_regclass('public.only_in_first')::text as t`);
    expect(rows[0]?.t).toBeNull();
  });

  it('has dropped the earlier tests’ databases', async () => {
    expect(seen).toHaveLength(2);
    for (const name of seen) expect(await databaseExists(name)).toBe(false);
    expect(await databaseExists(database().name)).toBe(true);
  });

  // A failing test still gets its database dropped (checked by the next test).
  it.fails('drops the database when the test fails', async () => {
    seen.push(database().name);
    await database().db.exec('create table doomed (id int)');
    expect('this test').toBe('failing on purpose');
  });

  it('… which the failed test’s afterEach did', async () => {
    const failed = seen[2];
    expect(failed).toBeDefined();
    expect(await databaseExists(failed ?? '')).toBe(false);
  });

  afterAll(() => {
    // Outside a test the getter explains itself.
    expect(() => database()).toThrow(/only while a test runs/);
  });
});

describe('createTestDatabase', () => {
  it('creates from template0 and drops (idempotently), also with connections left open', async () => {
    const t = await createTestDatabase();
    const extra = await connectPostgres(t.url);
    expect(await databaseExists(t.name)).toBe(true);
    const { rows } = await t.db.query<{ n: string }>(
      `select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'`,
    );
    expect(rows[0]?.n).toBe('0');
    await t.drop();
    await t.drop();
    expect(await databaseExists(t.name)).toBe(false);
    await extra.close();
  });

  it('gives concurrent callers distinct databases', async () => {
    const all = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    try {
      expect(new Set(all.map((t) => t.name)).size).toBe(3);
    } finally {
      await Promise.all(all.map((t) => t.drop()));
    }
  });

  it('marks its databases so that only abandoned ones are swept', async () => {
    const t = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: testServerInfo().adminUrl });
      await client.connect();
      const { rows } = await client.query<{ note: string | null }>(
        `select shobj_description(oid, 'pg_database') as note from pg_database where datname = $1`,
        [t.name],
      );
      await client.end();
      const note = rows[0]?.note ?? null;
      expect(note).toMatch(/^pgreconcile-test \{/);
      expect(isAbandoned(t.name, note)).toBe(false); // this worker is alive
      const deadPid = JSON.stringify({
        host: (JSON.parse(note!.slice('pgreconcile-test '.length)) as { host: string }).host,
        pid: 2 ** 22 + 7,
        created: new Date().toISOString(),
      });
      expect(isAbandoned(t.name, `pgreconcile-test ${deadPid}`)).toBe(true);
      const foreignFresh = JSON.stringify({ host: 'elsewhere', pid: 1, created: new Date().toISOString() });
      expect(isAbandoned(t.name, `pgreconcile-test ${foreignFresh}`)).toBe(false);
      const foreignOld = JSON.stringify({ host: 'elsewhere', pid: 1, created: '2000-01-01T00:00:00Z' });
      expect(isAbandoned(t.name, `pgreconcile-test ${foreignOld}`)).toBe(true);
      expect(isAbandoned(`pgr_t_${process.pid}_1_abcd`, null)).toBe(false);
    } finally {
      await t.drop();
    }
  });
});

describe('vector databases', () => {
  const opened: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.drop()));
  });

  it('run pgvector (on PGlite when the server lacks it): vector(3) column, hnsw index, <=> query', async () => {
    const t = await createTestDatabase({ vector: true });
    opened.push(t);
    if (!(await serverHasExtension('vector'))) expect(t.db.kind).toBe('pglite');
    await t.db.exec(`
      create extension if not exists vector;
      create table items (id int primary key, embedding vector(3) not null);
      create index items_embedding_idx on items using hnsw (embedding vector_cosine_ops) with (m = 8, ef_construction = 32);
      insert into items values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]');
    `);
    const { rows } = await t.db.query<{ id: number; distance: number }>(
      `select id, embedding <=> $1::vector as distance from items order by embedding <=> $1::vector limit 2`,
      ['[1,0,0]'],
    );
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
    expect(rows[0]?.distance).toBeCloseTo(0, 6);
    const index = await t.db.query<{ def: string }>(`select pg_get_indexdef('items_embedding_idx'::regclass) as def`);
    expect(index.rows[0]?.def).toContain('USING hnsw (embedding vector_cosine_ops)');

    // The same database through its URL (node-postgres over pglite-socket on PGlite).
    const viaUrl = await connectPostgres(t.url);
    try {
      const again = await viaUrl.query<{ n: string }>('select count(*) as n from items');
      expect(again.rows[0]?.n).toBe('3');
    } finally {
      await viaUrl.close();
    }
  });

  it('has pgcrypto too', async () => {
    const t = await createTestDatabase({ vector: true });
    opened.push(t);
    await t.db.exec('create extension if not exists pgcrypto');
    const { rows } = await t.db.query<{ h: string }>(`select encode(digest('abc', 'sha256'), 'hex') as h`);
    expect(rows[0]?.h).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('can be forced onto PGlite, and drop() closes it', async () => {
    const t = await createTestDatabase({ pglite: true });
    expect(t.db.kind).toBe('pglite');
    expect(t.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await t.drop();
    await expect(t.db.query('select 1')).rejects.toThrow(/closed/);
    await expect(connectPostgres(t.url)).rejects.toThrow(/could not connect/);
  });
});
