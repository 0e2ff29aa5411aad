/**
 * pg_dump, where one is installed: the rehearsal copies the target's whole schema with
 * `pg_dump --schema-only` (every object, managed by pgreconcile or not). The tool is looked for
 * in $PGRECONCILE_PG_DUMP, on PATH and in the usual install folders; the one used is the oldest
 * whose major version is at least the server's (pg_dump refuses a newer server, and a much newer
 * pg_dump writes SQL for its own version). The password never reaches the command line: it goes
 * to pg_dump through PGPASSWORD.
 */
import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isUrlForm, parseKeyValueString, redactConnectionStrings, redactSecrets, secretsOf } from './redact.js';

/** A pg_dump binary and its version. */
export interface PgDumpTool {
  readonly path: string;
  /** `pg_dump (PostgreSQL) 15.20`, as it says. */
  readonly version: string;
  readonly major: number;
}

/** Where to look besides PATH: Debian/Ubuntu, RHEL (PGDG), Homebrew. */
const INSTALL_DIRS: readonly { readonly parent: string; readonly bin: (entry: string) => string }[] = [
  { parent: '/usr/lib/postgresql', bin: (e) => join('/usr/lib/postgresql', e, 'bin') },
  { parent: '/usr', bin: (e) => (/^pgsql-\d+$/.test(e) ? join('/usr', e, 'bin') : '') },
  { parent: '/opt/homebrew/opt', bin: (e) => (/^postgresql(@\d+)?$/.test(e) ? join('/opt/homebrew/opt', e, 'bin') : '') },
  { parent: '/usr/local/opt', bin: (e) => (/^postgresql(@\d+)?$/.test(e) ? join('/usr/local/opt', e, 'bin') : '') },
];

function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { env: options.env ?? process.env, timeout: options.timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error (its type Omits `code` from ErrnoException)
        if (error) reject(Object.assign(error, { stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function candidates(): Promise<string[]> {
  // Versioned install folders first: on Debian /usr/bin/pg_dump is a wrapper that picks a version itself.
  const found: string[] = [];
  for (const { parent, bin } of INSTALL_DIRS) {
    const entries = await readdir(parent).catch(() => [] as string[]);
    for (const e of entries) {
      const dir = bin(e);
      if (dir !== '') found.push(join(dir, 'pg_dump'));
    }
  }
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) if (dir !== '') found.push(join(dir, 'pg_dump'));
  return [...new Set(found)];
}

async function probe(path: string): Promise<PgDumpTool | undefined> {
  if (!(await executable(path))) return undefined;
  try {
    const { stdout } = await run(path, ['--version'], { timeoutMs: 10_000 });
    const version = stdout.trim().split('\n')[0] ?? '';
    const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(version)?.[1]);
    return Number.isInteger(major) ? { path, version: version.replace(/\s*\([^()]*\)\s*$/, '').trim() || version, major } : undefined;
  } catch {
    return undefined;
  }
}

let installed: Promise<PgDumpTool[]> | undefined;

/** Every pg_dump found (probed once per process), oldest first. */
function installedTools(): Promise<PgDumpTool[]> {
  installed ??= (async () => {
    const tools = (await Promise.all((await candidates()).map(probe))).filter((t): t is PgDumpTool => t !== undefined);
    const byVersion = new Map<string, PgDumpTool>();
    for (const t of tools) if (!byVersion.has(t.version)) byVersion.set(t.version, t);
    return [...byVersion.values()].sort((a, b) => a.major - b.major);
  })();
  return installed;
}

/** The pg_dump to use for a server of major version `serverMajor`, or why there is none. */
export type PgDumpChoice = { readonly kind: 'found'; readonly tool: PgDumpTool } | { readonly kind: 'none'; readonly why: string };

/**
 * Finds the pg_dump for a server: `explicit` (a path, or `none` to use none), else the oldest
 * installed one whose major version is at least `serverMajor`.
 *
 * @example
 * const choice = await findPgDump(15);
 * if (choice.kind === 'found') console.log(choice.tool.version); // 'pg_dump (PostgreSQL) 15.20'
 */
export async function findPgDump(serverMajor: number, explicit?: string): Promise<PgDumpChoice> {
  if (explicit !== undefined && explicit.trim() !== '') {
    if (explicit.trim().toLowerCase() === 'none') return { kind: 'none', why: 'PGRECONCILE_PG_DUMP=none' };
    const tool = await probe(explicit.trim());
    if (tool === undefined) return { kind: 'none', why: `PGRECONCILE_PG_DUMP=${explicit.trim()} is not a pg_dump that runs` };
    if (tool.major < serverMajor)
      return { kind: 'none', why: `${tool.version} (PGRECONCILE_PG_DUMP) is older than the server (PostgreSQL ${serverMajor})` };
    return { kind: 'found', tool };
  }
  const tools = await installedTools();
  const fit = tools.find((t) => t.major >= serverMajor);
  if (fit !== undefined) return { kind: 'found', tool: fit };
  if (tools.length === 0)
    return { kind: 'none', why: 'no pg_dump is installed (on PATH or in /usr/lib/postgresql/*/bin); set PGRECONCILE_PG_DUMP to one' };
  return {
    kind: 'none',
    why: `the pg_dump installed (${tools.map((t) => t.version).join(', ')}) is older than the server (PostgreSQL ${serverMajor}); install pg_dump ${serverMajor} or newer, or set PGRECONCILE_PG_DUMP`,
  };
}

/**
 * A libpq connection string without its password, and the password apart (for PGPASSWORD).
 *
 * @example
 * splitPassword('postgres://app:s%40cret@db/app') // { conninfo: 'postgres://app@db/app', password: 's@cret' }
 */
export function splitPassword(connectionString: string): { readonly conninfo: string; readonly password?: string } {
  if (isUrlForm(connectionString)) {
    const url = new URL(connectionString.trim());
    let password = url.password !== '' ? decodeURIComponent(url.password) : undefined;
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (key.toLowerCase() === 'password') {
        password = url.searchParams.get(key) ?? password;
        url.searchParams.delete(key);
      }
    }
    return { conninfo: url.toString(), ...(password !== undefined ? { password } : {}) };
  }
  let password: string | undefined;
  const kept: string[] = [];
  for (const kv of parseKeyValueString(connectionString)) {
    if (kv.key === 'password') password = kv.value;
    else kept.push(`${kv.key}='${kv.value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`);
  }
  return { conninfo: kept.join(' '), ...(password !== undefined ? { password } : {}) };
}

/** What part of the schema to dump: all of it, or the part before or after the data. */
export type DumpSection = 'all' | 'pre-data' | 'post-data';

/**
 * `pg_dump --schema-only` of the database at `connectionString`, as SQL text: no owners, no
 * privileges, no subscriptions or publications, no tablespaces or security labels, and not the
 * schemas in `excludeSchemas`. Throws with pg_dump's message (passwords masked) when it fails.
 *
 * @example
 * const sql = await dumpSchema(tool, 'postgres://app@db/app', { excludeSchemas: ['pgreconcile'] });
 */
export async function dumpSchema(
  tool: PgDumpTool,
  connectionString: string,
  options: { readonly section?: DumpSection; readonly excludeSchemas?: readonly string[]; readonly timeoutMs?: number } = {},
): Promise<string> {
  const { conninfo, password } = splitPassword(connectionString);
  const args = [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--no-subscriptions',
    '--no-publications',
    '--no-security-labels',
    '--no-tablespaces',
    // Never queue behind an ACCESS EXCLUSIVE lock on a busy database: fail, and say so.
    '--lock-wait-timeout=10000',
    ...(options.section !== undefined && options.section !== 'all' ? [`--section=${options.section}`] : []),
    ...(options.excludeSchemas ?? []).map((s) => `--exclude-schema=${s}`),
    `--dbname=${conninfo}`,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGAPPNAME: 'pgreconcile (rehearsal copy)',
    PGCONNECT_TIMEOUT: process.env['PGCONNECT_TIMEOUT'] ?? '15',
  };
  if (password !== undefined) env['PGPASSWORD'] = password;
  try {
    return (await run(tool.path, args, { env, timeoutMs: options.timeoutMs ?? 300_000 })).stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const message = stderr !== '' ? stderr.split('\n').slice(0, 3).join('; ') : (error as Error).message;
    throw new Error(redactSecrets(redactConnectionStrings(`${tool.version} failed: ${message}`), secretsOf(connectionString)));
  }
}
