/** The enum kind's part of the pull writer: a schema's `enums` map. */
import type { PullPlacement } from '../kind.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { EnumType } from '../../model/types.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

function enumNode(ctx: PullContext, e: EnumType): YamlNode {
  return yamlMap([['values', yamlSeq(e.values.map(yamlString))], ...aclEntries(ctx, 'type', e.schema, e.name), commentEntry(e.comment)]);
}

export const enumPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const enums = ctx.model.enums.filter((e) => e.schema === schema);
      return [
        [
          'enums',
          enums.length > 0
            ? yamlMap(
                enums.map((e) => [e.name, enumNode(ctx, e)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
