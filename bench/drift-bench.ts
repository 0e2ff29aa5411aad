/**
 * The drift figure: `driftOfDatabase` (ledger read, introspection, two diffs) on the benchmark's
 * live database after a baseline of the plain schema, against the modified schema file (so the
 * report has pending changes and nothing drifted).
 */
import { writeFile } from 'node:fs/promises';
import { baselineDatabase } from '#pgreconcile/apply/baseline.js';
import { connectPostgres } from '#pgreconcile/db/pg-db.js';
import { loadDesiredState } from '#pgreconcile/desired/index.js';
import { driftOfDatabase } from '#pgreconcile/drift/check-drift.js';
import { median, timed } from './measure.js';

export interface DriftBenchResult {
  /** Median ms of one in-process drift check. */
  readonly ms: number;
  readonly runsMs: readonly number[];
  readonly pending: number;
  readonly drifted: number;
}

/**
 * Baselines `url` with the plain schema, then times drift checks against the modified one.
 *
 * @example const drift = await benchDrift(live.url, plain.yaml, 'schema-1000.yaml', '/tmp/plain.yaml', 5);
 */
export async function benchDrift(
  url: string,
  plainYaml: string,
  modifiedPath: string,
  plainPath: string,
  runs: number,
): Promise<DriftBenchResult> {
  await writeFile(plainPath, plainYaml);
  const db = await connectPostgres(url, { applicationName: 'pgreconcile-bench' });
  try {
    const outcome = await baselineDatabase(db, await loadDesiredState(plainPath), { force: true });
    if (outcome.kind !== 'recorded') throw new Error(`drift benchmark: the baseline was not recorded (${outcome.kind})`);
    const desired = await loadDesiredState(modifiedPath);
    const warm = await driftOfDatabase(db, desired);
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) runsMs.push((await timed(() => driftOfDatabase(db, desired))).ms);
    return { ms: median(runsMs), runsMs, pending: warm.pending.length, drifted: warm.drifted.length };
  } finally {
    await db.close();
  }
}
