import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import type { Table } from '../../src/model/types.js';
import { initParser } from '../../src/sql/parser.js';
import { check, col, desired, fk, index, kinds, model, ofKind, pk, table, trigger, unique } from './diff-helpers.js';

beforeAll(async () => {
  await initParser();
});

const diffTables = (want: readonly Table[], live: readonly Table[]) =>
  diffSchemas(desired(model({ tables: want })), model({ tables: live }));

const users = (extra: Partial<Table> = {}, name = 'users'): Table =>
  table(name, [col('id', 'integer', { nullable: false }), col('email', 'text'), col('team_id')], {
    primaryKey: pk(`${name}_pkey`, ['id']),
    ...extra,
  });

describe('tables', () => {
  it('a new table: create_table with inline constraints, then FKs, indexes, triggers, comments', () => {
    const t = users({
      comment: 'people',
      uniques: [unique('users_email_key', ['email'], { comment: 'one per person' })],
      checks: [check('users_email_check', "email <> ''")],
      foreignKeys: [fk('users_team_id_fkey', ['team_id'], { table: 'teams', columns: ['id'] })],
      indexes: [index('users_team_idx', ['team_id'], { comment: 'lookups' })],
      triggers: [trigger('users_trg', 'touch')],
    });
    const changes = diffTables([{ ...t, columns: [col('id', 'integer', { nullable: false, comment: 'key' }), ...t.columns.slice(1)] }], []);
    expect(kinds(changes)).toEqual([
      'create_table',
      'add_foreign_key',
      'create_index',
      'create_trigger',
      'set_comment',
      'set_comment',
      'set_comment',
      'set_comment',
    ]);
    const [create] = ofKind(changes, 'create_table');
    expect(create?.table.uniques).toHaveLength(1);
    expect(create?.table.checks).toHaveLength(1);
    expect(create?.table.primaryKey?.columns).toEqual(['id']);
    expect(create?.table.foreignKeys).toEqual([]);
    expect(create?.table.indexes).toEqual([]);
    expect(ofKind(changes, 'add_foreign_key')[0]?.tableIsNew).toBe(true);
    expect(ofKind(changes, 'create_index')[0]?.tableIsNew).toBe(true);
    expect(ofKind(changes, 'set_comment').map((c) => c.target)).toEqual([
      { on: 'table', table: { schema: 'public', name: 'users' } },
      { on: 'column', table: { schema: 'public', name: 'users' }, column: 'id' },
      { on: 'constraint', table: { schema: 'public', name: 'users' }, constraint: 'users_email_key' },
      { on: 'index', table: { schema: 'public', name: 'users' }, index: 'users_team_idx' },
    ]);
  });

  it('an undeclared table is one drop_table, nothing for its indexes, constraints, triggers', () => {
    const live = users({
      indexes: [index('users_team_idx', ['team_id'])],
      triggers: [trigger('users_trg', 'touch')],
      uniques: [unique('users_email_key', ['email'])],
      comment: 'x',
    });
    expect(kinds(diffTables([], [live]))).toEqual(['drop_table']);
  });

  it('a FK to a dropped table is dropped on the referencing table', () => {
    const teams = table('teams', [col('id')], { primaryKey: pk('teams_pkey', ['id']) });
    const liveUsers = users({ foreignKeys: [fk('users_team_id_fkey', ['team_id'], { table: 'teams', columns: ['id'] })] });
    const changes = diffTables([users()], [liveUsers, teams]);
    expect(changes).toMatchObject([
      { kind: 'drop_foreign_key', table: { name: 'users' }, foreignKey: { name: 'users_team_id_fkey' } },
      { kind: 'drop_table', table: { name: 'teams' } },
    ]);
  });

  it('a declared table rename is a rename_table, never drop + create', () => {
    const changes = diffTables([users({ renamedFrom: 'people', primaryKey: pk('people_pkey', ['id']) }, 'users')], [users({}, 'people')]);
    expect(changes).toEqual([
      { kind: 'rename_table', from: { schema: 'public', name: 'people' }, to: { schema: 'public', name: 'users' } },
    ]);
  });

  it('after the rename was applied, renamed_from matches nothing and nothing changes', () => {
    expect(diffTables([users({ renamedFrom: 'people' })], [users()])).toEqual([]);
  });

  it('on a renamed table, names PostgreSQL derived from the old name are renamed, not re-created', () => {
    const want = users(
      {
        renamedFrom: 'people',
        uniques: [unique('users_email_key', ['email'])],
        indexes: [index('users_team_id_idx', ['team_id'])],
      },
      'users',
    );
    const live = users({ uniques: [unique('people_email_key', ['email'])], indexes: [index('people_team_id_idx', ['team_id'])] }, 'people');
    expect(kinds(diffTables([want], [live]))).toEqual(['rename_table', 'rename_constraint', 'rename_constraint', 'rename_index']);
  });

  it('FKs of other tables follow a renamed table (no false diff)', () => {
    const orders = (target: string): Table =>
      table('orders', [col('id'), col('user_id')], {
        foreignKeys: [fk('orders_user_id_fkey', ['user_id'], { table: target, columns: ['id'] })],
      });
    const changes = diffTables([users({ renamedFrom: 'people' }), orders('users')], [users({}, 'people'), orders('people')]);
    expect(kinds(changes)).toEqual(['rename_table', 'rename_constraint']);
  });

  it('tables in different schemas with the same name are different tables', () => {
    const a = table('t', [col('x')], { schema: 'a' });
    const b = table('t', [col('x')], { schema: 'b' });
    const changes = diffSchemas(
      desired(model({ schemas: [{ name: 'public' }, { name: 'a' }], tables: [a] })),
      model({ schemas: [{ name: 'public' }, { name: 'a' }, { name: 'b' }], tables: [b] }),
    );
    expect(changes).toMatchObject([
      { kind: 'create_table', table: { schema: 'a', name: 't' } },
      { kind: 'drop_table', table: { schema: 'b', name: 't' } },
      { kind: 'drop_schema', schema: { name: 'b' } },
    ]);
  });
});

describe('columns', () => {
  const one = (c: ReturnType<typeof col>): Table => table('t', [col('id'), c]);

  it('add and drop', () => {
    const changes = diffTables([table('t', [col('id'), col('added', 'text')])], [table('t', [col('id'), col('gone')])]);
    expect(changes).toMatchObject([
      { kind: 'add_column', table: { name: 't' }, column: { name: 'added' } },
      { kind: 'drop_column', table: { name: 't' }, column: { name: 'gone' } },
    ]);
  });

  it('a declared rename is rename_column, never drop + add', () => {
    const changes = diffTables([one(col('title', 'text', { renamedFrom: 'old_title' }))], [one(col('old_title', 'text'))]);
    expect(changes).toEqual([{ kind: 'rename_column', table: { schema: 'public', name: 't' }, from: 'old_title', to: 'title' }]);
  });

  it('a rename and a type change on one column', () => {
    const changes = diffTables([one(col('n', 'bigint', { renamedFrom: 'm' }))], [one(col('m', 'integer'))]);
    expect(changes).toMatchObject([
      { kind: 'rename_column', from: 'm', to: 'n' },
      { kind: 'alter_column', attributes: ['type'], from: { name: 'm' }, to: { name: 'n' } },
    ]);
  });

  it('alter_column lists exactly the attributes that differ', () => {
    const live = col('c', 'text', { nullable: true, default: "'a'::text", collation: 'C' });
    const want = col('c', 'character varying(10)', { nullable: false, default: "'b'", collation: 'POSIX' });
    const [change] = diffTables([one(want)], [one(live)]);
    expect(change).toMatchObject({ kind: 'alter_column', attributes: ['type', 'nullable', 'default', 'collation'] });
  });

  it("default 'pending'::status equals 'pending'", () => {
    const want = col('state', 'status', { default: "'pending'" });
    const live = col('state', 'status', { default: "'pending'::status" });
    expect(diffTables([one(want)], [one(live)])).toEqual([]);
  });

  it('identity kind and options, generated expressions', () => {
    const identity = diffTables(
      [one(col('c', 'bigint', { nullable: false, identity: { kind: 'always', start: '100' } }))],
      [one(col('c', 'bigint', { nullable: false, identity: { kind: 'by default' } }))],
    );
    expect(identity).toMatchObject([{ kind: 'alter_column', attributes: ['identity'] }]);
    const sameIdentity = diffTables(
      [one(col('c', 'bigint', { nullable: false, identity: { kind: 'always', cache: '10' } }))],
      [one(col('c', 'bigint', { nullable: false, identity: { kind: 'always', cache: '10', cycle: false } }))],
    );
    expect(sameIdentity).toEqual([]);
    const generated = diffTables([one(col('c', 'integer', { generated: 'a * 2' }))], [one(col('c', 'integer', { generated: 'a * 3' }))]);
    expect(generated).toMatchObject([{ kind: 'alter_column', attributes: ['generated'] }]);
    expect(diffTables([one(col('c', 'integer', { generated: 'a * 2' }))], [one(col('c', 'integer', { generated: 'a * 2' }))])).toEqual([]);
  });

  it('the default collation is no collation', () => {
    expect(diffTables([one(col('c', 'text'))], [one(col('c', 'text', { collation: 'default' }))])).toEqual([]);
  });

  it('column comments: set, change, remove', () => {
    const set = diffTables([one(col('c', 'text', { comment: 'new' }))], [one(col('c', 'text'))]);
    expect(set).toEqual([
      { kind: 'set_comment', target: { on: 'column', table: { schema: 'public', name: 't' }, column: 'c' }, comment: 'new' },
    ]);
    const removed = diffTables([one(col('c', 'text'))], [one(col('c', 'text', { comment: 'old' }))]);
    expect(removed).toMatchObject([{ kind: 'set_comment', comment: null }]);
    expect(diffTables([one(col('c', 'text', { comment: '' }))], [one(col('c', 'text'))])).toEqual([]);
  });
});

describe('constraints', () => {
  it('primary key added, dropped, columns changed', () => {
    const bare = table('t', [col('a', 'integer', { nullable: false }), col('b', 'integer', { nullable: false })]);
    expect(kinds(diffTables([{ ...bare, primaryKey: pk('t_pkey', ['a']) }], [bare]))).toEqual(['add_primary_key']);
    expect(kinds(diffTables([bare], [{ ...bare, primaryKey: pk('t_pkey', ['a']) }]))).toEqual(['drop_primary_key']);
    expect(kinds(diffTables([{ ...bare, primaryKey: pk('t_pkey', ['a', 'b']) }], [{ ...bare, primaryKey: pk('t_pkey', ['a']) }]))).toEqual([
      'add_primary_key',
      'drop_primary_key',
    ]);
  });

  it('a primary key renamed (declared, or same columns) is rename_constraint', () => {
    const bare = table('t', [col('a', 'integer', { nullable: false })]);
    const changes = diffTables(
      [{ ...bare, primaryKey: pk('t_pk', ['a'], { renamedFrom: 't_pkey' }) }],
      [{ ...bare, primaryKey: pk('t_pkey', ['a']) }],
    );
    expect(changes).toEqual([
      { kind: 'rename_constraint', table: { schema: 'public', name: 't' }, constraintKind: 'primary_key', from: 't_pkey', to: 't_pk' },
    ]);
  });

  it('unique: columns, nulls not distinct, deferral → drop + add; rename → rename_constraint', () => {
    const t = (u: ReturnType<typeof unique>): Table => table('t', [col('a'), col('b')], { uniques: [u] });
    expect(kinds(diffTables([t(unique('u', ['a', 'b']))], [t(unique('u', ['a']))]))).toEqual(['add_unique', 'drop_unique']);
    expect(kinds(diffTables([t(unique('u', ['a'], { nullsNotDistinct: true }))], [t(unique('u', ['a']))]))).toEqual([
      'add_unique',
      'drop_unique',
    ]);
    expect(kinds(diffTables([t(unique('u', ['a'], { deferrable: true }))], [t(unique('u', ['a']))]))).toEqual([
      'add_unique',
      'drop_unique',
    ]);
    expect(diffTables([t(unique('u2', ['a'], { renamedFrom: 'u' }))], [t(unique('u', ['a']))])).toEqual([
      { kind: 'rename_constraint', table: { schema: 'public', name: 't' }, constraintKind: 'unique', from: 'u', to: 'u2' },
    ]);
    expect(diffTables([t(unique('u', ['a']))], [t(unique('u', ['a']))])).toEqual([]);
  });

  it('unique and index columns follow renamed columns (no false diff)', () => {
    const want = table('t', [col('b', 'integer', { renamedFrom: 'a' })], {
      uniques: [unique('u', ['b'])],
      indexes: [index('i', ['b'])],
    });
    const live = table('t', [col('a')], { uniques: [unique('u', ['a'])], indexes: [index('i', ['a'])] });
    expect(kinds(diffTables([want], [live]))).toEqual(['rename_column']);
  });

  it('check: expression compared as parse trees; change → drop + add; NOT VALID → validate only', () => {
    const t = (c: ReturnType<typeof check>): Table => table('t', [col('a')], { checks: [c] });
    expect(diffTables([t(check('c', 'a > 0'))], [t(check('c', '(a > 0)'))])).toEqual([]);
    expect(kinds(diffTables([t(check('c', 'a > 1'))], [t(check('c', 'a > 0'))]))).toEqual(['add_check', 'drop_check']);
    expect(kinds(diffTables([t(check('c', 'a > 0', { noInherit: true }))], [t(check('c', 'a > 0'))]))).toEqual(['add_check', 'drop_check']);
    expect(diffTables([t(check('c', 'a > 0'))], [t(check('c', 'a > 0', { notValid: true }))])).toEqual([
      { kind: 'validate_constraint', table: { schema: 'public', name: 't' }, constraint: 'c', constraintKind: 'check' },
    ]);
    // validated: false is satisfied by a NOT VALID and by a valid live check (PostgreSQL cannot un-validate).
    expect(diffTables([t(check('c', 'a > 0', { notValid: true }))], [t(check('c', 'a > 0', { notValid: true }))])).toEqual([]);
    expect(diffTables([t(check('c', 'a > 0', { notValid: true }))], [t(check('c', 'a > 0'))])).toEqual([]);
    expect(diffTables([t(check('c2', 'a > 0', { renamedFrom: 'c' }))], [t(check('c', 'a > 0'))])).toMatchObject([
      { kind: 'rename_constraint', constraintKind: 'check', from: 'c', to: 'c2' },
    ]);
  });

  it('foreign key: each attribute → drop + add; NOT VALID → validate; rename', () => {
    const base = fk('f', ['a'], { table: 'p', columns: ['id'] });
    const t = (f: ReturnType<typeof fk>): Table => table('t', [col('a'), col('b')], { foreignKeys: [f] });
    const p = table('p', [col('id'), col('id2')]);
    const run = (want: ReturnType<typeof fk>, live: ReturnType<typeof fk>) => diffTables([t(want), p], [t(live), p]);
    expect(run(base, base)).toEqual([]);
    for (const changed of [
      { ...base, columns: ['b'] },
      { ...base, references: { ...base.references, columns: ['id2'] } },
      { ...base, references: { ...base.references, table: 'p2' } },
      { ...base, onDelete: 'cascade' as const },
      { ...base, onUpdate: 'set null' as const },
      { ...base, match: 'full' as const },
      { ...base, deferrable: true },
      { ...base, deferrable: true, initiallyDeferred: true },
    ]) {
      const changes = run(changed, base);
      expect(kinds(changes)).toEqual(['add_foreign_key', 'drop_foreign_key']);
      expect(ofKind(changes, 'add_foreign_key')[0]?.tableIsNew).toBe(false);
    }
    expect(run(base, { ...base, notValid: true })).toEqual([
      { kind: 'validate_constraint', table: { schema: 'public', name: 't' }, constraint: 'f', constraintKind: 'foreign_key' },
    ]);
    expect(run({ ...base, notValid: true }, base)).toEqual([]);
    expect(run({ ...base, name: 'f2', renamedFrom: 'f' }, base)).toMatchObject([
      { kind: 'rename_constraint', constraintKind: 'foreign_key', from: 'f', to: 'f2' },
    ]);
    expect(kinds(run({ ...base, name: 'f2' }, base))).toEqual(['add_foreign_key', 'drop_foreign_key']);
  });

  it('FK referencing a renamed column of another table follows it', () => {
    const parent = (c: string, renamedFrom?: string): Table =>
      table('p', [col(c, 'integer', renamedFrom === undefined ? {} : { renamedFrom })]);
    const child = (c: string): Table =>
      table('c', [col('pid')], { foreignKeys: [fk('c_pid_fkey', ['pid'], { table: 'p', columns: [c] })] });
    expect(kinds(diffTables([parent('key', 'id'), child('key')], [parent('id'), child('id')]))).toEqual(['rename_column']);
  });

  it('constraint comments', () => {
    const t = (comment?: string): Table =>
      table('t', [col('a')], { checks: [check('c', 'a > 0', comment === undefined ? {} : { comment })] });
    expect(diffTables([t('why')], [t()])).toEqual([
      { kind: 'set_comment', target: { on: 'constraint', table: { schema: 'public', name: 't' }, constraint: 'c' }, comment: 'why' },
    ]);
    // A re-created constraint starts without a comment.
    const recreated = diffTables(
      [table('t', [col('a')], { checks: [check('c', 'a > 1', { comment: 'why' })] })],
      [table('t', [col('a')], { checks: [check('c', 'a > 0', { comment: 'why' })] })],
    );
    expect(kinds(recreated)).toEqual(['add_check', 'set_comment', 'drop_check']);
  });
});
