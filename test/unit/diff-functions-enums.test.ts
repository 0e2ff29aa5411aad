import { beforeAll, describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import type { EnumType, FunctionDef, Table } from '../../src/model/types.js';
import { initParser } from '../../src/sql/parser.js';
import { col, desired, enumType, fn, kinds, model, ofKind, table, trigger } from './diff-helpers.js';

beforeAll(async () => {
  await initParser();
});

const BODY = 'BEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;';

const diffFunctions = (want: readonly FunctionDef[], live: readonly FunctionDef[], tables: readonly Table[] = []) =>
  diffSchemas(desired(model({ functions: want, tables })), model({ functions: live, tables }));

describe('functions', () => {
  it('create and drop', () => {
    expect(diffFunctions([fn('a', BODY)], [fn('b', BODY)])).toMatchObject([
      { kind: 'create_function', fn: { name: 'a' } },
      { kind: 'drop_function', fn: { name: 'b' } },
    ]);
  });

  it('leading and trailing blank lines of a body are not a change', () => {
    expect(diffFunctions([fn('f', `${BODY}\n`)], [fn('f', `\n${BODY}\n`)])).toEqual([]);
    expect(diffFunctions([fn('f', `  ${BODY}  \n\n`)], [fn('f', BODY)])).toEqual([]);
  });

  it('body and attributes CREATE OR REPLACE can change → replace_function', () => {
    const base = fn('f', BODY, { returns: 'integer', arguments: [{ name: 'x', type: 'integer', mode: 'in' }] });
    const variants: FunctionDef[] = [
      { ...base, body: BODY.replace('now()', 'clock_timestamp()') },
      { ...base, volatility: 'stable' },
      { ...base, strict: true },
      { ...base, security: 'definer' },
      { ...base, leakproof: true },
      { ...base, parallel: 'safe' },
      { ...base, config: { search_path: 'public' } },
      { ...base, language: 'sql' },
      { ...base, arguments: [{ name: 'x', type: 'integer', mode: 'in', default: '1' }] },
    ];
    for (const variant of variants) {
      expect(diffFunctions([variant], [base])).toEqual([{ kind: 'replace_function', from: base, to: variant }]);
    }
    expect(diffFunctions([{ ...base, language: 'PLPGSQL' }], [base])).toEqual([]);
    expect(diffFunctions([{ ...base, config: { search_path: 'public' } }], [{ ...base, config: { SEARCH_PATH: 'public' } }])).toEqual([]);
  });

  it('overloads are different functions', () => {
    const one = fn('add', 'SELECT a', { returns: 'integer', language: 'sql', arguments: [{ name: 'a', type: 'integer', mode: 'in' }] });
    const two = fn('add', 'SELECT a', { returns: 'bigint', language: 'sql', arguments: [{ name: 'a', type: 'bigint', mode: 'in' }] });
    expect(diffFunctions([one, two], [one])).toMatchObject([{ kind: 'create_function', fn: { arguments: [{ type: 'bigint' }] } }]);
  });

  it('what CREATE OR REPLACE cannot do → drop + create, and kept triggers calling it are re-created', () => {
    const live = fn('touch', BODY);
    const want = { ...live, returns: 'void' };
    const t = table('t', [col('a')], { triggers: [trigger('trg', 'touch')] });
    const changes = diffFunctions([want], [live], [t]);
    expect(kinds(changes)).toEqual(['create_function', 'replace_trigger', 'drop_function']);
    expect(ofKind(changes, 'replace_trigger')[0]).toMatchObject({ table: { name: 't' }, from: { name: 'trg' }, to: { name: 'trg' } });

    const args = (name: string, mode: 'in' | 'inout' = 'in', dflt?: string): FunctionDef =>
      fn('f', 'SELECT 1', {
        returns: 'integer',
        language: 'sql',
        arguments: [{ name, type: 'integer', mode, ...(dflt === undefined ? {} : { default: dflt }) }],
      });
    expect(kinds(diffFunctions([args('y')], [args('x')]))).toEqual(['create_function', 'drop_function']);
    expect(kinds(diffFunctions([args('x', 'inout')], [args('x')]))).toEqual(['create_function', 'drop_function']);
    expect(kinds(diffFunctions([args('x')], [args('x', 'in', '1')]))).toEqual(['create_function', 'drop_function']);
    expect(kinds(diffFunctions([args('x', 'in', '2')], [args('x', 'in', '1')]))).toEqual(['replace_function']);
    expect(diffFunctions([args('x', 'in', '1')], [args('x', 'in', '(1)')])).toEqual([]);
  });

  it('a function a kept trigger uses is never dropped, even when undeclared', () => {
    const t = table('t', [col('a')], { triggers: [trigger('trg', 'touch')] });
    expect(diffFunctions([], [fn('touch', BODY)], [t])).toEqual([]);
  });

  it('function comments; a re-created function gets its comment again', () => {
    const base = fn('f', BODY, { comment: 'c' });
    expect(diffFunctions([base], [{ ...base, comment: undefined }])).toEqual([
      { kind: 'set_comment', target: { on: 'function', fn: base }, comment: 'c' },
    ]);
    expect(kinds(diffFunctions([{ ...base, returns: 'void' }], [base]))).toEqual(['create_function', 'set_comment', 'drop_function']);
  });
});

const mood = (values: readonly string[], extra: Partial<EnumType> = {}): EnumType => enumType('mood', values, extra);
const diffEnums = (
  want: readonly EnumType[],
  live: readonly EnumType[],
  tables: { want?: readonly Table[]; live?: readonly Table[] } = {},
) => diffSchemas(desired(model({ enums: want, tables: tables.want ?? [] })), model({ enums: live, tables: tables.live ?? [] }));

describe('enums', () => {
  it('create and drop', () => {
    expect(diffEnums([mood(['a'])], [enumType('old', ['x'])])).toMatchObject([
      { kind: 'create_enum', enum: { name: 'mood' } },
      { kind: 'drop_enum', enum: { name: 'old' } },
    ]);
  });

  it('a new label goes after its predecessor', () => {
    expect(diffEnums([mood(['sad', 'ok', 'happy'])], [mood(['sad', 'happy'])])).toMatchObject([
      { kind: 'add_enum_value', value: 'ok', after: 'sad' },
    ]);
    expect(diffEnums([mood(['sad', 'happy', 'ecstatic'])], [mood(['sad', 'happy'])])).toMatchObject([
      { kind: 'add_enum_value', value: 'ecstatic', after: 'happy' },
    ]);
  });

  it('a new first label goes before its successor; several are chained so each neighbour exists', () => {
    const [first] = diffEnums([mood(['awful', 'sad', 'happy'])], [mood(['sad', 'happy'])]);
    expect(first).toMatchObject({ kind: 'add_enum_value', value: 'awful', before: 'sad' });
    expect(first).not.toHaveProperty('after');
    const changes = diffEnums([mood(['a', 'b', 'sad', 'c', 'd', 'happy'])], [mood(['sad', 'happy'])]);
    expect(changes.map((c) => (c.kind === 'add_enum_value' ? [c.value, c.before ?? null, c.after ?? null] : c.kind))).toEqual([
      ['b', 'sad', null],
      ['a', 'b', null],
      ['c', null, 'sad'],
      ['d', null, 'c'],
    ]);
  });

  it('declared label renames come first, then additions', () => {
    const changes = diffEnums(
      [mood(['happy', 'glad', 'meh', 'sad'], { renamedValues: { glad: 'content' } })],
      [mood(['happy', 'content', 'sad'])],
    );
    expect(changes).toMatchObject([
      { kind: 'rename_enum_value', from: 'content', to: 'glad' },
      { kind: 'add_enum_value', value: 'meh', after: 'glad' },
    ]);
    // Applied already: nothing.
    expect(diffEnums([mood(['happy', 'glad'], { renamedValues: { glad: 'content' } })], [mood(['happy', 'glad'])])).toEqual([]);
  });

  it('a removed label → replace_enum with the columns to convert', () => {
    const users = (type: string): Table => table('users', [col('id'), col('m', type), col('history', `${type}[]`), col('other', 'text')]);
    const changes = diffEnums([mood(['sad', 'happy'])], [mood(['sad', 'meh', 'happy'])], {
      want: [users('mood'), table('fresh', [col('m', 'mood')])],
      live: [users('mood')],
    });
    expect(changes).toHaveLength(2);
    expect(kinds(changes)).toEqual(['replace_enum', 'create_table']);
    const [replace] = ofKind(changes, 'replace_enum');
    expect(replace?.removedValues).toEqual(['meh']);
    expect(replace?.from.values).toEqual(['sad', 'meh', 'happy']);
    expect(replace?.to.values).toEqual(['sad', 'happy']);
    expect(replace?.columns.map((c) => `${c.table.name}.${c.column.name}`)).toEqual(['users.m', 'users.history']);
  });

  it('reordered labels → replace_enum; schema-qualified and quoted type names are found', () => {
    const app = (values: readonly string[]): EnumType => enumType('Mood', values, { schema: 'app' });
    const t = table('t', [col('a', 'app."Mood"'), col('b', '"Mood"'), col('c', 'app."Mood"[]')], { schema: 'app' });
    const changes = diffSchemas(
      desired(model({ schemas: [{ name: 'public' }, { name: 'app' }], enums: [app(['b', 'a'])], tables: [t] })),
      model({ schemas: [{ name: 'public' }, { name: 'app' }], enums: [app(['a', 'b'])], tables: [t] }),
    );
    const [replace] = ofKind(changes, 'replace_enum');
    expect(kinds(changes)).toEqual(['replace_enum']);
    expect(replace?.removedValues).toEqual([]);
    expect(replace?.columns.map((c) => c.column.name)).toEqual(['a', 'c']);
  });

  it('enum comments', () => {
    expect(diffEnums([mood(['a'], { comment: 'x' })], [mood(['a'])])).toEqual([
      { kind: 'set_comment', target: { on: 'enum', type: { schema: 'public', name: 'mood' } }, comment: 'x' },
    ]);
  });
});
