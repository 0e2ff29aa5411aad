/**
 * DESIGN.md rule 8: a password given in the connection URL — in the user-info and as
 * `?password=` — appears in no output, error, plan file or ledger row. Every command of the
 * plan/apply/ledger family runs with such a URL (as --database-url and as DATABASE_URL), through
 * success, refusal and failure, and everything it printed or wrote is searched.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { useTestDatabase } from './support/harness.js';
import { type CliRun, pendingSteps, planFiles, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

const USER_INFO_SECRET = 'h10-UserInfo-S3cret';
const QUERY_SECRET = 'h10-Query-S3cret';

/** The URL with a password in the user-info and another one as a query parameter. */
function withPasswords(url: string): string {
  const u = new URL(url);
  u.password = USER_INFO_SECRET;
  u.searchParams.set('password', QUERY_SECRET);
  return u.toString();
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of [USER_INFO_SECRET, QUERY_SECRET, 'S3cret']) {
    if (text.includes(secret)) throw new Error(`${where} contains the password "${secret}":\n${text}`);
  }
}

it('no output, error, plan file or ledger row carries the password', async () => {
  const { url, db } = database();
  const secretUrl = withPasswords(url);
  expect(secretUrl).toContain(USER_INFO_SECRET);
  expect(secretUrl).toContain(`password=${QUERY_SECRET}`);
  await db.exec("CREATE TABLE users (id serial PRIMARY KEY, legacy text); INSERT INTO users (legacy) VALUES ('x')");
  const runs: { what: string; run: CliRun }[] = [];
  const cli = async (what: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> => {
    const run = await runCli(args, work.dir, env);
    runs.push({ what, run });
    return run;
  };

  await writeSchema(
    work.dir,
    'users:\n  columns:\n    id: { type: serial }\n    legacy: { type: text }\n    name: { type: text, nullable: false }\n  primary_key: [id]\n',
  );
  // A failing apply (NOT NULL over existing rows): error output and a failed ledger row.
  expect((await cli('plan --out', ['plan', '--database-url', secretUrl, '--out', 'plans/'])).code).toBe(2);
  const [failingPlan] = await planFiles(work.dir);
  expect(
    (await cli('apply failing', ['apply', failingPlan!, '--database-url', secretUrl, '--allow-hazards', 'fails_on_existing_rows'])).code,
  ).toBe(1);
  expect((await cli('status failed', ['status', '--database-url', secretUrl])).code).toBe(3);

  // Stale: the database changed since the plan.
  await db.exec('DELETE FROM users');
  await writeSchema(
    work.dir,
    'users:\n  columns:\n    id: { type: serial }\n    name: { type: text, nullable: false }\n  primary_key: [id]\n',
  );
  expect((await cli('plan --out 2', ['plan', '--database-url', secretUrl, '--out', 'plans/second.plan.yaml'])).code).toBe(2);
  await db.exec('CREATE TABLE stray (x int)');
  expect((await cli('apply stale', ['apply', 'plans/second.plan.yaml', '--database-url', secretUrl, '--allow-hazards', 'all'])).code).toBe(
    3,
  );
  await db.exec('DROP TABLE stray');

  // Hazards refused, then allowed, with the URL in DATABASE_URL.
  expect((await cli('apply hazards', ['apply', 'plans/second.plan.yaml'], { DATABASE_URL: secretUrl })).code).toBe(3);
  expect((await cli('approve', ['approve', 'plans/second.plan.yaml', '--allow-hazards', 'all'])).code).toBe(0);
  expect((await cli('apply ok', ['apply', 'plans/second.plan.yaml', '--json'], { DATABASE_URL: secretUrl })).code).toBe(0);
  expect((await cli('apply again', ['apply', 'plans/second.plan.yaml', '--database-url', secretUrl])).code).toBe(3);
  expect((await cli('apply now', ['apply', '--approve', '--database-url', secretUrl])).code).toBe(0);

  expect((await cli('history', ['history', '--database-url', secretUrl])).code).toBe(0);
  expect((await cli('history --json', ['history', '--json', '--database-url', secretUrl])).code).toBe(0);
  expect((await cli('status --json', ['status', '--json', '--database-url', secretUrl])).code).toBe(0);
  expect((await cli('baseline', ['baseline', '--json', '--database-url', secretUrl])).code).toBe(0);

  // Errors that quote the URL: an unreachable server, a usage error.
  const down = withPasswords('postgres://postgres@127.0.0.1:1/nowhere');
  expect((await cli('apply unreachable', ['apply', '--approve', '--database-url', down])).code).toBe(1);
  expect((await cli('history unreachable', ['history', '--database-url', down])).code).toBe(1);
  expect((await cli('usage error', ['apply', '--database-url', secretUrl, '--retries', 'many'])).code).toBe(64);

  // Something was said, and it named the database with the password masked.
  expect(runs.find((r) => r.what === 'apply ok')!.run.stderr).toContain(':***@');
  for (const { what, run } of runs) {
    expectNoSecret(run.stdout, `stdout of ${what}`);
    expectNoSecret(run.stderr, `stderr of ${what}`);
  }
  const files = await planFiles(work.dir);
  expect(files).toHaveLength(2);
  for (const file of files) expectNoSecret(await readFile(file, 'utf8'), file);

  expect(await pendingSteps(db, join(work.dir, 'schema.yaml'))).toEqual([]);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ row: string }>('SELECT row_to_json(v)::text AS row FROM pgreconcile.versions v');
    expect(rows.map((r) => (JSON.parse(r.row) as { status: string }).status).sort()).toEqual(['applied', 'applied', 'failed']);
    const meta = await client.query<{ row: string }>('SELECT row_to_json(m)::text AS row FROM pgreconcile.ledger_meta m');
    for (const { row } of [...rows, ...meta.rows]) expectNoSecret(row, 'a ledger row');
    expect(rows.some(({ row }) => row.includes('"database":"postgres://postgres:***@'))).toBe(true);
  } finally {
    await client.end();
  }
});

const ROLE_SECRET = 'k18c-RolePassw0rd-S3cret';

/**
 * What a PostgreSQL server checks at a SCRAM login, against a stored verifier: node-postgres's
 * own client side of the exchange computes the proof from the password; the verifier's StoredKey
 * must accept it (RFC 5802: H(ClientProof XOR HMAC(StoredKey, AuthMessage)) = StoredKey).
 */
async function scramAccepts(verifier: string, password: string): Promise<boolean> {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (m === null) return false;
  const [, iterations, salt, storedKey] = m;
  const saslModule = 'pg/lib/crypto/sasl.js';
  const sasl = createRequire(import.meta.url)(saslModule) as {
    startSession(mechanisms: string[]): { clientNonce: string; response: string };
    continueSession(session: unknown, password: string, serverData: string): Promise<void>;
  };
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const serverFirst = `r=${session.clientNonce}server-nonce,s=${salt},i=${iterations}`;
  await sasl.continueSession(session, password, serverFirst);
  const final = session.response;
  const proof = Buffer.from(/,p=(.+)$/.exec(final)![1]!, 'base64');
  const auth = `n=*,r=${session.clientNonce},${serverFirst},${final.replace(/,p=.+$/, '')}`;
  const stored = Buffer.from(storedKey!, 'base64');
  const signature = createHmac('sha256', stored).update(auth).digest();
  const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
  return createHash('sha256').update(clientKey).digest().equals(stored);
}

it('a role password from password_env is in no output, plan file, error or ledger row, and is stored as a SCRAM verifier', async () => {
  const { url, db } = database();
  const role = `pgr_redact_role_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await db.exec('CREATE TABLE users (id integer PRIMARY KEY); INSERT INTO users VALUES (1)');
    const runs: { what: string; run: CliRun }[] = [];
    const cli = async (what: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> => {
      const run = await runCli(args, work.dir, env);
      runs.push({ what, run });
      return run;
    };
    const withPassword = { PGR_REDACT_ROLE_PW: ROLE_SECRET };
    const roles = `manage_roles: true\nroles:\n  ${role}: { login: true, connection_limit: 3, password_env: PGR_REDACT_ROLE_PW }\n`;
    const table = (extra: string): string =>
      `version: 1\n${roles}schemas:\n  public:\n    tables:\n      users:\n        grants:\n          ${role}: [select]\n        columns:\n          id: { type: integer }\n${extra}        primary_key: [id]\n`;

    // A plan whose later step fails (NOT NULL over a row) after the password step, in its transaction.
    await writeFile(join(work.dir, 'schema.yaml'), table('          name: { type: text, nullable: false }\n'));
    expect((await cli('plan --json', ['plan', '--database-url', url, '--json'])).code).toBe(2);
    const out = await cli('plan --out', ['plan', '--database-url', url, '--out', 'plans/']);
    expect(out.code, out.stderr).toBe(2);
    const [failingPlan] = await planFiles(work.dir);
    const planned = await readFile(failingPlan!, 'utf8');
    expect(planned).toContain('PASSWORD <from $PGR_REDACT_ROLE_PW>');
    // Without the variable: refused before anything runs, naming it.
    const missing = await cli('apply without the variable', ['apply', failingPlan!, '--database-url', url, '--allow-hazards', 'all']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('$PGR_REDACT_ROLE_PW');
    expect((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount).toBe(0);
    const failing = await cli(
      'apply failing',
      ['apply', failingPlan!, '--database-url', url, '--allow-hazards', 'all', '--json'],
      withPassword,
    );
    expect(failing.code).toBe(1);
    expect((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount).toBe(0);

    // The same without the failing column: applied, then nothing left to do.
    await writeFile(join(work.dir, 'schema.yaml'), table(''));
    expect((await cli('plan', ['plan', '--database-url', url])).code).toBe(2);
    expect((await cli('apply', ['apply', '--approve', '--database-url', url, '--json'], withPassword)).code).toBe(0);
    expect((await cli('plan again', ['plan', '--database-url', url], withPassword)).code).toBe(0);
    expect((await cli('history --json', ['history', '--json', '--database-url', url])).code).toBe(0);
    expect((await cli('status --json', ['status', '--json', '--database-url', url])).code).toBe(0);
    expect(await pendingSteps(db, join(work.dir, 'schema.yaml'))).toEqual([]);

    for (const { what, run } of runs) {
      for (const text of [run.stdout, run.stderr])
        if (text.includes(ROLE_SECRET) || text.includes('S3cret')) throw new Error(`output of ${what} holds the role password:\n${text}`);
    }
    for (const file of await planFiles(work.dir)) expect(await readFile(file, 'utf8')).not.toContain(ROLE_SECRET);
    const ledger = await admin.query<{ row: string }>(
      `SELECT row_to_json(v)::text AS row FROM pgreconcile.versions v
       UNION ALL SELECT row_to_json(m)::text FROM pgreconcile.ledger_meta m
       UNION ALL SELECT row_to_json(d)::text FROM pgreconcile.drift_checks d
       UNION ALL SELECT row_to_json(c)::text FROM pgreconcile.data_changes c`,
    );
    expect(
      ledger.rows
        .map((r) => (JSON.parse(r.row) as { status?: string }).status)
        .filter(Boolean)
        .sort(),
    ).toEqual(['applied', 'failed']);
    for (const { row } of ledger.rows) {
      expect(row).not.toContain(ROLE_SECRET);
      expect(row).not.toContain('SCRAM-SHA-256$');
    }
    expect(ledger.rows.some(({ row }) => row.includes('PASSWORD <from $PGR_REDACT_ROLE_PW>'))).toBe(true);

    // Stored as a verifier (superuser view: pg_authid), which accepts the password and no other.
    const { rows } = await admin.query<{ rolpassword: string | null; rolcanlogin: boolean; rolconnlimit: number }>(
      'SELECT rolpassword, rolcanlogin, rolconnlimit FROM pg_authid WHERE rolname = $1',
      [role],
    );
    expect(rows[0]).toMatchObject({ rolcanlogin: true, rolconnlimit: 3 });
    const verifier = rows[0]!.rolpassword!;
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(verifier).not.toContain(ROLE_SECRET);
    expect(await scramAccepts(verifier, ROLE_SECRET)).toBe(true);
    expect(await scramAccepts(verifier, 'not-the-password')).toBe(false);
  } finally {
    await admin.query(`DROP OWNED BY ${JSON.stringify(role)}`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${JSON.stringify(role)}`);
    await admin.end();
  }
});
