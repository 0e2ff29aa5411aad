/**
 * The README's format example is docs/example.schema.yaml, verbatim; it validates, applies to
 * a real server from nothing, and re-plans empty.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, loadDesiredState, planDatabase } from '../src/index.js';
import { useTestDatabase } from './support/harness.js';

const root = join(import.meta.dirname, '..');

describe('the README example', () => {
  const database = useTestDatabase();

  it('is the example file, verbatim (but for its editor line and comments)', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const example = await readFile(join(root, 'docs', 'example.schema.yaml'), 'utf8');
    const body = example
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim();
    expect(readme).toContain(body);
  });

  it('declares every object kind, applies from nothing and re-plans empty', async () => {
    const desired = await loadDesiredState(join(root, 'docs', 'example.schema.yaml'));
    const m = desired.model;
    expect(m.extensions.length).toBeGreaterThan(0);
    expect(m.enums.length).toBeGreaterThan(0);
    expect(m.collations.length).toBeGreaterThan(0);
    expect(m.rangeTypes.length).toBeGreaterThan(0);
    expect(m.compositeTypes.length).toBeGreaterThan(0);
    expect(m.sequences.some((s) => s.ownedBy === undefined || s.name === 'invoice_number_seq')).toBe(true);
    expect(m.functions.map((f) => f.language).sort()).toEqual(['plpgsql', 'sql']);
    const tables = m.tables;
    expect(tables.some((t) => t.primaryKey && t.uniques.length && t.checks.length && t.indexes.length && t.triggers.length)).toBe(true);
    expect(tables.some((t) => t.foreignKeys.some((f) => f.deferrable))).toBe(true);
    expect(tables.some((t) => t.columns.some((c) => c.identity))).toBe(true);
    expect(tables.some((t) => t.columns.some((c) => c.generated))).toBe(true);
    expect(tables.some((t) => t.rowLevelSecurity?.enabled === true && (t.policies ?? []).length > 0)).toBe(true);

    const { db } = database();
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.length).toBeGreaterThan(20);
    await executePlan(db, plan);
    const again = await planDatabase(db, desired);
    expect(again.plan.steps).toEqual([]);
  });
});
