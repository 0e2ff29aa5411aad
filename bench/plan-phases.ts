/**
 * pgreconcile's `plan`, phase by phase, in this process: load + validate the file, introspect
 * the database, the judge (src/judge: the server's normal forms of the expressions written
 * otherwise than the live ones, cached in `cacheDir` as the CLI does), diff, build the ordered
 * plan. Each phase timed with `performance.now()`.
 */
import type { Db } from '#pgreconcile/db/db.js';
import { loadDesiredState } from '#pgreconcile/desired/index.js';
import { diffSchemas } from '#pgreconcile/diff/index.js';
import { introspect } from '#pgreconcile/introspect/index.js';
import { judgeDesired } from '#pgreconcile/judge/index.js';
import { canonicalDesired } from '#pgreconcile/plan-database.js';
import type { SchemaModel } from '#pgreconcile/model/types.js';
import { buildPlan } from '#pgreconcile/plan/build-plan.js';
import { initParser } from '#pgreconcile/sql/parser.js';
import { timed } from './measure.js';

/** Milliseconds per phase of one plan; `total` is their sum. */
export interface PhaseTimes {
  readonly load: number;
  readonly introspect: number;
  /** The judge, with the cache folder the runs share: after the warm-up, a warm cache. */
  readonly judge: number;
  readonly diff: number;
  readonly plan: number;
  readonly total: number;
}

export const PHASES = ['load', 'introspect', 'judge', 'diff', 'plan', 'total'] as const satisfies readonly (keyof PhaseTimes)[];

/** What the live database holds, as introspection saw it. */
export interface LiveCounts {
  readonly tables: number;
  readonly columns: number;
  readonly indexes: number;
  readonly foreignKeys: number;
  readonly checks: number;
  readonly triggers: number;
}

/** One measured plan. */
export interface PhaseRun {
  readonly times: PhaseTimes;
  /** CPU ms (user + system) of this process over the whole plan; the database server's work is not in it. */
  readonly cpuMs: number;
  readonly changes: number;
  readonly steps: number;
  readonly catalogQueries: number;
  readonly live: LiveCounts;
}

/**
 * Initialises the SQL parser (WebAssembly) once per process and returns how long it took;
 * later calls cost nothing.
 *
 * @example const ms = await prepareParser(); // ~40 ms the first time
 */
export async function prepareParser(): Promise<number> {
  return (await timed(() => initParser())).ms;
}

/**
 * Plans `schemaPath` against `db` the way `pgreconcile plan` does, timing each phase.
 * `sample` runs after every phase (for the RSS sampler).
 *
 * @example
 * const run = await planPhases(db, 'schema.yaml', '.pgreconcile/cache');
 * run.times.introspect; // ms
 */
export async function planPhases(db: Db, schemaPath: string, cacheDir: string, sample: () => void = () => undefined): Promise<PhaseRun> {
  const cpu = process.cpuUsage();
  const load = await timed(() => loadDesiredState(schemaPath));
  sample();
  const desired = load.value;
  const live = await timed(() => introspect(db, { ignore: desired.ignore }));
  sample();
  const target = canonicalDesired(desired, live.value);
  const judged = await timed(() => judgeDesired(db, target, live.value, { cacheDir }));
  sample();
  const diff = await timed(() => diffSchemas(target, live.value.model, judged.value.judge));
  sample();
  const plan = await timed(() =>
    buildPlan(target, { model: live.value.model, stats: live.value.stats, serverVersion: live.value.serverVersion }, diff.value),
  );
  sample();
  const used = process.cpuUsage(cpu);
  return {
    times: {
      load: load.ms,
      introspect: live.ms,
      judge: judged.ms,
      diff: diff.ms,
      plan: plan.ms,
      total: load.ms + live.ms + judged.ms + diff.ms + plan.ms,
    },
    cpuMs: (used.user + used.system) / 1000,
    changes: diff.value.length,
    steps: plan.value.steps.length,
    catalogQueries: live.value.queryCount,
    live: liveCounts(live.value.model),
  };
}

/**
 * Counts what a model holds (indexes exclude those backing a primary key or unique constraint).
 *
 * @example liveCounts(model).tables // 1000
 */
export function liveCounts(model: SchemaModel): LiveCounts {
  let columns = 0;
  let indexes = 0;
  let foreignKeys = 0;
  let checks = 0;
  let triggers = 0;
  for (const table of model.tables) {
    columns += table.columns.length;
    indexes += table.indexes.length;
    foreignKeys += table.foreignKeys.length;
    checks += table.checks.length;
    triggers += table.triggers.length;
  }
  return { tables: model.tables.length, columns, indexes, foreignKeys, checks, triggers };
}
