/**
 * Removing enum values that rows hold: the hazard counts the rows, and what happens to them is
 * what the hazard says (default, NULL, taken out of arrays, or the row deleted).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, loadDesiredState, planDatabase } from '../src/index.js';
import { useTestDatabase } from './support/harness.js';

const cases = join(import.meta.dirname, 'cases', 'enums');

describe('enum values removed while rows hold them', () => {
  const database = useTestDatabase();

  it('counts the rows in the hazard, then converts them as it says; re-plan empty', async () => {
    const { db } = database();
    await db.exec(await readFile(join(cases, 'remove-value-held-by-rows', 'before.sql'), 'utf8'));
    const desired = await loadDesiredState(join(cases, 'remove-value-held-by-rows', 'schema.yaml'));
    const { plan } = await planDatabase(db, desired);
    const deletes = plan.steps.flatMap((s) => s.hazards).find((h) => h.kind === 'deletes_data');
    expect(deletes?.message).toBe(
      "values 'canceled' are removed from status: 2 rows of jobs.state hold them: they take the default 'pending'; " +
        '2 rows of jobs.previous hold them: they become NULL; 2 rows of jobs.history hold them: they are taken out of the arrays',
    );
    await executePlan(db, plan);
    const { rows } = await db.query<{ id: number; state: string; previous: string | null; history: string | null }>(
      'SELECT id, state::text, previous::text, history::text FROM jobs ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, state: 'pending', previous: null, history: '{pending}' },
      { id: 2, state: 'pending', previous: null, history: '{pending}' },
      { id: 3, state: 'pending', previous: 'running', history: '{}' },
      { id: 4, state: 'finished', previous: null, history: null },
    ]);
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });

  it('deletes the rows of a NOT NULL column without a default, and says so', async () => {
    const { db } = database();
    await db.exec(await readFile(join(cases, 'remove-value-held-not-null-no-default', 'before.sql'), 'utf8'));
    const desired = await loadDesiredState(join(cases, 'remove-value-held-not-null-no-default', 'schema.yaml'));
    const { plan } = await planDatabase(db, desired);
    const deletes = plan.steps.flatMap((s) => s.hazards).find((h) => h.kind === 'deletes_data');
    expect(deletes?.message).toBe(
      "values 'blue' are removed from color: 2 rows of paints hold them in color (NOT NULL, no default): those rows are deleted",
    );
    await executePlan(db, plan);
    const { rows } = await db.query<{ id: number; color: string }>('SELECT id, color::text FROM paints ORDER BY id');
    expect(rows).toEqual([{ id: 1, color: 'red' }]);
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });
});
