import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import type { SchemaModel } from '../../src/model/types.js';
import { initParser } from '../../src/sql/parser.js';
import { col, desired, enumType, ext, fn, index, kinds, model, seq, table, trigger } from './diff-helpers.js';

beforeAll(async () => {
  await initParser();
});

describe('extensions', () => {
  it('create missing, drop undeclared, never plpgsql', () => {
    const changes = diffSchemas(desired(model({ extensions: [ext('vector')] })), model({ extensions: [ext('plpgsql'), ext('hstore')] }));
    expect(changes).toEqual([
      { kind: 'create_extension', extension: { name: 'vector' } },
      { kind: 'drop_extension', extension: { name: 'hstore' } },
    ]);
  });

  it('alter only when the file names a version or schema that differs', () => {
    const live = model({ extensions: [ext('vector', { schema: 'public', version: '0.7.4' })] });
    expect(diffSchemas(desired(model({ extensions: [ext('vector')] })), live)).toEqual([]);
    expect(diffSchemas(desired(model({ extensions: [ext('vector', { version: '0.7.4', schema: 'public' })] })), live)).toEqual([]);
    expect(diffSchemas(desired(model({ extensions: [ext('vector', { version: '0.8.0' })] })), live)).toEqual([
      { kind: 'alter_extension', from: { name: 'vector', schema: 'public', version: '0.7.4' }, to: { name: 'vector', version: '0.8.0' } },
    ]);
    const moved = diffSchemas(
      desired(model({ schemas: [{ name: 'public' }, { name: 'ext' }], extensions: [ext('vector', { schema: 'ext' })] })),
      model({ schemas: [{ name: 'public' }, { name: 'ext' }], extensions: [ext('vector', { schema: 'public', version: '0.7.4' })] }),
    );
    expect(kinds(moved)).toEqual(['alter_extension']);
  });
});

describe('schemas', () => {
  const schemas = (...names: string[]): SchemaModel['schemas'] => names.map((name) => ({ name }));

  it('create missing, drop undeclared, never public', () => {
    const changes = diffSchemas(desired(model({ schemas: schemas('app') })), model({ schemas: schemas('public', 'old') }));
    expect(changes).toEqual([
      { kind: 'create_schema', schema: { name: 'app' } },
      { kind: 'drop_schema', schema: { name: 'old' } },
    ]);
    expect(diffSchemas(desired(model({ schemas: [] })), model({ schemas: [] }))).toEqual([]);
  });

  it('a schema the file only uses counts as declared', () => {
    const want = model({
      schemas: schemas('public'),
      tables: [table('t', [col('a')], { schema: 'app' })],
      enums: [enumType('e', ['a'], { schema: 'types' })],
    });
    const live = model({
      schemas: schemas('public', 'app', 'types'),
      tables: [table('t', [col('a')], { schema: 'app' })],
      enums: [enumType('e', ['a'], { schema: 'types' })],
    });
    expect(diffSchemas(desired(want), live)).toEqual([]);
    const fresh = diffSchemas(desired(want), model());
    expect(fresh).toMatchObject([
      { kind: 'create_schema', schema: { name: 'app' } },
      { kind: 'create_schema', schema: { name: 'types' } },
      { kind: 'create_enum' },
      { kind: 'create_table' },
    ]);
  });

  it('schema comments are managed when the schema is declared', () => {
    const changes = diffSchemas(
      desired(
        model({
          schemas: [
            { name: 'public', comment: 'standard public schema' },
            { name: 'app', comment: 'the app' },
          ],
        }),
      ),
      model({ schemas: [{ name: 'public' }] }),
    );
    expect(changes).toEqual([
      { kind: 'create_schema', schema: { name: 'app', comment: 'the app' } },
      { kind: 'set_comment', target: { on: 'schema', schema: 'app' }, comment: 'the app' },
      { kind: 'set_comment', target: { on: 'schema', schema: 'public' }, comment: 'standard public schema' },
    ]);
  });

  it('the schema of an external table, or of a kept extension, is not dropped', () => {
    const live = model({ schemas: schemas('public', 'auth', 'extensions'), extensions: [ext('pgcrypto', { schema: 'extensions' })] });
    const want = desired(model({ extensions: [ext('pgcrypto')] }), { external: [{ schema: 'auth', name: 'users' }] });
    expect(diffSchemas(want, live)).toEqual([]);
  });
});

describe('sequences', () => {
  it('create, drop, alter on any option', () => {
    expect(diffSchemas(desired(model({ sequences: [seq('a')] })), model({ sequences: [seq('b')] }))).toMatchObject([
      { kind: 'create_sequence', sequence: { name: 'a' } },
      { kind: 'drop_sequence', sequence: { name: 'b' } },
    ]);
    const base = seq('s');
    for (const variant of [
      { ...base, type: 'integer' },
      { ...base, start: '1000' },
      { ...base, increment: '2' },
      { ...base, minValue: '0' },
      { ...base, maxValue: '1000' },
      { ...base, cache: '20' },
      { ...base, cycle: true },
      { ...base, ownedBy: { schema: 'public', table: 't', column: 'id' } },
    ]) {
      expect(diffSchemas(desired(model({ sequences: [variant] })), model({ sequences: [base] }))).toEqual([
        { kind: 'alter_sequence', from: base, to: variant },
      ]);
    }
    expect(diffSchemas(desired(model({ sequences: [{ ...base, start: '01' }] })), model({ sequences: [base] }))).toEqual([]);
  });

  it('ownership follows renamed tables and columns', () => {
    const owned = (t: string, c: string) => seq('t_id_seq', { ownedBy: { schema: 'public', table: t, column: c } });
    const want = model({
      sequences: [owned('t2', 'key')],
      tables: [table('t2', [col('key', 'bigint', { renamedFrom: 'id' })], { renamedFrom: 't' })],
    });
    const live = model({ sequences: [owned('t', 'id')], tables: [table('t', [col('id', 'bigint')])] });
    expect(kinds(diffSchemas(desired(want), live))).toEqual(['rename_table', 'rename_column']);
  });

  it('a serial of a renamed table or column: its sequence is renamed, never dropped and re-created', () => {
    const serial = (t: string, c: string) => ({
      sequence: seq(`${t}_${c}_seq`, { type: 'integer', maxValue: '2147483647', ownedBy: { schema: 'public', table: t, column: c } }),
      column: col(c, 'integer', { nullable: false, default: `nextval('${t}_${c}_seq'::regclass)` }),
    });
    const before = serial('people', 'id');
    const after = serial('users', 'id');
    const want = model({ sequences: [after.sequence], tables: [table('users', [after.column], { renamedFrom: 'people' })] });
    const live = model({ sequences: [before.sequence], tables: [table('people', [before.column])] });
    expect(diffSchemas(desired(want), live)).toEqual([
      { kind: 'rename_sequence', from: { schema: 'public', name: 'people_id_seq' }, to: { schema: 'public', name: 'users_id_seq' } },
      { kind: 'rename_table', from: { schema: 'public', name: 'people' }, to: { schema: 'public', name: 'users' } },
    ]);

    const renamedColumn = serial('people', 'key');
    const wantColumn = model({
      sequences: [renamedColumn.sequence],
      tables: [table('people', [{ ...renamedColumn.column, renamedFrom: 'id' }])],
    });
    expect(kinds(diffSchemas(desired(wantColumn), live))).toEqual(['rename_sequence', 'rename_column']);

    // A sequence owned by another column is not taken for a rename.
    const other = model({
      sequences: [seq('fresh_seq', { ownedBy: { schema: 'public', table: 'people', column: 'other' } })],
      tables: live.tables,
    });
    expect(kinds(diffSchemas(desired(other), live))).toEqual(['create_sequence', 'drop_sequence']);
  });

  it('a sequence owned by a dropped table or column goes with it', () => {
    const owned = (t: string, c: string) => seq(`${t}_${c}_seq`, { ownedBy: { schema: 'public', table: t, column: c } });
    const want = model({ tables: [table('kept', [col('a')])] });
    const live = model({
      sequences: [owned('gone', 'id'), owned('kept', 'id')],
      tables: [table('gone', [col('id')]), table('kept', [col('a'), col('id')])],
    });
    expect(kinds(diffSchemas(desired(want), live))).toEqual(['drop_column', 'drop_table']);
  });

  it('sequence comments', () => {
    expect(diffSchemas(desired(model({ sequences: [seq('s', { comment: 'n' })] })), model({ sequences: [seq('s')] }))).toEqual([
      { kind: 'set_comment', target: { on: 'sequence', sequence: { schema: 'public', name: 's' } }, comment: 'n' },
    ]);
  });
});

describe('unmanaged objects', () => {
  it('ignore globs: ignored objects are never created, changed or dropped', () => {
    const live = model({
      schemas: [{ name: 'public' }, { name: 'audit' }],
      tables: [
        table('tmp_load', [col('a')]),
        table('events', [col('a')], { schema: 'audit' }),
        table('users', [col('a')], { indexes: [index('tmp_manual_idx', ['a'])] }),
      ],
      sequences: [seq('tmp_counter')],
      enums: [enumType('tmp_state', ['a'])],
      functions: [fn('tmp_fn', 'x', { returns: 'void' })],
    });
    const want = model({
      tables: [table('tmp_load', [col('a'), col('b')]), table('users', [col('a')])],
      sequences: [seq('tmp_other')],
    });
    expect(diffSchemas(desired(want, { ignore: ['tmp_*', 'audit.*'] }), live)).toEqual([]);
    // Without the globs, all of it would change.
    expect(diffSchemas(desired(want), live).length).toBeGreaterThan(5);
  });

  it('a schema holding only ignored objects is not dropped, even when introspection hid them', () => {
    const live = model({ schemas: [{ name: 'public' }, { name: 'staging' }] });
    expect(diffSchemas(desired(model(), { ignore: ['staging.tmp_*'] }), live)).toEqual([]);
    expect(kinds(diffSchemas(desired(model(), { ignore: ['other.tmp_*'] }), live))).toEqual(['drop_schema']);
  });

  it('the pgreconcile schema is never touched, on either side', () => {
    const ledger = table('applies', [col('id')], { schema: 'pgreconcile' });
    const live = model({
      schemas: [{ name: 'public' }, { name: 'pgreconcile' }],
      tables: [ledger],
      sequences: [seq('applies_id_seq', { schema: 'pgreconcile' })],
    });
    expect(diffSchemas(desired(model()), live)).toEqual([]);
    const wantsIt = model({ schemas: [{ name: 'public' }, { name: 'pgreconcile' }], tables: [{ ...ledger, columns: [col('other')] }] });
    expect(diffSchemas(desired(wantsIt), model())).toEqual([]);
  });

  it('extension-owned objects (absent from the live model) leave the extension alone', () => {
    const live = model({ extensions: [ext('plpgsql'), ext('vector', { schema: 'public', version: '0.8.0' })] });
    expect(diffSchemas(desired(model({ extensions: [ext('vector')] })), live)).toEqual([]);
  });

  it("a function an ignored table's trigger calls is not dropped", () => {
    const live = model({ functions: [fn('touch', 'x')], tables: [table('tmp_t', [col('a')], { triggers: [trigger('trg', 'touch')] })] });
    expect(diffSchemas(desired(model(), { ignore: ['tmp_*'] }), live)).toEqual([]);
  });
});
