/**
 * DESIGN.md rule 8: a password given in the connection URL — in the user-info and as
 * `?password=` — appears in no output, error, plan file or ledger row. Every command of the
 * plan/apply/ledger family runs with such a URL (as --database-url and as DATABASE_URL), through
 * success, refusal and failure, and everything it printed or wrote is searched.
 */
import { readFile } from 'node:fs/promises';
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
