/** Enums as written (`enums:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly enums?: Readonly<Record<string, RawEnum>>;
  }
}

export type RawEnumValue = string | { readonly name: string; readonly renamed_from?: string };

export interface RawEnum {
  readonly values: readonly RawEnumValue[];
  readonly comment?: string;
}

function readEnums(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, value] of entries(body.enums)) {
    const renamed: Record<string, string> = {};
    const values = value.values.map((v) => {
      if (typeof v === 'string') return v;
      if (v.renamed_from !== undefined) renamed[v.name] = v.renamed_from;
      return v.name;
    });
    ctx.model.enums.push({
      schema,
      name,
      values,
      ...(Object.keys(renamed).length > 0 ? { renamedValues: renamed } : {}),
      ...commentOf(value),
    });
  }
}

export const enumRaw = { in: 'schema', read: readEnums } as const satisfies KindRaw;
