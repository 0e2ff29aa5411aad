/**
 * Issue 12, item 5: `apply --resume` runs only what a reviewer could have seen. A role that owns
 * the ledger (schema pgreconcile and its table) rewrites a failed row's plan document, adding
 * `ALTER ROLE … SUPERUSER`, and recomputes its checksum with pgreconcile's own function; a
 * superuser then resumes. Without the plan file the resume is refused (the ledger's copy is never
 * run); with the plan file only the file's steps run. The attacker never becomes a superuser.
 * The ledger is created private to the role applying (grants that default privileges would hand
 * out are revoked), and `status` warns when another role can change it.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listVersions } from '../src/ledger/ledger-store.js';
import type { PlanStep } from '../src/plan/build-plan.js';
import { parsePlanDocument, planChecksum, planDocumentJson, readPlanFile } from '../src/plan/plan-file.js';
import { pendingSteps, planToFile, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();
const work = useWorkFolder();

/** Step 1 (a table) commits; step 2 (a unique index over duplicate data) fails. */
const SCHEMA = `users:
  columns:
    id: { type: serial }
    email: { type: text }
  primary_key: [id]
  unique:
    - columns: [email]
audit:
  columns:
    id: { type: bigint }
`;

let attacker = '';
let bystander = '';
beforeEach(async () => {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  attacker = `pgr_t_attacker_${tag}`;
  bystander = `pgr_t_bystander_${tag}`;
  await database().db.exec(`CREATE ROLE "${attacker}" LOGIN NOSUPERUSER; CREATE ROLE "${bystander}" LOGIN NOSUPERUSER`);
});
afterEach(async () => {
  const admin = new pg.Client({ connectionString: database().url });
  await admin.connect();
  try {
    // The test database (dropped after the test) holds what the roles own: hand it back first.
    await admin.query(`REASSIGN OWNED BY "${attacker}", "${bystander}" TO CURRENT_USER`);
    await admin.query(`DROP OWNED BY "${attacker}", "${bystander}"`);
    await admin.query(`DROP ROLE "${attacker}"`);
    await admin.query(`DROP ROLE "${bystander}"`);
  } finally {
    await admin.end();
  }
});

async function isSuperuser(
  client: { query: (sql: string, params: unknown[]) => Promise<{ rows: { s: boolean }[] }> },
  role: string,
): Promise<boolean> {
  return (await client.query('SELECT rolsuper AS s FROM pg_roles WHERE rolname = $1', [role])).rows[0]!.s;
}

/** The attacker's edit: the failed row's plan gets a step that makes the attacker a superuser, checksum recomputed. */
async function tamper(url: string, keepChecksum: boolean): Promise<void> {
  const u = new URL(url);
  u.username = attacker;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; plan_document: Record<string, unknown> }>(
      "SELECT id::text, plan_document FROM pgreconcile.versions WHERE status = 'failed' ORDER BY id DESC LIMIT 1",
    );
    const row = rows[0]!;
    // Read with pgreconcile's own reader, a step added, the checksum recomputed the way pgreconcile does.
    const doc = parsePlanDocument(row.plan_document, 'the ledger row');
    const last = doc.plan.steps[doc.plan.steps.length - 1]!;
    const injected: PlanStep = {
      ...last,
      n: last.n + 1,
      sql: `ALTER ROLE "${attacker}" SUPERUSER`,
      hazards: [],
      action: 'alter',
      object: 'audit',
    };
    const { checksum: _genuine, ...rest } = doc;
    const forgedBody = { ...rest, plan: { ...doc.plan, steps: [...doc.plan.steps, injected] } };
    const checksum = planChecksum(forgedBody);
    const json = planDocumentJson({ ...forgedBody, checksum });
    expect(parsePlanDocument(json, 'forged').plan.steps.at(-1)!.sql).toContain('SUPERUSER'); // a valid plan document
    await client.query(
      keepChecksum
        ? 'UPDATE pgreconcile.versions SET plan_document = $2::jsonb WHERE id = $1::bigint'
        : 'UPDATE pgreconcile.versions SET plan_document = $2::jsonb, plan_checksum = $3 WHERE id = $1::bigint',
      keepChecksum ? [row.id, JSON.stringify(json)] : [row.id, JSON.stringify(json), checksum],
    );
  } finally {
    await client.end();
  }
}

describe('a ledger written by another role', () => {
  it('a rewritten plan document with a recomputed checksum is never run by a superuser resume', async () => {
    const { url, db } = database();
    await db.exec("CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('dup@x'), ('dup@x')");
    await writeSchema(work.dir, SCHEMA);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    const failed = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(failed.code).toBe(1);
    expect((await listVersions(db))[0]).toMatchObject({ status: 'failed', stepsApplied: 1 });

    // The ledger was created private: a role given rights by nothing has none.
    const rights = await db.query<{ insert: boolean; usage: boolean }>(
      `SELECT has_table_privilege($1, 'pgreconcile.versions', 'INSERT') AS insert, has_schema_privilege($1, 'pgreconcile', 'USAGE') AS usage`,
      [bystander],
    );
    expect(rights.rows[0]).toEqual({ insert: false, usage: false });
    const quiet = await runCli(['status', '--database-url', url], work.dir);
    expect(quiet.stderr).not.toContain('warning: the ledger');

    // The ledger is handed to another role, which rewrites the failed row's plan.
    await db.exec(`ALTER SCHEMA pgreconcile OWNER TO "${attacker}"; ALTER TABLE pgreconcile.versions OWNER TO "${attacker}"`);
    await tamper(url, false);
    await db.exec('DELETE FROM users WHERE id = 3');

    const noFile = await runCli(['apply', '--resume', '--database-url', url, '--allow-hazards', 'all', '--json'], work.dir);
    expect(noFile.code, noFile.stderr).toBe(3);
    expect(JSON.parse(noFile.stdout)).toMatchObject({ result: 'refused', reason: 'plan_required', version: doc.id });
    expect(await isSuperuser(db as never, attacker)).toBe(false);

    // With the reviewed file: the forged checksum in the row does not match it, nothing runs.
    const mismatched = await runCli(['apply', '--resume', planPath, '--database-url', url, '--allow-hazards', 'all', '--json'], work.dir);
    expect(mismatched.code, mismatched.stderr).toBe(3);
    expect(JSON.parse(mismatched.stdout)).toMatchObject({ result: 'refused', reason: 'checksum_mismatch' });
    expect(await isSuperuser(db as never, attacker)).toBe(false);

    // status names the roles that can change the ledger.
    const warned = await runCli(['status', '--database-url', url, '--json'], work.dir);
    expect(warned.stderr).toContain('warning: the ledger (schema pgreconcile) can be changed by roles other than postgres');
    expect(warned.stderr).toContain(`${attacker} (owns schema pgreconcile, owns pgreconcile.versions)`);
    expect((JSON.parse(warned.stdout) as { ledger_writers: unknown[] }).ledger_writers).toEqual([
      { role: attacker, rights: ['owns schema pgreconcile', 'owns pgreconcile.versions'] },
    ]);
  });

  it("with the checksum left alone, a resume from the plan file runs the file's steps only", async () => {
    const { url, db } = database();
    await db.exec("CREATE TABLE users (id serial PRIMARY KEY, email text); INSERT INTO users (email) VALUES ('a@x'), ('dup@x'), ('dup@x')");
    const schema = await writeSchema(work.dir, SCHEMA);
    const planPath = await planToFile(url, work.dir);
    const doc = await readPlanFile(planPath);
    expect((await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'all'], work.dir)).code).toBe(1);
    await db.exec(`ALTER SCHEMA pgreconcile OWNER TO "${attacker}"; ALTER TABLE pgreconcile.versions OWNER TO "${attacker}"`);
    await tamper(url, true);
    await db.exec('DELETE FROM users WHERE id = 3');

    const resumed = await runCli(['apply', '--resume', planPath, '--database-url', url, '--allow-hazards', 'all'], work.dir);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).not.toContain('SUPERUSER');
    expect(await isSuperuser(db as never, attacker)).toBe(false);
    const [row] = await listVersions(db);
    expect(row).toMatchObject({
      version: doc.id,
      status: 'applied',
      stepsApplied: doc.plan.steps.length,
      stepsTotal: doc.plan.steps.length,
    });
    expect(await pendingSteps(db, schema)).toEqual([]);
  });

  it('default privileges that would open the new ledger to other roles are revoked when it is created', async () => {
    const { url, db } = database();
    await db.exec(
      `ALTER DEFAULT PRIVILEGES GRANT INSERT, UPDATE ON TABLES TO "${bystander}"; ALTER DEFAULT PRIVILEGES GRANT ALL ON SCHEMAS TO "${bystander}"`,
    );
    await db.exec('CREATE TABLE users (id serial PRIMARY KEY)');
    await writeSchema(work.dir, 'users:\n  columns:\n    id: { type: serial }\n    note: { type: text }\n  primary_key: [id]\n');
    expect((await runCli(['apply', '--approve', '--database-url', url], work.dir)).code).toBe(0);
    const rights = await db.query<{ versions: boolean; schema: boolean }>(
      `SELECT has_table_privilege($1, 'pgreconcile.versions', 'INSERT,UPDATE') AS versions, has_schema_privilege($1, 'pgreconcile', 'CREATE') AS schema`,
      [bystander],
    );
    expect(rights.rows[0]).toEqual({ versions: false, schema: false });
    const status = await runCli(['status', '--database-url', url], work.dir);
    expect(status.stderr).not.toContain('warning: the ledger');
    await db.exec(`GRANT UPDATE ON pgreconcile.versions TO "${bystander}"`);
    const warned = await runCli(['status', '--database-url', url], work.dir);
    expect(warned.stderr).toContain(`${bystander} (writes pgreconcile.versions)`);
  });
});
