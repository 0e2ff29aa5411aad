/**
 * Issue 17: a partition added to a busy partitioned table is attached online. The parent's two
 * partitions hold 1M rows; a reader on another connection selects from the parent without pause
 * while the plan runs (created apart LIKE the parent, a check matching its bounds, ATTACH
 * PARTITION, the check dropped), and its longest query must stay under 1 s: ATTACH takes SHARE
 * UPDATE EXCLUSIVE on the parent, which readers' ACCESS SHARE does not wait for. The next plan is empty.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { executePlan, planDatabase, renderSql } from '../src/index.js';
import { createTestDatabase, type OwnedTestDatabase } from './support/harness.js';

const ROWS = 1_000_000;
let database: OwnedTestDatabase | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.exec(`
    CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, body text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
    CREATE INDEX events_body_idx ON events (body);
    CREATE TABLE events_2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
    CREATE TABLE events_2024_02 PARTITION OF events FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
    INSERT INTO events SELECT g, DATE '2024-01-01' + (g % 59)::int, 'row ' || g FROM generate_series(1, ${ROWS}) AS g;
    ANALYZE events;`);
}, 300_000);

afterAll(async () => {
  await database?.drop();
}, 60_000);

const SCHEMA = `version: 1
schemas:
  public:
    tables:
      events:
        columns:
          id: { type: bigint, nullable: false }
          at: { type: date, nullable: false }
          body: { type: text }
        primary_key: [id, at]
        indexes:
          events_body_idx: { columns: [body] }
        partition_by: RANGE (at)
        partitions:
          events_2024_01: { bounds: "FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')" }
          events_2024_02: { bounds: "FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')" }
          events_2024_03: { bounds: "FOR VALUES FROM ('2024-03-01') TO ('2024-04-01')" }
`;

it('attaches a partition to a parent of 1M rows while a reader of the parent is blocked for under 1 s', async () => {
  const { db, url } = database!;
  const desired = await loadDesiredStateFromText(SCHEMA, 'schema.yaml');
  const { plan } = await planDatabase(db, desired);
  const sql = renderSql(plan);
  expect(sql).toContain('ATTACH PARTITION "public"."events_2024_03"');
  expect(sql).not.toContain('PARTITION OF');

  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  let running = true;
  let longest = 0;
  let queries = 0;
  const reading = (async () => {
    while (running) {
      const started = performance.now();
      await reader.query('SELECT count(*) FROM events WHERE id = $1', [1 + Math.floor(Math.random() * ROWS)]);
      longest = Math.max(longest, performance.now() - started);
      queries++;
    }
  })();
  try {
    // The reader is going before the plan starts, and after it ends.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await executePlan(db, plan);
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    running = false;
    await reading;
    await reader.end();
  }
  expect(queries).toBeGreaterThan(10);
  expect(longest, `the reader's longest query, of ${queries}, took ${Math.round(longest)} ms`).toBeLessThan(1000);
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM events');
  expect(Number(rows[0]!.n)).toBe(ROWS);
  const again = await planDatabase(db, desired);
  expect(again.plan.steps, renderSql(again.plan)).toHaveLength(0);
}, 300_000);
