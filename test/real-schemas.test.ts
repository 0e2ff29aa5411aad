/**
 * Issue 15, acceptance: the adoption round trip on real schemas no one here wrote — Pagila
 * (fixtures/pagila/schema.sql, on the PostgreSQL server) and Slidefactory
 * (fixtures/slidefactory/init.sql, which needs pgvector: on PGlite when the server lacks it).
 * load → `pull` → `plan` against the same database exits 0 → `plan --out` and `apply` on an empty
 * database (Pagila's domains `year` and `bıgınt` declared in the file and created by the plan) → re-plan
 * exits 0 → both pulls byte-identical, and both catalogs equal for every managed object kind, read
 * with the server's own pg_get_* functions (not pgreconcile's model). Every unmanaged object of
 * the original is named by a pull warning. Pagila's 7 views and its materialized view round-trip too.
 *
 * Pagila's partitioned table `payment` round-trips with its partitions (issue 17): the catalogs
 * are equal with no exception, its partitions' own indexes and foreign keys (created per
 * partition, not on the parent) included: they are declared under each partition. Pull warns
 * about nothing for Pagila.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { runCli, useWorkFolder } from './support/apply-cli.js';
import { PAGILA_SCHEMA_SQL, SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';
import { createTestDatabase } from './support/harness.js';

/** Every managed object kind, as the server prints it: one `kind key: definition` line each. */
const CATALOG = `
WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace
   WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile') AND nspname NOT LIKE 'pg\\_%'),
rels AS (
  SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relkind, c.relispartition
    FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     AND NOT c.relispartition)
SELECT line FROM (
  SELECT 'schema ' || nspname || ': ' || coalesce(obj_description(oid, 'pg_namespace'), '') AS line FROM ns
  UNION ALL
  SELECT 'extension ' || e.extname || ': ' || e.extversion || ' in ' || n.nspname
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'
  UNION ALL
  SELECT 'table ' || name || ': relkind ' || relkind::text || ' ' || coalesce(obj_description(oid, 'pg_class'), '') FROM rels WHERE relkind IN ('r', 'p')
  UNION ALL
  SELECT 'view ' || r.name || ': relkind ' || r.relkind::text || ' ' || coalesce(array_to_string(c.reloptions, ','), '') || ' ' || pg_get_viewdef(r.oid)
         || coalesce(' comment ' || obj_description(r.oid, 'pg_class'), '')
    FROM rels r JOIN pg_catalog.pg_class c ON c.oid = r.oid WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'column ' || r.name || '.' || a.attname || ': ' || format_type(a.atttypid, a.atttypmod)
         || ' #' || (SELECT count(*) FROM pg_catalog.pg_attribute b WHERE b.attrelid = a.attrelid AND b.attnum > 0 AND NOT b.attisdropped AND b.attnum <= a.attnum)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
         || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text
         || CASE WHEN a.attcollation <> t.typcollation THEN ' collate ' || co.collname ELSE '' END
         || coalesce(' comment ' || col_description(a.attrelid, a.attnum), '')
    FROM pg_catalog.pg_attribute a JOIN rels r ON r.oid = a.attrelid
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
   WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'constraint ' || r.name || '.' || c.conname || ': ' || pg_get_constraintdef(c.oid) || coalesce(' comment ' || obj_description(c.oid, 'pg_constraint'), '')
    FROM pg_catalog.pg_constraint c JOIN rels r ON r.oid = c.conrelid WHERE c.conparentid = 0
  UNION ALL
  SELECT 'index ' || i.indexrelid::regclass::text || ': ' || pg_get_indexdef(i.indexrelid) || coalesce(' comment ' || obj_description(i.indexrelid, 'pg_class'), '')
    FROM pg_catalog.pg_index i JOIN rels r ON r.oid = i.indrelid WHERE r.relkind IN ('r', 'p')
  UNION ALL
  -- A partition's own constraints and indexes (created on it alone, not propagated from its parent: issue 17).
  SELECT 'partition constraint ' || n.nspname || '.' || c.relname || '.' || con.conname || ': ' || pg_get_constraintdef(con.oid)
         || coalesce(' comment ' || obj_description(con.oid, 'pg_constraint'), '')
    FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN ns n ON n.oid = c.relnamespace
   WHERE c.relispartition AND con.conparentid = 0 AND con.coninhcount = 0 AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  UNION ALL
  SELECT 'partition index ' || i.indexrelid::regclass::text || ': ' || pg_get_indexdef(i.indexrelid) || coalesce(' comment ' || obj_description(i.indexrelid, 'pg_class'), '')
    FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN ns n ON n.oid = c.relnamespace
   WHERE c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits x WHERE x.inhrelid = i.indexrelid)
  UNION ALL
  SELECT 'trigger ' || r.name || '.' || tg.tgname || ': ' || pg_get_triggerdef(tg.oid) || coalesce(' comment ' || obj_description(tg.oid, 'pg_trigger'), '')
    FROM pg_catalog.pg_trigger tg JOIN rels r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'sequence ' || r.name || ': ' || format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment ' || s.seqincrement
         || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
         || coalesce(' owned by ' || (SELECT d.refobjid::regclass::text || '.' || a.attname FROM pg_catalog.pg_depend d
                                       JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                      WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i') LIMIT 1), '')
    FROM pg_catalog.pg_sequence s JOIN rels r ON r.oid = s.seqrelid
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure::text || ': ' || pg_get_functiondef(p.oid) || coalesce(' comment ' || obj_description(p.oid, 'pg_proc'), '')
    FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace
   WHERE p.prokind IN ('f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
  UNION ALL
  SELECT 'aggregate ' || a.aggfnoid::regprocedure::text || ': kind ' || a.aggkind::text || ' sfunc ' || a.aggtransfn::text
         || ' stype ' || format_type(a.aggtranstype, NULL) || ' finalfunc ' || a.aggfinalfn::text || ' extra ' || a.aggfinalextra
         || ' combinefunc ' || a.aggcombinefn::text || ' initcond ' || coalesce(a.agginitval, '(null)') || ' parallel ' || p.proparallel::text
    FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid JOIN ns n ON n.oid = p.pronamespace
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'enum ' || t.oid::regtype::text || ': ' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
         || coalesce(' comment ' || obj_description(t.oid, 'pg_type'), '')
    FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace WHERE t.typtype = 'e'
  UNION ALL
  SELECT 'domain ' || t.oid::regtype::text || ': ' || format_type(t.typbasetype, t.typtypmod)
         || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(t.typdefaultbin, 0), '')
         || coalesce(' collate ' || (SELECT co.collname FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
                                      WHERE co.oid = t.typcollation AND b.typcollation <> t.typcollation), '')
         || coalesce((SELECT string_agg(' ' || c.conname || ' ' || pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
                        FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid), '')
         || coalesce(' comment ' || obj_description(t.oid, 'pg_type'), '')
    FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace WHERE t.typtype = 'd'
) q ORDER BY line`;

/** The catalog lines of a database, read on a connection of its own with search_path = public. */
async function catalogOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET search_path = public');
    const { rows } = await client.query<{ line: string }>(CATALOG);
    return rows.map((r) => r.line);
  } finally {
    await client.end();
  }
}

/** Runs SQL on a connection of its own (a fixture's `SET`s must not reach the test's pinned session). */
async function load(url: string, db: Db, sql: string): Promise<void> {
  if (db.kind === 'pglite') {
    await db.exec(sql);
    await db.exec('RESET ALL; SET search_path = public');
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Lines only in `a`, and lines only in `b`. */
function difference(a: readonly string[], b: readonly string[]): { onlyOriginal: string[]; onlyRebuilt: string[] } {
  const setA = new Set(a);
  const setB = new Set(b);
  return { onlyOriginal: a.filter((l) => !setB.has(l)), onlyRebuilt: b.filter((l) => !setA.has(l)) };
}

interface RoundTrip {
  readonly pulled: string;
  readonly warnings: string[];
  readonly original: string[];
  readonly rebuilt: string[];
}

/** The round trip of one fixture, every exit code checked on the way. */
async function roundTrip(dir: string, fixture: string, options: { vector: boolean; prepareEmpty?: string }): Promise<RoundTrip> {
  const original = await createTestDatabase({ vector: options.vector });
  const empty = await createTestDatabase({ vector: options.vector });
  try {
    await load(original.url, original.db, await readFile(fixture, 'utf8'));
    const pull = await runCli(['pull', '--database-url', original.url, '--out', 'schema.yaml'], dir);
    expect(pull.code, pull.stderr).toBe(0);
    const warnings = pull.stderr
      .split('\n')
      .filter((l) => l.startsWith('warning: '))
      .map((l) => l.slice('warning: '.length));
    const same = await runCli(['plan', '--database-url', original.url, '--schema', 'schema.yaml'], dir);
    expect(same.code, `plan against the original:\n${same.stdout}${same.stderr}`).toBe(0);

    if (options.prepareEmpty !== undefined) await load(empty.url, empty.db, options.prepareEmpty);
    const plan = await runCli(['plan', '--database-url', empty.url, '--schema', 'schema.yaml', '--out', 'build.plan.yaml'], dir);
    expect(plan.code, plan.stderr).toBe(2);
    const apply = await runCli(['apply', 'build.plan.yaml', '--database-url', empty.url, '--approve', '--allow-hazards', 'all'], dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const replan = await runCli(['plan', '--database-url', empty.url, '--schema', 'schema.yaml'], dir);
    expect(replan.code, `re-plan of the rebuilt database:\n${replan.stdout}${replan.stderr}`).toBe(0);

    const pullAgain = await runCli(['pull', '--database-url', empty.url, '--out', 'rebuilt.yaml'], dir);
    expect(pullAgain.code, pullAgain.stderr).toBe(0);
    const pulled = await readFile(join(dir, 'schema.yaml'), 'utf8');
    expect(await readFile(join(dir, 'rebuilt.yaml'), 'utf8'), 'the pulls of both databases').toBe(pulled);
    return { pulled, warnings, original: await catalogOf(original.url), rebuilt: await catalogOf(empty.url) };
  } finally {
    await original.drop();
    await empty.drop();
  }
}

describe('real schemas: the adoption round trip', () => {
  const work = useWorkFolder();

  it('Pagila (PostgreSQL server): pull, plan empty, build from nothing, re-plan empty, same catalog', async () => {
    const r = await roundTrip(work.dir, PAGILA_SCHEMA_SQL, { vector: false });
    // The domains are declared (issue 17), and the rebuilt catalog has them alike (the domain lines below).
    expect(r.pulled).not.toContain('external_types');
    expect(r.pulled).toContain('    domains:\n      bıgınt: { type: bigint }\n      year:\n        type: integer\n        checks:\n');
    expect(r.original.filter((l) => l.startsWith('domain '))).toHaveLength(2);

    // Managed kinds, payment's partitioning included: equal object for object.
    expect(difference(r.original, r.rebuilt)).toEqual({ onlyOriginal: [], onlyRebuilt: [] });
    expect(r.original).toContain('table public.payment: relkind p ');
    expect(r.original.length).toBeGreaterThan(200);

    // Its 7 views and its materialized view (with its unique index) are managed now: written, rebuilt, the same.
    const views = [
      'actor_info',
      'customer_list',
      'film_list',
      'nicer_but_slower_film_list',
      'sales_by_film_category',
      'sales_by_store',
      'staff_list',
    ];
    for (const v of views) {
      expect(r.pulled, v).toContain(`\n      ${v}:\n        query: `);
      expect(r.original.filter((l) => l.startsWith(`view public.${v}: relkind v `)).length, v).toBe(1);
    }
    expect(r.pulled).toContain('    materialized_views:\n      rental_by_category:\n        query: ');
    expect(r.pulled).toContain(
      '        indexes:\n          rental_category: { columns: [category], unique: true }\n        with_data: false\n',
    );
    expect(r.original.filter((l) => l.startsWith('view public.rental_by_category: relkind m ')).length).toBe(1);
    // Every unmanaged object of the original is named by a pull warning.
    expect(r.warnings.some((w) => w.startsWith('view ') || w.startsWith('materialized view '))).toBe(false);
    // Pagila's partitions carry indexes and foreign keys of their own (not their parent's): declared under
    // each partition, rebuilt on it, and the same in both catalogs (their lines are among the equal ones).
    expect(r.pulled).toContain(
      "          payment_p2022_01:\n            bounds: \"FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')\"\n            indexes:\n",
    );
    expect(r.pulled).toContain('              idx_fk_payment_p2022_01_customer_id: { columns: [customer_id] }\n');
    expect(r.pulled).toContain(
      '              - columns: [customer_id]\n                references: { table: customer, columns: [customer_id] }\n',
    );
    expect(r.original.filter((l) => l.startsWith('partition index ')).length).toBeGreaterThanOrEqual(12);
    expect(r.original.filter((l) => l.startsWith('partition constraint public.payment_p')).length).toBeGreaterThanOrEqual(12);
    // The aggregate is managed: written, rebuilt, and the same in both catalogs (its line is among the equal ones).
    expect(r.pulled).toContain('    aggregates:\n      group_concat: { arguments: [text], sfunc: _group_concat, stype: text }\n');
    expect(r.original.filter((l) => l.startsWith('aggregate '))).toEqual([
      'aggregate group_concat(text): kind n sfunc _group_concat stype text finalfunc - extra false combinefunc - initcond (null) parallel u',
    ]);
    expect(r.warnings.filter((w) => w.startsWith('aggregate ') || w.startsWith('domain '))).toEqual([]);
    // Pull warns about nothing: every object of Pagila is of a managed kind, and written.
    expect(r.warnings).toEqual([]);
  }, 240_000);

  it('Slidefactory (pgvector; PGlite when the server lacks it): pull, plan empty, build from nothing, re-plan empty, same catalog', async () => {
    const r = await roundTrip(work.dir, SLIDEFACTORY_INIT_SQL, { vector: true });
    expect(difference(r.original, r.rebuilt)).toEqual({ onlyOriginal: [], onlyRebuilt: [] });
    expect(r.original.some((l) => l.startsWith('index '))).toBe(true);
    expect(r.warnings).toEqual([]);
  }, 240_000);
});
