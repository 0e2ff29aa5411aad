/**
 * The table kind's part of the pull writer: a schema's `tables` map, each table's map filled by
 * its options (unlogged, with, replica_identity) and the kinds placed in `table` (its comment,
 * columns, constraints, indexes, triggers).
 */
import type { PullEntry, PullPlacement } from '../kind.js';
import { compareText } from '../../model/canonical.js';
import type { Partition, Table } from '../../model/types.js';
import type { PullContext } from '../../pull/writer-context.js';
import { yamlBool, yamlMap, yamlString, type YamlNode } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { canonicalParameter, TABLE_PARAMETER_NAMES } from './options.js';
import { constraintPull } from '../constraint/pull.js';
import { indexPull } from '../index/pull.js';
import { partitionAsTable } from './partition-members.js';

/** A parameter's canonical value as YAML: a number, a boolean, or an enum's word. */
function parameterNode(value: string): YamlNode {
  if (value === 'true' || value === 'false') return yamlBool(value === 'true');
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return { kind: 'number', text: value };
  return yamlString(value);
}

/** A table's `unlogged`, `with` and `replica_identity` (each left out at PostgreSQL's default). */
function optionEntries(ctx: PullContext, t: Table): PullEntry[] {
  const params: (readonly [string, YamlNode])[] = [];
  for (const name of Object.keys(t.with ?? {}).sort(compareText)) {
    const value = t.with?.[name] ?? '';
    if (!TABLE_PARAMETER_NAMES.includes(name) || canonicalParameter(name, value) !== value) {
      ctx.warn(
        `table ${t.schema}.${t.name}: storage parameter ${name}=${value} is not one the format knows; it is not written (a plan resets it)`,
      );
      continue;
    }
    params.push([name, parameterNode(value)]);
  }
  const identity = t.replicaIdentity;
  const identityNode =
    identity === undefined
      ? undefined
      : typeof identity === 'string'
        ? yamlString(identity)
        : ['default', 'full', 'nothing'].includes(identity.index)
          ? yamlMap([['index', yamlString(identity.index)]])
          : yamlString(identity.index);
  return [
    ['unlogged', t.unlogged === true ? yamlBool(true) : undefined],
    ['with', params.length > 0 ? yamlMap(params) : undefined],
    ['replica_identity', identityNode],
  ];
}

/** A partition's own indexes and constraints, written by the index and constraint kinds as a table's (./partition-members.ts). */
function memberEntries(ctx: PullContext, root: Table, p: Partition): PullEntry[] {
  const table = partitionAsTable(root, p);
  const entries = (places: readonly PullPlacement[]): PullEntry[] =>
    places.flatMap((place) => (place.in === 'table' ? place.entries(ctx, table) : []));
  return [...entries(indexPull), ...entries(constraintPull)];
}

function partitionsNode(ctx: PullContext, root: Table, list: readonly Partition[] | undefined): YamlNode | undefined {
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
              ...memberEntries(ctx, root, p),
              ['partitions', partitionsNode(ctx, root, p.partitions)],
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
                tables.map((t) => [t.name, yamlMap(ctx.entries('table', optionEntries(ctx, t), t), 'block')] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
  {
    in: 'table',
    entries: (ctx, t) => [
      ['partition_by', t.partitionBy !== undefined ? yamlString(t.partitionBy) : undefined],
      ['partitions', partitionsNode(ctx, t, t.partitions)],
    ],
  },
];
