/**
 * The acceptance corpus: every folder `test/cases/<kind>/<case>/` is one test named
 * `<kind>/<case>` (see test/support/corpus.ts for the folder format).
 *
 * For each case:
 *  1. a fresh database; `external.sql` (objects managed elsewhere, optional) and `before.sql` run into it;
 *  2. `schema.yaml` is loaded, the database introspected, a plan built;
 *     - `error:` cases must fail here with a message containing that text, and stop;
 *  3. the plan's hazard kinds must equal `hazards` (and its SQL `sql`, when pinned;
 *     and it must be empty when `empty: true`);
 *  4. the plan is executed, the database introspected again, and a second plan must be EMPTY;
 *  5. a second fresh database is built from nothing with the same schema.yaml, and both
 *     databases must introspect to the same fingerprint (skipped when before.sql is empty:
 *     then the first database was built from nothing already).
 * Both databases are dropped also when the case fails.
 *
 * Environment:
 *  - `PGRECONCILE_CASES=<substring>`  runs only the cases whose id contains it;
 *  - `PGRECONCILE_UPDATE_CASES=1`     rewrites each case's `hazards` (and `sql`, when the case
 *    pins it) in expect.yaml from the actual plan instead of asserting them; review the diff.
 *
 * Cases on the PostgreSQL server run concurrently (the server does the work); `vector: true`
 * cases run one after another on PGlite (in-process WebAssembly: concurrency only adds memory).
 */
import { it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { executePlan, fingerprintModel, loadDesiredState, planDatabase, renderSql } from '../src/index.js';
import type { DesiredState, Plan } from '../src/index.js';
import { createTestDatabase } from './support/harness.js';
import { discoverCases, displayPath, hazardKindsOf, rewriteExpectation, selectCases } from './support/corpus.js';
import type { BrokenCase, CorpusCase } from './support/corpus.js';

const UPDATE = process.env.PGRECONCILE_UPDATE_CASES === '1';
const FILTER = process.env.PGRECONCILE_CASES;

const SERVER_CASE_TIMEOUT_MS = 600_000;
const PGLITE_CASE_TIMEOUT_MS = 600_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a failure with what was being done, keeping the original message. */
async function doing<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new Error(`${what}: ${messageOf(error)}`, { cause: error });
  }
}

function describePlan(plan: Plan): string {
  return plan.steps.length === 0 ? '(empty plan)' : renderSql(plan);
}

async function runCase(c: CorpusCase, expect: ExpectStatic): Promise<void> {
  const where = displayPath(c.dir);
  const vector = c.expect.vector;
  const first = await createTestDatabase({ vector });
  try {
    if (c.externalSql.trim() !== '') await doing(`${where}/external.sql`, () => first.db.exec(c.externalSql));
    if (c.beforeSql.trim() !== '') {
      await doing(`${where}/before.sql`, () => first.db.exec(c.beforeSql));
    }

    // Load and plan. An `error:` case must fail somewhere in here.
    let desired: DesiredState;
    let plan: Plan;
    try {
      desired = await loadDesiredState(c.schemaPath);
      plan = (await planDatabase(first.db, desired)).plan;
    } catch (error) {
      if (c.expect.error === undefined) throw new Error(`planning ${c.id}: ${messageOf(error)}`, { cause: error });
      // Case-insensitive: `error: using` matches "needs a USING expression".
      expect(messageOf(error).toLowerCase(), `the planning error of ${c.id}`).toContain(c.expect.error.toLowerCase());
      return;
    }
    if (c.expect.error !== undefined) {
      throw new Error(
        `${c.id}: planning should have failed with "${c.expect.error}", but it produced:\n${describePlan(plan)}`,
      );
    }

    const hazards = hazardKindsOf(plan);
    const sql = renderSql(plan);
    if (UPDATE) {
      rewriteExpectation(c, { hazards, sql });
    } else {
      expect(hazards, `hazard kinds of the first plan of ${c.id}:\n${describePlan(plan)}`).toEqual(c.expect.hazards);
      if (c.expect.sql !== undefined) {
        expect(sql.trimEnd(), `the SQL of the first plan of ${c.id}`).toBe(c.expect.sql.trimEnd());
      }
    }
    if (c.expect.empty) {
      expect(plan.steps.length, `the first plan of ${c.id} must be empty:\n${describePlan(plan)}`).toBe(0);
    }

    await doing(`executing the first plan of ${c.id}`, () => executePlan(first.db, plan));
    const after = await doing(`planning ${c.id} again after apply`, () => planDatabase(first.db, desired));
    expect(after.plan.steps.length, `the plan after apply must be empty for ${c.id}:\n${describePlan(after.plan)}`).toBe(0);

    // The same state built from nothing must be the same schema.
    if (c.beforeSql.trim() === '') return;
    const fresh = await createTestDatabase({ vector });
    try {
      if (c.externalSql.trim() !== '') await doing(`${where}/external.sql`, () => fresh.db.exec(c.externalSql));
      const fromNothing = await doing(`planning ${c.id} from nothing`, () => planDatabase(fresh.db, desired));
      await doing(`executing the plan of ${c.id} from nothing`, () => executePlan(fresh.db, fromNothing.plan));
      const built = await doing(`planning ${c.id} again after building from nothing`, () => planDatabase(fresh.db, desired));
      expect(
        built.plan.steps.length,
        `the plan after building ${c.id} from nothing must be empty:\n${describePlan(built.plan)}`,
      ).toBe(0);
      const migrated = after.live.model;
      const fromScratch = built.live.model;
      if (fingerprintModel(migrated) !== fingerprintModel(fromScratch)) {
        // Shows where they differ before failing on the fingerprint.
        expect(migrated, `${c.id}: migrated (actual) vs built from nothing (expected)`).toEqual(fromScratch);
      }
      expect(fingerprintModel(migrated), `${c.id}: fingerprint migrated vs built from nothing`).toBe(
        fingerprintModel(fromScratch),
      );
    } finally {
      await fresh.drop();
    }
  } finally {
    await first.drop();
  }
}

function brokenTest(c: BrokenCase): void {
  it(c.id, () => {
    throw new Error(c.error);
  });
}

const selected = selectCases(discoverCases(), FILTER);
const runnable = selected.filter((c): c is CorpusCase => c.status === 'ok');

if (selected.length === 0) {
  it.skip(`no case matches PGRECONCILE_CASES=${FILTER ?? ''}`, () => {});
}
for (const c of selected) {
  if (c.status === 'broken') brokenTest(c);
}
// Server cases first, as one concurrent group; then the PGlite ones, one at a time.
for (const c of runnable.filter((r) => !r.expect.vector)) {
  it.concurrent(c.id, ({ expect }) => runCase(c, expect), SERVER_CASE_TIMEOUT_MS);
}
for (const c of runnable.filter((r) => r.expect.vector)) {
  it(c.id, ({ expect }) => runCase(c, expect), PGLITE_CASE_TIMEOUT_MS);
}
