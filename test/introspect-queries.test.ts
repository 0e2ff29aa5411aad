import { describe, expect, it } from 'vitest';
import type { Db, QueryResult } from '../src/db/db.js';
import { introspect } from '../src/introspect/index.js';
import { createTestDatabase } from './support/harness.js';

/** A Db that counts every statement sent through it, and through the connections it forks. */
function countingDb(inner: Db, counter = { n: 0 }): { db: Db; count: () => number; forks: () => number } {
  let forks = 0;
  const db: Db = {
    kind: inner.kind,
    description: inner.description,
    query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      counter.n++;
      return inner.query<T>(sql, params);
    },
    exec(sql: string): Promise<void> {
      counter.n++;
      return inner.exec(sql);
    },
    close: () => inner.close(),
    ...(inner.fork
      ? {
          fork: async (): Promise<Db> => {
            forks++;
            return countingDb(await inner.fork!(), counter).db;
          },
        }
      : {}),
  };
  return { db, count: () => counter.n, forks: () => forks };
}

/**
 * `tables` tables shaped like real ones (9 columns, a serial key, a unique, a check, two more
 * indexes, a foreign key to the previous table, a trigger with WHEN, comments), as scripts of
 * 50 tables each.
 */
function generatedSchema(tables: number): string[] {
  const out = [
    "CREATE TYPE mood AS ENUM ('a', 'b');",
    'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at = now(); RETURN NEW; END$$;',
  ];
  for (let i = 0; i < tables; i++) {
    const parent = i === 0 ? 'integer' : `integer REFERENCES t_${i - 1} (id) ON DELETE CASCADE`;
    out.push(
      `CREATE TABLE t_${i} (id serial PRIMARY KEY, name varchar(255) NOT NULL, email text UNIQUE, ` +
        `m mood DEFAULT 'a', amount numeric(10,2) CHECK (amount >= 0), created_at timestamptz DEFAULT now(), ` +
        `updated_at timestamptz, payload jsonb, parent_id ${parent});`,
      `CREATE INDEX t_${i}_name_idx ON t_${i} (name, created_at DESC);`,
      `CREATE INDEX t_${i}_lower_idx ON t_${i} (lower(email)) WHERE email IS NOT NULL;`,
      `CREATE TRIGGER t_${i}_touch BEFORE UPDATE ON t_${i} FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch();`,
      `COMMENT ON TABLE t_${i} IS 'table ${i}';`,
    );
  }
  const scripts: string[] = [];
  for (let i = 0; i < out.length; i += 50 * 5) scripts.push(out.slice(i, i + 50 * 5).join('\n'));
  return scripts;
}

describe('introspection issues a constant number of catalog queries', () => {
  it('sends as many statements for 500 tables as for 10', { timeout: 600_000 }, async () => {
    const counts: number[] = [];
    for (const size of [10, 500]) {
      const database = await createTestDatabase();
      try {
        // A transaction per 50 tables: one for all would hold thousands of locks in the lock
        // table every session of the server shares, and other tests would run out of it.
        for (const chunk of generatedSchema(size)) await database.db.exec(chunk);
        const { db, count, forks } = countingDb(database.db);
        const live = await introspect(db);
        // On a server the queries are split over a second connection (same snapshot).
        expect(forks()).toBe(database.db.kind === 'postgres' ? 1 : 0);
        expect(live.model.tables).toHaveLength(size);
        expect(live.model.tables.reduce((n, t) => n + t.indexes.length, 0)).toBe(2 * size);
        expect(live.model.tables.reduce((n, t) => n + t.triggers.length, 0)).toBe(size);
        expect(live.model.tables.reduce((n, t) => n + t.foreignKeys.length, 0)).toBe(size - 1);
        expect(live.queryCount).toBe(count());
        counts.push(count());
      } finally {
        await database.drop();
      }
    }
    expect(counts[1]).toBe(counts[0]);
    // One statement per object kind (and NULLS NOT DISTINCT on PostgreSQL 15+, the default
    // operator classes, exclusion constraints, column compression on PostgreSQL 14+, policies and
    // the tables' row-level security switches, owners and privileges), opening and closing the
    // snapshot, exporting it to the second connection and importing it there: a handful, not one per table.
    expect(counts[0]).toBeLessThanOrEqual(29);
  });
});
