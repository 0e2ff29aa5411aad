/**
 * Helpers for the apply, ledger and redaction tests: run the compiled `pgreconcile` as a child
 * process (as a user does), write schema files, and read the ledger.
 */
import { afterEach, beforeEach } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/db/db.js';
import { loadDesiredState } from '../../src/desired/index.js';
import { planDatabase } from '../../src/plan-database.js';

export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'pgreconcile.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `pgreconcile`: its output so far, and its end. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => { stdout: string; stderr: string };
  readonly done: Promise<CliRun>;
}

/**
 * Starts `pgreconcile <args>` in `cwd` (DATABASE_URL cleared unless given in `env`).
 *
 * @example const p = startCli(['apply', '--approve', '-d', url], dir); const r = await p.done;
 */
export function startCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', PGRECONCILE_DEBUG: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Runs `pgreconcile <args>` to its end. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, cwd, env).done;
}

/** A fresh working folder; `cleanup()` removes it. */
export async function workFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pgr-apply-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh working folder for each test of the calling file (vitest hooks): `work.dir` is the
 * current test's, removed after it.
 *
 * @example
 * const work = useWorkFolder();
 * it('plans', async () => { await writeSchema(work.dir, USERS); });
 */
export function useWorkFolder(): { readonly dir: string } {
  let current: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await workFolder();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return {
    get dir(): string {
      if (current === undefined) throw new Error('useWorkFolder: the folder exists only while a test runs');
      return current.dir;
    },
  };
}

/** Writes `schema.yaml` (or `name`) with the given lines for schema `public`'s tables. */
export async function writeSchema(dir: string, tablesYaml: string, name = 'schema.yaml'): Promise<string> {
  const body = [
    'version: 1',
    'schemas:',
    '  public:',
    '    tables:',
    ...tablesYaml
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `      ${l}`),
    '',
  ];
  const path = join(dir, name);
  await writeFile(path, body.join('\n'));
  return path;
}

/** `pgreconcile plan --out plans/` in `dir`; returns the plan file's path. */
export async function planToFile(url: string, dir: string, schema = 'schema.yaml'): Promise<string> {
  const r = await runCli(['plan', '--database-url', url, '--schema', schema, '--out', 'plans/'], dir);
  if (r.code !== 2) throw new Error(`plan --out exited ${r.code}: ${r.stderr}`);
  const line = /Plan written to (\S+)/.exec(r.stderr)?.[1];
  if (line === undefined) throw new Error(`plan --out did not say where it wrote: ${r.stderr}`);
  return join(dir, line);
}

/** The plan files in `dir/plans`. */
export async function planFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'plans')).catch(() => [])).map((f) => join(dir, 'plans', f));
}

/** Steps of a plan from the schema file against the database now (the library, no child process). */
export async function pendingSteps(db: Db, schemaPath: string): Promise<readonly string[]> {
  const { plan } = await planDatabase(db, await loadDesiredState(schemaPath));
  return plan.steps.map((s) => s.sql);
}

/** Whether a relation exists. */
export async function relationExists(db: Db, name: string): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return rows[0]?.present === true;
}

/** Whether a column exists in public.<table>. */
export async function columnExists(db: Db, table: string, column: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return rows[0]?.n === 1;
}

/**
 * How long a test waits for something that must happen (a check line, a lock, a prompt) before
 * it calls it a hang: generous, so that a busy machine is slow, never wrong. A guard, not a
 * measure: no test asserts how fast anything is.
 */
export const PATIENCE_MS = 120_000;

/** Polls `check` every 50 ms until it is true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
