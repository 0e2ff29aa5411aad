import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import {
  displayIdent,
  displayQualified,
  parseQualifiedName,
  qualify,
  QualifiedNameError,
  quoteIdent,
  splitQualifiedName,
} from '../../src/model/ident.js';
import { createTestDatabase } from '../support/harness.js';
import type { OwnedTestDatabase } from '../support/harness.js';

beforeAll(async () => {
  await initParser();
});

describe('quoteIdent and qualify', () => {
  it('always quotes, doubling embedded quotes', () => {
    expect(quoteIdent('users')).toBe('"users"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('""')).toBe('""""""');
    expect(quoteIdent('My Table')).toBe('"My Table"');
  });

  it('qualifies with both parts quoted', () => {
    expect(qualify({ schema: 'public', name: 'users' })).toBe('"public"."users"');
    expect(qualify({ schema: 'a.b', name: 'C"D' })).toBe('"a.b"."C""D"');
  });
});

const words = [
  'users',
  'user',
  'order',
  'select',
  'name',
  'type',
  'text',
  'value',
  'table',
  'MyTable',
  'my table',
  'a"b',
  '_private',
  'col$1',
  '$col',
  '1abc',
  'abc1',
  'é',
  'int',
  'integer',
  'varchar',
  'time',
  'timestamp',
  'between',
  'interval',
  'position',
  'left',
  'authorization',
  'sequence',
  'version',
  'key',
  'primary',
  'default',
  'check',
  'column',
  'limit',
  'offset',
  'window',
  'over',
  'filter',
  'all',
  'any',
  'current_user',
  'Y',
  '',
];

describe('displayIdent', () => {
  it('quotes only when needed', () => {
    expect(displayIdent('users')).toBe('users');
    expect(displayIdent('MyTable')).toBe('"MyTable"');
    expect(displayIdent('order')).toBe('"order"');
    expect(displayIdent('name')).toBe('name');
    expect(displayIdent('a"b')).toBe('"a""b"');
    expect(displayIdent('col$1')).toBe('"col$1"');
    expect(displayIdent('')).toBe('""');
  });

  it('shows qualified names without public', () => {
    expect(displayQualified({ schema: 'public', name: 'users' })).toBe('users');
    expect(displayQualified({ schema: 'public', name: 'Users' })).toBe('"Users"');
    expect(displayQualified({ schema: 'auth', name: 'users' })).toBe('auth.users');
    expect(displayQualified({ schema: 'My Schema', name: 'order' })).toBe('"My Schema"."order"');
  });

  describe('agrees with quote_ident() on a real server', () => {
    let database: OwnedTestDatabase | undefined;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });

    // `json` is left out: a keyword since PostgreSQL 16, so quote_ident() differs by version.
    it.each(words.filter((w) => w !== ''))('quote_ident(%j)', async (word) => {
      const { rows } = await (database?.db ?? fail()).query<{ q: string }>('SELECT quote_ident($1) AS q', [word]);
      expect(displayIdent(word)).toBe(rows[0]?.q);
    });
  });
});

function fail(): never {
  throw new Error('no database');
}

describe('parseQualifiedName', () => {
  it.each([
    ['users', { schema: 'public', name: 'users' }],
    ['auth.users', { schema: 'auth', name: 'users' }],
    ['MyTable', { schema: 'public', name: 'MyTable' }],
    ['"MyTable"', { schema: 'public', name: 'MyTable' }],
    ['"Mixed".name', { schema: 'Mixed', name: 'name' }],
    ['"a.b"."C"', { schema: 'a.b', name: 'C' }],
    ['"say ""hi"""', { schema: 'public', name: 'say "hi"' }],
    [' auth . users ', { schema: 'auth', name: 'users' }],
    ['order', { schema: 'public', name: 'order' }],
  ])('%s', (text, expected) => {
    expect(parseQualifiedName(text, 'public')).toEqual(expected);
  });

  it('uses the given default schema', () => {
    expect(parseQualifiedName('users', 'app')).toEqual({ schema: 'app', name: 'users' });
    expect(parseQualifiedName('users')).toEqual({ schema: 'public', name: 'users' });
  });

  it.each([
    ['a.b.c', 'invalid name "a.b.c": expected "name" or "schema.name", got 3 parts'],
    ['', 'invalid name "": a name part is missing'],
    ['a.', 'invalid name "a.": a name part is missing'],
    ['.a', 'invalid name ".a": empty name part at column 1'],
    ['"abc', 'invalid name ""abc": unterminated quoted identifier'],
    ['""', 'invalid name """": zero-length quoted identifier'],
    ['"a"b', 'invalid name ""a"b": unexpected character at column 4'],
    ['a"b"', 'invalid name "a"b"": unexpected quote at column 2'],
  ])('rejects %j', (text, message) => {
    expect(() => parseQualifiedName(text, 'public')).toThrow(QualifiedNameError);
    expect(() => parseQualifiedName(text, 'public')).toThrow(message);
  });

  it('splits any number of parts', () => {
    expect(splitQualifiedName('a."b.c".D')).toEqual(['a', 'b.c', 'D']);
  });
});
