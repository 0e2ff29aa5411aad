/**
 * Issue 12, item 2: every session pgreconcile opens pins the settings its SQL and its catalog
 * reading depend on. The database here is hostile by default, for the role that applies (ALTER
 * ROLE … SET, so that the rehearsal's scratch databases get the same): standard_conforming_strings
 * off (a literal ending in a backslash would swallow its closing quote), a search_path whose first
 * schema holds a trojan lower(), DateStyle SQL, DMY, and the other output styles changed too. Every
 * command runs as that role (plan, apply with a backup, restore, rehearsal, drift, status, history,
 * pull) and the result is what the file says: the sentinel table keeps its rows, the enum has
 * exactly its labels, nothing binds to the trojan, dates read month first, the next plan is empty.
 * PGlite gets the same treatment through ALTER DATABASE on its data folder.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/pg-db.js';
import { openPglite } from '../src/db/pglite-db.js';
import { SESSION_SETTINGS } from '../src/db/session-settings.js';
import { runCli, useWorkFolder } from './support/apply-cli.js';
import { createTestDatabase, testServerInfo, type OwnedTestDatabase } from './support/harness.js';

const work = useWorkFolder();

/** What the role gets by default: every one of these breaks something when nothing pins it. */
const HOSTILE: Readonly<Record<string, string>> = {
  standard_conforming_strings: 'off',
  search_path: 'trojan, pg_catalog, public',
  DateStyle: 'SQL, DMY',
  IntervalStyle: 'sql_standard',
  extra_float_digits: '-15',
  TimeZone: 'Pacific/Chatham',
  bytea_output: 'escape',
  transform_null_equals: 'on',
  session_replication_role: 'replica',
  row_security: 'on',
};

/** Enum labels that break out of a literal when backslashes escape quotes. */
const LABELS = ['a\\', ') ; DROP TABLE sentinel; --', "it's", 'b\\\\'];

const yamlString = (text: string): string => JSON.stringify(text);

function schemaYaml(withDay = true, extra = ''): string {
  return [
    'version: 1',
    'ignore: [public.sentinel, public.trojan_calls, "trojan.*"]',
    'schemas:',
    '  public:',
    '    enums:',
    `      mood: { values: [${LABELS.map(yamlString).join(', ')}] }`,
    '    tables:',
    '      things:',
    `        comment: ${yamlString('C:\\new\\table')}`,
    '        columns:',
    '          id: { type: integer }',
    '          email: { type: text }',
    `          code: { type: text, default: ${yamlString("'x\\y'")} }`,
    ...(withDay ? [`          day: { type: date, default: ${yamlString("'03/04/2020'")} }`] : []),
    `          wait: { type: interval, default: ${yamlString("'1 day 02:03:04'")} }`,
    `          ratio: { type: double precision, default: ${yamlString('0.1')} }`,
    `          m: { type: mood, default: ${yamlString("'a\\'")} }`,
    '          maybe: { type: integer }',
    ...(extra !== '' ? [extra] : []),
    '        primary_key: [id]',
    '        checks:',
    `          - { name: code_lower, expression: ${yamlString('lower(code) = code')} }`,
    `          - { name: maybe_null, expression: ${yamlString('maybe = NULL OR maybe > 0')} }`,
    '        indexes:',
    `          things_email_lower: { columns: [{ expression: ${yamlString('lower(email)')} }] }`,
    '',
  ].join('\n');
}

async function admin<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(testServerInfo().adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('a database whose defaults are hostile', () => {
  let target: OwnedTestDatabase | undefined;
  let role = '';
  let url = '';

  beforeEach(async () => {
    target = await createTestDatabase();
    role = `pgr_t_hostile_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
    const settings = Object.entries(HOSTILE)
      .map(([name, value]) => `ALTER ROLE "${role}" SET ${name} = ${name === 'search_path' ? value : `'${value}'`};`)
      .join('\n');
    await target.db.exec(`
      CREATE ROLE "${role}" LOGIN SUPERUSER;
      ${settings}
      CREATE SCHEMA trojan;
      CREATE TABLE public.trojan_calls (at timestamptz DEFAULT now());
      CREATE FUNCTION trojan.lower(text) RETURNS text LANGUAGE sql AS $$ INSERT INTO public.trojan_calls DEFAULT VALUES; SELECT 'pwned'::text $$;
      CREATE TABLE public.sentinel (id int PRIMARY KEY, note text);
      INSERT INTO public.sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g;
    `);
    const u = new URL(target.url);
    u.username = role;
    url = u.toString();
  });

  afterEach(async () => {
    const t = target;
    target = undefined;
    await t?.drop();
    await admin('postgres', async (client) => {
      // Scratch databases a failed rehearsal may have left belong to the role: drop them first.
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1',
        [role],
      );
      for (const r of rows) await client.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  });

  it('plan, apply (with a backup), restore, rehearse, drift, status, history and pull all do what the file says', async () => {
    const t = target!;
    // The role's sessions really are hostile: what a session of the test's own sees.
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const seen = await raw.query<{ scs: string; path: string; style: string }>(
      "SELECT current_setting('standard_conforming_strings') AS scs, current_setting('search_path') AS path, current_setting('DateStyle') AS style",
    );
    await raw.end();
    expect(seen.rows[0]).toEqual({ scs: 'off', path: 'trojan, pg_catalog, public', style: 'SQL, DMY' });
    // A session pgreconcile opens has every setting pinned (the role is a superuser: session_replication_role too).
    const ours = await connectPostgres(url);
    try {
      const names = [...Object.keys(SESSION_SETTINGS), 'session_replication_role'];
      const { rows } = await ours.query<{ n: string; v: string }>('SELECT n, current_setting(n) AS v FROM unnest($1::text[]) AS n', [
        names,
      ]);
      const expected = { ...SESSION_SETTINGS, session_replication_role: 'origin', search_path: 'public', TimeZone: 'UTC' };
      for (const row of rows) expect(row.v, row.n).toBe(expected[row.n as keyof typeof expected]);
    } finally {
      await ours.close();
    }

    const dir = work.dir;
    await writeFile(join(dir, 'schema.yaml'), schemaYaml());
    const cli = (args: readonly string[]) => runCli([...args, '--database-url', url], dir);

    const planned = await cli(['plan', '--sql']);
    expect(planned.code, planned.stderr).toBe(2);
    const applied = await cli(['apply', '--approve', '--allow-hazards', 'all']);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('The database matches the desired state.');

    const checks = async (): Promise<void> => {
      const db = t.db;
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.sentinel')).rows[0]!.n).toBe(5);
      const labels = await db.query<{ label: string }>(
        "SELECT enumlabel AS label FROM pg_enum WHERE enumtypid = 'public.mood'::regtype ORDER BY enumsortorder",
      );
      expect(labels.rows.map((r) => r.label)).toEqual(LABELS);
      const bound = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_depend WHERE refobjid = 'trojan.lower(text)'::regprocedure",
      );
      expect(bound.rows[0]!.n).toBe(0);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.trojan_calls')).rows[0]!.n).toBe(0);
      const comment = await db.query<{ c: string }>("SELECT obj_description('public.things'::regclass, 'pg_class') AS c");
      expect(comment.rows[0]!.c).toBe('C:\\new\\table');
    };
    await checks();
    // Read back in a session of the test's own (ISO dates, standard strings): month first.
    const defaults = await t.db.query<{ name: string; def: string }>(
      `SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attrdef d
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
        WHERE d.adrelid = 'public.things'::regclass ORDER BY a.attnum`,
    );
    expect(Object.fromEntries(defaults.rows.map((r) => [r.name, r.def]))).toMatchObject({
      code: "'x\\y'::text",
      day: "'2020-03-04'::date",
      wait: "'1 day 02:03:04'::interval",
      m: "'a\\'::mood",
    });
    const check = await t.db.query<{ def: string }>(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'maybe_null'",
    );
    expect(check.rows[0]!.def).toContain('= NULL'); // not rewritten to IS NULL by transform_null_equals

    for (const command of [['plan'], ['drift'], ['status']] as const) {
      const r = await cli(command);
      expect(r.code, `${command.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    }
    const history = await cli(['history', '--json']);
    expect(history.code, history.stderr).toBe(0);
    expect((JSON.parse(history.stdout) as { versions: { status: string }[] }).versions.map((v) => v.status)).toEqual(['applied']);

    const pulled = await cli(['pull', '--out', 'pulled.yaml']);
    expect(pulled.code, pulled.stderr).toBe(0);
    const replan = await cli(['plan', '--schema', 'pulled.yaml']);
    expect(replan.code, replan.stderr + replan.stdout).toBe(0);

    // A drop with a backup, then the column back and its values restored.
    await t.db.exec(
      "INSERT INTO public.things (id, email, code, day) VALUES (1, 'A@x', 'y', DATE '2021-12-01'), (2, 'b@x', 'z', DATE '2021-01-12')",
    );
    await writeFile(join(dir, 'schema.yaml'), schemaYaml(false));
    const dropped = await cli(['apply', '--approve', '--allow-hazards', 'all', '--json']);
    expect(dropped.code, dropped.stderr + dropped.stdout).toBe(0);
    const version = (JSON.parse(dropped.stdout) as { version: string }).version;
    await writeFile(join(dir, 'schema.yaml'), schemaYaml(true));
    expect((await cli(['apply', '--approve', '--allow-hazards', 'all'])).code).toBe(0);
    await t.db.exec('UPDATE public.things SET day = NULL');
    const restored = await cli(['restore', version]);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    const days = await t.db.query<{ id: number; day: string }>(
      "SELECT id, to_char(day, 'YYYY-MM-DD') AS day FROM public.things ORDER BY id",
    );
    expect(days.rows).toEqual([
      { id: 1, day: '2021-12-01' },
      { id: 2, day: '2021-01-12' },
    ]);

    // A rehearsal: the scratch database is the role's too, so its sessions start hostile as well.
    await writeFile(join(dir, 'schema.yaml'), schemaYaml(true, `          note: { type: text, default: ${yamlString("'back\\slash'")} }`));
    const rehearsed = await cli(['apply', '--approve', '--rehearse', '--allow-hazards', 'all']);
    expect(rehearsed.code, rehearsed.stderr + rehearsed.stdout).toBe(0);
    expect(rehearsed.stdout).toMatch(/[Rr]ehears/);
    expect((await cli(['plan'])).code).toBe(0);
    await checks();
  });
});

describe('PGlite whose database defaults are hostile', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgr-hostile-pglite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('plan and apply pin the same settings on the embedded database', async () => {
    const data = join(dir, 'db');
    const seed = await openPglite({ dataDir: data });
    await seed.exec(`
      ALTER DATABASE postgres SET standard_conforming_strings = off;
      ALTER DATABASE postgres SET search_path = trojan, pg_catalog, public;
      ALTER DATABASE postgres SET DateStyle = 'SQL, DMY';
      CREATE SCHEMA trojan;
      CREATE TABLE public.trojan_calls (at timestamptz DEFAULT now());
      CREATE FUNCTION trojan.lower(text) RETURNS text LANGUAGE sql AS $$ INSERT INTO public.trojan_calls DEFAULT VALUES; SELECT 'pwned'::text $$;
      CREATE TABLE public.sentinel (id int PRIMARY KEY, note text);
      INSERT INTO public.sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g;
    `);
    await seed.close();
    await writeFile(join(dir, 'schema.yaml'), schemaYaml());
    const url = `pglite:${data}`;
    const applied = await runCli(['apply', '--approve', '--allow-hazards', 'all', '--database-url', url], dir);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect((await runCli(['plan', '--database-url', url], dir)).code).toBe(0);

    const db = await openPglite({ dataDir: data });
    try {
      // This session is pinned too; what the database holds does not depend on that.
      const settings = await db.query<{ scs: string }>("SELECT current_setting('standard_conforming_strings') AS scs");
      expect(settings.rows[0]!.scs).toBe(SESSION_SETTINGS['standard_conforming_strings']);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.sentinel')).rows[0]!.n).toBe(5);
      const labels = await db.query<{ label: string }>(
        "SELECT enumlabel AS label FROM pg_enum WHERE enumtypid = 'public.mood'::regtype ORDER BY enumsortorder",
      );
      expect(labels.rows.map((r) => r.label)).toEqual(LABELS);
      const bound = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_depend WHERE refobjid = 'trojan.lower(text)'::regprocedure",
      );
      expect(bound.rows[0]!.n).toBe(0);
      const day = await db.query<{ def: string }>(
        "SELECT pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'public.things'::regclass AND a.attname = 'day'",
      );
      expect(day.rows[0]!.def).toBe("'2020-03-04'::date");
    } finally {
      await db.close();
    }
    expect((await readdir(dir)).includes('schema.yaml')).toBe(true);
  });
});
