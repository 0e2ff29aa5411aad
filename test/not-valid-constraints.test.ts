/**
 * `validated: false` on checks and foreign keys against a real server: added NOT VALID on a
 * table whose rows break it (the rows stay, the constraint stays NOT VALID), a live valid
 * constraint satisfies it (PostgreSQL cannot un-validate), and a validated one that the file
 * declares valid again is validated, failing on rows that break it.
 */
import { describe, expect, it } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { executePlan, planDatabase, renderSql } from '../src/index.js';
import type { Db } from '../src/db/db.js';
import { useTestDatabase } from './support/harness.js';

const file = (checkValidated: string, fkValidated: string): string => `version: 1
schemas:
  public:
    tables:
      customers:
        columns:
          id: { type: integer }
        primary_key: [id]
      orders:
        columns:
          id: { type: integer }
          customer_id: { type: integer }
          quantity: { type: integer, nullable: false }
        primary_key: [id]
        checks:
          - name: chk_quantity
            expression: quantity > 0${checkValidated}
        foreign_keys:
          - columns: [customer_id]
            references: { table: customers, columns: [id] }${fkValidated}
`;

const NOT_VALID = '\n            validated: false';

async function validity(db: Db): Promise<Record<string, boolean>> {
  const { rows } = await db.query<{ conname: string; convalidated: boolean }>(
    `SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'public.orders'::regclass AND contype IN ('c', 'f') ORDER BY conname`,
  );
  return Object.fromEntries(rows.map((r) => [r.conname, r.convalidated]));
}

async function rows(db: Db): Promise<unknown[]> {
  return (await db.query('SELECT id, customer_id, quantity FROM orders ORDER BY id')).rows;
}

const SETUP = `
  CREATE TABLE customers (id integer PRIMARY KEY);
  CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, quantity integer NOT NULL);
  INSERT INTO customers VALUES (1);
  INSERT INTO orders VALUES (10, 1, 3), (11, 99, -1);
`;

describe('validated: false', () => {
  const database = useTestDatabase();

  it('adds a check and a foreign key NOT VALID on rows that break them, leaves the rows and plans empty after', async () => {
    const { db } = database();
    await db.exec(SETUP);
    const before = await rows(db);
    const desired = await loadDesiredStateFromText(file(NOT_VALID, NOT_VALID), 'inline.yaml');
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."orders" ADD CONSTRAINT "chk_quantity" CHECK (quantity > 0) NOT VALID',
      'ALTER TABLE "public"."orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "public"."customers" ("id") NOT VALID',
    ]);
    expect(plan.steps.flatMap((s) => s.hazards)).toEqual([]);
    await executePlan(db, plan);
    expect(await rows(db)).toEqual(before);
    expect(await validity(db)).toEqual({ chk_quantity: false, orders_customer_id_fkey: false });
    const again = await planDatabase(db, desired);
    expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
    // New rows are checked all the same.
    await expect(db.exec('INSERT INTO orders VALUES (12, 1, 0)')).rejects.toThrow(/chk_quantity/);
  });

  it('is satisfied by live constraints that are already valid (PostgreSQL cannot un-validate)', async () => {
    const { db } = database();
    await db.exec(`
      CREATE TABLE customers (id integer PRIMARY KEY);
      CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), quantity integer NOT NULL,
        CONSTRAINT chk_quantity CHECK (quantity > 0));
    `);
    expect(await validity(db)).toEqual({ chk_quantity: true, orders_customer_id_fkey: true });
    for (const text of [file(NOT_VALID, NOT_VALID), file(NOT_VALID, '\n            not_valid: true')]) {
      const { plan } = await planDatabase(db, await loadDesiredStateFromText(text, 'inline.yaml'));
      expect(plan.steps.length, renderSql(plan)).toBe(0);
    }
  });

  it('validates live NOT VALID constraints the file declares valid, and the apply fails on rows that break them', async () => {
    const { db } = database();
    await db.exec(SETUP);
    await db.exec(`
      ALTER TABLE orders ADD CONSTRAINT chk_quantity CHECK (quantity > 0) NOT VALID;
      ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
    `);
    const desired = await loadDesiredStateFromText(file('', ''), 'inline.yaml');
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "public"."orders" VALIDATE CONSTRAINT "chk_quantity"',
      'ALTER TABLE "public"."orders" VALIDATE CONSTRAINT "orders_customer_id_fkey"',
    ]);
    await expect(executePlan(db, plan)).rejects.toThrow(/chk_quantity|violated/);
    expect(await validity(db)).toEqual({ chk_quantity: false, orders_customer_id_fkey: false });

    // Once the rows are repaired, the same plan validates both; the next plan is empty.
    await db.exec('UPDATE orders SET quantity = 1, customer_id = 1 WHERE id = 11');
    await executePlan(db, (await planDatabase(db, desired)).plan);
    expect(await validity(db)).toEqual({ chk_quantity: true, orders_customer_id_fkey: true });
    const again = await planDatabase(db, desired);
    expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
  });
});
