/**
 * `external_types` (issue 15, class 3: pull wrote what plan refused): types managed outside the
 * file (composite and range types; a domain the file does not declare) that columns and functions
 * use. Domains are a kind of the format since issue 17: a live domain listed under
 * external_types is left alone by the diff, but introspection still reads it (it is in the live
 * fingerprint); the type that must be unmanaged through and through here lives in an ignored schema. pull lists every
 * such type a managed column or function uses, with a warning that the type itself is not
 * managed; plan checks that each exists (an error naming file:line:col and the type, never a
 * failed apply) and never creates, alters or drops one. The full round trip (pull → plan empty →
 * build where the types exist → re-plan empty) is the corpus case test/cases/columns/external-types.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { planDatabase } from '../src/plan-database.js';
import { pullSchema } from '../src/pull/index.js';
import { runCli, useWorkFolder } from './support/apply-cli.js';
import type { CliRun } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const FILM = `version: 1
external_types:
  - public.year
  - types.amount
schemas:
  public:
    tables:
      film:
        columns:
          id: { type: integer }
          release_year: { type: year }
          price: { type: types.amount }
        primary_key: [id]
`;

/** `pgreconcile <args>` in `cwd`, as a user runs it (the compiled CLI: `npm run build` first). */
const run = (args: readonly string[], cwd: string): Promise<CliRun> => runCli(args, cwd);

async function relationExists(
  db: { query: <T>(sql: string, params?: readonly unknown[]) => Promise<{ rows: T[] }> },
  name: string,
): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name]);
  return rows[0]?.found === true;
}

/** FILM with its year in the ignored schema `ext`: unmanaged, so not in the live fingerprint either. */
const FILM_IGNORED = `version: 1
external_types:
  - ext.year
  - types.amount
ignore:
  - ext.*
schemas:
  public:
    tables:
      film:
        columns:
          id: { type: integer }
          release_year: { type: ext.year }
          price: { type: types.amount }
        primary_key: [id]
`;

describe('external_types', () => {
  const database = useTestDatabase();
  const work = useWorkFolder();

  it('plan and apply stop with file:line:col and the type when it does not exist; nothing runs', async () => {
    const { db, url } = database();
    await db.exec('CREATE SCHEMA types; CREATE DOMAIN types.amount AS numeric(12,2)');
    await writeFile(join(work.dir, 'schema.yaml'), FILM_IGNORED);
    const plan = await run(['plan', '--database-url', url, '--schema', 'schema.yaml'], work.dir);
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stderr).toContain(
      'schema.yaml:3:5 external_types[0]: type "ext.year" is listed under external_types but does not exist in the database: ' +
        'create it there first (pgreconcile never creates, alters or drops an external type)',
    );
    expect(plan.stderr).not.toContain('types.amount');
    const apply = await run(['apply', '--database-url', url, '--schema', 'schema.yaml', '--approve'], work.dir);
    expect(apply.code, apply.stderr).toBe(1);
    expect(apply.stderr).toContain('schema.yaml:3:5 external_types[0]: type "ext.year" is listed under external_types but does not exist');
    expect(await relationExists(db, 'public.film')).toBe(false);

    // A plan file made while the type existed, applied after it was dropped: refused before any step.
    await db.exec('CREATE SCHEMA ext; CREATE DOMAIN ext.year AS integer');
    const planned = await run(['plan', '--database-url', url, '--schema', 'schema.yaml', '--out', 'film.plan.yaml'], work.dir);
    expect(planned.code, planned.stderr).toBe(2);
    await db.exec('DROP DOMAIN ext.year');
    const late = await run(['apply', 'film.plan.yaml', '--database-url', url, '--approve'], work.dir);
    expect(late.code, late.stderr).toBe(1);
    expect(late.stderr).toContain('schema.yaml:3:5 external_types[0]: type "ext.year" is listed under external_types but does not exist');
    expect(await relationExists(db, 'public.film')).toBe(false);
  });

  it('builds columns of external types without creating, altering or dropping the types or their schema', async () => {
    const { db, url } = database();
    await db.exec(
      'CREATE SCHEMA types; CREATE DOMAIN types.amount AS numeric(12,2); CREATE DOMAIN public.year AS integer CHECK (VALUE > 1900)',
    );
    await writeFile(join(work.dir, 'schema.yaml'), FILM);
    const apply = await run(['apply', '--database-url', url, '--schema', 'schema.yaml', '--approve'], work.dir);
    expect(apply.code, apply.stderr).toBe(0);
    const { rows } = await db.query<{ column: string; type: string }>(
      `SELECT attname AS column, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'public.film'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(rows).toEqual([
      { column: 'id', type: 'integer' },
      { column: 'release_year', type: 'year' },
      { column: 'price', type: 'types.amount' },
    ]);
    // The schema types is not declared: it holds an external type, so it stays.
    const replan = await run(['plan', '--database-url', url, '--schema', 'schema.yaml'], work.dir);
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);
    // A domain's own definition is not the file's business: changing it plans nothing.
    await db.exec('ALTER DOMAIN public.year ADD CONSTRAINT year_max CHECK (VALUE < 3000)');
    const desired = await loadDesiredStateFromText(FILM, 'schema.yaml');
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });

  it('a composite and a range type listed under external_types are used, never dropped or altered (they are kinds of the format now)', async () => {
    const { db } = database();
    await db.exec(`CREATE TYPE public.pair AS (a integer, b integer); CREATE TYPE public.span AS RANGE (subtype = integer);
      CREATE TABLE film (id integer PRIMARY KEY, p pair, during span)`);
    const text = [
      'version: 1',
      'external_types: [public.pair, public.span]',
      'schemas:',
      '  public:',
      '    tables:',
      '      film:',
      '        columns:',
      '          id: { type: integer }',
      '          p: { type: pair }',
      '          during: { type: span }',
      '        primary_key: [id]',
      '',
    ].join('\n');
    const { plan } = await planDatabase(db, await loadDesiredStateFromText(text, 'schema.yaml'));
    expect(plan.steps.map((s) => s.sql)).toEqual([]);
  });

  it('pull lists the unmanaged types that columns and functions use, with a warning each, and plans empty', async () => {
    const { db } = database();
    await db.exec(`
      CREATE DOMAIN public.year AS integer;
      CREATE DOMAIN public.unused AS text;
      CREATE TYPE public.pair AS (a integer, b integer);
      CREATE TYPE public.span AS RANGE (subtype = integer);
      CREATE TABLE film (id integer PRIMARY KEY, release_year year, years year[], during span);
      CREATE FUNCTION swap(p pair) RETURNS pair LANGUAGE sql IMMUTABLE AS 'SELECT ROW(p.b, p.a)::pair';
    `);
    const { yaml, warnings } = await pullSchema(db);
    // Composite and range types and domains are managed (issue 17): written in their schema, not listed.
    expect(yaml).not.toContain('external_types');
    expect(yaml).toContain('    range_types:\n      span: { subtype: integer }\n');
    expect(yaml).toContain(
      '    composite_types:\n      pair:\n        attributes:\n          a: { type: integer }\n          b: { type: integer }\n',
    );
    expect(yaml).toContain('    domains:\n      unused: { type: text }\n      year: { type: integer }\n');
    // The range type's constructor functions belong to the type: not written as functions.
    expect(yaml).not.toMatch(/span\(integer, integer\)|span_multirange/);
    expect(warnings.filter((w) => w.includes('public.pair') || w.includes('public.span'))).toEqual([]);
    expect(warnings.filter((w) => w.includes('public.year') || w.includes('public.unused'))).toEqual([]);
    const { plan } = await planDatabase(db, await loadDesiredStateFromText(yaml, 'pulled.yaml'));
    expect(plan.steps).toEqual([]);
  });
});
