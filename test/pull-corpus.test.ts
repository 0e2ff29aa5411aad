/**
 * `pull` round trip over the plan corpus: for every case of test/cases/, the database its
 * before.sql (after external.sql) builds is pulled, and
 *  - two pulls give byte-identical files;
 *  - the file passes `validate`, and reads back as the same model with and without the loader's
 *    fast path;
 *  - `plan` of that file against the same database is EMPTY — except where a warning announces
 *    a repair the format cannot avoid (a NOT VALID check is declared valid, an INVALID index is
 *    declared healthy): then the plan holds only steps on the objects those warnings name.
 * Server cases run concurrently; `vector: true` cases on PGlite one at a time (as test/corpus.test.ts).
 * `PGRECONCILE_CASES=<substring>` runs only the matching cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { formatDiagnostic, loadDesiredState, planDatabase, pullSchema, renderSql, validateFile } from '../src/index.js';
import { createTestDatabase } from './support/harness.js';
import { discoverCases, displayPath, selectCases } from './support/corpus.js';
import type { CorpusCase } from './support/corpus.js';

const cases = selectCases(discoverCases(), process.env.PGRECONCILE_CASES).filter((c): c is CorpusCase => c.status === 'ok');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-pull-corpus-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Objects a warning says the plan will repair: NOT VALID checks, INVALID indexes. */
function announcedRepairs(warnings: readonly string[]): string[] {
  return warnings.flatMap((w) => {
    const check = /: check (.+) is NOT VALID;/.exec(w);
    const index = /^index [^.]+\.(.+) is INVALID /.exec(w);
    return check?.[1] ?? index?.[1] ?? [];
  });
}

async function pullRoundTrip(c: CorpusCase, expect: ExpectStatic): Promise<void> {
  const database = await createTestDatabase({ vector: c.expect.vector });
  try {
    const { db } = database;
    if (c.externalSql.trim() !== '') await db.exec(c.externalSql);
    if (c.beforeSql.trim() !== '') await db.exec(c.beforeSql);

    const first = await pullSchema(db);
    const second = await pullSchema(db);
    expect(second.yaml, `${c.id}: two pulls must give the same bytes`).toBe(first.yaml);

    const file = join(work, `${c.id.replaceAll('/', '__')}.yaml`);
    await writeFile(file, first.yaml);
    const validated = await validateFile(file);
    expect(validated.diagnostics.map(formatDiagnostic).join('\n'), `${c.id}: the pulled file must validate:\n${first.yaml}`).toBe('');

    const desired = await loadDesiredState(file);
    const positional = await loadDesiredStateFromText(first.yaml, file, { fastPath: false });
    expect(positional.model, `${c.id}: both loaders read the same model`).toEqual(desired.model);

    const { plan } = await planDatabase(db, desired);
    const shown = plan.steps.length === 0 ? '' : `\n--- pulled file (${displayPath(c.dir)}):\n${first.yaml}--- plan:\n${renderSql(plan)}\n--- warnings:\n${first.warnings.join('\n')}`;
    const repaired = announcedRepairs(first.warnings);
    if (repaired.length === 0) {
      expect(plan.steps.length, `${c.id}: plan of the pulled file must be empty${shown}`).toBe(0);
    } else {
      for (const step of plan.steps) {
        expect(repaired.some((name) => step.sql.includes(`"${name}"`)), `${c.id}: a step beyond the announced repairs${shown}`).toBe(true);
      }
    }
  } finally {
    await database.drop();
  }
}

for (const c of cases.filter((r) => !r.expect.vector)) {
  it.concurrent(c.id, ({ expect }) => pullRoundTrip(c, expect), 600_000);
}
for (const c of cases.filter((r) => r.expect.vector)) {
  it(c.id, ({ expect }) => pullRoundTrip(c, expect), 600_000);
}
