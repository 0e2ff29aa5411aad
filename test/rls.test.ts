/**
 * Row-level security, end to end (issue 18): a file with policies is planned and applied by a
 * deployer that is no superuser and holds only the rights docs/security.md lists (it owns the
 * managed schema and its table, and may create the ledger's schema), the next plan is empty, and
 * then what other roles can read and write is asked of the server itself: `SET ROLE` and a
 * SELECT or an INSERT, not the catalog.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlanDocument } from '../src/apply/apply-plan.js';
import type { Db } from '../src/db/db.js';
import { connectPostgres } from '../src/db/index.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { introspect } from '../src/introspect/index.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { quoteIdent } from '../src/model/ident.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { createTestDatabase } from './support/harness.js';

const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const deployer = `pgr_rls_deployer_${suffix}`;
const alice = `pgr_rls_alice_${suffix}`;
const bob = `pgr Rls "Bob" ${suffix}`;
const roles = [deployer, alice, bob];

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestDatabase;
let admin: Db;
let asDeployer: Db;

/** The file: notes readable by their owner, insertable only as oneself, secret ones hidden from everyone by a restrictive policy. */
function schemaYaml(extra: { forced?: boolean; bobReads?: boolean } = {}): string {
  const readers = extra.bobReads === false ? [alice] : [alice, bob];
  return `version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: { type: integer }
          owner: { type: text, nullable: false }
          body: { type: text, nullable: false }
        primary_key: [id]
        row_level_security: { enabled: true${extra.forced === true ? ', forced: true' : ''} }
        policies:
          notes_read_own:
            command: select
            roles: ${JSON.stringify(readers)}
            using: "owner = current_user"
          notes_insert_own:
            command: insert
            roles: ${JSON.stringify([alice, bob])}
            with_check: "owner = current_user"
          notes_no_secrets:
            as: restrictive
            using: "body <> 'secret'"
            comment: "secret notes are for nobody"
`;
}

/** Plans as the deployer, applies, and checks that the next plan is empty; returns the SQL applied. */
async function converge(yaml: string): Promise<string[]> {
  const desired = await loadDesiredStateFromText(yaml, 'schema.yaml');
  const { plan, live } = await planDatabase(asDeployer, desired);
  const doc = newPlanDocument(plan, asDeployer.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
  const outcome = await applyPlanDocument(asDeployer, doc, { desired, allowHazards: 'all', backup: { enabled: false } });
  expect(outcome.kind, JSON.stringify(outcome).slice(0, 800)).toBe('applied');
  const again = await planDatabase(asDeployer, desired);
  expect(again.plan.steps.map((s) => s.sql)).toEqual([]);
  return plan.steps.map((s) => s.sql);
}

/** What `role` reads from app.notes (owners and ids), as the server filters it for that role. */
async function readsAs(role: string): Promise<string[]> {
  await admin.exec(`SET row_security = on; SET ROLE ${quoteIdent(role)}`);
  try {
    const { rows } = await admin.query<{ note: string }>(`SELECT owner || ':' || id AS note FROM app.notes ORDER BY id`);
    return rows.map((r) => r.note);
  } finally {
    await admin.exec('RESET ROLE; RESET row_security');
  }
}

/** Whether `role` may insert a note owned by `owner`; the server's error when it may not. */
async function insertAs(role: string, id: number, owner: string): Promise<string> {
  await admin.exec(`BEGIN; SET LOCAL row_security = on; SET LOCAL ROLE ${quoteIdent(role)}`);
  try {
    await admin.query(`INSERT INTO app.notes VALUES ($1, $2, 'hello')`, [id, owner]);
    return 'inserted';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await admin.exec('ROLLBACK');
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  admin = t.db;
  // The deployer: LOGIN, no superuser, owner of the managed schema and its table, CREATE on the
  // database for the ledger's schema (docs/security.md, "Least privilege"). The readers: plain roles.
  await admin.exec(`CREATE ROLE ${quoteIdent(deployer)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  for (const r of [alice, bob]) await admin.exec(`CREATE ROLE ${quoteIdent(r)} NOLOGIN`);
  await admin.exec(`GRANT CREATE ON DATABASE ${quoteIdent(t.name)} TO ${quoteIdent(deployer)}`);
  await admin.exec(`CREATE SCHEMA app AUTHORIZATION ${quoteIdent(deployer)}`);
  await admin.exec(`CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, body text NOT NULL)`);
  await admin.exec(`ALTER TABLE app.notes OWNER TO ${quoteIdent(deployer)}`);
  await admin.query(`INSERT INTO app.notes VALUES (1, $1, 'a'), (2, $2, 'b'), (3, $1, 'secret'), (4, 'carol', 'c')`, [alice, bob]);
  // Table rights are not this file's business here: the readers get them by hand.
  await admin.exec(`GRANT USAGE ON SCHEMA app TO ${quoteIdent(alice)}, ${quoteIdent(bob)}`);
  await admin.exec(`GRANT SELECT, INSERT ON app.notes TO ${quoteIdent(alice)}, ${quoteIdent(bob)}`);
  const url = new URL(t.url);
  url.username = deployer;
  url.password = '';
  asDeployer = await connectPostgres(url.toString(), { applicationName: 'pgreconcile-test-rls' });
}, 60_000);

afterAll(async () => {
  await asDeployer?.close().catch(() => undefined);
  for (const r of roles) await admin.exec(`DROP OWNED BY ${quoteIdent(r)}; DROP ROLE ${quoteIdent(r)}`).catch(() => undefined);
  await t?.drop();
});

describe('row-level security applied by a deployer that is no superuser', () => {
  it('before: every role with SELECT reads every row', async () => {
    expect(await readsAs(alice)).toEqual([`${alice}:1`, `${bob}:2`, `${alice}:3`, 'carol:4']);
  });

  it('creates the policies before enabling RLS on the table with rows, and the roles then read only their rows', async () => {
    const sql = await converge(schemaYaml());
    const enable = sql.findIndex((s) => s.includes('ENABLE ROW LEVEL SECURITY'));
    expect(enable).toBe(sql.length - 2); // the policies first; the comment last
    expect(sql.slice(0, enable).every((s) => s.startsWith('CREATE POLICY'))).toBe(true);
    expect(
      sql.some(
        (s) => s.includes(`TO ${quoteIdent(alice)}, ${quoteIdent(bob)}`) || s.includes(`TO ${quoteIdent(bob)}, ${quoteIdent(alice)}`),
      ),
    ).toBe(true);
    expect(await readsAs(alice)).toEqual([`${alice}:1`]);
    expect(await readsAs(bob)).toEqual([`${bob}:2`]);
    expect(await insertAs(alice, 10, alice)).toBe('inserted');
    expect(await insertAs(alice, 11, bob)).toMatch(/new row violates row-level security policy/);
    // The owner is not subject to its table's policies unless they are forced.
    await asDeployer.exec('SET row_security = on');
    const { rows } = await asDeployer.query<{ n: number }>(`SELECT count(*)::int AS n FROM app.notes`);
    await asDeployer.exec('RESET row_security');
    expect(rows[0]?.n).toBe(4);
  });

  it('alters a policy in place: a role taken out of it reads nothing', async () => {
    const sql = await converge(schemaYaml({ bobReads: false }));
    expect(sql).toEqual([`ALTER POLICY "notes_read_own" ON "app"."notes" TO ${quoteIdent(alice)}`]);
    expect(await readsAs(alice)).toEqual([`${alice}:1`]);
    expect(await readsAs(bob)).toEqual([]);
  });

  it('forced: the owner reads through the policies too', async () => {
    const sql = await converge(schemaYaml({ forced: true }));
    expect(sql.some((s) => s === 'ALTER TABLE "app"."notes" FORCE ROW LEVEL SECURITY')).toBe(true);
    await asDeployer.exec('SET row_security = on');
    const { rows } = await asDeployer.query<{ n: number }>(`SELECT count(*)::int AS n FROM app.notes`);
    await asDeployer.exec('RESET row_security');
    expect(rows[0]?.n).toBe(0);
    expect(await readsAs(bob)).toEqual([`${bob}:2`]);
  });

  it('a policy naming a role the database lacks fails the plan, naming the role and the policy', async () => {
    const missing = `pgr_rls_nobody_${suffix}`;
    const desired = await loadDesiredStateFromText(
      schemaYaml().replace(JSON.stringify([alice, bob]), JSON.stringify([alice, missing])),
      'schema.yaml',
    );
    await expect(planDatabase(asDeployer, desired)).rejects.toThrow(
      `role ${missing} (policy notes_read_own on app.notes) does not exist in the database`,
    );
  });

  it('disabled again with the policies gone: every role with SELECT reads every row', async () => {
    const sql = await converge(`version: 1
schemas:
  app:
    tables:
      notes:
        columns:
          id: { type: integer }
          owner: { type: text, nullable: false }
          body: { type: text, nullable: false }
        primary_key: [id]
`);
    expect(sql[0]).toBe('ALTER TABLE "app"."notes" DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY');
    expect(sql.slice(1).every((s) => s.startsWith('DROP POLICY'))).toBe(true);
    expect(await readsAs(bob)).toEqual([`${alice}:1`, `${bob}:2`, `${alice}:3`, 'carol:4']);
  });

  it("a partition's own policy and row-level security are not managed: reported as unmanaged, left alone", async () => {
    await admin.exec(`CREATE TABLE app.m (k integer) PARTITION BY RANGE (k); CREATE TABLE app.m1 PARTITION OF app.m FOR VALUES FROM (0) TO (10);
      ALTER TABLE app.m1 ENABLE ROW LEVEL SECURITY; CREATE POLICY m1_positive ON app.m1 USING (k > 0)`);
    try {
      const live = await introspect(admin);
      expect(live.unmanaged.filter((o) => o.schema === 'app' && o.kind !== 'privileges')).toEqual([
        { kind: 'partition row level security', schema: 'app', name: 'm1' },
        { kind: 'partition policy', schema: 'app', name: 'm1', detail: 'm1_positive' },
      ]);
    } finally {
      await admin.exec('DROP TABLE app.m');
    }
  });
});
