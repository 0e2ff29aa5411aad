/** Comments on domains: the `commentOn` hook (../comment/on.ts). */
import { displayQualified, sameName } from '../../drift/items.js';
import { qualify, displayQualified as displayName } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { objectRef, sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly domain: { readonly domain: QualifiedName };
  }
}

export const domainCommentOn = {
  report: (target) => ({ object: displayQualified(target.domain), of: 'domain' }),
  commentIn: (model, target) => model.domains.find((d) => sameName(d, target.domain))?.comment ?? null,
  ref: (target) => objectRef('type', target.domain),
  sortKey: (target) => sortPath('domain', target.domain.schema, target.domain.name),
  sql: (target) => ({
    sql: `DOMAIN ${qualify(target.domain)}`,
    object: displayName(target.domain),
    objectKind: 'domain',
    requires: [key.type(target.domain)],
  }),
} satisfies CommentOn<'domain'>;
