/**
 * The acceptance corpus, run: every folder `test/cases/<kind>/<case>/` is one test named
 * `<kind>/<case>` (see ./corpus.ts for the folder format). The cases are split over the files
 * test/corpus-part-<n>.test.ts, so that the test workers share them (each file runs its server
 * cases concurrently).
 *
 * For each case:
 *  1. a fresh database; `external.sql` (objects managed elsewhere, optional) and `before.sql` run into it;
 *  2. the `pull` round trip on that database, as it is: two pulls give byte-identical files, the
 *     file validates and reads back as the same model with and without the loader's fast path,
 *     and a plan of the pulled file against the database is EMPTY (but for the repairs a warning
 *     announces: an INVALID index declared healthy);
 *  3. `schema.yaml` is loaded, the database introspected, a plan built;
 *     - `error:` cases must fail here with a message containing that text, and stop;
 *  4. the plan's hazard kinds must equal `hazards` (and its SQL `sql`, when pinned;
 *     and it must be empty when `empty: true`);
 *  5. the plan is executed, the database introspected again, and a second plan must be EMPTY;
 *  6. the database is emptied back to a fresh one's state (or, where it cannot be, replaced by a
 *     new one), built from nothing with the same schema.yaml, and must introspect to the same
 *     fingerprint as after step 5 (skipped when before.sql is empty: then the first database was
 *     built from nothing already).
 * The database is dropped also when the case fails. The catalog as before.sql left it is read
 * once for the second pull of step 2 and the plans of steps 2 and 3; every plan of a case shares
 * one judge cache (as the CLI's runs share .pgreconcile/cache/).
 *
 * Environment:
 *  - `PGRECONCILE_CASES=<substring>`  runs only the cases whose id contains it;
 *  - `PGRECONCILE_UPDATE_CASES=1`     rewrites each case's `hazards` (and `sql`, when the case
 *    pins it) in expect.yaml from the actual plan instead of asserting them; review the diff;
 *  - `PGRECONCILE_UPDATE_CASES=pin`   the same, and adds `sql` to every case that does not pin it yet.
 *
 * Cases on the PostgreSQL server run concurrently (the server does the work); `vector: true`
 * cases run one after another on PGlite (in-process WebAssembly: concurrency only adds memory).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { loadDesiredStateFromText } from '../../src/desired/index.js';
import {
  executePlan,
  fingerprintModel,
  formatDiagnostic,
  loadDesiredState,
  planDatabase,
  pullSchema,
  renderSql,
  validateFile,
} from '../../src/index.js';
import type { Db, DesiredState, Plan } from '../../src/index.js';
import { fetchCatalog } from '../../src/introspect/index.js';
import type { CatalogSnapshot } from '../../src/introspect/index.js';
import { createTestDatabase } from './harness.js';
import { discoverCases, displayPath, hazardKindsOf, rewriteExpectation, selectCases } from './corpus.js';
import type { BrokenCase, CorpusCase } from './corpus.js';

const UPDATE = process.env.PGRECONCILE_UPDATE_CASES === '1' || process.env.PGRECONCILE_UPDATE_CASES === 'pin';
const PIN = process.env.PGRECONCILE_UPDATE_CASES === 'pin';
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

/** Objects a warning says the plan will repair: INVALID indexes (NOT VALID constraints pull as `validated: false`). */
function announcedRepairs(warnings: readonly string[]): string[] {
  return warnings.flatMap((w) => /^index [^.]+\.(.+) is INVALID /.exec(w)?.[1] ?? []);
}

let pullFolder: string | undefined;

/** The `pull` round trip on the database before.sql built (step 2 above). */
async function pullRoundTrip(c: CorpusCase, db: Db, expect: ExpectStatic, catalog: CatalogSnapshot, cacheDir: string): Promise<void> {
  const first = await pullSchema(db);
  // The second pull reads the catalog of a second introspection, the one the plans below share.
  const second = await pullSchema(db, { catalog });
  expect(second.yaml, `${c.id}: two pulls must give the same bytes`).toBe(first.yaml);

  pullFolder ??= mkdtempSync(join(tmpdir(), 'pgr-pull-corpus-'));
  const file = join(pullFolder, `${c.id.replaceAll('/', '__')}.yaml`);
  writeFileSync(file, first.yaml);
  const validated = await validateFile(file);
  expect(validated.diagnostics.map(formatDiagnostic).join('\n'), `${c.id}: the pulled file must validate:\n${first.yaml}`).toBe('');

  const desired = await loadDesiredState(file);
  const positional = await loadDesiredStateFromText(first.yaml, file, { fastPath: false });
  expect(positional.model, `${c.id}: both loaders read the same model`).toEqual(desired.model);

  const { plan } = await planDatabase(db, desired, { catalog: Promise.resolve(catalog), cacheDir });
  const shown =
    plan.steps.length === 0
      ? ''
      : `\n--- pulled file (${displayPath(c.dir)}):\n${first.yaml}--- plan:\n${renderSql(plan)}\n--- warnings:\n${first.warnings.join('\n')}`;
  const repaired = announcedRepairs(first.warnings);
  if (repaired.length === 0) {
    expect(plan.steps.length, `${c.id}: plan of the pulled file must be empty${shown}`).toBe(0);
  } else {
    for (const step of plan.steps) {
      expect(
        repaired.some((name) => step.sql.includes(`"${name}"`)),
        `${c.id}: a step beyond the announced repairs${shown}`,
      ).toBe(true);
    }
  }
}

async function runCase(c: CorpusCase, expect: ExpectStatic): Promise<void> {
  const where = displayPath(c.dir);
  const vector = c.expect.vector;
  // The judge's cache of this case's plans, as the CLI keeps one in .pgreconcile/cache/: the
  // first plan asks the server, the plans after it find what did not change there.
  const cacheDir = mkdtempSync(join(tmpdir(), 'pgr-corpus-judge-'));
  let first = await createTestDatabase({ vector });
  try {
    if (c.externalSql.trim() !== '') await doing(`${where}/external.sql`, () => first.db.exec(c.externalSql));
    if (c.beforeSql.trim() !== '') {
      await doing(`${where}/before.sql`, () => first.db.exec(c.beforeSql));
    }
    // One introspection of the database as before.sql left it, for the second pull and both plans of it.
    const before = await fetchCatalog(first.db);
    await pullRoundTrip(c, first.db, expect, before, cacheDir);

    // Load and plan. An `error:` case must fail somewhere in here.
    let desired: DesiredState;
    let plan: Plan;
    try {
      desired = await loadDesiredState(c.schemaPath);
      plan = (await planDatabase(first.db, desired, { catalog: Promise.resolve(before), cacheDir })).plan;
    } catch (error) {
      if (c.expect.error === undefined) throw new Error(`planning ${c.id}: ${messageOf(error)}`, { cause: error });
      // Case-insensitive: `error: using` matches "needs a USING expression".
      expect(messageOf(error).toLowerCase(), `the planning error of ${c.id}`).toContain(c.expect.error.toLowerCase());
      return;
    }
    if (c.expect.error !== undefined) {
      throw new Error(`${c.id}: planning should have failed with "${c.expect.error}", but it produced:\n${describePlan(plan)}`);
    }

    const hazards = hazardKindsOf(plan);
    const sql = renderSql(plan);
    if (UPDATE) {
      rewriteExpectation(c, { hazards, sql }, { pinSql: PIN });
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
    const after = await doing(`planning ${c.id} again after apply`, () => planDatabase(first.db, desired, { cacheDir }));
    expect(after.plan.steps.length, `the plan after apply must be empty for ${c.id}:\n${describePlan(after.plan)}`).toBe(0);

    // The same state built from nothing must be the same schema: on the same database, emptied
    // back to a fresh one's state (the migrated one's model is kept from the plan above).
    if (c.beforeSql.trim() === '') return;
    first = await first.renew();
    if (c.externalSql.trim() !== '') await doing(`${where}/external.sql`, () => first.db.exec(c.externalSql));
    const fromNothing = await doing(`planning ${c.id} from nothing`, () => planDatabase(first.db, desired, { cacheDir }));
    await doing(`executing the plan of ${c.id} from nothing`, () => executePlan(first.db, fromNothing.plan));
    const built = await doing(`planning ${c.id} again after building from nothing`, () => planDatabase(first.db, desired, { cacheDir }));
    expect(built.plan.steps.length, `the plan after building ${c.id} from nothing must be empty:\n${describePlan(built.plan)}`).toBe(0);
    const migrated = after.live.model;
    const fromScratch = built.live.model;
    if (fingerprintModel(migrated) !== fingerprintModel(fromScratch)) {
      // Shows where they differ before failing on the fingerprint.
      expect(migrated, `${c.id}: migrated (actual) vs built from nothing (expected)`).toEqual(fromScratch);
    }
    expect(fingerprintModel(migrated), `${c.id}: fingerprint migrated vs built from nothing`).toBe(fingerprintModel(fromScratch));
  } finally {
    await first.drop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function brokenTest(c: BrokenCase): void {
  it(c.id, () => {
    throw new Error(c.error);
  });
}

/**
 * Registers the tests of part `part` (1-based) of `of`: every `of`-th case, so that each part
 * holds cases of every kind. Broken cases fail as tests of their own.
 *
 * @example registerCorpusTests(1, 6); // in test/corpus-part-1.test.ts
 */
export function registerCorpusTests(part: number, of: number): void {
  afterAll(() => {
    if (pullFolder !== undefined) rmSync(pullFolder, { recursive: true, force: true });
  });
  const all = selectCases(discoverCases(), FILTER);
  const selected = all.filter((_, i) => i % of === part - 1);
  const runnable = selected.filter((c): c is CorpusCase => c.status === 'ok');
  if (selected.length === 0) {
    it.skip(`no case of part ${part}/${of} matches PGRECONCILE_CASES=${FILTER ?? ''}`, () => {});
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
}
