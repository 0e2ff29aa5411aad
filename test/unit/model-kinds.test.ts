/**
 * The model follows from the registry: `SchemaModel` has one list per kind whose model part is a
 * `ModelList`, `emptyModel` has them all in registry order, and each kind within a table is a
 * member of the table list.
 */
import { describe, expect, it } from 'vitest';
import { modelLists } from '../../src/kinds/models.js';
import { KINDS } from '../../src/kinds/registry.js';
import { emptyModel, type EnumType, type SchemaModel, type Table } from '../../src/model/types.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const keys: Equal<
  keyof SchemaModel,
  | 'roles'
  | 'extensions'
  | 'schemas'
  | 'enums'
  | 'collations'
  | 'rangeTypes'
  | 'compositeTypes'
  | 'domains'
  | 'sequences'
  | 'functions'
  | 'aggregates'
  | 'tables'
  | 'views'
  | 'acls'
> = true;
const tables: Equal<SchemaModel['tables'], readonly Table[]> = true;
const enums: Equal<SchemaModel['enums'], readonly EnumType[]> = true;

describe('the model from the registry', () => {
  it('SchemaModel and emptyModel have one list per top-level kind, in registry order', () => {
    expect([keys, tables, enums]).toEqual([true, true, true]);
    expect(Object.keys(emptyModel())).toEqual([
      'roles',
      'extensions',
      'schemas',
      'enums',
      'collations',
      'rangeTypes',
      'compositeTypes',
      'domains',
      'sequences',
      'functions',
      'aggregates',
      'tables',
      'views',
      'acls',
    ]);
    expect(Object.values(emptyModel())).toEqual([[], [], [], [], [], [], [], [], [], [], [], [], [], []]);
  });

  it('every kind has a model part: a list, a member of a list, or an attribute', () => {
    const lists = modelLists();
    expect(lists.map((l) => l.kind)).toEqual([
      'role',
      'extension',
      'schema',
      'enum',
      'collation',
      'range-type',
      'composite-type',
      'domain',
      'sequence',
      'function',
      'aggregate',
      'table',
      'view',
      'grant',
    ]);
    expect(lists.find((l) => l.kind === 'table')?.members).toHaveLength(5);
    for (const kind of KINDS) expect(kind.model, kind.name).toBeTypeOf('object');
  });
});
