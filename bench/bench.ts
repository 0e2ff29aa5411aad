/**
 * `npm run bench`: pgreconcile's `plan` at N tables on a real PostgreSQL server, phase by phase
 * and end to end, against @pgkit/migra computing the same diff.
 *
 *   npm run bench                                   # 1,000 tables
 *   npm run bench -- --tables 100,1000,5000 --json  # all three sizes, JSON on stdout
 *
 * It creates its own databases `pgr_bench_*` on the server and drops them when done.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectPostgres } from '#pgreconcile/db/pg-db.js';
import { redactConnectionStrings, redactUrl } from '#pgreconcile/db/redact.js';
import { maxFileBytes } from '#pgreconcile/desired/limits.js';
import { toolVersion } from '#pgreconcile/version.js';
import { BenchServer, type BenchDatabase } from './bench-databases.js';
import { renderReport, type BenchReport, type ChildSummary, type MigraResult, type SizeResult } from './bench-report.js';
import { collectGarbage, median, RssSampler, runChild, timed, type ChildRun } from './measure.js';
import { migraCliPath, runMigra, type MigraRun } from './migra-runner.js';
import { planPhases, prepareParser, PHASES, type PhaseRun, type PhaseTimes } from './plan-phases.js';
import { generateBenchSchema } from './schema-generator.js';
import { benchDrift } from './drift-bench.js';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const MB = 1024 * 1024;

/** The benchmark's settings, from its command line. */
export interface BenchOptions {
  readonly tables: readonly number[];
  readonly databaseUrl: string;
  /** Measured runs per figure; undefined = 5 up to 1,000 tables, 3 above. */
  readonly runs?: number;
  /** Measured migra runs; undefined = 3 up to 1,000 tables, 1 above. */
  readonly migraRuns?: number;
  readonly migra: boolean;
  readonly migraTimeoutMs: number;
  readonly json: boolean;
  readonly keep: boolean;
}

const USAGE = `Usage: npm run bench -- [options]

Measures pgreconcile's plan at N generated tables (each: 9 columns, PK, CHECK, FK, 2 indexes,
a trigger) on a real PostgreSQL server, and @pgkit/migra computing the same diff.

Options:
  --tables N[,N...]     table counts (default 1000), e.g. --tables 100,1000,5000
  --database-url URL    admin URL of the server (default ${DEFAULT_ADMIN_URL});
                        databases pgr_bench_* are created there and dropped afterwards
  --runs N              measured runs per figure after a warm-up (default 5; 3 above 1,000 tables)
  --migra-runs N        measured migra runs (default 3; 1 above 1,000 tables, without warm-up)
  --migra-timeout S     give up on one migra run after S seconds (default 900)
  --no-migra            skip the comparison with @pgkit/migra
  --json                print the results as JSON on stdout (progress stays on stderr)
  --keep                keep the databases (their names are printed)
  -h, --help            this text
`;

/** Thrown for a bad command line; printed with the usage. */
class BenchUsageError extends Error {}

/**
 * Parses the benchmark's command line.
 *
 * @example parseBenchArgs(['--tables', '100,1000']).tables // [100, 1000]
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        tables: { type: 'string' },
        'database-url': { type: 'string' },
        runs: { type: 'string' },
        'migra-runs': { type: 'string' },
        'migra-timeout': { type: 'string' },
        'no-migra': { type: 'boolean' },
        json: { type: 'boolean' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v['help']) return 'help';
  const positive = (flag: string, text: string): number => {
    const n = Number(text.trim().replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`--${flag}: expected a positive integer, got "${text}"`);
    return n;
  };
  const str = (name: string): string | undefined => {
    const value = v[name];
    return typeof value === 'string' ? value : undefined;
  };
  const tablesText = str('tables') ?? '1000';
  const runs = str('runs');
  const migraRuns = str('migra-runs');
  return {
    tables: tablesText.split(',').map((t) => positive('tables', t)),
    databaseUrl: str('database-url') ?? process.env['PGRECONCILE_BENCH_URL'] ?? DEFAULT_ADMIN_URL,
    ...(runs !== undefined ? { runs: positive('runs', runs) } : {}),
    ...(migraRuns !== undefined ? { migraRuns: positive('migra-runs', migraRuns) } : {}),
    migra: v['no-migra'] !== true,
    migraTimeoutMs: positive('migra-timeout', str('migra-timeout') ?? '900') * 1000,
    json: v['json'] === true,
    keep: v['keep'] === true,
  };
}

const progress = (text: string): void => {
  process.stderr.write(`bench: ${text}\n`);
};

/** The repository root (dist-bench/bench.js → ..). */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Run as an executable, as `npx pgreconcile` runs it: through its shebang line (node and its flags). */
const CLI = join(ROOT, 'bin', 'pgreconcile.js');

/**
 * Runs the benchmark and returns its report.
 *
 * @example const report = await runBench({ ...defaults, tables: [100] });
 */
export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const loadStart = loadavg();
  const server = await BenchServer.connect(opts.databaseUrl);
  const scratch = await mkdtemp(join(tmpdir(), 'pgr-bench-'));
  const onSignal = (): void => {
    progress('interrupted: dropping the benchmark databases');
    void server.close(opts.keep).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const swept = await server.sweepLeftovers();
    if (swept.length > 0) progress(`dropped ${swept.length} database(s) left by earlier runs: ${swept.join(', ')}`);
    const serverVersion = await server.serverVersion();
    const migraCli = opts.migra ? migraCliPath() : undefined;
    if (opts.migra && migraCli === undefined) progress('@pgkit/migra is not installed (npm install): migra is skipped');

    const parserInitMs = await prepareParser();
    const startups: number[] = [];
    for (let i = 0; i < 4; i++) startups.push((await runChild(CLI, ['--version'], { timeoutMs: 60_000 })).ms);
    const cliStartupMs = median(startups.slice(1));

    const results: SizeResult[] = [];
    const failures: { tables: number; message: string }[] = [];
    for (const tables of opts.tables) {
      try {
        results.push(await benchSize(server, tables, scratch, opts, migraCli));
      } catch (error) {
        const message = redactConnectionStrings(error instanceof Error ? error.message : String(error));
        progress(`[${tables.toLocaleString('en-US')} tables] FAILED: ${message}`);
        failures.push({ tables, message });
      }
    }
    return {
      tool: 'pgreconcile',
      version: toolVersion(),
      node: process.version,
      server: serverVersion,
      cpus: availableParallelism(),
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString(),
      loadAverage: { start: loadStart, end: loadavg() },
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trimEnd().replace(/ --$/, ''),
      parserInitMs,
      cliStartupMs,
      results,
      failures,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.close(opts.keep);
    await rm(scratch, { recursive: true, force: true });
  }
}

async function benchSize(
  server: BenchServer,
  tables: number,
  scratch: string,
  opts: BenchOptions,
  migraCli: string | undefined,
): Promise<SizeResult> {
  const at = `[${tables.toLocaleString('en-US')} tables]`;
  const runs = opts.runs ?? (tables <= 1000 ? 5 : 3);

  progress(`${at} generating the schema`);
  const generated = await timed(() => ({
    plain: generateBenchSchema({ tables }),
    modified: generateBenchSchema({ tables, modified: true }),
  }));
  const { plain, modified } = generated.value;
  const yamlBytes = Buffer.byteLength(modified.yaml);
  if (yamlBytes > maxFileBytes) {
    throw new Error(
      `${at} the generated schema.yaml is ${(yamlBytes / MB).toFixed(1)} MiB, over the loader's ` +
        `${(maxFileBytes / MB).toFixed(0)} MiB limit (maxFileBytes in src/desired/load-yaml.ts)`,
    );
  }
  const schemaPath = join(scratch, `schema-${tables}.yaml`);
  await writeFile(schemaPath, modified.yaml);

  progress(`${at} creating and loading the live database`);
  const live = await server.create(`${tables}_live`);
  const loadLive = await timed(() => server.load(live, plain.sqlChunks));
  let target: BenchDatabase | undefined;
  let loadTarget: number | undefined;
  if (migraCli !== undefined) {
    progress(`${at} creating and loading the target database (for migra)`);
    target = await server.create(`${tables}_target`);
    loadTarget = (await timed(() => server.load(target as BenchDatabase, modified.sqlChunks))).ms;
  }

  try {
    // In-process phases.
    progress(`${at} in-process plan: warm-up + ${runs} runs`);
    const db = await connectPostgres(live.url, { applicationName: 'pgreconcile-bench' });
    const phaseRuns: PhaseRun[] = [];
    let peakRss = 0;
    let judgeFirstMs = 0;
    try {
      const judgeCache = join(scratch, `judge-cache-${tables}`);
      const warm = await planPhases(db, schemaPath, judgeCache);
      checkWarmUp(at, warm, plain.counts);
      judgeFirstMs = warm.times.judge;
      for (let i = 0; i < runs; i++) {
        collectGarbage();
        const sampler = new RssSampler(5);
        phaseRuns.push(await planPhases(db, schemaPath, judgeCache, () => sampler.sample()));
        sampler.stop();
        peakRss = Math.max(peakRss, sampler.peakBytes);
      }
    } finally {
      await db.close();
    }
    collectGarbage();
    const first = phaseRuns[0] as PhaseRun;
    const inProcessCpuMs = median(phaseRuns.map((r) => r.cpuMs));
    const phases = Object.fromEntries(PHASES.map((p) => [p, median(phaseRuns.map((r) => r.times[p]))])) as unknown as PhaseTimes;

    // The CLI, as a user runs it.
    progress(`${at} plan CLI: warm-up + ${runs} runs`);
    const cliArgs = ['plan', '--schema', schemaPath, '--database-url', live.url, '--json'];
    const cliTimeoutMs = 600_000;
    await runChild(CLI, cliArgs, { timeoutMs: cliTimeoutMs, cwd: scratch });
    const cliRuns: ChildRun[] = [];
    for (let i = 0; i < runs; i++) cliRuns.push(await runChild(CLI, cliArgs, { timeoutMs: cliTimeoutMs, cwd: scratch }));
    const planCli = { ...summarise(cliRuns), ...cliSteps(at, cliRuns) };
    progress(`${at} plan CLI cold: ${runs} runs, each in a fresh folder`);
    const coldRuns: ChildRun[] = [];
    for (let i = 0; i < runs; i++) {
      const fresh = await mkdtemp(join(tmpdir(), 'pgr-bench-cold-'));
      try {
        coldRuns.push(await runChild(CLI, cliArgs, { timeoutMs: cliTimeoutMs, cwd: fresh }));
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
    }
    const planCliCold = summarise(coldRuns);

    // migra on live → target.
    const migra = await benchMigra(at, tables, migraCli, live, target, opts);

    // Drift, after migra (the baseline writes the ledger schema into the live database).
    progress(`${at} drift check: baseline + warm-up + ${runs} runs`);
    const drift = await benchDrift(live.url, plain.yaml, schemaPath, join(scratch, `plain-${tables}.yaml`), runs);

    const ratio = migra.status === 'ok' ? migra.ms / planCli.ms : undefined;
    const coldRatio = migra.status === 'ok' ? migra.ms / planCliCold.ms : undefined;
    return {
      tables,
      live: first.live,
      enums: plain.counts.enums,
      yamlBytes,
      changedTables: modified.changedTables.length,
      setupMs: { generate: generated.ms, loadLive: loadLive.ms, ...(loadTarget !== undefined ? { loadTarget } : {}) },
      runs,
      phases,
      inProcessCpuMs,
      judgeFirstMs,
      changes: first.changes,
      steps: first.steps,
      catalogQueries: first.catalogQueries,
      inProcessPeakRssMb: peakRss / MB,
      planCli,
      planCliCold,
      ...(coldRatio !== undefined ? { coldRatio } : {}),
      migra,
      ...(ratio !== undefined ? { ratio } : {}),
      msPerTable: { planCli: planCli.ms / tables, inProcess: phases.total / tables },
      drift,
    };
  } finally {
    if (!opts.keep) {
      await server.drop(live);
      if (target !== undefined) await server.drop(target);
    } else {
      progress(`${at} kept databases: ${[live, target].flatMap((d) => (d ? [d.name] : [])).join(', ')}`);
    }
  }
}

/** The warm-up plan must see the generated schema and plan changes; otherwise the figures mean nothing. */
function checkWarmUp(at: string, warm: PhaseRun, expected: { readonly tables: number; readonly columns: number }): void {
  if (warm.live.tables !== expected.tables || warm.live.columns !== expected.columns) {
    progress(
      `${at} WARNING: introspection saw ${warm.live.tables} tables / ${warm.live.columns} columns, ` +
        `the generator made ${expected.tables} / ${expected.columns}`,
    );
  }
  if (warm.changes === 0) progress(`${at} WARNING: the plan of the modified schema is empty`);
}

function summarise(runs: readonly ChildRun[]): ChildSummary {
  const last = runs[runs.length - 1] as ChildRun;
  const rss = runs.flatMap((r) => (r.maxRssBytes !== undefined ? [r.maxRssBytes] : []));
  const cpu = runs.flatMap((r) => (r.cpuMs !== undefined ? [r.cpuMs] : []));
  return {
    ms: median(runs.map((r) => r.ms)),
    runsMs: runs.map((r) => r.ms),
    exitCode: last.code,
    ...(rss.length > 0 ? { maxRssMb: Math.max(...rss) / MB } : {}),
    ...(cpu.length > 0 ? { cpuMs: median(cpu) } : {}),
  };
}

/** The step count in the CLI's JSON output; warns when the CLI did not exit 2 (changes planned). */
function cliSteps(at: string, runs: readonly ChildRun[]): { steps?: number } {
  const last = runs[runs.length - 1] as ChildRun;
  if (last.code !== 2) {
    progress(`${at} WARNING: the plan CLI exited ${last.code ?? 'killed'} (expected 2): ${tail(last.stderr)}`);
  }
  try {
    const json = JSON.parse(last.stdout) as { summary?: { steps?: unknown } };
    const steps = json.summary?.steps;
    return typeof steps === 'number' ? { steps } : {};
  } catch {
    return {};
  }
}

async function benchMigra(
  at: string,
  tables: number,
  migraCli: string | undefined,
  live: BenchDatabase,
  target: BenchDatabase | undefined,
  opts: BenchOptions,
): Promise<MigraResult> {
  if (!opts.migra) return { status: 'skipped', reason: '--no-migra' };
  if (migraCli === undefined || target === undefined) return { status: 'skipped', reason: '@pgkit/migra is not installed' };
  const runs = opts.migraRuns ?? (tables <= 1000 ? 3 : 1);
  const warmUp = tables <= 1000;
  progress(`${at} migra: ${warmUp ? 'warm-up + ' : ''}${runs} run(s)`);
  const measured: MigraRun[] = [];
  for (let i = 0; i < runs + (warmUp ? 1 : 0); i++) {
    const run = await runMigra(migraCli, live.url, target.url, opts.migraTimeoutMs);
    if (run.timedOut) {
      progress(`${at} migra: gave up after ${opts.migraTimeoutMs / 1000} s`);
      return { status: 'timeout', timeoutMs: opts.migraTimeoutMs };
    }
    if (run.code !== 0) {
      const message = redactConnectionStrings(tail(run.stderr));
      progress(`${at} migra failed (exit ${run.code}): ${message}`);
      return { status: 'failed', exitCode: run.code, message };
    }
    if (!warmUp || i > 0) measured.push(run);
  }
  const last = measured[measured.length - 1] as MigraRun;
  if (last.statements === 0) progress(`${at} WARNING: migra printed no statement`);
  return { status: 'ok', statements: last.statements, ...summarise(measured) };
}

function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

async function cli(argv: readonly string[]): Promise<number> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
      return 1;
    }
    throw error;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.migra && migraCliPath() !== undefined) checkNodeRunsMigra();
  try {
    const report = await runBench(opts);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    return report.failures.length === 0 ? 0 : 1;
  } catch (error) {
    const message = redactConnectionStrings(error instanceof Error ? error.message : String(error));
    const server = redactUrl(opts.databaseUrl);
    process.stderr.write(`bench: ${message}${message.includes(server) ? '' : ` (server ${server})`}\n`);
    return 1;
  }
}

/** Fails early, with a clear message, when this node cannot load migra. */
function checkNodeRunsMigra(): void {
  const cliPath = migraCliPath() as string;
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(cliPath.replace(/command\.js$/, 'index.js'))})`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.status !== 0) progress(`WARNING: node ${process.version} cannot load @pgkit/migra: ${tail(probe.stderr ?? '')}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  void cli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
