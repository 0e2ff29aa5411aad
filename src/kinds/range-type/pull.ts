/** The range type kind's part of the pull writer: a schema's `range_types` map. */
import type { PullPlacement } from '../kind.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';
import type { RangeType } from './model.js';

/** One range type: what the server would not fill in by itself (introspection left the defaults out). */
function rangeTypeNode(ctx: PullContext, t: RangeType): YamlNode {
  const text = (v: string | undefined): YamlNode | undefined => (v !== undefined ? yamlString(v) : undefined);
  return yamlMap([
    ['subtype', yamlString(t.subtype)],
    ['subtype_opclass', text(t.subtypeOpclass)],
    ['collation', text(t.collation)],
    ['canonical', text(t.canonical)],
    ['subtype_diff', text(t.subtypeDiff)],
    ['multirange_type_name', text(t.multirangeTypeName)],
    ...aclEntries(ctx, 'type', t.schema, t.name),
    commentEntry(t.comment),
  ]);
}

export const rangeTypePull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const types = ctx.model.rangeTypes.filter((t) => t.schema === schema);
      return [
        [
          'range_types',
          types.length > 0
            ? yamlMap(
                types.map((t) => [t.name, rangeTypeNode(ctx, t)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
