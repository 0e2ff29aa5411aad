import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import {
  checkReferencedColumns,
  clipBytes,
  defaultCheckName,
  defaultForeignKeyName,
  defaultIndexName,
  defaultPrimaryKeyName,
  defaultSequenceName,
  defaultUniqueName,
  indexKeyName,
  makeObjectName,
} from '../../src/model/default-names.js';
import { quoteIdent } from '../../src/model/ident.js';
import type { Db } from '../../src/db/db.js';
import { createTestDatabase } from '../support/harness.js';
import type { OwnedTestDatabase } from '../support/harness.js';

beforeAll(async () => {
  await initParser();
});

const bytes = (text: string): number => new TextEncoder().encode(text).length;

describe('default names (no server)', () => {
  it('follows PostgreSQL for short names', () => {
    expect(defaultPrimaryKeyName('users')).toBe('users_pkey');
    expect(defaultUniqueName('users', ['email'])).toBe('users_email_key');
    expect(defaultUniqueName('users', ['name', 'email'])).toBe('users_name_email_key');
    expect(defaultForeignKeyName('orders', ['customer_id'])).toBe('orders_customer_id_fkey');
    expect(defaultCheckName('items', ['price'])).toBe('items_price_check');
    expect(defaultCheckName('items', ['price', 'cost'])).toBe('items_check');
    expect(defaultCheckName('items', [])).toBe('items_check');
    expect(defaultIndexName('users', ['email'])).toBe('users_email_idx');
    expect(defaultSequenceName('users', 'id')).toBe('users_id_seq');
  });

  it('appends a number when the name is taken', () => {
    expect(defaultIndexName('t', ['a'], new Set(['t_a_idx']))).toBe('t_a_idx1');
    expect(defaultIndexName('t', ['a'], new Set(['t_a_idx', 't_a_idx1']))).toBe('t_a_idx2');
    expect(defaultCheckName('t', ['a'], new Set(['t_a_check']))).toBe('t_a_check1');
    expect(defaultPrimaryKeyName('t', new Set(['t_pkey']))).toBe('t_pkey1');
  });

  it('truncates to 63 bytes, the longer part first', () => {
    const table = 'a'.repeat(60);
    const name = makeObjectName(table, 'col', 'key');
    expect(bytes(name)).toBe(63);
    expect(name).toBe(`${'a'.repeat(55)}_col_key`);
    expect(makeObjectName('t'.repeat(40), 'c'.repeat(40), 'fkey')).toBe(`${'t'.repeat(29)}_${'c'.repeat(28)}_fkey`);
  });

  it('never cuts a multibyte character', () => {
    expect(clipBytes('ééé', 5)).toBe('éé');
    const name = makeObjectName('é'.repeat(40), undefined, 'pkey');
    expect(bytes(name)).toBeLessThanOrEqual(63);
    expect(name).toBe(`${'é'.repeat(29)}_pkey`);
  });

  it('numbers repeated index key names', () => {
    expect(defaultIndexName('t', ['expr', 'expr'])).toBe('t_expr_expr1_idx');
    expect(defaultIndexName('t', ['a', 'a', 'a'])).toBe('t_a_a1_a2_idx');
  });

  it('names index keys as PostgreSQL does', () => {
    expect(indexKeyName({ column: 'email' })).toBe('email');
    expect(indexKeyName({ expression: 'lower(email)' })).toBe('lower');
    expect(indexKeyName({ expression: 'public.f(x)' })).toBe('f');
    expect(indexKeyName({ expression: 'a + b' })).toBe('expr');
    expect(indexKeyName({ expression: '(a::text)' })).toBe('a');
    expect(indexKeyName({ expression: "data ->> 'k'" })).toBe('expr');
    expect(indexKeyName({ expression: 'coalesce(a, b)' })).toBe('coalesce');
    expect(indexKeyName({ expression: "(CASE WHEN a THEN 'x' ELSE 'y' END)" })).toBe('case');
    expect(indexKeyName({ expression: 'CASE WHEN a THEN b ELSE c END' })).toBe('c');
  });

  it('lists the distinct columns an expression references', () => {
    expect(checkReferencedColumns('price > 0')).toEqual(['price']);
    expect(checkReferencedColumns('price > 0 AND price < 100')).toEqual(['price']);
    expect(checkReferencedColumns('price > cost')).toEqual(['price', 'cost']);
    expect(checkReferencedColumns("char_length(name) > 0 AND name <> 'x'")).toEqual(['name']);
    expect(checkReferencedColumns("now() > timestamp '2020-01-01'")).toEqual([]);
    expect(checkReferencedColumns('"Mixed" > 0')).toEqual(['Mixed']);
  });
});

describe('default names match what a real server generates', () => {
  let database: OwnedTestDatabase | undefined;
  const db = (): Db => {
    if (database === undefined) throw new Error('no database');
    return database.db;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function constraintNames(table: string): Promise<Record<string, string[]>> {
    const { rows } = await db().query<{ contype: string; conname: string }>(
      `SELECT contype, conname FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY conname`,
      [quoteIdent(table)],
    );
    const out: Record<string, string[]> = {};
    for (const row of rows) (out[row.contype] ??= []).push(row.conname);
    return out;
  }

  async function indexNames(table: string): Promise<string[]> {
    const { rows } = await db().query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass ORDER BY c.oid`,
      [quoteIdent(table)],
    );
    return rows.map((r) => r.name);
  }

  const cases: readonly { readonly table: string; readonly a: string; readonly b: string }[] = [
    { table: 'users', a: 'email', b: 'name' },
    { table: 'x'.repeat(60), a: 'y'.repeat(60), b: 'z'.repeat(10) },
    { table: 't'.repeat(30), a: 'c'.repeat(40), b: 'd'.repeat(40) },
    { table: 'short', a: 'a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_x', b: 'b' },
    { table: 'é'.repeat(31), a: 'ü'.repeat(20), b: 'ö'.repeat(31) },
    { table: 'MixedCase Table', a: 'Column One', b: 'b' },
  ];

  it.each(cases)('table $table', async ({ table, a, b }) => {
    const [qt, qa, qb] = [quoteIdent(table), quoteIdent(a), quoteIdent(b)];
    const ref = `${table.slice(0, 20)}_ref`;
    await db().exec(`
      CREATE TABLE ${quoteIdent(ref)} (id int PRIMARY KEY, k int, UNIQUE (id, k));
      CREATE TABLE ${qt} (
        ${qa} serial PRIMARY KEY,
        ${qb} int UNIQUE CHECK (${qb} > 0),
        c int REFERENCES ${quoteIdent(ref)} (id),
        UNIQUE (${qa}, ${qb}),
        CHECK (${qa} < ${qb}),
        FOREIGN KEY (${qb}, c) REFERENCES ${quoteIdent(ref)} (id, k)
      );
    `);
    await db().exec(`
      CREATE INDEX ON ${qt} (${qa});
      CREATE INDEX ON ${qt} (${qa});
      CREATE INDEX ON ${qt} (${qb}, ${qa}) INCLUDE (c);
      CREATE INDEX ON ${qt} (lower(${qa}::text), (${qa} + ${qb}), (${qb} * 2));
    `);
    const constraints = await constraintNames(table);
    expect(constraints['p']).toEqual([defaultPrimaryKeyName(table)]);
    expect(constraints['u']?.sort()).toEqual([defaultUniqueName(table, [b]), defaultUniqueName(table, [a, b])].sort());
    expect(constraints['c']?.sort()).toEqual(
      [
        defaultCheckName(table, checkReferencedColumns(`${qb} > 0`)),
        defaultCheckName(table, checkReferencedColumns(`${qa} < ${qb}`)),
      ].sort(),
    );
    expect(constraints['f']?.sort()).toEqual([defaultForeignKeyName(table, ['c']), defaultForeignKeyName(table, [b, 'c'])].sort());

    const indexes = await indexNames(table);
    const taken = new Set(indexes.slice(0, 3)); // pkey and the two unique constraints' indexes
    const first = defaultIndexName(table, [a], taken);
    const second = defaultIndexName(table, [a], new Set([...taken, first]));
    const withInclude = defaultIndexName(table, [b, a, 'c']);
    const keyNames = [
      indexKeyName({ expression: `lower(${qa}::text)` }),
      indexKeyName({ expression: `${qa} + ${qb}` }),
      indexKeyName({ expression: `${qb} * 2` }),
    ];
    expect(indexes.slice(3)).toEqual([first, second, withInclude, defaultIndexName(table, keyNames)]);

    const { rows } = await db().query<{ relname: string }>(
      `SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
       WHERE s.relkind = 'S' AND d.refobjid = $1::regclass`,
      [qt],
    );
    expect(rows.map((r) => r.relname)).toEqual([defaultSequenceName(table, a)]);
  });

  it('sequence names of serial columns', async () => {
    const table = 's'.repeat(50);
    const column = 'k'.repeat(50);
    await db().exec(`CREATE TABLE ${quoteIdent(table)} (${quoteIdent(column)} bigserial)`);
    const { rows } = await db().query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'sss%'`);
    expect(rows.map((r) => r.relname)).toEqual([defaultSequenceName(table, column)]);
  });
});
