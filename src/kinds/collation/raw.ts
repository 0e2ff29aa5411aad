/** Collations as written (`collations:` of a schema) → the model. */
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { commentOf } from '../comment/raw.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly collations?: Readonly<Record<string, RawCollation>>;
  }
}

export interface RawCollation {
  readonly provider?: 'libc' | 'icu';
  readonly locale?: string;
  readonly lc_collate?: string;
  readonly lc_ctype?: string;
  readonly deterministic?: boolean;
  readonly comment?: string;
}

function readCollations(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, raw] of entries(body.collations)) {
    // The checks made sure that either locale or both lc_collate and lc_ctype are given.
    const lcCollate = raw.lc_collate ?? raw.locale ?? '';
    const lcCtype = raw.lc_ctype ?? raw.locale ?? '';
    ctx.model.collations.push({
      schema,
      name,
      provider: raw.provider ?? 'libc',
      lcCollate,
      lcCtype,
      deterministic: raw.deterministic ?? true,
      ...commentOf(raw),
    });
  }
}

export const collationRaw = { in: 'schema', read: readCollations } as const satisfies KindRaw;
