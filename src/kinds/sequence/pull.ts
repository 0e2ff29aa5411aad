/**
 * The sequence kind's part of the pull writer: a schema's `sequences` map, without the
 * sequences written as the `serial` of their column (`PullContext.serialSequences`), options
 * left out where they are CREATE SEQUENCE's defaults.
 */
import type { PullPlacement } from '../kind.js';
import { sequenceSettings } from '../../desired/sequence-defaults.js';
import type { SequenceType } from '../../desired/sequence-defaults.js';
import { nameKey } from '../../model/object-ref.js';
import type { Sequence } from '../../model/types.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlInteger, yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

function sequenceNode(ctx: PullContext, s: Sequence): YamlNode {
  const type = s.type as SequenceType;
  if (!['smallint', 'integer', 'bigint'].includes(s.type)) {
    ctx.warn(`sequence ${s.schema}.${s.name}: unexpected data type ${s.type}`);
  }
  const increment = BigInt(s.increment);
  const ranged = sequenceSettings(type, { increment });
  const minValue = BigInt(s.minValue);
  const maxValue = BigInt(s.maxValue);
  const defaultStart = increment > 0n ? minValue : maxValue;
  let ownedBy: string | undefined;
  if (s.ownedBy !== undefined) {
    if (s.ownedBy.schema !== s.schema || s.ownedBy.column.includes('.')) {
      ctx.warn(
        `sequence ${s.schema}.${s.name} is owned by ${s.ownedBy.schema}.${s.ownedBy.table}.${s.ownedBy.column}: ` +
          'owned_by can only name a column of a table in the same schema (and without a dot in its name); it is left out',
      );
    } else ownedBy = `${s.ownedBy.table}.${s.ownedBy.column}`;
  }
  return yamlMap([
    ['type', s.type !== 'bigint' ? yamlString(s.type) : undefined],
    ['start', BigInt(s.start) !== defaultStart ? yamlInteger(s.start) : undefined],
    ['increment', s.increment !== '1' ? yamlInteger(s.increment) : undefined],
    ['min_value', s.minValue !== ranged.minValue ? yamlInteger(s.minValue) : undefined],
    ['max_value', s.maxValue !== ranged.maxValue ? yamlInteger(s.maxValue) : undefined],
    ['cache', s.cache !== '1' ? yamlInteger(s.cache) : undefined],
    ['cycle', s.cycle ? yamlBool(true) : undefined],
    ['owned_by', ownedBy !== undefined ? yamlString(ownedBy) : undefined],
    ...aclEntries(ctx, 'sequence', s.schema, s.name),
    commentEntry(s.comment),
  ]);
}

export const sequencePull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const sequences = ctx.model.sequences.filter((s) => s.schema === schema && !ctx.serialSequences.has(nameKey(s.schema, s.name)));
      return [
        [
          'sequences',
          sequences.length > 0
            ? yamlMap(
                sequences.map((s) => [s.name, sequenceNode(ctx, s)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
