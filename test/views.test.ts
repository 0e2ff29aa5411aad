/**
 * Issue 16: what the corpus (test/cases/views/) cannot say, because the plan must not apply. A
 * column drop that an unchanged, declared view uses is not planned around (the view would have to
 * change): the drop carries `blocked_by_dependents` naming the view, and apply refuses it at the
 * hazard gate. Once the view no longer uses the column, the view is replaced before the drop.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/desired/index.js';
import { planDatabase } from '../src/plan-database.js';
import { executePlan } from '../src/index.js';
import { useTestDatabase } from './support/harness.js';
import { useWorkFolder } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

const file = (view: string): string => `version: 1
schemas:
  public:
    tables:
      orders:
        columns:
          id: { type: integer }
          amount: { type: integer, nullable: false }
        primary_key: [id]
    views:
      noted:
        query: ${view}
`;

describe('a column drop that a declared view uses', () => {
  it('is a hazard naming the view while the view still uses it; replaced first once it does not', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE orders (id integer PRIMARY KEY, amount integer NOT NULL, note text);
      CREATE VIEW noted AS SELECT id, amount FROM orders WHERE note IS NOT NULL`);
    const path = join(work.dir, 'schema.yaml');
    await writeFile(path, file('SELECT id, amount FROM orders WHERE note IS NOT NULL'));
    const { plan } = await planDatabase(db, await loadDesiredState(path));
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."orders" DROP COLUMN "note"']);
    const blocked = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
    expect(blocked.join('\n')).toContain('view public.noted uses column orders.note, which the step drops');
    await expect(executePlan(db, plan)).rejects.toThrow(/depends? on/);

    await writeFile(path, file('SELECT id, amount FROM orders WHERE amount > 0'));
    const desired = await loadDesiredState(path);
    const changed = await planDatabase(db, desired);
    expect(changed.plan.steps.map((s) => s.sql.split('\n')[0])).toEqual([
      'CREATE OR REPLACE VIEW "public"."noted" AS',
      'ALTER TABLE "public"."orders" DROP COLUMN "note"',
    ]);
    expect(changed.plan.steps.flatMap((s) => s.hazards.map((h) => h.kind))).toEqual(['deletes_data']);
    await executePlan(db, changed.plan);
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });
});
