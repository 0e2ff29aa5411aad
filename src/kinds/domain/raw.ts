/** Domains as written (`domains:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';

export interface RawDomainCheck {
  readonly expression: string;
  readonly validated?: boolean;
}

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly domains?: Readonly<Record<string, RawDomain>>;
  }
}

export interface RawDomain {
  readonly type: string;
  readonly default?: string | number | boolean;
  readonly not_null?: boolean;
  readonly collation?: string;
  readonly checks?: Readonly<Record<string, RawDomainCheck>>;
  readonly comment?: string;
  readonly renamed_from?: string;
}

function readDomains(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.domains)) {
    const path = ['schemas', schema, 'domains', name];
    ctx.model.domains.push({
      schema,
      name,
      type: ctx.type(raw.type, schema, 'column', [...path, 'type']).canonical,
      ...(raw.default !== undefined ? { default: ctx.sqlText(raw.default, [...path, 'default']) } : {}),
      notNull: raw.not_null === true,
      ...(raw.collation !== undefined ? { collation: raw.collation } : {}),
      checks: entries(raw.checks).map(([checkName, check]) => ({
        name: checkName,
        expression: check.expression,
        notValid: check.validated === false,
      })),
      ...commentOf(raw),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    });
  }
}

export const domainRaw = { in: 'schema', read: readDomains } as const satisfies KindRaw;
