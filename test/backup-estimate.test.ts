/**
 * The estimate of a backup of deleted data is never larger than the table it comes from
 * (issue 13, item 9): for a table the planner has not analysed, its guess of rows × width can be
 * many times the table (a dropped column of three rows, all NULL, was estimated at tens of kB).
 */
import { describe, expect, it } from 'vitest';
import { checkBackups } from '../src/apply/backup.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { planDatabase } from '../src/index.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();

const WITHOUT_NOTE = `version: 1
schemas:
  public:
    tables:
      notes:
        columns:
          id: { type: integer, nullable: false }
        primary_key: [id]
`;

describe('backup estimates', () => {
  it('a dropped all-NULL column of a table never analysed: at most the size of the table', async () => {
    const { db } = database();
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, note text); INSERT INTO notes (id) VALUES (1), (2), (3)');
    const { plan } = await planDatabase(db, await loadDesiredStateFromText(WITHOUT_NOTE, 'schema.yaml'));
    expect(plan.steps.map((s) => s.deletes?.kind)).toEqual(['column']);
    const check = await checkBackups(db, 'v1', plan.steps);
    expect(check.kind).toBe('ready');
    const { rows } = await db.query<{ bytes: string }>("SELECT pg_table_size('notes')::text AS bytes");
    const table = Number(rows[0]!.bytes);
    if (check.kind !== 'ready') throw new Error(check.kind);
    expect(check.estimates).toHaveLength(1);
    expect(check.estimates[0]!.bytes).toBeGreaterThan(0);
    expect(check.estimates[0]!.bytes).toBeLessThanOrEqual(table);
  });
});
