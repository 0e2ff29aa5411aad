/** Extensions as written (`extensions:` of the document) → the model. */
import type { Extension } from '../../model/types.js';
import type { KindRaw, RawDocument, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';

export interface RawExtension {
  readonly schema?: string;
  readonly version?: string;
}

declare module '../raw.js' {
  interface RawDocument {
    readonly extensions?: Readonly<Record<string, RawExtension | null>>;
  }
}

function readExtensions(doc: RawDocument, ctx: ToModelContext): void {
  for (const [name, options] of entries(doc.extensions)) {
    const extension: Extension = {
      name,
      ...(options?.schema !== undefined ? { schema: options.schema } : {}),
      ...(options?.version !== undefined ? { version: options.version } : {}),
    };
    ctx.model.extensions.push(extension);
  }
}

export const extensionRaw = { in: 'document', read: readExtensions } as const satisfies KindRaw;
