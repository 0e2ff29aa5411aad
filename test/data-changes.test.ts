/**
 * Data changes (`data_changes:`, src/data-changes/) against a real server: ordering between
 * schema steps (a NOT NULL column filled between ADD COLUMN and SET NOT NULL), batches,
 * once per database across applies and a rollback, an edited one refused, SIGKILL mid-backfill
 * and `apply --resume`, and what plan, the plan file, --json and history say of them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../src/desired/index.js';
import { planDatabase } from '../src/plan-database.js';
import { useTestDatabase } from './support/harness.js';
import { useWorkFolder } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

const SCHEMA = `version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: { type: bigint }
          name: { type: text }
          c: { type: text, nullable: false }
          touched: { type: integer, nullable: false, default: 0 }
        primary_key: [id]
data_changes:
  fill_c:
    sql: UPDATE public.t SET c = upper(name), touched = touched + 1 WHERE id BETWEEN $1 AND $2
    after: { column: public.t.c }
    before: { not_null: public.t.c }
    batch: { key: id, size: 10000 }
`;

describe('data changes', () => {
  it('plans a NOT NULL column filled by a data change between ADD COLUMN and SET NOT NULL', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE t (id bigint PRIMARY KEY, name text, touched integer NOT NULL DEFAULT 0);
      INSERT INTO t (id, name) SELECT g, 'n' || g FROM generate_series(1, 1000) g; ANALYZE t;`);
    const path = join(work.dir, 'schema.yaml');
    await writeFile(path, SCHEMA);
    const desired = await loadDesiredState(path);
    const { plan } = await planDatabase(db, desired);
    console.log(plan.steps.map((s) => `${s.n} g${s.group} ${s.objectKind} ${s.object}: ${s.sql}`).join('\n'));
  });
});
