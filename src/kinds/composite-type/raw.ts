/** Composite types as written (`composite_types:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries, optional } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';
import type { CompositeAttribute } from './model.js';

export interface RawCompositeAttribute {
  readonly type: string;
  readonly collation?: string;
  readonly comment?: string;
  readonly renamed_from?: string;
}

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly composite_types?: Readonly<Record<string, RawCompositeType>>;
  }
}

export interface RawCompositeType {
  readonly attributes: Readonly<Record<string, RawCompositeAttribute>>;
  readonly comment?: string;
  readonly renamed_from?: string;
}

function readCompositeTypes(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.composite_types)) {
    const path = ['schemas', schema, 'composite_types', name];
    const attributes: CompositeAttribute[] = entries(raw.attributes).map(([attribute, a]) => ({
      name: attribute,
      type: ctx.type(a.type, schema, 'column', [...path, 'attributes', attribute, 'type']).canonical,
      ...optional('collation', a.collation),
      ...commentOf(a),
      ...optional('renamedFrom', a.renamed_from),
    }));
    ctx.model.compositeTypes.push({ schema, name, attributes, ...commentOf(raw), ...optional('renamedFrom', raw.renamed_from) });
  }
}

export const compositeTypeRaw = { in: 'schema', read: readCompositeTypes } as const satisfies KindRaw;
