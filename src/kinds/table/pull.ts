/**
 * The table kind's part of the pull writer: a schema's `tables` map, each table's map filled by
 * the kinds placed in `table` (its comment, columns, constraints, indexes, triggers).
 */
import type { PullPlacement } from '../kind.js';
import { yamlMap } from '../../pull/yaml-writer.js';

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
];
