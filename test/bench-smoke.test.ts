/**
 * The benchmark's generator at small sizes: its SQL and its schema.yaml describe the same
 * schema (the plan of one against the other is empty), and its modified variant plans exactly
 * the changes it claims. A check of the whole pipeline on a realistic shape, too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../bench/bench.js';
import { textTable } from '../bench/bench-report.js';
import { median } from '../bench/measure.js';
import { countStatements } from '../bench/migra-runner.js';
import { changedTableNumbers, generateBenchSchema } from '../bench/schema-generator.js';
import { loadDesiredState } from '../src/desired/index.js';
import { executePlan, planDatabase } from '../src/index.js';
import type { Plan } from '../src/plan/build-plan.js';
import { useTestDatabase } from './support/harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pgr-bench-smoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeYaml(name: string, yaml: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, yaml);
  return path;
}

const describePlan = (plan: Plan): string => plan.steps.map((s) => `${s.n}. [${s.change}] ${s.sql}`).join('\n');

describe('generator (no database)', () => {
  it('changes about 1% of the tables, at least one, spread out', () => {
    expect(changedTableNumbers(5)).toEqual([3]);
    expect(changedTableNumbers(100)).toEqual([51]);
    expect(changedTableNumbers(1000)).toHaveLength(10);
    expect(changedTableNumbers(5000)).toHaveLength(50);
    expect(new Set(changedTableNumbers(5000)).size).toBe(50);
    expect(Math.max(...changedTableNumbers(5000))).toBeLessThanOrEqual(5000);
  });

  it('counts what it generates', () => {
    const plain = generateBenchSchema({ tables: 7 });
    expect(plain.counts).toEqual({
      tables: 7,
      columns: 63,
      indexes: 14,
      foreignKeys: 7,
      checks: 7,
      triggers: 7,
      enums: 3,
      functions: 1,
    });
    expect(plain.changedTables).toEqual([]);
    const modified = generateBenchSchema({ tables: 7, modified: true });
    expect(modified.counts.columns).toBe(64);
    expect(modified.counts.checks).toBe(6);
  });

  it('splits the SQL into chunks of tables', () => {
    const schema = generateBenchSchema({ tables: 250, chunkTables: 100 });
    // The preamble (enums, function), then 100 + 100 + 50 tables.
    expect(schema.sqlChunks).toHaveLength(4);
    expect(schema.sqlChunks[3]?.match(/CREATE TABLE/g)).toHaveLength(50);
  });

  it('keeps a 5,000-table schema.yaml under the loader’s 4 MiB limit', () => {
    const { yaml } = generateBenchSchema({ tables: 5000, modified: true });
    expect(Buffer.byteLength(yaml)).toBeLessThan(4 * 1024 * 1024);
  });

  it('rejects a table count that is not a positive integer', () => {
    expect(() => generateBenchSchema({ tables: 0 })).toThrow(/positive integer/);
    expect(() => generateBenchSchema({ tables: 2.5 })).toThrow(/positive integer/);
  });
});

describe('bench helpers (no database)', () => {
  it('takes medians', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('counts the statements migra prints', () => {
    const sql = 'create table "public"."t" (\n  "id" integer not null\n);\n\nalter table "t" add column "x" text;\n';
    expect(countStatements(sql)).toBe(2);
    expect(countStatements('')).toBe(0);
  });

  it('aligns text tables', () => {
    expect(
      textTable(
        ['tables', 'ms'],
        [
          ['100', '1.5'],
          ['1,000', '12.0'],
        ],
      ),
    ).toBe(['tables    ms', '------  ----', '100      1.5', '1,000   12.0'].join('\n'));
  });

  it('parses the command line', () => {
    const opts = parseBenchArgs(['--tables', '100,1000,5000', '--json', '--no-migra', '--runs', '3']);
    expect(opts).toMatchObject({ tables: [100, 1000, 5000], json: true, migra: false, runs: 3, keep: false });
    expect(parseBenchArgs([])).toMatchObject({ tables: [1000], migra: true, migraTimeoutMs: 900_000 });
    expect(parseBenchArgs(['--help'])).toBe('help');
    expect(() => parseBenchArgs(['--tables', '0'])).toThrow(/--tables: expected a positive integer, got "0"/);
    expect(() => parseBenchArgs(['--frobnicate'])).toThrow(/frobnicate/);
  });
});

describe('generated SQL and schema.yaml on a real server', () => {
  const database = useTestDatabase();

  it('describe the same schema: the plan of the unmodified yaml is empty', async () => {
    const { db } = database();
    const schema = generateBenchSchema({ tables: 5 });
    for (const chunk of schema.sqlChunks) await db.exec(chunk);
    const desired = await loadDesiredState(await writeYaml('plain.yaml', schema.yaml));

    const { plan, live } = await planDatabase(db, desired);
    expect(plan.steps, `the plan must be empty:\n${describePlan(plan)}`).toHaveLength(0);

    // The live model holds what the generator says it made.
    const tables = live.model.tables;
    expect(tables).toHaveLength(schema.counts.tables);
    expect(tables.reduce((n, t) => n + t.columns.length, 0)).toBe(schema.counts.columns);
    expect(tables.reduce((n, t) => n + t.indexes.length, 0)).toBe(schema.counts.indexes);
    expect(tables.reduce((n, t) => n + t.foreignKeys.length, 0)).toBe(schema.counts.foreignKeys);
    expect(tables.reduce((n, t) => n + t.checks.length, 0)).toBe(schema.counts.checks);
    expect(tables.reduce((n, t) => n + t.triggers.length, 0)).toBe(schema.counts.triggers);
    expect(live.model.enums).toHaveLength(schema.counts.enums);
  });

  it('plans the modified variant as exactly its changes, and re-plans empty after apply', async () => {
    const { db } = database();
    const plain = generateBenchSchema({ tables: 5 });
    for (const chunk of plain.sqlChunks) await db.exec(chunk);
    const modified = generateBenchSchema({ tables: 5, modified: true });
    const desired = await loadDesiredState(await writeYaml('modified.yaml', modified.yaml));

    const { changes, plan } = await planDatabase(db, desired);
    expect(changes.map((c) => c.kind).sort()).toEqual(['add_column', 'drop_check', 'replace_index']);
    expect(plan.steps.length).toBeGreaterThan(0);

    await executePlan(db, plan);
    const again = await planDatabase(db, desired);
    expect(again.plan.steps, `the plan after apply must be empty:\n${describePlan(again.plan)}`).toHaveLength(0);
  });

  it('loads the modified variant’s SQL as the same schema as its yaml', async () => {
    const { db } = database();
    const modified = generateBenchSchema({ tables: 5, modified: true });
    for (const chunk of modified.sqlChunks) await db.exec(chunk);
    const desired = await loadDesiredState(await writeYaml('modified-live.yaml', modified.yaml));
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps, `the plan must be empty:\n${describePlan(plan)}`).toHaveLength(0);
  });
});
