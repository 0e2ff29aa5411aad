/** Schemas as written (`schemas:` of the document) → the model; `public` exists even when not listed. */
import type { RawCollation } from '../collation/raw.js';
import type { RawDomain } from '../domain/raw.js';
import type { RawEnum } from '../enum/raw.js';
import type { RawFunction } from '../function/raw.js';
import type { KindRaw, RawDocument, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSequence } from '../sequence/raw.js';
import type { RawTable } from '../table/raw.js';
import { commentOf } from '../comment/raw.js';

export interface RawSchema {
  readonly comment?: string;
  readonly enums?: Readonly<Record<string, RawEnum>>;
  readonly collations?: Readonly<Record<string, RawCollation>>;
  readonly domains?: Readonly<Record<string, RawDomain>>;
  readonly sequences?: Readonly<Record<string, RawSequence | null>>;
  readonly functions?: Readonly<Record<string, RawFunction>>;
  readonly tables?: Readonly<Record<string, RawTable>>;
}

function readSchemas(doc: RawDocument, ctx: ToModelContext): void {
  const declared = entries(doc.schemas);
  if (!declared.some(([name]) => name === 'public')) ctx.model.schemas.push({ name: 'public' });
  for (const [name, body] of declared) ctx.model.schemas.push({ name, ...(body !== null ? commentOf(body) : {}) });
}

export const schemaRaw = { in: 'document', read: readSchemas } as const satisfies KindRaw;
