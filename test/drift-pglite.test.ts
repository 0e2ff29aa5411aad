/**
 * Drift and diff where pgvector is needed (PGlite, served on a local port): an hnsw index's `m`
 * changed by hand is drift; `diff` between two databases loaded from different versions of the
 * slidefactory fixture prints the expected plan, both ways.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { openPglite, servePglite, type PgliteDb, type ServedPglite } from '../src/db/pglite-db.js';
import { driftOfDatabase } from '../src/drift/check-drift.js';
import { loadDesiredState } from '../src/desired/index.js';
import { useWorkFolder, writeSchema } from './support/apply-cli.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const fixtureSql = SLIDEFACTORY_INIT_SQL;

const work = useWorkFolder();

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => (stdout += t), err: (t) => (stderr += t), isTTY: false, cwd: work.dir, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface Served {
  readonly db: PgliteDb;
  readonly served: ServedPglite;
}

async function served(sql?: string): Promise<Served> {
  const db = await openPglite();
  if (sql !== undefined) await db.exec(sql);
  return { db, served: await servePglite(db) };
}

async function close(s: Served | undefined): Promise<void> {
  if (!s) return;
  await s.served.stop();
  await s.db.close();
}

describe('drift on PGlite (pgvector)', () => {
  let one: Served | undefined;
  afterEach(async () => {
    await close(one);
    one = undefined;
  });

  it('names an hnsw index whose m was changed by hand', async () => {
    one = await served();
    await writeSchema(
      work.dir,
      'items:\n  columns:\n    id: { type: bigserial }\n    embedding: { type: vector(3) }\n  primary_key: [id]\n  indexes:\n    items_embedding_idx:\n      using: hnsw\n      columns: [{ column: embedding, opclass: vector_l2_ops }]\n      with: { m: 16 }\n',
    );
    const { readFile: read, writeFile } = await import('node:fs/promises');
    const path = join(work.dir, 'schema.yaml');
    await writeFile(path, (await read(path, 'utf8')).replace('version: 1\n', 'version: 1\nextensions:\n  vector: {}\n'));
    const applied = await cli(['apply', '--approve', '--database-url', one.served.url]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli(['drift', '--database-url', one.served.url])).code).toBe(0);

    await one.db.exec(
      'DROP INDEX items_embedding_idx; CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops) WITH (m = 32)',
    );
    const r = await cli(['drift', '--database-url', one.served.url, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as { drifted: unknown[] };
    expect(report.drifted).toEqual([
      {
        object: 'public.items.items_embedding_idx',
        kind: 'index',
        change: 'with changed',
        before: { with: { m: '16' } },
        after: { with: { m: '32' } },
      },
    ]);
    // The library on the same database agrees.
    const lib = await driftOfDatabase(one.db, await loadDesiredState(path));
    expect(lib.drifted).toEqual(report.drifted);
  });
});

describe('diff between two databases loaded from different versions of the fixture', () => {
  let v1: Served | undefined;
  let v2: Served | undefined;
  beforeAll(async () => {
    const sql = await readFile(fixtureSql, 'utf8');
    const changed =
      sql
        .replace('WITH (lists = 100)', 'WITH (lists = 50)')
        .replace('CREATE INDEX idx_api_keys_active ON api_keys (key_prefix) WHERE is_active;', '') +
      "\nALTER TABLE app_users ADD COLUMN phone text;\nCOMMENT ON TABLE api_keys IS 'keys, hashed';\n";
    expect(changed).not.toContain('idx_api_keys_active');
    [v1, v2] = await Promise.all([served(sql), served(changed)]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([close(v1), close(v2)]);
  });

  it('prints the plan that makes --from match --to, and the reverse', async () => {
    const forward = await cli(['diff', '--from', v1!.served.url, '--to', v2!.served.url]);
    expect(forward.stderr).not.toMatch(/\n\s+at /);
    expect(forward.code, forward.stderr).toBe(2);
    expect(forward.stderr).toMatch(/^Plan to make database postgres:\/\/\S+ match database postgres:\/\/\S+/);
    expect(forward.stdout).toMatch(/\+ column phone/);
    expect(forward.stdout).toMatch(/- index idx_api_keys_active/);
    expect(forward.stdout).toMatch(/~ index context_chunks_embedding_cosine_idx/);
    expect(forward.stdout).toContain('~ table api_keys: comment');

    const sql = await cli(['diff', '--from', v1!.served.url, '--to', v2!.served.url, '--sql']);
    expect(sql.stdout).toMatch(/ADD COLUMN "phone" text/);
    expect(sql.stdout).toMatch(/DROP INDEX CONCURRENTLY "public"."idx_api_keys_active"/);
    expect(sql.stdout).toContain('WITH (lists = 50)');
    expect(sql.stdout).toContain('COMMENT ON TABLE "public"."api_keys" IS \'keys, hashed\';');

    const back = await cli(['diff', '--from', v2!.served.url, '--to', v1!.served.url, '--sql']);
    expect(back.code).toBe(2);
    expect(back.stdout).toMatch(/DROP COLUMN "phone"/);
    expect(back.stdout).toMatch(/CREATE INDEX[^;]*"idx_api_keys_active"/);

    const same = await cli(['diff', '--from', v1!.served.url, '--to', v1!.served.url]);
    expect(same.code).toBe(0);
  });

  it('compares a database with a file', async () => {
    const pulled = join(work.dir, 'v2.yaml');
    expect((await cli(['pull', '--database-url', v2!.served.url, '--out', pulled])).code).toBe(0);
    const r = await cli(['diff', '--from', v1!.served.url, '--to', 'v2.yaml', '--sql']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/ADD COLUMN "phone" text/);
    expect((await cli(['diff', '--from', v2!.served.url, '--to', 'v2.yaml'])).code).toBe(0);
  });
});
