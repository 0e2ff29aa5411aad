/**
 * The column kind's part of the pull writer: a table's `columns` map. Serial columns
 * (`PullContext.serialColumns`) are written as `serial`/`bigserial`/`smallserial`; what a primary
 * key, serial or identity implies (NOT NULL) is left out.
 */
import type { PullPlacement } from '../kind.js';
import { columnKey } from '../../model/object-ref.js';
import type { Column, Identity, Table } from '../../model/types.js';
import { readableDefault, readableExpression } from '../../pull/readable.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlInteger, yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

function columnNode(ctx: PullContext, t: Table, c: Column, inPrimaryKey: boolean): YamlNode {
  const where = `column ${t.schema}.${t.name}.${c.name}`;
  const serial = ctx.serialColumns.get(columnKey(t, c.name));
  const forcedNotNull = inPrimaryKey || serial !== undefined || c.identity !== undefined;
  if (forcedNotNull && c.nullable) {
    // Cannot happen in PostgreSQL (primary-key and identity columns are NOT NULL); kept honest.
    ctx.warn(`${where}: nullable, but the file makes primary-key, serial and identity columns NOT NULL`);
  }
  let type: string;
  if (serial !== undefined) type = serial === 'integer' ? 'serial' : serial === 'bigint' ? 'bigserial' : 'smallserial';
  else type = ctx.type(c.type, t.schema, 'column', where);
  const defaultSql =
    serial === undefined && c.default !== undefined
      ? ctx.choose(t, 'default', c.name, 0, c.default, readableDefault(c.default, c.type, ctx.isEnumType(c.type, t.schema)))
      : undefined;
  return yamlMap([
    ['type', yamlString(type)],
    ['nullable', !forcedNotNull && !c.nullable ? yamlBool(false) : undefined],
    ['default', defaultSql !== undefined ? yamlString(defaultSql) : undefined],
    ['identity', c.identity !== undefined ? identityNode(c.identity) : undefined],
    [
      'generated',
      c.generated !== undefined
        ? yamlString(ctx.choose(t, 'generated', c.name, 0, c.generated, readableExpression(c.generated, ctx.enumTest(t.schema))))
        : undefined,
    ],
    ['collation', c.collation !== undefined ? yamlString(c.collation) : undefined],
    // The live side names a storage only where it is not the type's.
    ['storage', c.storage !== undefined ? yamlString(c.storage) : undefined],
    ['compression', c.compression !== undefined ? yamlString(c.compression) : undefined],
    ['statistics', c.statistics !== undefined ? yamlInteger(String(c.statistics)) : undefined],
    ...aclEntries(ctx, 'column', t.schema, t.name, { sub: c.name }),
    commentEntry(c.comment),
  ]);
}

function identityNode(identity: Identity): YamlNode {
  const options: (readonly [string, YamlNode | undefined])[] = [
    ['start', identity.start !== undefined ? yamlInteger(identity.start) : undefined],
    ['increment', identity.increment !== undefined ? yamlInteger(identity.increment) : undefined],
    ['min_value', identity.minValue !== undefined ? yamlInteger(identity.minValue) : undefined],
    ['max_value', identity.maxValue !== undefined ? yamlInteger(identity.maxValue) : undefined],
    ['cache', identity.cache !== undefined ? yamlInteger(identity.cache) : undefined],
    ['cycle', identity.cycle === true ? yamlBool(true) : undefined],
  ];
  if (options.every(([, v]) => v === undefined)) return yamlString(identity.kind);
  return yamlMap([['kind', yamlString(identity.kind)], ...options]);
}

export const columnPull: readonly PullPlacement[] = [
  {
    in: 'table',
    entries: (ctx, t) => {
      const pkColumns = new Set(t.primaryKey?.columns ?? []);
      return [
        [
          'columns',
          yamlMap(
            t.columns.map((c) => [c.name, columnNode(ctx, t, c, pkColumns.has(c.name))] as const),
            'block',
          ),
        ],
      ];
    },
  },
];
