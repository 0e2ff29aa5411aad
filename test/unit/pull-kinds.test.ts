/**
 * The pull writer by kind: every registered kind has its writer (`ObjectKind.pull`, in
 * src/kinds/<kind>/pull.ts), placed in a container the driver or another kind writes, and the
 * containers' maps come out in the file's order whatever the registry order of their kinds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../src/kinds/registry.js';
import { modelToYaml } from '../../src/pull/model-to-yaml.js';
import { initParser } from '../../src/sql/parser.js';
import { check, col, enumType, ext, fk, fn, index, model, pk, seq, table, trigger, unique } from './diff-helpers.js';

const KINDS_DIR = join(import.meta.dirname, '..', '..', 'src', 'kinds');

beforeAll(async () => {
  await initParser();
});

/** The keys of the map that starts after `line` (the lines indented one level deeper). */
function keysUnder(yaml: string, line: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.indexOf(line);
  expect(start, line).toBeGreaterThanOrEqual(0);
  const indent = ' '.repeat(line.length - line.trimStart().length + 2);
  const keys: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(indent)) break;
    const rest = l.slice(indent.length);
    if (/^[a-z_]+:/.test(rest)) keys.push(rest.slice(0, rest.indexOf(':')));
  }
  return keys;
}

describe('pull writer by kind', () => {
  it('every kind has a pull.ts and places its entries in a container', () => {
    for (const kind of KINDS) {
      expect(existsSync(join(KINDS_DIR, kind.name, 'pull.ts')), kind.name).toBe(true);
      expect(kind.pull.length, kind.name).toBeGreaterThan(0);
      for (const placement of kind.pull) expect(['document', 'schema', 'table'], kind.name).toContain(placement.in);
    }
  });

  it('writes the document, a schema and a table in the file order', () => {
    const users = table('users', [col('id'), col('email', 'text'), col('during', 'tstzrange')], {
      comment: 'people',
      primaryKey: pk('users_pkey', ['id']),
      uniques: [unique('users_email_key', ['email'], { deferrable: false, initiallyDeferred: false })],
      checks: [check('users_email_check', "email <> ''")],
      foreignKeys: [fk('users_id_fkey', ['id'], { table: 'accounts', columns: ['id'], schema: 'other' })],
      indexes: [index('users_email_idx', ['email'])],
      triggers: [trigger('touch', 'touch')],
      exclusions: [
        {
          name: 'users_during_excl',
          using: 'gist',
          elements: [{ column: 'during', operator: '&&' }],
          include: [],
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
    });
    const { yaml } = modelToYaml(
      model({
        schemas: [{ name: 'public', comment: 'the app' }],
        extensions: [ext('pgcrypto')],
        enums: [enumType('mood', ['happy'])],
        sequences: [seq('counter')],
        functions: [fn('touch', 'BEGIN RETURN NEW; END')],
        tables: [users],
      }),
      { ignore: ['audit.*'] },
    );
    const root = yaml
      .split('\n')
      .filter((l) => /^[a-z_]+:/.test(l))
      .map((l) => l.slice(0, l.indexOf(':')));
    expect(root).toEqual(['version', 'extensions', 'ignore', 'external', 'schemas']);
    expect(keysUnder(yaml, '  public:')).toEqual(['comment', 'enums', 'sequences', 'functions', 'tables']);
    expect(keysUnder(yaml, '      users:')).toEqual([
      'comment',
      'columns',
      'primary_key',
      'unique',
      'checks',
      'foreign_keys',
      'indexes',
      'triggers',
      'exclude',
    ]);
  });
});
