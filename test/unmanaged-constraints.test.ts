/**
 * Every pg_constraint.contype is managed (p, u, c, f, x; t with the triggers) or named (issue
 * 15, class 11). Exclusion constraints are managed: pull writes them, the plan against the
 * pulled file is empty and warns of nothing, and a file that leaves one out drops it by a step
 * of its own, never silently with a column it uses.
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

const EXCLUDE = `        exclude:
          bookings_no_overlap:
            elements:
              - { column: room_id, with: "=" }
              - { column: during, with: "&&" }
`;

async function exclusionExists(db: { query: <T>(sql: string) => Promise<{ rows: T[] }> }): Promise<boolean> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM pg_constraint WHERE conname = 'bookings_no_overlap' AND contype = 'x'",
  );
  return rows[0]?.n === '1';
}

describe('exclusion constraints: managed, never dropped silently', () => {
  const database = useTestDatabase();

  it('pull writes it (no warning); the plan with it is empty and warns of nothing; the CLI agrees', async () => {
    const { db, url } = database();
    await db.exec(BOOKINGS);
    const pulled = await pullSchema(db);
    expect(pulled.warnings.join('\n')).not.toContain('bookings_no_overlap');
    expect(pulled.yaml).toContain('bookings_no_overlap:');

    await writeFile(join(work.dir, 'schema.yaml'), schema(ALL) + EXCLUDE);
    const desired = await loadDesiredState(join(work.dir, 'schema.yaml'));
    const { plan, warnings } = await planDatabase(db, desired);
    expect(plan.steps).toEqual([]);
    expect(warnings).toEqual([]);
    const cli = await runCli(['plan', '-d', url], work.dir);
    expect(cli.code).toBe(0);
    expect(cli.stderr).not.toContain('warning:');
    expect(await exclusionExists(db)).toBe(true);
  });

  it('a file that leaves it out drops it by its own step, before a column it uses', async () => {
    const { db } = database();
    await db.exec(BOOKINGS);
    await writeFile(
      join(work.dir, 'keep.yaml'),
      schema('          room_id: { type: integer, nullable: false }\n          during: { type: tstzrange, nullable: false }\n') + EXCLUDE,
    );
    const keep = await loadDesiredState(join(work.dir, 'keep.yaml'));
    const first = await planDatabase(db, keep);
    expect(first.plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."bookings" DROP COLUMN "note"']);
    await executePlan(db, first.plan);
    expect(await exclusionExists(db)).toBe(true);
    expect((await planDatabase(db, keep)).plan.steps).toEqual([]);

    await writeFile(join(work.dir, 'drop.yaml'), schema('          room_id: { type: integer, nullable: false }\n'));
    const drop = await loadDesiredState(join(work.dir, 'drop.yaml'));
    const second = await planDatabase(db, drop);
    expect(second.plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."bookings" DROP CONSTRAINT "bookings_no_overlap"',
      'ALTER TABLE "public"."bookings" DROP COLUMN "during"',
    ]);
    expect(second.plan.steps[0]!.hazards.map((h) => h.kind)).toEqual(['index_dropped']);
    await executePlan(db, second.plan);
    expect(await exclusionExists(db)).toBe(false);
    expect((await planDatabase(db, drop)).plan.steps).toEqual([]);
  });
});
