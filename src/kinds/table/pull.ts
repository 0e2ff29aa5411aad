/**
 * The table kind's part of the pull writer: a schema's `tables` map, each table's map filled by
 * the kinds placed in `table` (its comment, columns, constraints, indexes, triggers).
 */
import type { PullPlacement } from '../kind.js';
import { yamlMap, yamlString, type YamlNode } from '../../pull/yaml-writer.js';
import type { Partition } from '../../model/types.js';
import { commentEntry } from '../comment/pull.js';

function partitionsNode(list: readonly Partition[] | undefined): YamlNode | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return yamlMap(
    list.map(
      (p) =>
        [
          p.name,
          yamlMap(
            [
              commentEntry(p.comment),
              ['bounds', yamlString(p.bound)],
              ['partition_by', p.partitionBy !== undefined ? yamlString(p.partitionBy) : undefined],
              ['partitions', partitionsNode(p.partitions)],
            ],
            'block',
          ),
        ] as const,
    ),
    'block',
  );
}

export const tablePull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const tables = ctx.model.tables.filter((t) => t.schema === schema);
      return [
        [
          'tables',
          tables.length > 0
            ? yamlMap(
                tables.map((t) => [t.name, yamlMap(ctx.entries('table', [], t), 'block')] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
  {
    in: 'table',
    entries: (_ctx, t) => [
      ['partition_by', t.partitionBy !== undefined ? yamlString(t.partitionBy) : undefined],
      ['partitions', partitionsNode(t.partitions)],
    ],
  },
];
