/**
 * Every kind reads its own objects from the document (`ObjectKind.raw`, src/kinds/<kind>/raw.ts),
 * at the place its part of the format puts its map, and nothing reads them for it: the driver
 * (src/desired/to-model.ts) walks the registry for the kinds in the document and in a schema, the
 * table kind's conversion calls every kind under a table, every kind's conversion the comment's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/kinds/registry.js';

const KINDS_DIR = join(import.meta.dirname, '..', '..', 'src', 'kinds');

describe('the kinds read the document', () => {
  it('each kind has its raw.ts and reads its objects where its format part places its map', () => {
    for (const kind of KINDS) {
      expect(existsSync(join(KINDS_DIR, kind.name, 'raw.ts')), `src/kinds/${kind.name}/raw.ts`).toBe(true);
      const places = [...new Set(kind.format.placements.map((p) => p.in))];
      // A kind without a map of its own (comments) is an attribute of every object.
      expect(kind.raw.in, kind.name).toBe(places.length === 0 ? 'object' : places[0]);
      // Grants and owners are properties of the objects of a schema (and of the schema): the
      // grant kind reads them from each schema's body, wherever its definitions place them.
      if (kind.name !== 'grant') expect(places.length, `${kind.name}: one place in the format`).toBeLessThanOrEqual(1);
    }
  });

  it("the table kind's conversion reads every kind under a table", () => {
    const table = readFileSync(join(KINDS_DIR, 'table', 'raw.ts'), 'utf8');
    for (const kind of KINDS.filter((k) => k.raw.in === 'table')) {
      expect(table, `src/kinds/table/raw.ts calls ${kind.name}Raw.read`).toContain(`${kind.name}Raw.read(`);
    }
  });

  it("every kind's conversion puts in its objects' comments", () => {
    for (const kind of KINDS.filter((k) => k.raw.in !== 'object' && k.format.definitions[k.name] !== undefined)) {
      const definition = kind.format.definitions[kind.name] as { properties?: Record<string, unknown> };
      if (definition.properties?.['comment'] === undefined) continue;
      const source = readFileSync(join(KINDS_DIR, kind.name, 'raw.ts'), 'utf8');
      expect(source, `src/kinds/${kind.name}/raw.ts`).toContain('commentOf(');
    }
  });
});
