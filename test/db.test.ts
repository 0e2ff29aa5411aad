import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { DbError, formatDbError, isDbError, positionToLineColumn, toDbError } from '../src/db/errors.js';
import { describeTarget, openDatabase } from '../src/db/open.js';
import { connectPostgres } from '../src/db/pg-db.js';
import { introspect } from '../src/introspect/index.js';
import { openPglite, servePglite } from '../src/db/pglite-db.js';
import type { PgliteDb } from '../src/db/pglite-db.js';
import { isUrlForm, parseKeyValueString, redactConnectionStrings, redactSecrets, redactUrl, secretsOf } from '../src/db/redact.js';
import { testServerInfo, useTestDatabase } from './support/harness.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.example.com:5432/app', 'postgres://app:***@db.example.com:5432/app'],
    ['postgresql://app:s3cret@db/app?sslmode=require', 'postgresql://app:***@db/app?sslmode=require'],
    ['postgres://:s3cret@db/app', 'postgres://:***@db/app'],
    // percent-encoded and unencoded '@' in the password: masked whole
    ['postgres://app:p%40ss%3Aw@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:p@ss@db/app', 'postgres://app:***@db/app'],
    // query parameters, any letter case, anywhere in the query
    ['postgres://app@db/app?password=s3cret', 'postgres://app@db/app?password=***'],
    ['postgres://app@db/app?sslmode=verify-full&PASSWORD=s3cret&x=1', 'postgres://app@db/app?sslmode=verify-full&PASSWORD=***&x=1'],
    ['postgres://app@db/app?sslpassword=keypass', 'postgres://app@db/app?sslpassword=***'],
    ['postgres://app@db/app?SslPassword=k&password=p#frag', 'postgres://app@db/app?SslPassword=***&password=***#frag'],
    ['postgres://app:a@db/app?password=b&sslpassword=c', 'postgres://app:***@db/app?password=***&sslpassword=***'],
    // nothing to hide: unchanged
    ['postgres://app@db:5432/app', 'postgres://app@db:5432/app'],
    ['postgres://db/app?application_name=x', 'postgres://db/app?application_name=x'],
    ['postgres://app:@db/app', 'postgres://app:@db/app'],
    ['postgres://app@db/app?password=', 'postgres://app@db/app?password='],
    ['postgres://db/app?passfile=/home/x/.pgpass', 'postgres://db/app?passfile=/home/x/.pgpass'],
    // an '@' in the query does not make the host look like user-info
    ['postgres://db:5432/app?application_name=a@b', 'postgres://db:5432/app?application_name=a@b'],
    // IPv6 hosts and several hosts
    ['postgres://app:pw@[::1]:5432/app', 'postgres://app:***@[::1]:5432/app'],
    ['postgres://app:pw@h1:5432,h2:5433/app', 'postgres://app:***@h1:5432,h2:5433/app'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it.each([
    ['host=db password=s3cret dbname=app', 'host=db password=*** dbname=app'],
    ["host=db password='se cret' dbname=app", 'host=db password=*** dbname=app'],
    ["host=db password='it\\'s' dbname=app", 'host=db password=*** dbname=app'],
    ['host=db password = s3cret user=app', 'host=db password = *** user=app'],
    ['host=db PASSWORD=s3cret', 'host=db PASSWORD=***'],
    ['sslpassword=k host=db', 'sslpassword=*** host=db'],
    ['password=a\\ b host=db', 'password=*** host=db'],
    // malformed strings are still scrubbed
    ['host=x junk password=s3cret', 'host=x junk password=***'],
    ["password='unterminated", 'password=***'],
    // a key merely ending in "password" is not the password
    ['host=db mypassword=visible', 'host=db mypassword=visible'],
    ['host=db user=app', 'host=db user=app'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('never returns a string containing the secret, for assorted passwords', () => {
    const passwords = ['s3cret', 'p@ss', 'a:b', 'with space', "quo'te", 'pct%41', 'ünï', 'x'.repeat(200)];
    for (const password of passwords) {
      const encoded = encodeURIComponent(password);
      for (const url of [
        `postgres://u:${encoded}@h/db`,
        `postgres://u@h/db?password=${encoded}`,
        `postgres://u@h/db?sslpassword=${encoded}&a=b`,
      ]) {
        const out = redactUrl(url);
        expect(out).not.toContain(encoded);
        expect(out).toContain('***');
      }
    }
  });
});

describe('secretsOf / redactSecrets / redactConnectionStrings', () => {
  it('finds passwords as written and decoded', () => {
    expect(secretsOf('postgres://u:p%40ss@h/db')).toEqual(['p%40ss', 'p@ss']);
    expect(secretsOf('postgres://u@h/db?password=a&sslpassword=b')).toEqual(['a', 'b']);
    expect(secretsOf("host=h password='se cret'")).toEqual(["'se cret'", 'se cret']);
    expect(secretsOf('postgres://u@h/db')).toEqual([]);
  });

  it('masks every occurrence, encoded forms and longer secrets first', () => {
    expect(redactSecrets('auth failed for s3cret (s3cret)', ['s3cret'])).toBe('auth failed for *** (***)');
    expect(redactSecrets('url had p%40ss', ['p@ss'])).toBe('url had ***');
    expect(redactSecrets('abcdef', ['abc', 'abcdef'])).toBe('***');
    expect(redactSecrets('nothing here', [''])).toBe('nothing here');
  });

  it('redacts URLs inside a longer text', () => {
    expect(redactConnectionStrings('cannot reach postgres://u:pw@h/db, and postgresql://a:b@c/d?password=e.')).toBe(
      'cannot reach postgres://u:***@h/db, and postgresql://a:***@c/d?password=***.',
    );
  });

  it('tells URLs from key=value strings and parses the latter like libpq', () => {
    expect(isUrlForm(' postgres://h')).toBe(true);
    expect(isUrlForm('host=h')).toBe(false);
    expect(parseKeyValueString("host = h  password='a \\' b' dbname=x").map((kv) => [kv.key, kv.value])).toEqual([
      ['host', 'h'],
      ['password', "a ' b"],
      ['dbname', 'x'],
    ]);
  });
});

describe('DbError helpers', () => {
  it('maps a 1-based character position to line and column', () => {
    expect(positionToLineColumn('select\n  nope', 10)).toEqual({ line: 2, column: 3 });
    expect(positionToLineColumn('select 1', 1)).toEqual({ line: 1, column: 1 });
    expect(positionToLineColumn('é\nx', 3)).toEqual({ line: 2, column: 1 });
  });

  it('copies driver fields, scrubs secrets, and keeps network codes visible', () => {
    const driverError = Object.assign(new Error('password authentication failed: s3cret'), {
      code: '28P01',
      detail: 'detail s3cret',
      position: '4',
    });
    const e = toDbError(driverError, { phase: 'connect', target: 'postgres://u:***@h/db' }, (t) => redactSecrets(t, ['s3cret']));
    expect(e).toBeInstanceOf(DbError);
    expect(e.code).toBe('28P01');
    expect(e.position).toBe(4);
    expect(e.message).toBe('password authentication failed: ***');
    expect(e.detail).toBe('detail ***');
    expect(isDbError(e, '28P01')).toBe(true);
    expect(isDbError(e, '55P03')).toBe(false);

    const net = toDbError(
      Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }),
      { phase: 'connect', target: 't' },
      (t) => t,
    );
    expect(net.code).toBeUndefined();
    expect(net.message).toBe('connect failed (ECONNREFUSED)');
  });

  it('formats for people', () => {
    const e = new DbError('relation "nope" does not exist', {
      phase: 'query',
      code: '42P01',
      position: 15,
      sql: 'select * from nope',
      hint: 'check the name',
      target: 't',
    });
    expect(formatDbError(e)).toBe('ERROR 42P01: relation "nope" does not exist (statement line 1, column 15)\nHINT: check the name');
  });
});

/** The same probes against any Db: values come back in the same shapes from both adapters. */
async function valueShapes(db: Db): Promise<Record<string, unknown>> {
  const { rows } = await db.query<Record<string, unknown>>(
    `select 9007199254740993::int8 as big, 12.50::numeric as num, 7::int4 as i4, 2::int2 as i2, 1.5::float8 as f8,
            true as b, 'x'::text as t, 'c'::"char" as ch, 'pg_class'::regclass::text as rc, 26::oid as o,
            array['a', null]::text[] as ta, array[1, 2]::int8[] as ba, array[1, 2]::int4[] as ia, array['n']::name[] as na,
            '{"a": [1]}'::jsonb as jb, '2024-01-02'::date as d,
            '2024-01-02 03:04:05'::timestamp as ts, '1 day 2 hours'::interval as iv, '03:04:05'::time as tm,
            '1 2'::int2vector as iv2, null::text as nul, array['c']::"char"[] as cha,
            array['int4']::regtype[]::text[] as rta, array['int4']::regtype[] as rtb, array[1.5]::numeric[] as numa`,
  );
  return rows[0] ?? {};
}

const expectedShapes = {
  big: '9007199254740993',
  num: '12.50',
  i4: 7,
  i2: 2,
  f8: 1.5,
  b: true,
  t: 'x',
  ch: 'c',
  rc: 'pg_class',
  o: 26,
  ta: ['a', null],
  ba: ['1', '2'],
  ia: [1, 2],
  na: ['n'],
  jb: { a: [1] },
  d: '2024-01-02',
  ts: '2024-01-02 03:04:05',
  iv: '1 day 02:00:00',
  tm: '03:04:05',
  iv2: '1 2',
  nul: null,
  cha: ['c'],
  rta: ['integer'],
  rtb: ['integer'],
  numa: ['1.5'],
};

describe('connectPostgres (real server)', () => {
  const database = useTestDatabase();

  it('runs parameterised queries and reports row counts', async () => {
    const { db } = database();
    expect(db.kind).toBe('postgres');
    await db.exec('create table t (id int primary key, name text); insert into t values (1, $$a$$), (2, $$b$$)');
    const selected = await db.query<{ id: number; name: string }>('select id, name from t where id >= $1 order by id', [1]);
    expect(selected.rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(selected.rowCount).toBe(2);
    expect((await db.query('update t set name = $1 where id = $2', ['z', 2])).rowCount).toBe(1);
    expect((await db.query('select $1::text[] as a', [['x', 'y']])).rows).toEqual([{ a: ['x', 'y'] }]);
  });

  it('returns int8, numeric, dates and timestamps as strings', async () => {
    const { db } = database();
    await db.exec(`set timezone = 'UTC'; set intervalstyle = 'postgres'`);
    expect(await valueShapes(db)).toEqual(expectedShapes);
    const tz = await db.query<{ v: unknown }>(`select '2024-01-02 03:04:05+00'::timestamptz as v`);
    expect(tz.rows[0]?.v).toBe('2024-01-02 03:04:05+00');
    await db.exec(`create type mood as enum ('a', 'b')`);
    expect((await db.query(`select array['a']::mood[] as raw, array['a']::mood[]::text[] as cast`)).rows).toEqual([
      { raw: '{a}', cast: ['a'] },
    ]);
  });

  it('exec runs several statements in one simple query; query runs exactly one', async () => {
    const { db } = database();
    await db.exec('create table a (id int); create table b (id int);');
    await expect(db.query('select 1; select 2')).rejects.toMatchObject({ code: '42601' });
  });

  it('throws DbError with SQLSTATE, position and detail', async () => {
    const { db } = database();
    const sql = 'select *\n  from nope';
    const error = await db.query(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: '42P01', position: 17, phase: 'query', sql });
    expect(formatDbError(error as DbError)).toContain('(statement line 2, column 8)');

    await db.exec('create table u (id int primary key)');
    await db.exec('insert into u values (1)');
    const dup = await db.exec('insert into u values (1)').catch((e: unknown) => e);
    expect(dup).toMatchObject({ code: '23505', constraint: 'u_pkey', table: 'u', detail: 'Key (id)=(1) already exists.' });
  });

  it('keeps the password out of the description and errors', async () => {
    const { adminUrl } = testServerInfo();
    const url = new URL(adminUrl);
    url.password = 'S3cret-Pa55';
    url.pathname = '/pgreconcile_no_such_database';
    const error = (await connectPostgres(url.toString()).catch((e: unknown) => e)) as DbError;
    expect(error).toBeInstanceOf(DbError);
    expect(error.phase).toBe('connect');
    expect(error.code).toBe('3D000');
    expect(error.message).toContain(':***@');
    expect(error.message).toContain('pgreconcile_no_such_database');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('S3cret-Pa55');
    expect(String(error.stack)).not.toContain('S3cret-Pa55');

    const refused = (await connectPostgres('postgres://u:S3cret-Pa55@127.0.0.1:1/db').catch((e: unknown) => e)) as DbError;
    expect(refused).toBeInstanceOf(DbError);
    expect(refused.message).toMatch(/^could not connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: /);
    expect(refused.message).not.toContain('S3cret-Pa55');
  });

  it('accepts key=value connection strings and redacts them too', async () => {
    const { db: _db, name } = database();
    const admin = new URL(testServerInfo().adminUrl);
    const kv = `host=${admin.hostname} port=${admin.port || 5432} user=${decodeURIComponent(admin.username) || 'postgres'} dbname=${name}${admin.password ? ` password='${decodeURIComponent(admin.password)}'` : ''}`;
    const db = await connectPostgres(kv, { applicationName: 'kv-test' });
    try {
      const { rows } = await db.query<{ d: string; app: string }>(
        `select current_database() as d, current_setting('application_name') as app`,
      );
      expect(rows).toEqual([{ d: name, app: 'kv-test' }]);
      expect(db.description).not.toMatch(/password='(?!\*)/);
    } finally {
      await db.close();
    }
    await expect(connectPostgres('host=h bogus=1')).rejects.toThrow(/unsupported connection option "bogus"/);
  });

  it('fails clearly after close, and close is idempotent', async () => {
    const db = await connectPostgres(database().url);
    await db.close();
    await db.close();
    await expect(db.query('select 1')).rejects.toThrow(/is closed/);
  });

  it('keeps one second connection for introspection: the same session every time, none open after, another once it is lost', async () => {
    const { db, name, url } = database();
    await db.exec('create table t (id int primary key, note text default $$x$$)');
    const admin = await connectPostgres(url);
    try {
      const others = async (): Promise<{ pid: number; state: string | null }[]> =>
        (
          await admin.query<{ pid: number; state: string | null }>(
            'select pid, state from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = $2 order by pid',
            [name, 'client backend'],
          )
        ).rows;
      const first = await introspect(db);
      const sessions = await others();
      // The Db's own connection and the kept second one; no transaction left open on either.
      expect(sessions).toHaveLength(2);
      expect(sessions.map((s) => s.state)).toEqual(['idle', 'idle']);
      const second = await introspect(db);
      expect(await others()).toEqual(sessions);
      expect(second.model).toEqual(first.model);
      // Lost (terminated by someone): the next introspection opens another and reads the same.
      const own = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const kept = sessions.find((s) => s.pid !== own)!.pid;
      await admin.query('select pg_terminate_backend($1, 5000)', [kept]);
      const third = await introspect(db);
      expect(third.model).toEqual(first.model);
      const after = await others();
      expect(after).toHaveLength(2);
      expect(after.map((s) => s.pid)).not.toContain(kept);
      await db.close();
      const until = Date.now() + 5_000;
      while ((await others()).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(await others()).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});

describe('openPglite', () => {
  let db: PgliteDb;
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('has the same value shapes as node-postgres', async () => {
    expect(db.kind).toBe('pglite');
    expect(db.description).toBe('in-memory PGlite');
    await db.exec(`set timezone = 'UTC'; set intervalstyle = 'postgres'`);
    expect(await valueShapes(db)).toEqual(expectedShapes);
    await db.exec(`create type mood as enum ('a', 'b')`);
    expect((await db.query(`select array['a']::mood[] as raw, array['a']::mood[]::text[] as cast`)).rows).toEqual([
      { raw: '{a}', cast: ['a'] },
    ]);
  });

  it('has pgvector and pgcrypto', async () => {
    await db.exec('create extension vector; create extension pgcrypto');
    const { rows } = await db.query<{ d: number }>(`select '[1,2,3]'::vector <-> '[1,2,4]'::vector as d`);
    expect(rows[0]?.d).toBe(1);
    expect((await db.query(`select gen_random_bytes(4) is not null as ok`)).rows).toEqual([{ ok: true }]);
  });

  it('reports row counts like node-postgres and throws DbError', async () => {
    await db.exec('create table t (id int primary key); insert into t values (1), (2), (3)');
    expect((await db.query('select id from t')).rowCount).toBe(3);
    expect((await db.query('delete from t where id > $1', [1])).rowCount).toBe(2);
    expect((await db.query('update t set id = 5 where id = 99')).rowCount).toBe(0);
    const error = await db.query('select * from nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: '42P01', position: 15, target: 'in-memory PGlite' });
    await expect(db.query('select 1; select 2')).rejects.toMatchObject({ code: '42601' });
  });

  it('is reachable by URL through servePglite', async () => {
    const served = await servePglite(db);
    try {
      const a = await connectPostgres(served.url);
      const b = await connectPostgres(served.url);
      try {
        expect(a.description).toBe(served.url);
        const { rows } = await a.query<{ n: string }>('select count(*) as n from t');
        expect(rows[0]?.n).toBe('1');
        await b.exec('create table from_b (id int)');
        expect((await a.query(`select to_regclass('from_b')::text as r`)).rows).toEqual([{ r: 'from_b' }]);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await served.stop();
    }
    // The instance stays usable after the bridge stops.
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('openPglite with a folder, and openDatabase', () => {
  let dir: string;
  const saved = process.env['DATABASE_URL'];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgreconcile-db-test-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('persists to a folder it creates', async () => {
    const dataDir = join(dir, 'nested', 'pglite');
    const first = await openPglite({ dataDir });
    expect(first.description).toBe(dataDir);
    await first.exec(`create table kept (id int); insert into kept values (42)`);
    await first.close();
    const second = await openPglite({ dataDir });
    try {
      expect((await second.query('select id from kept')).rows).toEqual([{ id: 42 }]);
    } finally {
      await second.close();
    }
  });

  it('locks the folder against a second opener, and takes over a stale lock', async () => {
    const dataDir = join(dir, 'locked');
    const first = await openPglite({ dataDir });
    try {
      const error = await openPglite({ dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DbError);
      expect((error as DbError).message).toContain(`is in use by process ${process.pid}`);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    await writeFile(`${dataDir}.lock`, JSON.stringify({ host: hostname(), pid: 2 ** 22 + 7 }));
    const second = await openPglite({ dataDir });
    await second.close();
  });

  it('defaults to the embedded PGlite under <cwd>/.pgreconcile/pglite', async () => {
    delete process.env['DATABASE_URL'];
    const db = await openDatabase({ cwd: dir });
    try {
      expect(db.kind).toBe('pglite');
      expect(db.description).toBe(join(dir, '.pgreconcile', 'pglite'));
      expect(describeTarget(db)).toBe('Using embedded PGlite database at .pgreconcile/pglite (no DATABASE_URL or --database-url given)');
    } finally {
      await db.close();
    }
  });

  it('takes --database-url over DATABASE_URL, and redacts it', async () => {
    const admin = new URL(testServerInfo().adminUrl);
    admin.password = admin.password || 'ignored-by-trust';
    process.env['DATABASE_URL'] = 'postgres://nobody:x@127.0.0.1:1/none';
    const db = await openDatabase({ databaseUrl: admin.toString(), cwd: dir });
    try {
      expect(db.kind).toBe('postgres');
      expect(describeTarget(db)).toBe(`Using database ${redactUrl(admin.toString())} (from --database-url)`);
      expect(describeTarget(db)).toContain(':***@');
    } finally {
      await db.close();
    }
    process.env['DATABASE_URL'] = testServerInfo().adminUrl;
    const fromEnv = await openDatabase({ cwd: dir });
    try {
      expect(describeTarget(fromEnv)).toBe(`Using database ${redactUrl(testServerInfo().adminUrl)} (from DATABASE_URL)`);
    } finally {
      await fromEnv.close();
    }
  });

  it('opens pglite: URLs', async () => {
    delete process.env['DATABASE_URL'];
    const memory = await openDatabase({ databaseUrl: 'pglite:memory', cwd: dir });
    try {
      expect(memory.description).toBe('in-memory PGlite');
      expect(describeTarget(memory)).toBe('Using in-memory PGlite database (from --database-url)');
    } finally {
      await memory.close();
    }
    const inFolder = await openDatabase({ databaseUrl: 'pglite:other/db', cwd: dir });
    try {
      expect(describeTarget(inFolder)).toBe('Using PGlite database at other/db (from --database-url)');
    } finally {
      await inFolder.close();
    }
  });
});
