/**
 * Aggregates, keyed by (schema, name, input types): create the missing, drop the undeclared.
 * A changed one is `CREATE OR REPLACE AGGREGATE` (PostgreSQL 12+) while its result type stays
 * (the same state type and final function); else it is dropped and created.
 */
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { matchObjects } from '../../diff/match.js';
import { refKey } from '../../model/object-ref.js';
import { stableJson } from '../../util/stable-json.js';
import type { Aggregate } from './model.js';

/** The aggregate kind's diff (`ObjectKind.diff`). */
export const aggregateDiff: ModelKindDiff = { scope: 'model', run: (d) => diffAggregates(d.want.aggregates, d.have.aggregates) };

const key = (a: Aggregate): string => refKey({ kind: 'aggregate', schema: a.schema, name: a.name, signature: [...a.arguments] });

/** CREATE OR REPLACE keeps the result type: the final function's, or the state type without one. */
const replaceable = (to: Aggregate, from: Aggregate): boolean =>
  to.stype === from.stype && stableJson(to.finalfunc ?? null) === stableJson(from.finalfunc ?? null);

/**
 * @example
 * diffAggregates([groupConcat], [])   // [{ kind: 'create_aggregate', aggregate: groupConcat }]
 */
export function diffAggregates(desired: readonly Aggregate[], live: readonly Aggregate[]): Change[] {
  const matching = matchObjects(desired, live, { desired: key, live: key });
  const changes: Change[] = [];
  for (const aggregate of matching.added) changes.push({ kind: 'create_aggregate', aggregate });
  for (const { desired: to, live: from } of matching.pairs) {
    if (stableJson(to) === stableJson(from)) continue;
    if (replaceable(to, from)) changes.push({ kind: 'replace_aggregate', from, to });
    else changes.push({ kind: 'drop_aggregate', aggregate: from }, { kind: 'create_aggregate', aggregate: to });
  }
  for (const aggregate of matching.removed) changes.push({ kind: 'drop_aggregate', aggregate });
  return changes;
}
