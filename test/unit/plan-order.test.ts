/**
 * The planner without a database: dependency order from the graph, online forms on existing
 * tables, hazards, determinism, and plan files (checksum, tamper detection).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import { buildPlan, planHazardKinds, type Plan } from '../../src/plan/build-plan.js';
import { newPlanDocument, readPlanFile, renderPlanFile, writePlanFile, withApproval } from '../../src/plan/plan-file.js';
import { renderJson, renderSql, renderSummary } from '../../src/plan/render.js';
import { initParser } from '../../src/sql/parser.js';
import type { SchemaModel } from '../../src/model/types.js';
import { col, desired, enumType, fk, fn, index, model, table, trigger, pk, check } from './diff-helpers.js';

beforeAll(async () => {
  await initParser();
});

function plan(want: SchemaModel, have: SchemaModel = model()): Plan {
  const d = desired(want);
  return buildPlan(d, { model: have, serverVersion: 150000 }, diffSchemas(d, have));
}

/** Position of the first step whose SQL contains `text`. */
function at(p: Plan, text: string): number {
  const i = p.steps.findIndex((s) => s.sql.includes(text));
  if (i < 0) throw new Error(`no step contains ${text}:\n${renderSql(p)}`);
  return i;
}

const chain = model({
  enums: [enumType('mood', ['happy', 'sad'])],
  functions: [fn('touch', 'BEGIN RETURN NEW; END;', { returns: 'trigger', language: 'plpgsql' })],
  tables: [
    table('people', [col('id', 'integer', { nullable: false }), col('mood', 'mood')], {
      primaryKey: pk('people_pkey', ['id']),
      indexes: [index('people_mood_idx', ['mood'])],
      triggers: [trigger('people_touch', 'touch', { timing: 'before', events: ['update'], level: 'row' })],
    }),
    table('pets', [col('id', 'integer', { nullable: false }), col('owner', 'integer')], {
      primaryKey: pk('pets_pkey', ['id']),
      foreignKeys: [fk('pets_owner_fkey', ['owner'], { table: 'people', columns: ['id'] })],
    }),
  ],
});

describe('dependency order', () => {
  it('creates an enum → column → index → FK → trigger chain in dependency order', () => {
    const p = plan(chain);
    expect(at(p, 'CREATE TYPE "public"."mood"')).toBeLessThan(at(p, 'CREATE TABLE "public"."people"'));
    expect(at(p, 'CREATE TABLE "public"."people"')).toBeLessThan(at(p, 'CREATE INDEX "people_mood_idx"'));
    expect(at(p, 'CREATE TABLE "public"."pets"')).toBeLessThan(at(p, 'ADD CONSTRAINT "pets_owner_fkey"'));
    expect(at(p, 'CREATE TABLE "public"."people"')).toBeLessThan(at(p, 'ADD CONSTRAINT "pets_owner_fkey"'));
    expect(at(p, 'CREATE FUNCTION "public"."touch"')).toBeLessThan(at(p, 'CREATE TRIGGER "people_touch"'));
    // New tables: plain index build and a plain FK, inside transactions, no hazards.
    expect(planHazardKinds(p)).toEqual([]);
    expect(p.steps.every((s) => s.transactional)).toBe(true);
  });

  it('drops the same chain in reverse: trigger (with its table) before function, FK before the referenced table, column before its enum', () => {
    const p = plan(model(), chain);
    expect(p.steps.some((s) => s.sql.includes('DROP TRIGGER'))).toBe(false); // goes with its table
    expect(at(p, 'DROP TABLE "public"."people"')).toBeLessThan(at(p, 'DROP FUNCTION "public"."touch"'));
    expect(at(p, 'DROP CONSTRAINT "pets_owner_fkey"')).toBeLessThan(at(p, 'DROP TABLE "public"."people"'));
    expect(at(p, 'DROP TABLE "public"."people"')).toBeLessThan(at(p, 'DROP TYPE "public"."mood"'));
    expect(planHazardKinds(p)).toContain('deletes_data');
  });

  it('creates tables that reference each other before either FK (a cycle)', () => {
    const a = table('a', [col('id', 'integer', { nullable: false }), col('b_id', 'integer')], {
      primaryKey: pk('a_pkey', ['id']),
      foreignKeys: [fk('a_b_id_fkey', ['b_id'], { table: 'b', columns: ['id'] })],
    });
    const b = table('b', [col('id', 'integer', { nullable: false }), col('a_id', 'integer')], {
      primaryKey: pk('b_pkey', ['id']),
      foreignKeys: [fk('b_a_id_fkey', ['a_id'], { table: 'a', columns: ['id'] })],
    });
    const p = plan(model({ tables: [a, b] }));
    const lastTable = Math.max(at(p, 'CREATE TABLE "public"."a"'), at(p, 'CREATE TABLE "public"."b"'));
    expect(at(p, '"a_b_id_fkey"')).toBeGreaterThan(lastTable);
    expect(at(p, '"b_a_id_fkey"')).toBeGreaterThan(lastTable);
    // and drops them again, in either order, by dropping the FKs between them first
    const back = plan(model(), model({ tables: [a, b] }));
    expect(at(back, 'DROP CONSTRAINT "a_b_id_fkey"')).toBeLessThan(at(back, 'DROP TABLE "public"."b"'));
    expect(at(back, 'DROP CONSTRAINT "b_a_id_fkey"')).toBeLessThan(at(back, 'DROP TABLE "public"."a"'));
  });

  it('drops an index before its column', () => {
    const before = model({ tables: [table('t', [col('id'), col('x')], { indexes: [index('t_x_idx', ['x'])] })] });
    const after = model({ tables: [table('t', [col('id')])] });
    const p = plan(after, before);
    expect(at(p, 'DROP INDEX CONCURRENTLY "public"."t_x_idx"')).toBeLessThan(at(p, 'DROP COLUMN "x"'));
  });
});

describe('online forms on existing tables', () => {
  const base = table('t', [col('id', 'integer', { nullable: false }), col('x', 'integer')], { primaryKey: pk('t_pkey', ['id']) });

  it('builds an index CONCURRENTLY, alone, with index_build only', () => {
    const p = plan(model({ tables: [{ ...base, indexes: [index('t_x_idx', ['x'])] }] }), model({ tables: [base] }));
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]!.sql).toBe('CREATE INDEX CONCURRENTLY "t_x_idx" ON "public"."t" ("x")');
    expect(p.steps[0]!.transactional).toBe(false);
    expect(planHazardKinds(p)).toEqual(['index_build']);
  });

  it('replaces a changed index under a temporary name, then swaps: never dropped first', () => {
    const before = model({ tables: [{ ...base, indexes: [index('t_x_idx', ['x'])] }] });
    const after = model({ tables: [{ ...base, indexes: [index('t_x_idx', ['x'], { where: 'x > 0' })] }] });
    const p = plan(after, before);
    expect(p.steps.map((s) => s.sql)).toEqual([
      'CREATE INDEX CONCURRENTLY "t_x_idx_pgr_new" ON "public"."t" ("x") WHERE x > 0',
      'DROP INDEX CONCURRENTLY "public"."t_x_idx"',
      'ALTER INDEX "public"."t_x_idx_pgr_new" RENAME TO "t_x_idx"',
    ]);
  });

  it('adds a FK and a check NOT VALID, then validates them', () => {
    const other = table('o', [col('id', 'integer', { nullable: false })], { primaryKey: pk('o_pkey', ['id']) });
    const after = { ...base, foreignKeys: [fk('t_x_fkey', ['x'], { table: 'o', columns: ['id'] })], checks: [check('t_x_check', 'x > 0')] };
    const p = plan(model({ tables: [after, other] }), model({ tables: [base, other] }));
    const sql = p.steps.map((s) => s.sql);
    expect(sql).toContain('ALTER TABLE "public"."t" ADD CONSTRAINT "t_x_fkey" FOREIGN KEY ("x") REFERENCES "public"."o" ("id") NOT VALID');
    expect(sql).toContain('ALTER TABLE "public"."t" VALIDATE CONSTRAINT "t_x_fkey"');
    expect(sql).toContain('ALTER TABLE "public"."t" ADD CONSTRAINT "t_x_check" CHECK (x > 0) NOT VALID');
    expect(at(p, 'ADD CONSTRAINT "t_x_check"')).toBeLessThan(at(p, 'VALIDATE CONSTRAINT "t_x_check"'));
    // VALIDATE runs in a transaction of its own: the ADD's exclusive lock is released before the scan.
    const validate = p.steps[at(p, 'VALIDATE CONSTRAINT "t_x_check"')]!;
    expect(p.steps.filter((s) => s.group === validate.group)).toEqual([validate]);
    expect(planHazardKinds(p)).toEqual(['validates_constraint']);
  });

  it('sets NOT NULL through a validated check', () => {
    const after = { ...base, columns: [base.columns[0]!, col('x', 'integer', { nullable: false })] };
    const p = plan(model({ tables: [after] }), model({ tables: [base] }));
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."t" ADD CONSTRAINT "pgr_t_x_not_null" CHECK ("x" IS NOT NULL) NOT VALID',
      'ALTER TABLE "public"."t" VALIDATE CONSTRAINT "pgr_t_x_not_null"',
      'ALTER TABLE "public"."t" ALTER COLUMN "x" SET NOT NULL',
      'ALTER TABLE "public"."t" DROP CONSTRAINT "pgr_t_x_not_null"',
    ]);
  });

  it('warns of a rewrite for integer → bigint but not for varchar(50) → varchar(255), and converts text → integer with USING', () => {
    const withType = (type: string) => model({ tables: [{ ...base, columns: [base.columns[0]!, col('x', type)] }] });
    expect(planHazardKinds(plan(withType('bigint'), withType('integer')))).toEqual(['access_exclusive_lock', 'table_rewrite']);
    expect(planHazardKinds(plan(withType('character varying(255)'), withType('character varying(50)')))).toEqual([]);
    expect(planHazardKinds(plan(withType('text'), withType('character varying')))).toEqual([]);
    // Without the server's answer (no data facts), text → integer is taken to need a cast.
    const converted = plan(withType('integer'), withType('text'));
    expect(converted.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."t" ALTER COLUMN "x" TYPE integer USING "x"::integer']);
    expect(planHazardKinds(converted)).toEqual(['access_exclusive_lock', 'converts_values', 'table_rewrite']);
  });
});

describe('determinism and rendering', () => {
  it('gives the same plan, byte for byte, when computed twice', () => {
    expect(renderJson(plan(chain))).toBe(renderJson(plan(chain)));
    expect(renderSql(plan(chain))).toBe(renderSql(plan(chain)));
  });

  it('summarises grouped by object with + ~ - and highlights hazards', () => {
    const before = model({ tables: [table('old', [col('id')]), table('t', [col('id'), col('x')])] });
    const after = model({ tables: [table('t', [col('id'), col('y', 'text')]), table('n', [col('id')])] });
    const text = renderSummary(plan(after, before));
    expect(text).toMatch(/^Plan: 2 to create, 0 to alter, 2 to drop/);
    expect(text).toContain('+ table n');
    expect(text).toContain('- table old  ⚠ deletes_data');
    expect(text).toMatch(/~ table t\n {4}\+ column y: text\n {4}- column x {2}⚠ deletes_data/);
    expect(renderSummary(plan(after, after))).toBe('No changes. The database matches the desired state.\n');
  });
});

describe('plan files', () => {
  it('round-trips, refuses an edited file, and keeps its checksum valid after an approval', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgr-plan-'));
    const doc = newPlanDocument(plan(chain), 'postgres://app:***@db/prod', new Date('2026-11-21T20:15:00Z'));
    const path = await writePlanFile(doc, `${dir}/`);
    expect(path).toBe(join(dir, '20261121T201500Z_create-enum-mood-and-6-more.plan.yaml'));
    const read = await readPlanFile(path);
    expect(read).toEqual(doc);
    expect(await readFile(path, 'utf8')).toContain('CREATE TABLE "public"."people" (\n');

    const tampered = (await readFile(path, 'utf8')).replace('CREATE TYPE "public"."mood"', 'CREATE TYPE "public"."moods"');
    await writeFile(path, tampered);
    await expect(readPlanFile(path)).rejects.toThrow(/changed after it was written \(checksum mismatch\).*pgreconcile plan --out/);

    const approved = withApproval(doc, { by: 'alice', at: '2026-11-21T20:20:00Z', allowed_hazards: ['deletes_data'] });
    await writeFile(path, renderPlanFile(approved));
    expect((await readPlanFile(path)).approval?.by).toBe('alice');
    await expect(readPlanFile(join(dir, 'missing.yaml'))).rejects.toThrow(
      'cannot read ' + join(dir, 'missing.yaml') + ': it does not exist',
    );
  });
});
