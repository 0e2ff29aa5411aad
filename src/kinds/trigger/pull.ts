/**
 * The trigger kind's part of the pull writer: a table's `triggers` map. It sits before the
 * constraint kind's `exclude`, the last entry of a table's map.
 */
import type { PullPlacement } from '../kind.js';
import { nameKey } from '../../model/object-ref.js';
import type { Table, Trigger } from '../../model/types.js';
import { readableExpression } from '../../pull/readable.js';
import { reference, type PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';

function triggerNode(ctx: PullContext, t: Table, tr: Trigger): YamlNode {
  const where = `trigger ${tr.name} on ${t.schema}.${t.name}`;
  const fnKey = nameKey(tr.function.schema, tr.function.name);
  if (!ctx.functions.has(fnKey) && ctx.model.schemas.some((s) => s.name === tr.function.schema)) {
    ctx.warn(
      `${where} calls ${tr.function.schema}.${tr.function.name}, which is not in the file (an extension's or an ignored function): the file will not validate until it is declared`,
    );
  }
  const enabled = tr.enabled === 'origin' ? undefined : tr.enabled === 'disabled' ? yamlBool(false) : yamlString(tr.enabled);
  return yamlMap([
    ['timing', yamlString(tr.timing)],
    ['events', yamlSeq(tr.events.map(yamlString))],
    ['update_of', tr.updateOf.length > 0 ? yamlSeq(tr.updateOf.map(yamlString)) : undefined],
    ['for_each', tr.level !== 'statement' ? yamlString(tr.level) : undefined],
    [
      'when',
      tr.when !== undefined
        ? yamlString(ctx.choose(t, 'when', tr.name, 0, tr.when, readableExpression(tr.when, ctx.enumTest(t.schema))))
        : undefined,
    ],
    ['function', yamlString(reference(tr.function, t.schema))],
    ['arguments', tr.arguments.length > 0 ? yamlSeq(tr.arguments.map(yamlString)) : undefined],
    ['enabled', enabled],
    ['constraint', tr.constraint !== undefined ? yamlBool(true) : undefined],
    ['deferrable', tr.constraint?.deferrable === true ? yamlBool(true) : undefined],
    ['initially_deferred', tr.constraint?.initiallyDeferred === true ? yamlBool(true) : undefined],
    commentEntry(tr.comment),
  ]);
}

export const triggerPull: readonly PullPlacement[] = [
  {
    in: 'table',
    before: 'exclude',
    entries: (ctx, t) => {
      const triggers = t.triggers.map((tr) => [tr.name, triggerNode(ctx, t, tr)] as const);
      return [['triggers', triggers.length > 0 ? yamlMap(triggers, 'block') : undefined]];
    },
  },
];
