/** The enum kind's part of the pull writer: a schema's `enums` map. */
import type { PullPlacement } from '../kind.js';
import type { EnumType } from '../../model/types.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';

function enumNode(e: EnumType): YamlNode {
  return yamlMap([['values', yamlSeq(e.values.map(yamlString))], commentEntry(e.comment)]);
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
                enums.map((e) => [e.name, enumNode(e)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
