/**
 * Constraints the format cannot declare (issue 15, class 11): every pg_constraint.contype is
 * managed (p, u, c, f; t with the triggers) or named. An exclusion constraint is named by pull,
 * named by plan (`DatabasePlan.warnings`, and `warning:` lines of `pgreconcile plan`), never
 * dropped by a step of its own, and a dropped column it uses carries a hazard that names it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, loadDesiredState, planDatabase, pullSchema } from '../src/index.js';
import { runCli, useWorkFolder } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const work = useWorkFolder();

const BOOKINGS = `CREATE EXTENSION btree_gist;
CREATE TABLE bookings (
  id integer PRIMARY KEY,
  room_id integer NOT NULL,
  during tstzrange NOT NULL,
  note text,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
INSERT INTO bookings VALUES (1, 10, '[2026-01-01, 2026-01-02)', 'a');`;

const schema = (columns: string): string => `version: 1
extensions:
  btree_gist: {}
schemas:
  public:
    tables:
      bookings:
        columns:
          id: { type: integer, nullable: false }
${columns}        primary_key: [id]
`;
const ALL =
  '          room_id: { type: integer, nullable: false }\n          during: { type: tstzrange, nullable: false }\n          note: { type: text }\n';

async function exclusionExists(db: { query: <T>(sql: string) => Promise<{ rows: T[] }> }): Promise<boolean> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM pg_constraint WHERE conname = 'bookings_no_overlap' AND contype = 'x'",
  );
  return rows[0]?.n === '1';
}

describe('exclusion constraints: named by pull and plan, never dropped silently', () => {
  const database = useTestDatabase();

  it('pull and plan name it; the plan leaves it alone; the CLI prints the warning', async () => {
    const { db, url } = database();
    await db.exec(BOOKINGS);
    const pulled = await pullSchema(db);
    expect(pulled.warnings.join('\n')).toContain('exclusion constraint public.bookings (bookings_no_overlap)');

    await writeFile(join(work.dir, 'schema.yaml'), schema(ALL));
    const desired = await loadDesiredState(join(work.dir, 'schema.yaml'));
    const { plan, warnings } = await planDatabase(db, desired);
    expect(plan.steps).toEqual([]);
    expect(warnings).toEqual([
      'exclusion constraint public.bookings.bookings_no_overlap (EXCLUDE USING gist (room_id WITH =, during WITH &&)) is not managed: exclusion constraints are not part of the format; the plan leaves it as it is (a build from the file lacks it)',
    ]);
    const cli = await runCli(['plan', '-d', url], work.dir);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain(
      'warning: exclusion constraint public.bookings.bookings_no_overlap (EXCLUDE USING gist (room_id WITH =, during WITH &&)) is not managed',
    );
    expect(await exclusionExists(db)).toBe(true);
  });

  it('a column it uses that the file drops carries a hazard naming it; other changes keep it', async () => {
    const { db } = database();
    await db.exec(BOOKINGS);
    await writeFile(
      join(work.dir, 'keep.yaml'),
      schema('          room_id: { type: integer, nullable: false }\n          during: { type: tstzrange, nullable: false }\n'),
    );
    const keep = await loadDesiredState(join(work.dir, 'keep.yaml'));
    const first = await planDatabase(db, keep);
    expect(first.plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."bookings" DROP COLUMN "note"']);
    expect(first.plan.steps[0]!.hazards.map((h) => h.kind)).toEqual(['deletes_data']);
    await executePlan(db, first.plan);
    expect(await exclusionExists(db)).toBe(true);
    expect((await planDatabase(db, keep)).plan.steps).toEqual([]);

    await writeFile(join(work.dir, 'drop.yaml'), schema('          room_id: { type: integer, nullable: false }\n'));
    const drop = await loadDesiredState(join(work.dir, 'drop.yaml'));
    const second = await planDatabase(db, drop);
    expect(second.plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."bookings" DROP COLUMN "during"']);
    const hazards = second.plan.steps[0]!.hazards;
    expect(hazards.map((h) => h.kind)).toEqual(['deletes_data', 'has_untrackable_dependencies']);
    expect(hazards[1]!.message).toContain(
      'exclusion constraint bookings_no_overlap of bookings (EXCLUDE USING gist (room_id WITH =, during WITH &&)) uses column during',
    );
    await executePlan(db, second.plan);
    expect(await exclusionExists(db)).toBe(false);
    expect((await planDatabase(db, drop)).plan.steps).toEqual([]);
  });
});
