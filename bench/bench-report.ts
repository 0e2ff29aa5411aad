/**
 * The benchmark's results: their shape (also the `--json` output) and the text tables.
 */
import type { LiveCounts, PhaseTimes } from './plan-phases.js';

/** A timed child process summarised over its runs. */
export interface ChildSummary {
  /** Median wall-clock ms. */
  readonly ms: number;
  /** Every measured run's ms, in order. */
  readonly runsMs: readonly number[];
  /** Exit code of the last run (null: killed after the timeout). */
  readonly exitCode: number | null;
  /** Highest peak RSS over the runs, MB; undefined when not measurable. */
  readonly maxRssMb?: number;
  /** Median CPU ms (user + system) of the child; undefined when not measurable. */
  readonly cpuMs?: number;
}

export type MigraResult =
  | ({ readonly status: 'ok'; readonly statements: number } & ChildSummary)
  | { readonly status: 'failed'; readonly exitCode: number | null; readonly message: string }
  | { readonly status: 'timeout'; readonly timeoutMs: number }
  | { readonly status: 'skipped'; readonly reason: string };

/** Everything measured at one size. */
export interface SizeResult {
  readonly tables: number;
  /** What introspection found in `live`. */
  readonly live: LiveCounts;
  readonly enums: number;
  readonly yamlBytes: number;
  readonly changedTables: number;
  /** Seconds spent creating the databases (not part of any figure). */
  readonly setupMs: { readonly generate: number; readonly loadLive: number; readonly loadTarget?: number };
  /** Measured runs per figure (after one warm-up). */
  readonly runs: number;
  /** Median ms per phase; `total` is the median of the runs' totals. */
  readonly phases: PhaseTimes;
  /** Median CPU ms of this process over a whole in-process plan. */
  readonly inProcessCpuMs: number;
  /** The judge in the warm-up run, its cache folder empty: what a first plan's judge costs (one run). */
  readonly judgeFirstMs: number;
  readonly changes: number;
  readonly steps: number;
  readonly catalogQueries: number;
  /** Peak RSS of the benchmark process over the measured in-process runs, MB. */
  readonly inProcessPeakRssMb: number;
  /**
   * `bin/pgreconcile.js plan --schema FILE --database-url URL --json`, run again in the same
   * folder: the desired state comes from `.pgreconcile/cache/` (what a developer re-planning gets).
   */
  readonly planCli: ChildSummary & { readonly steps?: number };
  /** The same command in a fresh folder each run: nothing cached (what a fresh CI checkout gets). */
  readonly planCliCold: ChildSummary;
  /** migra ms / cold pgreconcile plan CLI ms. */
  readonly coldRatio?: number;
  readonly migra: MigraResult;
  /** migra ms / pgreconcile plan CLI ms; undefined when migra did not finish. */
  readonly ratio?: number;
  readonly msPerTable: { readonly planCli: number; readonly inProcess: number };
  /** One in-process drift check (ledger, introspection, two diffs) after a baseline, against the modified file. */
  readonly drift?: { readonly ms: number; readonly runsMs: readonly number[]; readonly pending: number; readonly drifted: number };
}

export interface BenchReport {
  readonly tool: string;
  readonly version: string;
  readonly node: string;
  readonly server: string;
  readonly cpus: number;
  readonly platform: string;
  readonly date: string;
  readonly command: string;
  /** os.loadavg() (1, 5, 15 minutes) when the run started and ended: wall-clock figures mean little on a busy machine. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** Initialising the SQL parser (WebAssembly), once per process: part of every CLI run. */
  readonly parserInitMs: number;
  /** `bin/pgreconcile.js --version`: the fixed cost of starting the CLI. */
  readonly cliStartupMs: number;
  readonly results: readonly SizeResult[];
  /** Sizes that could not be measured, and why. */
  readonly failures: readonly { readonly tables: number; readonly message: string }[];
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mb = (n: number | undefined): string => (n === undefined ? 'n/a' : n.toFixed(0));

const loads = (l: readonly number[]): string => l.map((n) => n.toFixed(1)).join(' / ');

function cpuRatio(x: SizeResult): string {
  if (x.migra.status !== 'ok' || x.migra.cpuMs === undefined || x.planCli.cpuMs === undefined) return 'n/a';
  return `${(x.migra.cpuMs / x.planCli.cpuMs).toFixed(1)}x`;
}

/**
 * Aligned text table: the first column left-aligned, the others right-aligned.
 *
 * @example textTable(['a', 'b'], [['x', '1']]) // 'a  b\n-  -\nx  1'
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const optMs = (n: number | undefined): string => (n === undefined ? 'n/a' : ms(n));

function migraCells(m: MigraResult): [string, string, string, string] {
  switch (m.status) {
    case 'ok':
      return [ms(m.ms), optMs(m.cpuMs), mb(m.maxRssMb), int(m.statements)];
    case 'failed':
      return [`failed (exit ${m.exitCode ?? 'killed'})`, '', '', ''];
    case 'timeout':
      return [`> ${int(m.timeoutMs)}`, '', '', ''];
    case 'skipped':
      return ['skipped', '', '', ''];
    default: {
      const unknown: never = m;
      return unknown;
    }
  }
}

/**
 * The human-readable report: the schema measured, the phase timings, memory, the comparison
 * with migra, and the cost per table at each size (which must stay flat: linear growth).
 *
 * @example console.log(renderReport(report));
 */
export function renderReport(report: BenchReport): string {
  const r = report.results;
  const out: string[] = [];
  out.push(
    `pgreconcile ${report.version} plan benchmark — ${report.date}`,
    `${report.server}`,
    `Node ${report.node}, ${report.cpus} CPUs, ${report.platform}`,
    `Command: ${report.command}`,
    `Medians after one warm-up run; parser init ${ms(report.parserInitMs)} ms (once per process), CLI start (--version) ${ms(report.cliStartupMs)} ms.`,
    `Load average ${loads(report.loadAverage.start)} at the start, ${loads(report.loadAverage.end)} at the end ` +
      `(wall-clock figures stretch on a busy machine; CPU figures much less).`,
    '',
    'Schema (live database, as introspected)',
    textTable(
      [
        'tables',
        'columns',
        'indexes',
        'FKs',
        'checks',
        'triggers',
        'enums',
        'yaml KB',
        'changed tables',
        'changes',
        'steps',
        'catalog queries',
      ],
      r.map((x) => [
        int(x.tables),
        int(x.live.columns),
        int(x.live.indexes),
        int(x.live.foreignKeys),
        int(x.live.checks),
        int(x.live.triggers),
        int(x.enums),
        int(x.yamlBytes / 1024),
        int(x.changedTables),
        int(x.changes),
        int(x.steps),
        int(x.catalogQueries),
      ]),
    ),
    "  indexes: besides the primary keys' own; yaml: the modified schema.yaml planned against live",
    '',
    'pgreconcile plan, ms (in-process phases, and the CLI end to end as a user runs it)',
    textTable(
      [
        'tables',
        'runs',
        'load+validate',
        'introspect',
        'judge first',
        'judge',
        'diff',
        'plan',
        'in-process',
        'in-proc CPU',
        're-plan CLI',
        'CLI CPU',
        'first plan CLI',
        'exit',
        'peak RSS MB',
        'CLI max RSS MB',
      ],
      r.map((x) => [
        int(x.tables),
        String(x.runs),
        ms(x.phases.load),
        ms(x.phases.introspect),
        ms(x.judgeFirstMs),
        ms(x.phases.judge),
        ms(x.phases.diff),
        ms(x.phases.plan),
        ms(x.phases.total),
        ms(x.inProcessCpuMs),
        ms(x.planCli.ms),
        optMs(x.planCli.cpuMs),
        ms(x.planCliCold.ms),
        String(x.planCli.exitCode ?? 'killed'),
        mb(x.inProcessPeakRssMb),
        mb(x.planCli.maxRssMb),
      ]),
    ),
    '  re-plan CLI: re-run in one folder (the desired state and the judge cache warm in .pgreconcile/cache); first plan CLI: a fresh folder each run, nothing cached (the judge creates its temporary tables);',
    '  judge first: in process, the warm-up run with an empty cache (one run); judge: the measured runs, cache warm (what a re-plan costs);',
    "  CPU: user + system of the client process only (the server's work is not in it); exit 2 = changes planned;",
    '  peak RSS: the benchmark process during the in-process runs (sampled); CLI max RSS: from /usr/bin/time',
    '',
    '@pgkit/migra on the same diff (live → target databases, its CLI end to end)',
    textTable(
      [
        'tables',
        'pgreconcile ms',
        'cold ms',
        'pgreconcile CPU',
        'migra ms',
        'migra CPU',
        'migra max RSS MB',
        'migra statements',
        'migra / pgreconcile',
        'migra / cold',
        'CPU ratio',
      ],
      r.map((x) => [
        int(x.tables),
        ms(x.planCli.ms),
        ms(x.planCliCold.ms),
        optMs(x.planCli.cpuMs),
        ...migraCells(x.migra),
        x.ratio === undefined ? 'n/a' : `${x.ratio.toFixed(1)}x`,
        x.coldRatio === undefined ? 'n/a' : `${x.coldRatio.toFixed(1)}x`,
        cpuRatio(x),
      ]),
    ),
    '  both CLIs end to end, wall clock (ms) and client CPU; the ratios are migra ms / pgreconcile plan CLI ms (re-run, and cold)',
    '',
    'pgreconcile drift, ms (in-process driftOfDatabase after a baseline of the plain schema, against the modified file)',
    textTable(
      ['tables', 'drift ms', 'runs ms', 'pending', 'drifted'],
      r.map((x) => [
        int(x.tables),
        x.drift ? ms(x.drift.ms) : 'n/a',
        x.drift ? x.drift.runsMs.map((v) => Math.round(v)).join(' ') : 'n/a',
        x.drift ? int(x.drift.pending) : 'n/a',
        x.drift ? int(x.drift.drifted) : 'n/a',
      ]),
    ),
  );
  const base = r.reduce<SizeResult | undefined>((min, x) => (min === undefined || x.tables < min.tables ? x : min), undefined);
  if (base !== undefined) {
    out.push(
      '',
      `Cost per table (linear growth keeps these flat; "vs ${int(base.tables)}" divides by the smallest size's figure)`,
      textTable(
        ['tables', 'plan CLI ms/table', 'vs ' + int(base.tables), 'in-process ms/table', 'vs ' + int(base.tables)],
        r.map((x) => [
          int(x.tables),
          x.msPerTable.planCli.toFixed(3),
          (x.msPerTable.planCli / base.msPerTable.planCli).toFixed(2),
          x.msPerTable.inProcess.toFixed(3),
          (x.msPerTable.inProcess / base.msPerTable.inProcess).toFixed(2),
        ]),
      ),
      '  the CLI figure includes a fixed start-up cost (node, the parser), which dominates at small sizes',
    );
  }
  for (const f of report.failures) out.push('', `FAILED at ${int(f.tables)} tables: ${f.message}`);
  return out.join('\n') + '\n';
}
