/** Comments on schemas: the `commentOn` hook (../comment/on.ts). */
import { displayIdent, quoteIdent } from '../../model/ident.js';
import { key } from '../../plan/references.js';
import type { CommentOn } from '../comment/on.js';
import { sortPath } from '../shared.js';

declare module '../comment/changes.js' {
  interface CommentTargets {
    readonly schema: { readonly schema: string };
  }
}

export const schemaCommentOn = {
  report: (target) => ({ object: target.schema, of: 'schema' }),
  commentIn: (model, target) => model.schemas.find((s) => s.name === target.schema)?.comment ?? null,
  ref: (target) => ({ kind: 'schema', name: target.schema }),
  sortKey: (target) => sortPath('schema', target.schema),
  sql: (target) => ({ sql: `SCHEMA ${quoteIdent(target.schema)}`, object: displayIdent(target.schema), objectKind: 'schema', requires: [key.schema(target.schema)] }),
} satisfies CommentOn<'schema'>;
