/**
 * Output that says what the plan does (issue 13, item 9, and the hazard decision of item 10),
 * without a database: the summary counts a dropped column as a drop; a CONCURRENTLY step is not
 * "in a transaction"; two type changes that rewrite one table are one ALTER TABLE (one rewrite,
 * one lock); an ordinary index build on an existing table carries one hazard, index_build; drift
 * items use the format's names; `diff` of two files does not speak of a database.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import { describeChanges } from '../../src/drift/describe-change.js';
import { buildPlan, planHazardKinds, type Plan } from '../../src/plan/build-plan.js';
import { describeStepGroups, renderJson, renderSummary } from '../../src/plan/render.js';
import { initParser } from '../../src/sql/parser.js';
import type { SchemaModel } from '../../src/model/types.js';
import { col, desired, index, model, pk, table, trigger, unique, fn } from './diff-helpers.js';
import { nameKey } from '../../src/model/object-ref.js';

beforeAll(async () => {
  await initParser();
});

const STATS = new Map([[nameKey('public', 'events'), { rows: 120_000, bytes: 8 * 1024 * 1024 }]]);

function plan(want: SchemaModel, have: SchemaModel): Plan {
  const d = desired(want);
  return buildPlan(d, { model: have, stats: STATS, serverVersion: 150000 }, diffSchemas(d, have));
}

const id = col('id', 'integer', { nullable: false });
const events = (
  columns = [id, col('started', 'timestamp without time zone'), col('finished', 'timestamp without time zone')],
  extra = {},
) => table('events', columns, { primaryKey: pk('events_pkey', ['id']), ...extra });

describe('the summary line', () => {
  it('counts a dropped column as a drop, not as an altered table', () => {
    const p = plan(model({ tables: [events([id])] }), model({ tables: [events()] }));
    expect(renderSummary(p)).toMatch(/^Plan: 0 to create, 0 to alter, 2 to drop \(/);
  });

  it('counts a created table once, with what is created with it', () => {
    const p = plan(model({ tables: [events(undefined, { indexes: [index('events_started_idx', ['started'])] })] }), model());
    expect(renderSummary(p)).toMatch(/^Plan: 1 to create, 0 to alter, 0 to drop \(2 steps in 1 transaction\)/);
  });

  it('does not put a CONCURRENTLY step in a transaction', () => {
    const p = plan(
      model({ tables: [events(undefined, { indexes: [index('events_started_idx', ['started'])] })] }),
      model({ tables: [events()] }),
    );
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]!.transactional).toBe(false);
    expect(renderSummary(p)).toMatch(/^Plan: 1 to create, 0 to alter, 0 to drop \(1 step, outside a transaction\)/);
    const json = JSON.parse(renderJson(p)) as { summary: { transactions: number; outside_transaction: number } };
    expect(json.summary).toMatchObject({ transactions: 0, outside_transaction: 1 });
  });

  it('says how many steps run in transactions and how many outside', () => {
    const want = model({
      tables: [
        events([id, col('started', 'timestamp without time zone'), col('finished', 'timestamp without time zone'), col('note', 'text')], {
          indexes: [index('events_started_idx', ['started'])],
        }),
      ],
    });
    const p = plan(want, model({ tables: [events()] }));
    expect(describeStepGroups(p)).toBe('2 steps: 1 in 1 transaction, 1 outside a transaction');
  });
});

describe('two type changes on one table', () => {
  it('are one ALTER TABLE: one rewrite under one lock, both columns counted', () => {
    const want = events([id, col('started', 'timestamp with time zone'), col('finished', 'timestamp with time zone')]);
    const p = plan(model({ tables: [want] }), model({ tables: [events()] }));
    expect(p.steps).toHaveLength(1);
    const [step] = p.steps;
    expect(step!.sql).toBe(
      'ALTER TABLE "public"."events" ALTER COLUMN "finished" TYPE timestamp with time zone, ALTER COLUMN "started" TYPE timestamp with time zone',
    );
    expect(step!.hazards.map((h) => h.kind)).toEqual(['table_rewrite', 'access_exclusive_lock']);
    expect(step!.hazards[0]!.message).toContain('table events is rewritten once, in one statement (about 120,000 rows, 8.0 MB)');
    const summary = renderSummary(p);
    expect(summary).toMatch(/^Plan: 0 to create, 2 to alter, 0 to drop \(1 step in 1 transaction\)/);
    expect(summary).toContain(
      '~ columns finished, started: finished type timestamp without time zone → timestamp with time zone; started type',
    );
  });

  it('on different tables stay apart', () => {
    const other = table('logs', [id, col('at', 'timestamp without time zone')]);
    const p = plan(
      model({
        tables: [
          events([id, col('started', 'timestamp with time zone'), col('finished', 'timestamp without time zone')]),
          { ...other, columns: [id, col('at', 'timestamp with time zone')] },
        ],
      }),
      model({ tables: [events(), other] }),
    );
    expect(p.steps.map((s) => s.objectKind)).toEqual(['column', 'column']);
  });
});

describe('an index built on an existing table', () => {
  it('needs index_build allowed, and nothing else', () => {
    const p = plan(
      model({ tables: [events(undefined, { indexes: [index('events_started_idx', ['started'])] })] }),
      model({ tables: [events()] }),
    );
    expect(planHazardKinds(p)).toEqual(['index_build']);
    expect(p.steps[0]!.hazards[0]!.message).toBe(
      'index events_started_idx is built on events (about 120,000 rows, 8.0 MB), CONCURRENTLY: outside a transaction, reads and writes go on; a failure leaves an invalid index that the next plan repairs',
    );
  });

  it('an index dropped needs index_dropped only', () => {
    const p = plan(
      model({ tables: [events()] }),
      model({ tables: [events(undefined, { indexes: [index('events_started_idx', ['started'])] })] }),
    );
    expect(planHazardKinds(p)).toEqual(['index_dropped']);
  });
});

describe('drift and pending items', () => {
  it("use the format names and values, not the model's", () => {
    const before = model({
      functions: [fn('touch', 'BEGIN RETURN NEW; END;', { returns: 'trigger', language: 'plpgsql' })],
      tables: [
        events(undefined, {
          uniques: [unique('events_started_key', ['started'])],
          triggers: [trigger('events_touch', 'touch', { timing: 'before', events: ['update'], level: 'row' })],
        }),
      ],
    });
    const after = model({
      functions: before.functions,
      tables: [
        events([id, col('started', 'timestamp with time zone'), col('finished', 'timestamp without time zone')], {
          uniques: [unique('events_started_key', ['started'], { nullsNotDistinct: true })],
          triggers: [trigger('events_touch', 'touch', { timing: 'before', events: ['update'], level: 'row', enabled: 'disabled' })],
        }),
      ],
    });
    const items = describeChanges(diffSchemas(desired(after), before), before);
    const text = JSON.stringify(items);
    expect(text).not.toMatch(/nullsNotDistinct|"origin"|"disabled"|without time zone|with time zone/);
    expect(items).toContainEqual(
      expect.objectContaining({
        object: 'public.events.started',
        change: 'type changed',
        before: { type: 'timestamp' },
        after: { type: 'timestamptz' },
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ object: 'public.events.events_touch', before: { enabled: true }, after: { enabled: false } }),
    );
    expect(text).toContain('nulls_not_distinct');
  });
});

describe('an empty plan', () => {
  it('says what the caller says matched (diff of two files names no database)', () => {
    const p = plan(model(), model());
    expect(renderSummary(p)).toBe('No changes. The database matches the desired state.\n');
    expect(renderSummary(p, { noChanges: 'No differences: file a.yaml matches file b.yaml.' })).toBe(
      'No differences: file a.yaml matches file b.yaml.\n',
    );
  });
});
