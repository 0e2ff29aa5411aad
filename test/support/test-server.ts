/**
 * Finding a PostgreSQL server for the test suite, once per run (from global-setup.ts).
 *
 * In order: `PGRECONCILE_TEST_URL`; a server answering on 127.0.0.1:5432 as user postgres;
 * testcontainers with a pgvector image where a Docker engine runs; a throwaway cluster made
 * with `initdb`/`pg_ctl`. `PGRECONCILE_TEST_SOURCE=local|testcontainers|initdb` forces one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';
import { redactSecrets, redactUrl, secretsOf } from '../../src/db/redact.js';

export type TestServerSource = 'env' | 'local' | 'testcontainers' | 'initdb';

/** What the workers learn about the server (serialisable: passed through vitest's provide/inject). */
export interface TestServerInfo {
  readonly source: TestServerSource;
  /** A URL of a role allowed to create databases, on its maintenance database. */
  readonly adminUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup.ts; read with `testServerInfo()` from ./harness.ts. */
    pgreconcileTestServer: TestServerInfo;
    /**
     * Where the run keeps a fresh PGlite database's files once one worker has made them (set by
     * global-setup.ts; read by ./harness.ts): later workers load them instead of running initdb.
     */
    pgreconcilePgliteTemplate: string | null;
  }
}

export interface TestServer extends TestServerInfo {
  /** Stop what was started for the run (container, cluster); a no-op for servers found running. */
  stop(): Promise<void>;
}

export const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const TESTCONTAINERS_IMAGE = 'pgvector/pgvector:pg17';

type Attempt = { readonly server: TestServer } | { readonly skipped: string };

const noStop = async (): Promise<void> => undefined;

/** The first server that works, or an error listing why each way was skipped. */
export async function findTestServer(env: NodeJS.ProcessEnv = process.env): Promise<TestServer> {
  const envUrl = env['PGRECONCILE_TEST_URL']?.trim();
  if (envUrl) {
    const problem = await probe(envUrl, 10_000);
    if (problem !== undefined) {
      const shown = redactUrl(envUrl);
      throw new Error(`PGRECONCILE_TEST_URL=${shown} does not answer: ${redactSecrets(problem, secretsOf(envUrl))}`);
    }
    return { source: 'env', adminUrl: envUrl, stop: noStop };
  }

  const forced = env['PGRECONCILE_TEST_SOURCE']?.trim();
  const ways: Record<Exclude<TestServerSource, 'env'>, () => Promise<Attempt>> = {
    local: tryLocal,
    testcontainers: tryTestcontainers,
    initdb: tryInitdb,
  };
  if (forced !== undefined && forced !== '' && !(forced in ways)) {
    throw new Error(`PGRECONCILE_TEST_SOURCE="${forced}": expected one of ${Object.keys(ways).join(', ')}`);
  }
  const order = forced ? [forced as keyof typeof ways] : (Object.keys(ways) as (keyof typeof ways)[]);
  const reasons: string[] = [];
  for (const way of order) {
    const attempt = await ways[way]();
    if ('server' in attempt) return attempt.server;
    reasons.push(`- ${way}: ${attempt.skipped}`);
  }
  throw new Error(
    [
      'No PostgreSQL server for the tests. Tried:',
      ...reasons,
      'Provide one of: PGRECONCILE_TEST_URL=postgres://user:password@host:port/postgres (a role that may CREATE DATABASE);',
      'a server on 127.0.0.1:5432 accepting user postgres; a running Docker engine (testcontainers);',
      'or PostgreSQL binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/<version>/bin.',
    ].join('\n'),
  );
}

/** `undefined` when `url` answers `select 1`, else why not. */
export async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function tryLocal(): Promise<Attempt> {
  const problem = await probe(LOCAL_ADMIN_URL, 3_000);
  return problem === undefined
    ? { server: { source: 'local', adminUrl: LOCAL_ADMIN_URL, stop: noStop } }
    : { skipped: `${LOCAL_ADMIN_URL} does not answer (${problem})` };
}

// ---------------------------------------------------------------------------------------------
// testcontainers

/** Where a Docker engine's socket may be; the first one present counts as "Docker runs". */
function dockerSocketCandidates(env: NodeJS.ProcessEnv): string[] {
  const home = homedir();
  const runtime = env['XDG_RUNTIME_DIR'];
  return [
    '/var/run/docker.sock',
    '/run/docker.sock',
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(home, '.colima', 'default', 'docker.sock'),
    join(home, '.rd', 'docker.sock'),
    ...(runtime ? [join(runtime, 'docker.sock'), join(runtime, 'podman', 'podman.sock')] : []),
  ];
}

/** Why there is no Docker engine to talk to, or `undefined` when one may be there. */
async function noDockerReason(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env['DOCKER_HOST'] || env['TESTCONTAINERS_HOST_OVERRIDE']) return undefined;
  const properties = join(homedir(), '.testcontainers.properties');
  if (existsSync(properties) && /docker\.host\s*=/.test(await readFile(properties, 'utf8').catch(() => ''))) {
    return undefined;
  }
  const sockets = dockerSocketCandidates(env);
  if (sockets.some((path) => existsSync(path))) return undefined;
  return `no Docker engine (DOCKER_HOST unset, no socket at ${sockets.join(', ')})`;
}

async function tryTestcontainers(): Promise<Attempt> {
  const reason = await noDockerReason(process.env);
  if (reason !== undefined) return { skipped: reason };
  try {
    // Imported lazily: loading testcontainers is slow, and it is only needed here.
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await withTimeout(new PostgreSqlContainer(TESTCONTAINERS_IMAGE).start(), 300_000, `starting ${TESTCONTAINERS_IMAGE}`);
    return {
      server: {
        source: 'testcontainers',
        adminUrl: container.getConnectionUri(),
        stop: async () => {
          await container.stop().catch(() => undefined);
        },
      },
    };
  } catch (error) {
    return { skipped: `could not start ${TESTCONTAINERS_IMAGE}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// initdb / pg_ctl

/** Directories holding PostgreSQL server binaries: PATH first, then /usr/lib/postgresql/<newest>/bin. */
async function binaryDirs(): Promise<string[]> {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return [...dirs, ...versions.map((v) => join(root, v, 'bin'))];
}

/** initdb and the pg_ctl of the same installation. */
async function findServerBinaries(): Promise<{ initdb: string; pgCtl: string } | undefined> {
  for (const dir of await binaryDirs()) {
    const initdb = join(dir, 'initdb');
    if (!existsSync(initdb)) continue;
    // A symlink on PATH (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): use its real folder.
    const realDir = dirname(realpathSync(initdb));
    for (const candidate of [join(realDir, 'pg_ctl'), join(dir, 'pg_ctl')]) {
      if (existsSync(candidate)) return { initdb: join(realDir, 'initdb'), pgCtl: candidate };
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface RunAs {
  /** The command line to spawn for `argv`, as the OS user that owns the cluster. */
  wrap(argv: readonly string[]): { command: string; args: string[] };
  readonly uid?: number;
  readonly gid?: number;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** How to run the server binaries: directly, or (as root, which initdb refuses) as user postgres. */
function runAs(): RunAs | { skipped: string } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { wrap: (argv) => ({ command: argv[0] ?? '', args: argv.slice(1) }) };
  }
  const id = (flag: string): number | undefined => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return out.status === 0 ? Number(out.stdout.trim()) : undefined;
  };
  const uid = id('-u');
  const gid = id('-g');
  if (uid === undefined || gid === undefined) {
    return { skipped: 'running as root and there is no "postgres" OS user to run initdb as (initdb refuses root)' };
  }
  const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (has('runuser')) {
    return { uid, gid, wrap: (argv) => ({ command: 'runuser', args: ['-u', 'postgres', '--', ...argv] }) };
  }
  if (has('su')) {
    return { uid, gid, wrap: (argv) => ({ command: 'su', args: ['postgres', '-s', '/bin/sh', '-c', argv.map(shellQuote).join(' ')] }) };
  }
  return { skipped: 'running as root without runuser or su to run initdb as user postgres' };
}

function run(how: RunAs, argv: readonly string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const { command, args } = how.wrap(argv);
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolveRun({ code: -1, output: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? -1, output });
    });
  });
}

async function tryInitdb(): Promise<Attempt> {
  const started = await startThrowawayCluster();
  if ('skipped' in started) return started;
  return { server: { source: 'initdb', adminUrl: started.adminUrl, stop: () => started.stop() } };
}

/** A cluster of a test's own, started with `initdb` and `pg_ctl`. */
export interface ThrowawayCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly adminUrl: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway cluster (initdb + pg_ctl of the newest installed PostgreSQL, in a temp
 * folder, on a free port), with `settings` as server options (`-c name=value`): for a test that
 * needs server settings the shared server must not be given (a small max_locks_per_transaction).
 * `{ skipped }` says why there is none.
 *
 * @example
 * const cluster = await startThrowawayCluster({ max_locks_per_transaction: '10' });
 * if ('skipped' in cluster) return;
 * try { … } finally { await cluster.stop(); }
 */
export async function startThrowawayCluster(
  settings: Readonly<Record<string, string>> = {},
): Promise<ThrowawayCluster | { readonly skipped: string }> {
  const binaries = await findServerBinaries();
  if (binaries === undefined) return { skipped: 'no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin' };
  const how = runAs();
  if ('skipped' in how) return { skipped: how.skipped };

  const dir = await mkdtemp(join(tmpdir(), 'pgreconcile-test-cluster-'));
  const data = join(dir, 'data');
  if (how.uid !== undefined && how.gid !== undefined) await chown(dir, how.uid, how.gid);
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };

  const init = await run(
    how,
    [binaries.initdb, '-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    120_000,
  );
  if (init.code !== 0) {
    await cleanup();
    return { skipped: `${binaries.initdb} failed: ${init.output.trim().split('\n').slice(-3).join(' ')}` };
  }

  const port = await freePort();
  const extra = Object.entries(settings)
    .map(([name, value]) => ` -c ${name}=${value}`)
    .join('');
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off${extra}`;
  const start = await run(
    how,
    [binaries.pgCtl, '-D', data, '-l', join(dir, 'server.log'), '-o', serverOptions, '-w', '-t', '60', 'start'],
    90_000,
  );
  if (start.code !== 0) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await cleanup();
    return { skipped: `pg_ctl start failed: ${(start.output + log).trim().split('\n').slice(-3).join(' ')}` };
  }

  const stopArgv = [binaries.pgCtl, '-D', data, '-m', 'immediate', '-w', 'stop'];
  // If the run dies without its teardown, stop the cluster on the way out.
  const onExit = (): void => {
    const { command, args } = how.wrap(stopArgv);
    spawnSync(command, args, { stdio: 'ignore' });
  };
  process.once('exit', onExit);

  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', onExit);
      await run(how, stopArgv, 60_000);
      await cleanup();
    },
  };
}
