/**
 * The index kind's part of the pull writer: a table's `indexes` map, btree and ascending keys
 * left out. It sits before the constraint kind's `exclude`, the last entry of a table's map.
 */
import type { PullPlacement } from '../kind.js';
import { compareText } from '../../model/canonical.js';
import type { Index, IndexKey, Table } from '../../model/types.js';
import { readableExpression } from '../../pull/readable.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlInteger, yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';

function indexKeyNode(
  ctx: PullContext,
  where: string,
  key: IndexKey,
  isEnum: (type: string) => boolean,
  choose: (catalog: string, readable: string) => string,
): YamlNode {
  if (key.opclassParams !== undefined && Object.keys(key.opclassParams).length > 0) {
    ctx.warn(
      `${where}: operator class parameters (${Object.entries(key.opclassParams)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}) cannot be expressed; they are left out`,
    );
  }
  const defaultNulls = key.order === 'asc' ? 'last' : 'first';
  const options: (readonly [string, YamlNode | undefined])[] = [
    ['order', key.order !== 'asc' ? yamlString(key.order) : undefined],
    ['nulls', key.nulls !== defaultNulls ? yamlString(key.nulls) : undefined],
    ['opclass', key.opclass !== undefined ? yamlString(key.opclass) : undefined],
    ['collation', key.collation !== undefined ? yamlString(key.collation) : undefined],
  ];
  if (key.column !== undefined) {
    if (options.every(([, v]) => v === undefined)) return yamlString(key.column);
    return yamlMap([['column', yamlString(key.column)], ...options]);
  }
  return yamlMap([['expression', yamlString(choose(key.expression ?? '', readableExpression(key.expression ?? '', isEnum)))], ...options]);
}

function indexNode(ctx: PullContext, t: Table, i: Index): YamlNode {
  const where = `index ${t.schema}.${i.name}`;
  if (i.invalid === true) {
    ctx.warn(`${where} is INVALID (a failed concurrent build); it is written as declared, so a plan will rebuild it`);
  }
  if (i.tablespace !== undefined) ctx.warn(`${where}: its tablespace ${i.tablespace} cannot be expressed; it is left out`);
  const storage = Object.keys(i.with).sort(compareText);
  return yamlMap([
    ['unique', i.unique ? yamlBool(true) : undefined],
    ['using', i.using !== 'btree' ? yamlString(i.using) : undefined],
    [
      'columns',
      yamlSeq(
        i.keys.map((k, n) =>
          indexKeyNode(ctx, where, k, ctx.enumTest(t.schema), (catalog, readable) =>
            ctx.choose(t, 'key', i.name, n + 1, catalog, readable),
          ),
        ),
      ),
    ],
    ['include', i.include.length > 0 ? yamlSeq(i.include.map(yamlString)) : undefined],
    [
      'where',
      i.where !== undefined
        ? yamlString(ctx.choose(t, 'where', i.name, 0, i.where, readableExpression(i.where, ctx.enumTest(t.schema))))
        : undefined,
    ],
    ['with', storage.length > 0 ? yamlMap(storage.map((k) => [k, storageValue(i.with[k] ?? '')] as const)) : undefined],
    ['nulls_not_distinct', i.nullsNotDistinct ? yamlBool(true) : undefined],
    commentEntry(i.comment),
  ]);
}

/** A storage parameter: bare when it is a plain number that reads back as the same text. */
function storageValue(text: string): YamlNode {
  if (/^\d+$/.test(text)) return yamlInteger(text);
  return yamlString(text);
}

export const indexPull: readonly PullPlacement[] = [
  {
    in: 'table',
    before: 'exclude',
    entries: (ctx, t) => {
      const indexes = t.indexes.map((i) => [i.name, indexNode(ctx, t, i)] as const);
      return [['indexes', indexes.length > 0 ? yamlMap(indexes, 'block') : undefined]];
    },
  },
];
