/**
 * Issue 12, item 9: the smaller leaks and rough edges. Connection strings: another scheme than
 * postgres(ql):// and a malformed connect_timeout are refused (they used to be ignored, and a
 * `mysql://` URL reached PostgreSQL); a string without a scheme is printed without its password.
 * A webhook URL's user-info never appears in a message (it is sent as an Authorization header).
 * The failure message names the step a resume starts from (the first one not applied, not the one
 * that failed in a rolled-back transaction). A version whose verifying re-plan was not empty has
 * a status of its own, `mismatch`. (YAML tags, NUL and empty names: test/fixtures/invalid 54,
 * 55, 57; a read-only backup folder: test/backup-disk.test.ts.)
 */
import { createServer, type IncomingMessage } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../src/drift/check-drift.js';
import { notifyStateChange } from '../src/drift/drift-schedule.js';
import { planToFile, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();
const work = useWorkFolder();

const ONE_TABLE = 'a:\n  columns:\n    id: { type: integer }\n';

describe('connection strings', () => {
  it('refuses a scheme other than postgres:// or postgresql://, naming it, without the password', async () => {
    const { url } = database();
    await writeSchema(work.dir, ONE_TABLE);
    for (const scheme of ['mysql', 'http']) {
      const other = url.replace(/^postgres(ql)?:/, `${scheme}:`).replace('//postgres@', '//postgres:pw-in-url-9f3@');
      const r = await runCli(['plan', '--database-url', other], work.dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`unsupported scheme "${scheme}://"`);
      expect(r.stderr + r.stdout).not.toContain('pw-in-url-9f3');
    }
    expect((await runCli(['plan', '--database-url', url.replace(/^postgres:/, 'postgresql:')], work.dir)).code).toBe(2);
  });

  it('refuses a connect_timeout that is not whole seconds, and honours one that is', async () => {
    const { url } = database();
    await writeSchema(work.dir, ONE_TABLE);
    for (const bad of ['abc', '1.5', '-3']) {
      const r = await runCli(['plan', '--database-url', `${url}?connect_timeout=${bad}`], work.dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`invalid connect_timeout "${bad}"`);
    }
    const keyValue = await runCli(['plan', '--database-url', 'host=127.0.0.1 dbname=x connect_timeout=soon'], work.dir);
    expect(keyValue.code).toBe(1);
    expect(keyValue.stderr).toContain('invalid connect_timeout "soon"');
    expect((await runCli(['plan', '--database-url', `${url}?connect_timeout=10`], work.dir)).code).toBe(2);
  });

  it('prints a connection string written without a scheme without its password', async () => {
    await writeSchema(work.dir, ONE_TABLE);
    for (const text of ['postgres:hunter2-secret-71@127.0.0.1:5432/db', '//app:hunter2-secret-71@127.0.0.1/db']) {
      const r = await runCli(['plan', '--database-url', text], work.dir);
      expect(r.code).toBe(1);
      expect(r.stderr + r.stdout).not.toContain('hunter2-secret-71');
      expect(r.stderr).toContain('***');
    }
  });
});

describe('a webhook URL with user-info', () => {
  it('is sent as an Authorization header, and no message carries the credentials', async () => {
    const seen: { auth?: string; url?: string }[] = [];
    let status = 500;
    const server = createServer((req: IncomingMessage, res) => {
      seen.push({
        ...(req.headers.authorization !== undefined ? { auth: req.headers.authorization } : {}),
        ...(req.url !== undefined ? { url: req.url } : {}),
      });
      req.resume();
      req.on('end', () => {
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const report: DriftReport = {
      state: 'drifted',
      checkedAt: '2026-12-01T00:00:00.000Z',
      database: 'db',
      pending: [],
      drifted: [],
      digest: 'x',
    };
    const log: string[] = [];
    try {
      const webhook = `http://drift-bot:s3cret-token-55@127.0.0.1:${port}/hook?key=query-secret-66`;
      await notifyStateChange(report, { webhook, attempts: 2, retryDelayMs: 1, log: (line) => log.push(line) });
      expect(seen).toHaveLength(2);
      expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('drift-bot:s3cret-token-55').toString('base64')}`);
      expect(seen[0]!.url).toBe('/hook?key=query-secret-66');
      expect(log).toHaveLength(1);
      expect(log[0]).toContain(`webhook http://127.0.0.1:${port}/hook?*** failed after 2 attempt(s): HTTP 500`);
      status = 200;
      log.length = 0;
      await notifyStateChange(report, { webhook, attempts: 1, log: (line) => log.push(line) });
      expect(log).toEqual([]);
      // Unreachable: the error says so, without the credentials.
      await notifyStateChange(report, {
        webhook: 'http://drift-bot:s3cret-token-55@127.0.0.1:1/hook',
        attempts: 1,
        log: (line) => log.push(line),
      });
      expect(log).toHaveLength(1);
      for (const line of log) {
        expect(line).not.toContain('s3cret-token-55');
        expect(line).not.toContain('query-secret-66');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const usage = await runCli(['drift', '--every', '1m', '--webhook', 'ftp://bot:s3cret-token-55@example.com/x'], work.dir);
    expect(usage.stderr).toContain('--webhook must be an http:// or https:// URL');
    expect(usage.stderr).not.toContain('s3cret-token-55');
  });
});

describe('after a failed step', () => {
  it('names the step a resume continues from: the first one not applied', async () => {
    const { url, db } = database();
    // Step 1 and step 2 share a transaction; step 2 fails on the rows (a NOT NULL column without a
    // default on a table that has some): a resume can succeed once the rows are fixed.
    await db.exec('CREATE TABLE c (id integer); INSERT INTO c VALUES (1)');
    await writeSchema(work.dir, `${ONE_TABLE}c:\n  columns:\n    id: { type: integer }\n    n: { type: integer, nullable: false }\n`);
    const planPath = await planToFile(url, work.dir);
    const failed = await runCli(['apply', planPath, '--database-url', url, '--allow-hazards', 'fails_on_existing_rows'], work.dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('0 of 2 steps were applied');
    expect(failed.stderr).toContain(`\`pgreconcile apply --resume ${planPath}\` continues from step 1`);
    const json = await runCli(['apply', planPath, '--database-url', url, '--json', '--allow-hazards', 'fails_on_existing_rows'], work.dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ result: 'failed', failed_step: 2, resume_from_step: 1 });
  });
});

describe('a version whose verifying re-plan is not empty', () => {
  it('is recorded as mismatch, not applied; history and status say so', async () => {
    const { url, db } = database();
    // An event trigger outside pgreconcile comments every table created: the database then differs from the file.
    await db.exec(`
      CREATE SCHEMA hooks;
      CREATE FUNCTION hooks.sneaky() RETURNS event_trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
          EXECUTE format('COMMENT ON TABLE %s IS %L', r.object_identity, 'added behind the plan''s back');
        END LOOP;
      END $$;
      CREATE EVENT TRIGGER sneaky ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION hooks.sneaky();
    `);
    try {
      await writeFile(
        join(work.dir, 'schema.yaml'),
        `version: 1\nignore: ["hooks.*"]\nschemas:\n  public:\n    tables:\n      a:\n        columns:\n          id: { type: integer }\n`,
      );
      const applied = await runCli(['apply', '--approve', '--database-url', url], work.dir);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain('still differs from the desired state');
      const history = await runCli(['history', '--json', '--database-url', url], work.dir);
      const [version] = (JSON.parse(history.stdout) as { versions: { status: string; replan_steps: number; error: string }[] }).versions;
      expect(version).toMatchObject({ status: 'mismatch', replan_steps: 1 });
      expect(version!.error).toContain('still differs');
      const table = await runCli(['history', '--database-url', url], work.dir);
      expect(table.stdout).toMatch(/apply\s+mismatch\s+1\/1/);
      const status = await runCli(['status', '--database-url', url], work.dir);
      expect(status.code).toBe(3);
      expect(status.stdout).toContain('every step ran, but the database still differs');
    } finally {
      await db.exec('DROP EVENT TRIGGER sneaky');
    }
  });
});
