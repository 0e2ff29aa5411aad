import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import type { Index, Table, Trigger } from '../../src/model/types.js';
import { initParser } from '../../src/sql/parser.js';
import { col, desired, exprKey, index, key, kinds, model, table, trigger } from './diff-helpers.js';

beforeAll(async () => {
  await initParser();
});

const withIndexes = (indexes: readonly Index[]): Table => table('t', [col('a'), col('b', 'text'), col('v', 'vector(3)')], { indexes });
const diffIndexes = (want: readonly Index[], live: readonly Index[]) =>
  diffSchemas(desired(model({ tables: [withIndexes(want)] })), model({ tables: [withIndexes(live)] }));

describe('indexes', () => {
  it('create and drop on an existing table', () => {
    const changes = diffIndexes([index('i_new', ['a'])], [index('i_old', ['b'])]);
    expect(changes).toMatchObject([
      { kind: 'create_index', index: { name: 'i_new' }, tableIsNew: false },
      { kind: 'drop_index', index: { name: 'i_old' } },
    ]);
  });

  it('storage parameters compare as values', () => {
    const ivf = (lists: string): Index => index('i', ['v'], { using: 'ivfflat', with: { lists } });
    expect(diffIndexes([ivf('100')], [ivf('100')])).toEqual([]);
    expect(diffIndexes([ivf('100')], [ivf('100.0')])).toEqual([]);
    expect(diffIndexes([index('i', ['v'], { with: { FillFactor: '90' } })], [index('i', ['v'], { with: { fillfactor: '90' } })])).toEqual(
      [],
    );
    expect(
      diffIndexes([index('i', ['v'], { with: { fastupdate: 'off' } })], [index('i', ['v'], { with: { fastupdate: 'false' } })]),
    ).toEqual([]);
    const hnsw = (m: string): Index => index('i', ['v'], { using: 'hnsw', with: { m, ef_construction: '64' } });
    const changes = diffIndexes([hnsw('32')], [hnsw('16')]);
    expect(changes).toMatchObject([{ kind: 'replace_index', from: { with: { m: '16' } }, to: { with: { m: '32' } } }]);
    expect(kinds(diffIndexes([index('i', ['v'], { with: {} })], [ivf('100')]))).toEqual(['replace_index']);
  });

  it('every part of the definition counts', () => {
    const base = index('i', ['a', 'b']);
    const variants: Index[] = [
      { ...base, unique: true },
      { ...base, nullsNotDistinct: true },
      { ...base, using: 'hash' },
      { ...base, keys: [key('a'), key('b', { opclass: 'text_pattern_ops' })] },
      { ...base, keys: [key('a'), key('b', { collation: 'C' })] },
      { ...base, keys: [key('a', { order: 'desc', nulls: 'first' }), key('b')] },
      { ...base, keys: [key('a', { nulls: 'first' }), key('b')] },
      { ...base, keys: [key('a'), exprKey('lower(b)')] },
      { ...base, keys: [key('b'), key('a')] },
      { ...base, keys: [key('a')] },
      { ...base, include: ['v'] },
      { ...base, where: 'a > 0' },
      { ...base, keys: [key('a'), key('b', { opclassParams: { siglen: '32' } })] },
    ];
    for (const variant of variants) {
      expect(kinds(diffIndexes([variant], [base]))).toEqual(['replace_index']);
      expect(kinds(diffIndexes([base], [variant]))).toEqual(['replace_index']);
    }
  });

  it('expressions and predicates compare as parse trees', () => {
    const want = index('i', [], { keys: [exprKey('lower(b)')], where: 'a > 0' });
    const live = index('i', [], { keys: [exprKey('lower((b)::text)')], where: '(a > 0)' });
    expect(diffIndexes([want], [live])).toEqual([]);
    expect(kinds(diffIndexes([want], [{ ...live, where: '(a > 1)' }]))).toEqual(['replace_index']);
  });

  it('a declared rename is rename_index, never drop + create', () => {
    expect(diffIndexes([index('i_new', ['a'], { renamedFrom: 'i_old' })], [index('i_old', ['a'])])).toEqual([
      { kind: 'rename_index', table: { schema: 'public', name: 't' }, from: 'i_old', to: 'i_new' },
    ]);
  });

  it('an invalid live index is replaced even when its definition matches; undeclared, it is dropped', () => {
    expect(diffIndexes([index('i', ['a'])], [index('i', ['a'], { invalid: true })])).toMatchObject([
      { kind: 'replace_index', from: { name: 'i', invalid: true }, to: { name: 'i' } },
    ]);
    expect(diffIndexes([], [index('i_tmp', ['a'], { invalid: true })])).toMatchObject([{ kind: 'drop_index', index: { name: 'i_tmp' } }]);
  });

  it('index comments; a replaced index gets its comment again', () => {
    expect(diffIndexes([index('i', ['a'], { comment: 'c' })], [index('i', ['a'])])).toEqual([
      { kind: 'set_comment', target: { on: 'index', table: { schema: 'public', name: 't' }, index: 'i' }, comment: 'c' },
    ]);
    expect(kinds(diffIndexes([index('i', ['a', 'b'], { comment: 'c' })], [index('i', ['a'], { comment: 'c' })]))).toEqual([
      'replace_index',
      'set_comment',
    ]);
  });
});

const withTriggers = (triggers: readonly Trigger[]): Table => table('t', [col('a'), col('b')], { triggers });
const diffTriggers = (want: readonly Trigger[], live: readonly Trigger[]) =>
  diffSchemas(desired(model({ tables: [withTriggers(want)] })), model({ tables: [withTriggers(live)] }));

describe('triggers', () => {
  it('create and drop', () => {
    expect(diffTriggers([trigger('t_new', 'f')], [trigger('t_old', 'f')])).toMatchObject([
      { kind: 'create_trigger', trigger: { name: 't_new' } },
      { kind: 'drop_trigger', trigger: { name: 't_old' } },
    ]);
  });

  it('any difference but enabled → replace_trigger', () => {
    const base = trigger('trg', 'f');
    const variants: Trigger[] = [
      { ...base, timing: 'after' },
      { ...base, events: ['insert', 'update'] },
      { ...base, updateOf: ['a'] },
      { ...base, level: 'statement' },
      { ...base, when: 'OLD.a IS DISTINCT FROM NEW.a' },
      { ...base, function: { schema: 'public', name: 'g' } },
      { ...base, arguments: ['x'] },
      { ...base, constraint: { deferrable: true, initiallyDeferred: false } },
    ];
    for (const variant of variants) {
      expect(diffTriggers([variant], [base])).toMatchObject([{ kind: 'replace_trigger', from: base, to: variant }]);
    }
  });

  it('WHEN compares as parse trees', () => {
    const base = trigger('trg', 'f');
    expect(
      diffTriggers([{ ...base, when: 'OLD.* IS DISTINCT FROM NEW.*' }], [{ ...base, when: '(old.* IS DISTINCT FROM new.*)' }]),
    ).toEqual([]);
  });

  it('only enabled differs → set_trigger_enabled', () => {
    const base = trigger('trg', 'f');
    expect(diffTriggers([{ ...base, enabled: 'disabled' }], [base])).toEqual([
      { kind: 'set_trigger_enabled', table: { schema: 'public', name: 't' }, trigger: 'trg', enabled: 'disabled' },
    ]);
  });

  it('a declared rename is rename_trigger, never drop + create', () => {
    expect(diffTriggers([trigger('trg_new', 'f', { renamedFrom: 'trg_old' })], [trigger('trg_old', 'f')])).toEqual([
      { kind: 'rename_trigger', table: { schema: 'public', name: 't' }, from: 'trg_old', to: 'trg_new' },
    ]);
  });

  it('UPDATE OF columns follow renamed columns', () => {
    const want = table('t', [col('c', 'integer', { renamedFrom: 'a' })], { triggers: [trigger('trg', 'f', { updateOf: ['c'] })] });
    const live = table('t', [col('a')], { triggers: [trigger('trg', 'f', { updateOf: ['a'] })] });
    expect(kinds(diffSchemas(desired(model({ tables: [want] })), model({ tables: [live] })))).toEqual(['rename_column']);
  });

  it('trigger comments', () => {
    expect(diffTriggers([trigger('trg', 'f', { comment: 'x' })], [trigger('trg', 'f', { comment: 'y' })])).toEqual([
      { kind: 'set_comment', target: { on: 'trigger', table: { schema: 'public', name: 't' }, trigger: 'trg' }, comment: 'x' },
    ]);
  });
});
