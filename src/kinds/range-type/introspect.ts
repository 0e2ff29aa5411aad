/** Range types read from the catalog: ./range-types.sql → the model's rangeTypes. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { comment, type KindIntrospect } from '../../introspect/model-draft.js';
import { displayIdent } from '../../model/ident.js';
import { defaultMultirangeName, nameText } from './model.js';

export interface RangeTypeRow {
  readonly schema: string;
  readonly name: string;
  readonly subtype: string;
  readonly opclass_schema?: string;
  readonly opclass?: string;
  readonly collation?: string;
  readonly canonical_schema?: string;
  readonly canonical?: string;
  readonly subtype_diff_schema?: string;
  readonly subtype_diff?: string;
  readonly multirange_schema?: string;
  readonly multirange?: string;
  readonly comment?: string;
}

export const rangeTypesQuery = catalogQuery<RangeTypeRow>('range-types', new URL('./range-types.sql', import.meta.url), 'second');

const named = (schema: string | undefined, name: string | undefined): string | undefined =>
  name === undefined ? undefined : nameText({ schema: schema ?? '', name });

/** The multirange name as the model keeps it: left out when derived; qualified when in another schema. */
function multirangeOf(r: RangeTypeRow): string | undefined {
  if (r.multirange === undefined) return undefined;
  if (r.multirange_schema !== undefined && r.multirange_schema !== r.schema)
    return `${displayIdent(r.multirange_schema)}.${displayIdent(r.multirange)}`;
  return r.multirange === defaultMultirangeName(r.name) ? undefined : r.multirange;
}

export const rangeTypeIntrospect: KindIntrospect = {
  queries: [rangeTypesQuery],
  build: (rows, draft) => {
    for (const r of rows.of(rangeTypesQuery)) {
      if (!draft.managed(r.schema, r.name)) continue;
      const opclass = named(r.opclass_schema, r.opclass);
      const canonical = named(r.canonical_schema, r.canonical);
      const subtypeDiff = named(r.subtype_diff_schema, r.subtype_diff);
      const multirange = multirangeOf(r);
      draft.model.rangeTypes.push({
        schema: r.schema,
        name: r.name,
        subtype: r.subtype,
        ...(opclass !== undefined ? { subtypeOpclass: opclass } : {}),
        ...(r.collation !== undefined ? { collation: r.collation } : {}),
        ...(canonical !== undefined ? { canonical } : {}),
        ...(subtypeDiff !== undefined ? { subtypeDiff } : {}),
        ...(multirange !== undefined ? { multirangeTypeName: multirange } : {}),
        ...comment(r.comment),
      });
    }
  },
};
