/**
 * The fixture's ivfflat index replaced by hnsw (m=16, ef_construction=64) on a database with
 * rows: planned as build-new, drop-old, rename (never dropped first), with the table's size in
 * the index_build hazard; while it runs, similarity queries from another connection never fail;
 * re-plan empty. pgvector runs on PGlite here (the server has no pgvector).
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/db/pg-db.js';
import { openPglite, servePglite, type PgliteDb, type ServedPglite } from '../src/db/pglite-db.js';
import { executePlan, loadDesiredState, planDatabase } from '../src/index.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const root = join(import.meta.dirname, '..');
const fixture = SLIDEFACTORY_INIT_SQL;

describe('ivfflat → hnsw on the Slidefactory fixture', () => {
  let db: PgliteDb;
  let served: ServedPglite;
  let dir: string;

  beforeAll(async () => {
    db = await openPglite();
    await db.exec(await readFile(fixture, 'utf8'));
    await db.exec(`
      INSERT INTO context_documents (id, context_id) VALUES ('00000000-0000-0000-0000-000000000001', 'ctx');
      INSERT INTO context_chunks (document_id, chunk_index, content, embedding)
      SELECT '00000000-0000-0000-0000-000000000001', g, 'chunk ' || g,
             (SELECT array_agg(random())::vector(1024) FROM generate_series(1, 1024) AS d(i) WHERE g.g > 0)
      FROM generate_series(1, 200) AS g;
      ANALYZE context_chunks;`);
    served = await servePglite(db, { maxConnections: 4 });
    dir = await mkdtemp(join(tmpdir(), 'pgr-hnsw-'));
    const yaml = (await readFile(join(root, 'schema.yaml'), 'utf8')).replace(
      'using: ivfflat\n            columns: [{ column: embedding, opclass: vector_cosine_ops }]\n            with: { lists: 100 }',
      'using: hnsw\n            columns: [{ column: embedding, opclass: vector_cosine_ops }]\n            with: { m: 16, ef_construction: 64 }',
    );
    expect(yaml).toContain('using: hnsw');
    await writeFile(join(dir, 'schema.yaml'), yaml);
  }, 300_000);

  afterAll(async () => {
    await served?.stop();
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds the new index, drops the old, renames; queries never fail; re-plan empty', { timeout: 180_000 }, async () => {
    const desired = await loadDesiredState(join(dir, 'schema.yaml'));
    const target = await connectPostgres(served.url);
    try {
      const { plan } = await planDatabase(target, desired);
      expect(plan.steps.map((s) => s.sql)).toEqual([
        'CREATE INDEX CONCURRENTLY "context_chunks_embedding_cosine_idx_pgr_new" ON "public"."context_chunks" USING "hnsw" ("embedding" "vector_cosine_ops") WITH (m = 16, ef_construction = 64)',
        'DROP INDEX CONCURRENTLY "public"."context_chunks_embedding_cosine_idx"',
        'ALTER INDEX "public"."context_chunks_embedding_cosine_idx_pgr_new" RENAME TO "context_chunks_embedding_cosine_idx"',
      ]);
      const build = plan.steps[0]!.hazards.find((h) => h.kind === 'index_build');
      expect(build?.message).toMatch(
        /^the new definition of index context_chunks_embedding_cosine_idx is built on context_chunks \(about 200 rows, [\d.]+ (kB|MB)\), CONCURRENTLY: outside a transaction, reads and writes go on; a failure leaves an invalid index that the next plan repairs$/,
      );

      // Another connection queries by similarity all along.
      const reader = new pg.Client({ connectionString: served.url });
      await reader.connect();
      let running = true;
      let queries = 0;
      const failures: string[] = [];
      const probe = (async () => {
        const q = `SELECT id FROM context_chunks ORDER BY embedding <=> (SELECT embedding FROM context_chunks WHERE chunk_index = 1) LIMIT 5`;
        while (running) {
          try {
            const { rows } = await reader.query(q);
            if (rows.length !== 5) failures.push(`got ${rows.length} rows`);
            queries += 1;
          } catch (error) {
            failures.push((error as Error).message);
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      try {
        await executePlan(target, plan, { afterCommit: () => new Promise((resolve) => setTimeout(resolve, 20)) });
      } finally {
        running = false;
        await probe;
        await reader.end();
      }
      expect(failures).toEqual([]);
      expect(queries).toBeGreaterThan(3);

      const { rows } = await target.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'context_chunks_embedding_cosine_idx'",
      );
      expect(rows[0]?.indexdef).toContain("USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')");
      expect((await planDatabase(target, desired)).plan.steps).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
