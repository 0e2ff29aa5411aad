/** Range types as written (`range_types:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries, optional } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';
import { collationName } from '../../diff/compare.js';
import { defaultMultirangeName, functionNameText } from './model.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly range_types?: Readonly<Record<string, RawRangeType>>;
  }
}

export interface RawRangeType {
  readonly subtype: string;
  readonly subtype_opclass?: string;
  readonly collation?: string;
  readonly canonical?: string;
  readonly subtype_diff?: string;
  readonly multirange_type_name?: string;
  readonly comment?: string;
  readonly renamed_from?: string;
}

function readRangeTypes(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.range_types)) {
    const path = ['schemas', schema, 'range_types', name];
    const fn = (text: string | undefined): string | undefined => (text === undefined ? undefined : (functionNameText(text) ?? text));
    // A multirange name written as the one PostgreSQL derives is the default: left out, as introspection leaves it.
    const multirange = raw.multirange_type_name === defaultMultirangeName(name) ? undefined : raw.multirange_type_name;
    ctx.model.rangeTypes.push({
      schema,
      name,
      subtype: ctx.type(raw.subtype, schema, 'column', [...path, 'subtype']).canonical,
      ...optional('subtypeOpclass', raw.subtype_opclass === undefined ? undefined : fn(raw.subtype_opclass)),
      ...optional('collation', collationName(raw.collation)),
      ...optional('canonical', fn(raw.canonical)),
      ...optional('subtypeDiff', fn(raw.subtype_diff)),
      ...optional('multirangeTypeName', multirange),
      ...commentOf(raw),
      ...optional('renamedFrom', raw.renamed_from),
    });
  }
}

export const rangeTypeRaw = { in: 'schema', read: readRangeTypes } as const satisfies KindRaw;
