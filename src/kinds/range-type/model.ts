/** Range types in the model (`CREATE TYPE ... AS RANGE`): the type, their order, their fingerprint form, the server's defaults. */
import { compareQualified } from '../../model/canonical.js';
import { clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import { displayIdent, parseQualifiedName } from '../../model/ident.js';
import { refLabel } from '../../model/object-ref.js';
import type { QualifiedName, SchemaModel } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export interface RangeType extends QualifiedName {
  /** Canonical type text of the subtype (as a column's). */
  readonly subtype: string;
  /** The btree operator class of the subtype; left out when it is the subtype's default. */
  readonly subtypeOpclass?: string;
  /** The collation; left out when it is the subtype's own (or the subtype is not collatable). */
  readonly collation?: string;
  /** The canonical function, as a function name is written (`schema.name`, bare in public and pg_catalog). */
  readonly canonical?: string;
  /** The subtype difference function, written like `canonical`. */
  readonly subtypeDiff?: string;
  /** The multirange type's name (in the range's schema); left out when it is the name PostgreSQL derives. */
  readonly multirangeTypeName?: string;
  readonly comment?: string;
  /** Desired side only: the type's previous name in its schema (`renamed_from`). */
  readonly renamedFrom?: string;
}

export const rangeTypeModel: ModelList<'rangeTypes', RangeType> = {
  property: 'rangeTypes',
  inSchemas: true,
  emptyInFingerprint: 'left out',
  normalize: (types) => [...types].sort(compareQualified),
  form: ({ renamedFrom: _renamed, ...rest }) => rest,
  label: (t) => refLabel({ kind: 'type', schema: t.schema, name: t.name }).replace(/^type /, 'range type '),
};

/**
 * The multirange type name PostgreSQL derives from a range type's (makeMultirangeTypeName): the
 * first `range` becomes `multirange`, else `_multirange` is appended; clipped to 63 bytes.
 *
 * @example defaultMultirangeName('floatrange')  // 'floatmultirange'
 * @example defaultMultirangeName('My Range')    // 'My Range_multirange'
 */
export function defaultMultirangeName(range: string): string {
  const at = range.indexOf('range');
  const name = at >= 0 ? `${range.slice(0, at)}multi${range.slice(at)}` : `${clipBytes(range, MAX_IDENTIFIER_BYTES + 1 - 12)}_multirange`;
  return clipBytes(name, MAX_IDENTIFIER_BYTES);
}

/**
 * A function or operator class name as the model keeps it: bare in `public` and `pg_catalog`,
 * else `schema.name`; each part as displayIdent writes it. Undefined for a name that does not parse.
 *
 * @example functionNameText('pg_catalog.float8mi')  // 'float8mi'
 * @example functionNameText('"My Schema".diff')     // '"My Schema".diff'
 */
export function functionNameText(text: string): string | undefined {
  try {
    const q = parseQualifiedName(text, '');
    return nameText(q);
  } catch {
    return undefined;
  }
}

/** A catalog name as the model keeps it (see `functionNameText`). */
export function nameText(q: QualifiedName): string {
  return q.schema === '' || q.schema === 'public' || q.schema === 'pg_catalog'
    ? displayIdent(q.name)
    : `${displayIdent(q.schema)}.${displayIdent(q.name)}`;
}

/**
 * The desired model with each range type's subtype operator class left out where it is the
 * subtype's default btree class (the form introspection gives), from the catalog's defaults.
 */
export function withoutDefaultRangeOpclasses(
  m: SchemaModel,
  defaultFor: (method: string, type: string) => string | undefined,
): SchemaModel {
  if (!m.rangeTypes.some((r) => r.subtypeOpclass !== undefined)) return m;
  const rangeTypes = m.rangeTypes.map((r) => {
    if (r.subtypeOpclass === undefined || defaultFor('btree', r.subtype) !== r.subtypeOpclass) return r;
    const { subtypeOpclass: _default, ...rest } = r;
    return rest;
  });
  return { ...m, rangeTypes };
}
