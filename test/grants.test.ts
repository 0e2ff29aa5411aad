/**
 * Grants and owners (issue 18), run as a deployer that is no superuser and holds only what
 * docs/security.md lists (CONNECT and CREATE on the database, membership in the role it hands an
 * object to): plan and apply through the CLI, then `SET ROLE` to each application role and a
 * SELECT say what it can and cannot read. Also: a revoke with its hazard, a file that says no
 * grants leaves a database's grants alone (no false diffs), and drift reports a grant made by hand.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDrift } from '../src/drift/check-drift.js';
import { loadDesiredState, planDatabase } from '../src/index.js';
import { planToFile, runCli, useWorkFolder } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();
const work = useWorkFolder();

let tag = '';
const role = (name: string): string => `pgr_t_${name}_${tag}`;
const ROLES = ['deployer', 'reader', 'other', 'owner'] as const;

beforeEach(async () => {
  tag = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  const { db, name } = database();
  await db.exec(`CREATE ROLE "${role('deployer')}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await db.exec(
    `CREATE ROLE "${role('reader')}" NOLOGIN; CREATE ROLE "${role('other')}" NOLOGIN; CREATE ROLE "${role('owner')} X" NOLOGIN`,
  );
  // What docs/security.md lists for apply with grants and owners: CONNECT and CREATE on the
  // database (its schemas, the ledger's), membership in a role it makes an owner.
  await db.exec(`GRANT CONNECT, CREATE ON DATABASE "${name}" TO "${role('deployer')}"`);
  await db.exec(`GRANT "${role('owner')} X" TO "${role('deployer')}"`);
});
afterEach(async () => {
  const admin = new pg.Client({ connectionString: database().url });
  await admin.connect();
  try {
    const all = [...ROLES.filter((r) => r !== 'owner').map(role), `${role('owner')} X`].map((r) => `"${r}"`).join(', ');
    await admin.query(`REASSIGN OWNED BY ${all} TO CURRENT_USER`);
    await admin.query(`DROP OWNED BY ${all}`);
    for (const r of [...ROLES.filter((x) => x !== 'owner').map(role), `${role('owner')} X`]) await admin.query(`DROP ROLE "${r}"`);
  } finally {
    await admin.end();
  }
});

/** The database's URL with the deployer as user. */
function deployerUrl(): string {
  const u = new URL(database().url);
  u.username = role('deployer');
  u.password = '';
  return u.toString();
}

function schemaYaml(readerOnPublicInfo: boolean): string {
  const owner = `${role('owner')} X`;
  return `version: 1
roles:
  ${role('reader')}:
  ${role('other')}:
  '${owner}':
schemas:
  app:
    grants:
      ${role('reader')}: [usage]
      ${role('other')}: [usage]
      '${owner}': [usage, create]
    tables:
      public_info:
        grants:
${readerOnPublicInfo ? `          ${role('reader')}: [select]\n` : '          {}\n'.replace('          {}\n', '')}          ${role('other')}: [select, insert]
        columns:
          id: { type: integer }
          title: { type: text }
        primary_key: [id]
      secrets:
        owner: '${owner}'
        grants: {}
        columns:
          id:
            type: integer
            grants:
              ${role('reader')}: [select]
          secret: { type: text }
        primary_key: [id]
`;
}

/** Whether `who` can run `sql` (SET ROLE on the superuser's connection, in a transaction rolled back). */
async function can(who: string, sql: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: database().url });
  await admin.connect();
  try {
    await admin.query('BEGIN');
    await admin.query(`SET LOCAL ROLE "${who}"`);
    await admin.query(sql);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return false;
    throw error;
  } finally {
    await admin.query('ROLLBACK').catch(() => undefined);
    await admin.end();
  }
}

async function applyAsDeployer(schema: string): Promise<string> {
  await writeFile(join(work.dir, 'schema.yaml'), schema);
  const planPath = await planToFile(deployerUrl(), work.dir);
  const r = await runCli(['apply', planPath, '--database-url', deployerUrl(), '--allow-hazards', 'revokes_privileges'], work.dir);
  expect(r.code, r.stderr).toBe(0);
  return planPath;
}

async function nextPlanSteps(): Promise<string[]> {
  const u = deployerUrl();
  const { openDatabase } = await import('../src/db/open.js');
  const db = await openDatabase({ databaseUrl: u, cwd: work.dir });
  try {
    const { plan } = await planDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    return plan.steps.map((s) => s.sql);
  } finally {
    await db.close();
  }
}

describe('grants and owners applied by a deployer that is no superuser', () => {
  it('grants, column grants and an owner: what each role can read afterwards', async () => {
    await applyAsDeployer(schemaYaml(true));
    expect(await nextPlanSteps()).toEqual([]);
    await database().db.exec("INSERT INTO app.public_info VALUES (1, 'hello'); INSERT INTO app.secrets VALUES (1, 'hidden')");

    expect(await can(role('reader'), 'SELECT title FROM app.public_info')).toBe(true);
    expect(await can(role('reader'), "INSERT INTO app.public_info VALUES (2, 'x')")).toBe(false);
    expect(await can(role('other'), "INSERT INTO app.public_info VALUES (2, 'x')")).toBe(true);
    expect(await can(role('reader'), 'SELECT id FROM app.secrets')).toBe(true);
    expect(await can(role('reader'), 'SELECT secret FROM app.secrets')).toBe(false);
    expect(await can(role('other'), 'SELECT id FROM app.secrets')).toBe(false);
    const owner = await database().db.query<{ o: string }>(
      "SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = 'app.secrets'::regclass",
    );
    expect(owner.rows[0]?.o).toBe(`${role('owner')} X`);

    // The reader's SELECT is taken: the plan says who loses what, and the reader can no longer read.
    await writeFile(join(work.dir, 'schema.yaml'), schemaYaml(false));
    const plan = await runCli(['plan', '--database-url', deployerUrl(), '--schema', 'schema.yaml'], work.dir);
    expect(plan.stdout + plan.stderr).toContain(`revokes_privileges`);
    expect(plan.stdout + plan.stderr).toContain(`${role('reader')} loses SELECT on table app.public_info`);
    await applyAsDeployer(schemaYaml(false));
    expect(await nextPlanSteps()).toEqual([]);
    expect(await can(role('reader'), 'SELECT title FROM app.public_info')).toBe(false);
    expect(await can(role('other'), 'SELECT title FROM app.public_info')).toBe(true);
  });

  it('a file that says no grants or owners leaves those of the database alone', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE public.logs (id integer PRIMARY KEY, line text);
      GRANT SELECT ON public.logs TO "${role('reader')}";
      GRANT SELECT (line) ON public.logs TO PUBLIC;
      ALTER TABLE public.logs OWNER TO "${role('other')}";
      CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
      REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "${role('reader')}";`);
    await writeFile(
      join(work.dir, 'schema.yaml'),
      `version: 1
schemas:
  public:
    tables:
      logs:
        columns:
          id: { type: integer }
          line: { type: text }
        primary_key: [id]
    functions:
      f: { returns: integer, language: sql, body: SELECT 1 }
`,
    );
    const { plan } = await planDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(plan.steps.map((s) => s.sql)).toEqual([]);
  });

  it('drift reports a grant made by hand on an object whose grants the file says', async () => {
    await applyAsDeployer(schemaYaml(true));
    await database().db.exec(`GRANT DELETE ON app.public_info TO "${role('reader')}"`);
    const report = await checkDrift({ databaseUrl: deployerUrl(), schemaPath: join(work.dir, 'schema.yaml'), cwd: work.dir });
    expect(report.state).toBe('drifted');
    expect(report.drifted.map((d) => [d.object, d.kind, d.change])).toEqual([['table app.public_info', 'grants', 'grants changed']]);
    expect(JSON.stringify(report.drifted)).toContain(`${role('reader')}: delete`);
  });
});
