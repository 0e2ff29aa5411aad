/**
 * The registry is the only list of kinds, and every kind has every piece: a folder under
 * src/kinds/ for each registered kind (and no folder outside it) holding its diff and steps, each
 * change kind handled by exactly one kind with steps, target, sort key and report, and the JSON
 * Schema file exactly what the kinds' parts assemble to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, REF_KINDS, REF_LOCKS, STEP_OBJECT_KINDS, changeRank, isRename, kindOfStep } from '../../src/kinds/registry.js';
import { key } from '../../src/plan/references.js';
import { schemaFileText } from '../../src/kinds/format-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KINDS_DIR = join(ROOT, 'src', 'kinds');

describe('object kinds', () => {
  it('a folder per registered kind, and no folder the registry does not list', () => {
    const folders = readdirSync(KINDS_DIR).filter((f) => statSync(join(KINDS_DIR, f)).isDirectory());
    expect(folders.sort()).toEqual(KINDS.map((k) => k.name).sort());
    for (const folder of folders) {
      expect(readdirSync(join(KINDS_DIR, folder))).toEqual(
        expect.arrayContaining([
          'index.ts',
          'format-schema.ts',
          'model.ts',
          'raw.ts',
          'checks.ts',
          'introspect.ts',
          'changes.ts',
          'refs.ts',
          'diff.ts',
          'steps.ts',
          'pull.ts',
        ]),
      );
    }
  });

  it("src/plan/references.ts key holds every kind's key functions, and no other", () => {
    const declared = KINDS.flatMap((kind) => Object.entries(kind.refs.keys));
    for (const [name, fn] of declared) expect((key as Record<string, unknown>)[name], `key.${name}`).toBe(fn);
    expect(Object.keys(key).sort()).toEqual(declared.map(([name]) => name).sort());
  });

  it('a kind has its commentOn hook exactly when its folder has a comment-on.ts', () => {
    for (const kind of KINDS)
      expect(kind.commentOn !== undefined, kind.name).toBe(readdirSync(join(KINDS_DIR, kind.name)).includes('comment-on.ts'));
  });

  it('every change kind is handled by one kind, with every piece', () => {
    const seen = new Map<string, string>();
    for (const kind of KINDS) {
      expect(kind.phase.create, kind.name).toBeTypeOf('number');
      expect(kind.phase.drop, kind.name).toBeTypeOf('number');
      for (const [change, handling] of Object.entries(kind.changes) as [string, Record<string, unknown>][]) {
        expect(seen.get(change), `${change} handled by ${seen.get(change)} and ${kind.name}`).toBeUndefined();
        seen.set(change, kind.name);
        for (const piece of ['steps', 'target', 'sortKey', 'describe'] as const)
          expect(handling[piece], `${change}.${piece}`).toBeTypeOf('function');
      }
      for (const drop of kind.drops) expect(Object.keys(kind.changes), kind.name).toContain(drop);
    }
    // The diff's order: creates in registry order, drops in reverse.
    expect(changeRank('create_extension')).toBeLessThan(changeRank('create_table'));
    expect(changeRank('drop_table')).toBeLessThan(changeRank('drop_extension'));
    expect(changeRank('set_comment')).toBeLessThan(changeRank('drop_trigger'));
    expect(isRename('rename_table')).toBe(true);
    expect(isRename('create_table')).toBe(false);
  });

  it('every kind declares what names its objects: graph key kinds with lock weights, step words, keys', () => {
    for (const kind of KINDS) {
      expect(kind.refs.reports.length, kind.name).toBeGreaterThan(0);
      for (const word of kind.refs.words) expect(kindOfStep({ objectKind: word }).name).toBe(kind.name);
      for (const name of Object.keys(kind.refs.keys)) expect(key[name as keyof typeof key]).toBe(kind.refs.keys[name as never]);
    }
    expect(REF_KINDS).toEqual(expect.arrayContaining(['table', 'function_name', 'unique_key', 'key_column', 'enum_value']));
    expect(REF_LOCKS.table).toBe(3);
    expect(REF_LOCKS.column).toBe(0);
    expect(STEP_OBJECT_KINDS).toEqual(expect.arrayContaining(['primary key', 'columns', 'trigger']));
  });

  it('every kind has a diff: of the models (the driver calls it), of one table (the table diff does), or by its owners', () => {
    const scopes = Object.fromEntries(KINDS.map((k) => [k.name, k.diff.scope]));
    expect(scopes).toMatchObject({ extension: 'model', table: 'model', column: 'table', trigger: 'table', comment: 'owners' });
    for (const kind of KINDS) if (kind.diff.scope !== 'owners') expect(kind.diff.run, kind.name).toBeTypeOf('function');
  });

  it('schema/pgreconcile.schema.json is what the kinds assemble (npm run schema writes it)', () => {
    expect(readFileSync(join(ROOT, 'schema', 'pgreconcile.schema.json'), 'utf8')).toBe(schemaFileText());
  });
});
