/**
 * Triggers of a kept table: matched by name, else `renamed_from`. Any difference but
 * `enabled` re-creates the trigger (`replace_trigger`); `enabled` alone is switched in place.
 * A trigger whose function is dropped and re-created is re-created with it.
 */
import type { Deferral, Trigger } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { TableKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { sameExpr, sameList } from '../../diff/compare.js';
import type { TableScope } from '../../diff/context.js';
import { triggerFunctionKey } from '../function/diff.js';
import { matchObjects } from '../../diff/match.js';
import { decide } from '../../judge/slots.js';

/** The trigger kind's diff (`ObjectKind.diff`), on one table both sides have. */
export const triggerDiff: TableKindDiff = {
  scope: 'table',
  run: ({ pair, recreatedFunctions }) => diffTriggers(pair.scope, pair.desired.triggers, pair.live.triggers, recreatedFunctions),
  created: (table) =>
    table.triggers.map((trigger): Change => ({ kind: 'create_trigger', table: { schema: table.schema, name: table.name }, trigger })),
  comments: (table) =>
    table.triggers.flatMap((trigger) =>
      diffComment({ on: 'trigger', table: { schema: table.schema, name: table.name }, trigger: trigger.name }, trigger.comment, undefined),
    ),
};

/**
 * @param recreatedFunctions `nameKey(schema, name)` of functions the plan drops and creates again
 * @example
 * diffTriggers(scope, [{ ...trg, enabled: 'disabled' }], [{ ...trg, enabled: 'origin' }], new Set())
 * // [{ kind: 'set_trigger_enabled', trigger: trg.name, enabled: 'disabled', ... }]
 */
export function diffTriggers(
  scope: TableScope,
  desired: readonly Trigger[],
  live: readonly Trigger[],
  recreatedFunctions: ReadonlySet<string>,
): Change[] {
  const table = scope.table;
  const matching = matchObjects(desired, live, {
    desired: (t) => t.name,
    live: (t) => t.name,
    previous: (t) => t.renamedFrom,
  });
  const changes: Change[] = [];
  const comment = (trigger: Trigger, current: string | undefined): readonly Change[] =>
    diffComment({ on: 'trigger', table, trigger: trigger.name }, trigger.comment, current);
  for (const trigger of matching.added) changes.push({ kind: 'create_trigger', table, trigger }, ...comment(trigger, undefined));
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    if (recreatedFunctions.has(triggerFunctionKey(want.function)) || !sameTrigger(scope, want, have)) {
      changes.push({ kind: 'replace_trigger', table, from: have, to: want }, ...comment(want, undefined));
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_trigger', table, from: have.name, to: want.name });
    if (want.enabled !== have.enabled) {
      changes.push({ kind: 'set_trigger_enabled', table, trigger: want.name, enabled: want.enabled });
    }
    changes.push(...comment(want, have.comment));
  }
  for (const trigger of matching.removed) changes.push({ kind: 'drop_trigger', table, trigger });
  return changes;
}

/**
 * Two triggers fire the same function the same way (`enabled`, names and comments aside).
 *
 * @example
 * sameTrigger(scope, { ...trg, when: 'OLD.* IS DISTINCT FROM NEW.*' }, { ...trg, when: '(old.* IS DISTINCT FROM new.*)' })  // true
 */
export function sameTrigger(scope: TableScope, desired: Trigger, live: Trigger): boolean {
  return (
    desired.timing === live.timing &&
    desired.level === live.level &&
    sameList(desired.events, live.events) &&
    sameList(desired.updateOf, live.updateOf.map(scope.column)) &&
    decide(scope.judge?.verdict('when', desired.name, 0, live.when), () => sameExpr(desired.when, live.when)) &&
    desired.function.schema === live.function.schema &&
    desired.function.name === live.function.name &&
    sameList(desired.arguments, live.arguments) &&
    sameConstraint(desired.constraint, live.constraint)
  );
}

function sameConstraint(desired: Deferral | undefined, live: Deferral | undefined): boolean {
  if (desired === undefined || live === undefined) return desired === live;
  return desired.deferrable === live.deferrable && desired.initiallyDeferred === live.initiallyDeferred;
}
