/** Schemas as written (`schemas:` of the document) → the model; `public` exists even when not listed. */
import type { KindRaw, RawDocument, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import { commentOf } from '../comment/raw.js';

/** A schema's body: its own keys here, each kind's map in schemas added by its `raw.ts` (declaration merging). */
export interface RawSchema {
  readonly comment?: string;
}

declare module '../raw.js' {
  interface RawDocument {
    readonly schemas?: Readonly<Record<string, RawSchema | null>>;
  }
}

function readSchemas(doc: RawDocument, ctx: ToModelContext): void {
  const declared = entries(doc.schemas);
  if (!declared.some(([name]) => name === 'public')) ctx.model.schemas.push({ name: 'public' });
  for (const [name, body] of declared) ctx.model.schemas.push({ name, ...(body !== null ? commentOf(body) : {}) });
}

export const schemaRaw = { in: 'document', read: readSchemas } as const satisfies KindRaw;
