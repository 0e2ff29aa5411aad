/** Composite and range types: their diffs (in-place attribute changes or drop and create, renames) and the names PostgreSQL derives. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import { diffCompositeTypes } from '../../src/kinds/composite-type/diff.js';
import type { CompositeAttribute, CompositeType } from '../../src/kinds/composite-type/model.js';
import { diffRangeTypes } from '../../src/kinds/range-type/diff.js';
import { defaultMultirangeName, functionNameText, type RangeType } from '../../src/kinds/range-type/model.js';
import { rangeOptionsSql } from '../../src/kinds/range-type/steps.js';

const attr = (name: string, type = 'integer', extra: Partial<CompositeAttribute> = {}): CompositeAttribute => ({ name, type, ...extra });
const composite = (name: string, attributes: CompositeAttribute[], extra: Partial<CompositeType> = {}): CompositeType => ({
  schema: 'public',
  name,
  attributes,
  ...extra,
});
const range = (name: string, extra: Partial<RangeType> = {}): RangeType => ({
  schema: 'public',
  name,
  subtype: 'double precision',
  ...extra,
});

beforeAll(async () => {
  await initParser();
});

describe('composite types', () => {
  it('adds at the end, drops, retypes and renames in place', () => {
    const changes = diffCompositeTypes(
      [composite('t', [attr('a', 'bigint'), attr('c', 'text', { renamedFrom: 'b' }), attr('e')])],
      [composite('t', [attr('a'), attr('b', 'text'), attr('d')])],
    );
    expect(changes.map((c) => c.kind)).toEqual(['alter_composite_type']);
    const actions = changes[0]?.kind === 'alter_composite_type' ? changes[0].actions.map((a) => a.action) : [];
    expect(actions).toEqual(['rename', 'drop', 'retype', 'add']);
  });

  it('drops and creates a type whose kept attributes change order, or that gains one before a kept one', () => {
    const kinds = (want: CompositeAttribute[]): string[] =>
      diffCompositeTypes([composite('t', want)], [composite('t', [attr('a'), attr('b')])]).map((c) => c.kind);
    expect(kinds([attr('b'), attr('a')])).toEqual(['drop_composite_type', 'create_composite_type']);
    expect(kinds([attr('x'), attr('a'), attr('b')])).toEqual(['drop_composite_type', 'create_composite_type']);
    expect(kinds([attr('a'), attr('b'), attr('x')])).toEqual(['alter_composite_type']);
    expect(kinds([attr('a'), attr('b')])).toEqual([]);
  });

  it('renames a type matched through renamed_from, and a collation written as default is none', () => {
    const changes = diffCompositeTypes(
      [composite('address', [attr('s', 'text', { collation: 'default' })], { renamedFrom: 'addr' })],
      [composite('addr', [attr('s', 'text')])],
    );
    expect(changes.map((c) => c.kind)).toEqual(['rename_composite_type']);
  });
});

describe('range types', () => {
  it('derives the multirange name as PostgreSQL does', () => {
    expect(defaultMultirangeName('floatrange')).toBe('floatmultirange');
    expect(defaultMultirangeName('textrange2')).toBe('textmultirange2');
    expect(defaultMultirangeName('My Range')).toBe('My Range_multirange');
    expect(defaultMultirangeName('x'.repeat(63))).toBe(`${'x'.repeat(52)}_multirange`);
  });

  it('keeps function names bare in public and pg_catalog, quoted where needed', () => {
    expect(functionNameText('pg_catalog.float8mi')).toBe('float8mi');
    expect(functionNameText('"Math"."Diff"')).toBe('"Math"."Diff"');
    expect(functionNameText('public.f')).toBe('f');
  });

  it('drops and creates on a changed definition, renames the range and a derived multirange, and alters nothing else', () => {
    expect(diffRangeTypes([range('r', { subtypeDiff: 'float8mi' })], [range('r')]).map((c) => c.kind)).toEqual([
      'drop_range_type',
      'create_range_type',
    ]);
    expect(diffRangeTypes([range('doublerange', { renamedFrom: 'floatrange' })], [range('floatrange')]).map((c) => c.kind)).toEqual([
      'rename_range_type',
      'rename_multirange_type',
    ]);
    expect(diffRangeTypes([range('r', { multirangeTypeName: 'rs' })], [range('r')]).map((c) => c.kind)).toEqual(['rename_multirange_type']);
    expect(diffRangeTypes([range('r')], [range('r')])).toEqual([]);
  });

  it('writes every option with its names quoted', () => {
    expect(
      rangeOptionsSql(
        range('r', { subtypeOpclass: 'x.ops', collation: 'C', canonical: 'canon', subtypeDiff: '"M"."D"', multirangeTypeName: 'R s' }),
      ),
    ).toBe(
      'SUBTYPE = double precision, SUBTYPE_OPCLASS = "x"."ops", COLLATION = "C", CANONICAL = "canon", SUBTYPE_DIFF = "M"."D", MULTIRANGE_TYPE_NAME = "public"."R s"',
    );
  });
});
