/**
 * Composite and range types that objects of the file use (issue 17): what PostgreSQL refuses while
 * a column uses the type — changing an attribute's type, dropping the type to create it again (a
 * range type's definition changed) — the plan says first, with `blocked_by_dependents` naming the
 * column; apply refuses at the hazard gate. What PostgreSQL does in place (an attribute added) needs
 * no hazard and converges.
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

async function schemaFile(body: string): Promise<string> {
  const path = join(work.dir, 'schema.yaml');
  await writeFile(path, `version: 1\nschemas:\n  public:\n${body}`);
  return path;
}

const TABLE = (type: string): string =>
  `    tables:\n      places:\n        columns:\n          id: { type: integer }\n          v: { type: ${type} }\n        primary_key: [id]\n`;

describe('composite and range types used by columns of the file', () => {
  it("an attribute's type changed while a column uses the type: blocked_by_dependents names the column", async () => {
    const { db } = database();
    await db.exec('CREATE TYPE address AS (street varchar(40)); CREATE TABLE places (id integer PRIMARY KEY, v address)');
    const path = await schemaFile(
      `    composite_types:\n      address:\n        attributes:\n          street: { type: text }\n${TABLE('address')}`,
    );
    const { plan } = await planDatabase(db, await loadDesiredState(path));
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TYPE "public"."address" ALTER ATTRIBUTE "street" TYPE text']);
    const messages = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
    expect(messages.join('\n')).toContain('column places.v uses type address, which the step changes an attribute type of');
    await expect(executePlan(db, plan)).rejects.toThrow(/because column "places.v" uses it/);
  });

  it('a range type changed while a column uses it: the drop carries blocked_by_dependents', async () => {
    const { db } = database();
    await db.exec('CREATE TYPE floatrange AS RANGE (subtype = float8); CREATE TABLE places (id integer PRIMARY KEY, v floatrange)');
    const path = await schemaFile(
      `    range_types:\n      floatrange:\n        subtype: float8\n        subtype_diff: float8mi\n${TABLE('floatrange')}`,
    );
    const { plan } = await planDatabase(db, await loadDesiredState(path));
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'DROP TYPE "public"."floatrange"',
      'CREATE TYPE "public"."floatrange" AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = "float8mi")',
    ]);
    const messages = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
    expect(messages.join('\n')).toContain('column places.v uses type floatrange, which the step drops (to create it again)');
    await expect(executePlan(db, plan)).rejects.toThrow(/depend on it/);
  });

  it('an attribute dropped while a column uses the type: deletes_data, and the plan converges', async () => {
    const { db } = database();
    await db.exec(`CREATE TYPE address AS (street text, zip integer); CREATE TABLE places (id integer PRIMARY KEY, v address);
      INSERT INTO places VALUES (1, ROW('Main St', 12345))`);
    const desired = await loadDesiredState(
      await schemaFile(`    composite_types:\n      address:\n        attributes:\n          street: { type: text }\n${TABLE('address')}`),
    );
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TYPE "public"."address" DROP ATTRIBUTE "zip"']);
    expect(plan.steps.flatMap((s) => s.hazards.map((h) => h.kind))).toEqual(['deletes_data']);
    await executePlan(db, plan);
    const { rows } = await db.query<{ v: string }>('SELECT v::text AS v FROM places');
    expect(rows).toEqual([{ v: '("Main St")' }]);
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });
});
