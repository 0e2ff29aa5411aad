/**
 * What the plan does not manage but a step touches (issue 15): views and materialized views left
 * out by an `ignore` pattern (managed ones are taken off and put back by the plan, issue 16:
 * test/cases/views/), rules and policies, that use a column whose type changes or that is dropped,
 * a table dropped, a function or type dropped. The plan reads them from pg_depend (`gatherDataFacts`,
 * src/plan-database.ts) and the step carries `blocked_by_dependents` naming each one; apply
 * refuses at the hazard gate before anything runs, never with a PostgreSQL error halfway. With the
 * object dropped, the hazard is gone, the plan applies and the next plan is empty.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.js';
import { loadDesiredState } from '../src/desired/index.js';
import { planDatabase } from '../src/plan-database.js';
import { executePlan } from '../src/index.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { useTestDatabase } from './support/harness.js';
import { planToFile, runCli, useWorkFolder, writeSchema } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

interface DependentCase {
  readonly name: string;
  /** The database before: a managed table and the object the format does not manage. */
  readonly sql: string;
  /** The desired tables (under schema public). */
  readonly tables: string;
  /** `ignore` patterns of the file: the views it leaves unmanaged. */
  readonly ignore?: readonly string[];
  /** The words the hazard message must hold. */
  readonly names: string;
  /** Makes the step possible: drops the unmanaged object. */
  readonly drop: string;
  /** The hazards besides blocked_by_dependents that the plan carries, allowed in the refused apply. */
  readonly others: string;
  /** A relation the refused apply must have left as it was, and a column it must still have. */
  readonly kept: { readonly table: string; readonly column?: string };
}

const USERS = 'users:\n  columns:\n    id: { type: integer }\n';

/** The file's `ignore` list (after `version: 1`). */
async function withIgnore(path: string, ignore: readonly string[] | undefined): Promise<string> {
  if (ignore === undefined || ignore.length === 0) return path;
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace('version: 1\n', `version: 1\nignore:\n${ignore.map((g) => `  - ${JSON.stringify(g)}\n`).join('')}`));
  return path;
}

const CASES: readonly DependentCase[] = [
  {
    name: 'a view on a column whose type changes',
    sql: 'CREATE TABLE users (id integer PRIMARY KEY, name varchar(20)); CREATE VIEW v AS SELECT id, name FROM users',
    tables: `${USERS}    name: { type: text }\n  primary_key: [id]\n`,
    ignore: ['public.v'],
    names: 'view public.v uses column users.name, which the step changes the type of',
    drop: 'DROP VIEW v',
    others: 'table_rewrite,access_exclusive_lock',
    kept: { table: 'users', column: 'name' },
  },
  {
    name: 'a view on a dropped column',
    sql: 'CREATE TABLE users (id integer PRIMARY KEY, legacy text); CREATE VIEW legacy_users AS SELECT legacy FROM users',
    tables: `${USERS}  primary_key: [id]\n`,
    ignore: ['public.legacy_*'],
    names: 'view public.legacy_users uses column users.legacy, which the step drops',
    drop: 'DROP VIEW legacy_users',
    others: 'deletes_data',
    kept: { table: 'users', column: 'legacy' },
  },
  {
    // A policy of a managed table is managed (dropped before the column); one of an ignored table is not.
    name: 'a policy of an ignored table on a dropped column',
    sql: `CREATE TABLE users (id integer PRIMARY KEY, owner name); CREATE TABLE notes (id integer PRIMARY KEY);
          ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
          CREATE POLICY own_notes ON notes USING (EXISTS (SELECT 1 FROM users WHERE users.owner = current_user))`,
    tables: `${USERS}  primary_key: [id]\n`,
    ignore: ['public.notes'],
    names: 'policy own_notes on public.notes uses column users.owner, which the step drops',
    drop: 'DROP POLICY own_notes ON notes',
    others: 'deletes_data',
    kept: { table: 'users', column: 'owner' },
  },
  {
    name: 'a materialized view on a dropped table',
    sql: `CREATE TABLE users (id integer PRIMARY KEY); CREATE TABLE old_orders (id integer PRIMARY KEY, total numeric);
          CREATE MATERIALIZED VIEW order_totals AS SELECT sum(total) AS total FROM old_orders`,
    tables: `${USERS}  primary_key: [id]\n`,
    ignore: ['public.order_totals'],
    names: 'materialized view public.order_totals uses table old_orders, which the step drops',
    drop: 'DROP MATERIALIZED VIEW order_totals',
    others: 'deletes_data',
    kept: { table: 'old_orders' },
  },
  {
    name: 'a rule on a managed table that uses a column whose type changes',
    sql: `CREATE TABLE users (id integer PRIMARY KEY, name varchar(20)); CREATE TABLE audit (id integer PRIMARY KEY, name varchar(20));
          CREATE RULE users_audit AS ON INSERT TO users DO ALSO INSERT INTO audit VALUES (new.id, new.name)`,
    tables: `${USERS}    name: { type: varchar(40) }\n  primary_key: [id]\naudit:\n  columns:\n    id: { type: integer }\n    name: { type: varchar(20) }\n  primary_key: [id]\n`,
    names: 'rule users_audit on public.users uses column users.name, which the step changes the type of',
    drop: 'DROP RULE users_audit ON users',
    others: '',
    kept: { table: 'users', column: 'name' },
  },
];

async function columnType(db: Db, table: string, column: string): Promise<string | undefined> {
  const { rows } = await db.query<{ t: string }>(
    `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped`,
    [table, column],
  );
  return rows[0]?.t;
}

describe('objects the format does not manage that a step touches: blocked_by_dependents', () => {
  for (const c of CASES) {
    it(`${c.name}: the plan names it, apply refuses at the hazard gate; once it is dropped the plan applies and converges`, async () => {
      const { url, db } = database();
      await db.exec(c.sql);
      const schema = await withIgnore(await writeSchema(work.dir, c.tables), c.ignore);
      const desired = await loadDesiredState(schema);
      const { plan } = await planDatabase(db, desired);
      const blocked = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
      expect(blocked.join('\n')).toContain(c.names);
      expect(blocked.join('\n')).toContain('apply will fail');

      const before = c.kept.column !== undefined ? await columnType(db, c.kept.table, c.kept.column) : undefined;
      const planPath = await planToFile(url, work.dir);
      const allow = c.others !== '' ? ['--allow-hazards', c.others] : [];
      const refused = await runCli(['apply', planPath, '--database-url', url, ...allow], work.dir);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain('refused: the plan carries hazards that were not allowed:');
      expect(refused.stderr).toContain('blocked_by_dependents');
      // The refusal, not a PostgreSQL error at the step: nothing ran.
      expect(refused.stderr).not.toMatch(/SQLSTATE|failed at step|rolled back/);
      expect(await listVersions(db)).toEqual([]);
      const { rows } = await db.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [c.kept.table]);
      expect(rows[0]?.r).toBe(c.kept.table);
      if (c.kept.column !== undefined) expect(await columnType(db, c.kept.table, c.kept.column)).toBe(before);

      // The hazard is real: run anyway, the step fails with PostgreSQL's error.
      await expect(executePlan(db, plan)).rejects.toThrow(/depends? on|cannot alter type/);

      await db.exec(c.drop);
      const unblocked = await planDatabase(db, desired);
      expect(unblocked.plan.steps.flatMap((s) => s.hazards.map((h) => h.kind))).not.toContain('blocked_by_dependents');
      const second = await planToFile(url, work.dir);
      const applied = await runCli(['apply', second, '--database-url', url, '--allow-hazards', 'all'], work.dir);
      expect(applied.code, applied.stderr).toBe(0);
      expect((await planDatabase(db, desired)).plan.steps.map((s) => s.sql)).toEqual([]);
    });
  }

  it('an ignored view calling a function the plan drops, and using an enum type the plan drops', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE users (id integer PRIMARY KEY);
      CREATE FUNCTION twice(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT n * 2';
      CREATE TYPE mood AS ENUM ('ok', 'sad');
      CREATE VIEW doubled AS SELECT twice(id) AS d, 'ok'::mood AS m FROM users`);
    const schema = await withIgnore(await writeSchema(work.dir, `${USERS}  primary_key: [id]\n`), ['public.doubled']);
    const { plan } = await planDatabase(db, await loadDesiredState(schema));
    const blocked = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
    expect(blocked.join('\n')).toContain('view public.doubled uses function twice(integer), which the step drops');
    expect(blocked.join('\n')).toContain('view public.doubled uses type mood, which the step drops');
  });

  it('a view using a composite type and a range type the plan drops (both managed kinds, the view left to `ignore`)', async () => {
    const { db } = database();
    await db.exec(`CREATE TABLE users (id integer PRIMARY KEY);
      CREATE TYPE pair AS (a integer, b integer);
      CREATE TYPE floatrange AS RANGE (subtype = float8);
      CREATE VIEW typed AS SELECT ROW(id, id)::pair AS p, '[0,1)'::floatrange AS r FROM users`);
    const schema = await withIgnore(await writeSchema(work.dir, `${USERS}  primary_key: [id]\n`), ['public.typed']);
    const { plan } = await planDatabase(db, await loadDesiredState(schema));
    const drops = plan.steps.filter((s) => s.sql.startsWith('DROP TYPE')).map((s) => s.sql);
    expect(drops.sort()).toEqual(['DROP TYPE "public"."floatrange"', 'DROP TYPE "public"."pair"']);
    const blocked = plan.steps.flatMap((s) => s.hazards.filter((h) => h.kind === 'blocked_by_dependents').map((h) => h.message));
    expect(blocked.join('\n')).toContain('view public.typed uses type pair, which the step drops');
    expect(blocked.join('\n')).toContain('view public.typed uses type floatrange, which the step drops');
    await expect(executePlan(db, plan)).rejects.toThrow(/depends? on/);
  });

  it('a plan that touches nothing such an object uses carries no such hazard', async () => {
    const { db } = database();
    await db.exec('CREATE TABLE users (id integer PRIMARY KEY, name text, legacy text); CREATE VIEW v AS SELECT name FROM users');
    const schema = await withIgnore(await writeSchema(work.dir, `${USERS}    name: { type: text }\n  primary_key: [id]\n`), ['public.v']);
    const { plan } = await planDatabase(db, await loadDesiredState(schema));
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."users" DROP COLUMN "legacy"']);
    expect(plan.steps.flatMap((s) => s.hazards.map((h) => h.kind))).toEqual(['deletes_data']);
  });
});
