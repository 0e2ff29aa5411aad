/** Roles as written (`roles:` of the document) → the model's roles. */
import type { KindRaw, RawDocument, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';

declare module '../raw.js' {
  interface RawDocument {
    readonly roles?: Readonly<Record<string, null>>;
  }
}

function readRoles(doc: RawDocument, ctx: ToModelContext): void {
  for (const [name] of entries(doc.roles)) ctx.model.roles.push({ name });
}

export const roleRaw = { in: 'document', read: readRoles } as const satisfies KindRaw;
