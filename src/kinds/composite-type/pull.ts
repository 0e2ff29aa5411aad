/** The composite type kind's part of the pull writer: a schema's `composite_types` map. */
import type { PullPlacement } from '../kind.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';
import type { CompositeType } from './model.js';

function compositeTypeNode(ctx: PullContext, t: CompositeType): YamlNode {
  const attributes = t.attributes.map(
    (a) =>
      [
        a.name,
        yamlMap([
          ['type', yamlString(a.type)],
          ['collation', a.collation !== undefined ? yamlString(a.collation) : undefined],
          commentEntry(a.comment),
        ]),
      ] as const,
  );
  return yamlMap(
    [['attributes', yamlMap(attributes, 'block')], ...aclEntries(ctx, 'type', t.schema, t.name), commentEntry(t.comment)],
    'block',
  );
}

export const compositeTypePull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const types = ctx.model.compositeTypes.filter((t) => t.schema === schema);
      return [
        [
          'composite_types',
          types.length > 0
            ? yamlMap(
                types.map((t) => [t.name, compositeTypeNode(ctx, t)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
