/**
 * Collations, keyed by (schema, name): create the missing, drop the undeclared, drop and create
 * one whose provider, locale or determinism differ (a collation cannot be altered).
 */
import type { QualifiedName } from '../../model/types.js';
import type { Collation } from './model.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { matchObjects, nameKey } from '../../diff/match.js';

/** The collation kind's diff (`ObjectKind.diff`). */
export const collationDiff: ModelKindDiff = { scope: 'model', run: (d) => diffCollations(d.want.collations, d.have.collations) };

const sameDefinition = (a: Collation, b: Collation): boolean =>
  a.provider === b.provider && a.lcCollate === b.lcCollate && a.lcCtype === b.lcCtype && a.deterministic === b.deterministic;

const qualifiedName = (c: Collation): QualifiedName => ({ schema: c.schema, name: c.name });

/**
 * @example
 * diffCollations([{ schema: 'public', name: 'de', provider: 'icu', lcCollate: 'de', lcCtype: 'de', deterministic: true }], [])
 * // [{ kind: 'create_collation', collation: { schema: 'public', name: 'de', ... } }]
 */
export function diffCollations(desired: readonly Collation[], live: readonly Collation[]): Change[] {
  const key = (c: Collation): string => nameKey(c.schema, c.name);
  const matching = matchObjects(desired, live, { desired: key, live: key });
  const changes: Change[] = [];
  for (const collation of matching.added) {
    changes.push({ kind: 'create_collation', collation });
    changes.push(...diffComment({ on: 'collation', collation: qualifiedName(collation) }, collation.comment, undefined));
  }
  for (const { desired: to, live: from } of matching.pairs) {
    if (sameDefinition(to, from)) {
      changes.push(...diffComment({ on: 'collation', collation: qualifiedName(to) }, to.comment, from.comment));
      continue;
    }
    changes.push({ kind: 'drop_collation', collation: from });
    changes.push({ kind: 'create_collation', collation: to });
    changes.push(...diffComment({ on: 'collation', collation: qualifiedName(to) }, to.comment, undefined));
  }
  for (const collation of matching.removed) changes.push({ kind: 'drop_collation', collation });
  return changes;
}
