/**
 * Scheduled drift (`drift --every 1s`) as a user runs it (the compiled bin, a child process)
 * against a real server: one line per check, a state change posted exactly once to a local
 * webhook, a webhook answering 500 never stops the loop, SIGTERM ends it with exit 0, and a
 * connection killed between checks gives one `error` check and then a recovery.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { useTestDatabase } from './support/harness.js';
import { type CliProcess, startCli, useWorkFolder, waitFor, writeSchema, PATIENCE_MS } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();
let server: Server | undefined;
let running: CliProcess | undefined;

afterEach(async () => {
  if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  running = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

interface Hook {
  readonly url: string;
  readonly bodies: Record<string, unknown>[];
  attempts: number;
}

/** A local webhook answering `status` to every POST; remembers the bodies it accepted. */
async function startHook(status: number): Promise<Hook> {
  const hook: Hook = { url: '', bodies: [], attempts: 0 };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hook.attempts++;
      if (status === 200) hook.bodies.push(JSON.parse(body) as Record<string, unknown>);
      res.statusCode = status;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(hook, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/drift?token=abc` });
}

async function applyUsers(url: string): Promise<void> {
  await writeSchema(work.dir, 'users:\n  columns:\n    id: { type: serial }\n    email: { type: text }\n  primary_key: [id]\n');
  const io: Io = { out: () => undefined, err: () => undefined, isTTY: false, cwd: work.dir, env: {} };
  expect(await main(['apply', '--approve', '--database-url', url], io)).toBe(0);
}

const lines = (p: CliProcess): string[] =>
  p
    .output()
    .stdout.split('\n')
    .filter((l) => l.length > 0);
const count = (p: CliProcess, state: string): number => lines(p).filter((l) => l.includes(` ${state}`)).length;

describe('drift --every 1s', () => {
  it('prints one line per check, posts a state change exactly once, and ends on SIGTERM with exit 0', async () => {
    const { url, db } = database();
    await applyUsers(url);
    const hook = await startHook(200);
    running = startCli(['drift', '--every', '1s', '--webhook', hook.url, '--database-url', url, '--record'], work.dir);
    const p = running;
    await waitFor(() => count(p, 'in_sync:') >= 2, PATIENCE_MS, 'two in-sync checks');
    expect(hook.attempts).toBe(0);
    await db.exec('ALTER TABLE users ADD COLUMN nickname text');
    await waitFor(() => count(p, 'drifted:') >= 3, PATIENCE_MS, 'three drifted checks');
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({
      state: 'drifted',
      drifted: [{ object: 'public.users.nickname', kind: 'column', change: 'added' }],
    });
    for (const line of lines(p))
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (in_sync|drifted): \d+ drifted, \d+ pending \(digest [0-9a-f]{8}\)$/);
    p.child.kill('SIGTERM');
    const done = await p.done;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('drift: stopped');
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pgreconcile.drift_checks WHERE state = 'drifted'");
    expect(rows[0]?.n).toBeGreaterThanOrEqual(3);
  });

  it('keeps checking when the webhook answers 500, and --exec gets the report on stdin', async () => {
    const { url, db } = database();
    await applyUsers(url);
    const hook = await startHook(500);
    const out = join(work.dir, 'exec-report.json');
    await writeFile(join(work.dir, 'hook.sh'), `cat > '${out}'\n`);
    running = startCli(
      ['drift', '--every', '1s', '--webhook', hook.url, '--exec', `sh '${join(work.dir, 'hook.sh')}'`, '--database-url', url],
      work.dir,
    );
    const p = running;
    await waitFor(() => count(p, 'in_sync:') >= 1, PATIENCE_MS, 'a first check');
    await db.exec('CREATE INDEX users_email_idx ON users (email)');
    await waitFor(() => p.output().stderr.includes('failed after 3 attempt(s): HTTP 500'), PATIENCE_MS, 'the webhook failure to be logged');
    const before = count(p, 'drifted:');
    await waitFor(() => count(p, 'drifted:') >= before + 2, PATIENCE_MS, 'two more checks after the failure');
    expect(hook.attempts).toBe(3);
    expect(p.output().stderr).toContain('/drift?***');
    expect(p.output().stderr).not.toContain('token=abc');
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({
      state: 'drifted',
      drifted: [{ object: 'public.users.users_email_idx', change: 'added' }],
    });
    p.child.kill('SIGINT');
    expect((await p.done).code).toBe(0);
  });

  it('a connection killed between checks: that check reports an error, the next one reconnects', async () => {
    const { url, db, name } = database();
    await applyUsers(url);
    running = startCli(['drift', '--every', '1s', '--database-url', url], work.dir);
    const p = running;
    await waitFor(() => count(p, 'in_sync:') >= 1, PATIENCE_MS, 'a first check');
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pgreconcile' AND pid <> pg_backend_pid()",
      [name],
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    await waitFor(() => count(p, 'error:') >= 1, PATIENCE_MS, 'an error check');
    const errorAt = lines(p).findIndex((l) => l.includes(' error: '));
    await waitFor(
      () =>
        lines(p)
          .slice(errorAt + 1)
          .some((l) => l.includes(' in_sync:')),
      PATIENCE_MS,
      'a recovered check',
    );
    expect(lines(p)[errorAt]).toMatch(/ error: .*(terminat|connection)/i);
    p.child.kill('SIGTERM');
    expect((await p.done).code).toBe(0);
  });
});
