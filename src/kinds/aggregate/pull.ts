/** The aggregate kind's part of the pull writer: a schema's `aggregates` map, defaults left out. */
import type { PullPlacement } from '../kind.js';
import { compareText } from '../../model/canonical.js';
import type { QualifiedName } from '../../model/types.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString } from '../../pull/yaml-writer.js';
import type { Aggregate } from './model.js';

/** `name` where the file reads it back to the same function (../aggregate/raw.ts `supportFunction`), else `schema.name`. */
function functionText(f: QualifiedName, schema: string, declared: ReadonlySet<string>): string {
  if (f.schema === schema && declared.has(f.name)) return f.name;
  if (f.schema === 'pg_catalog' && !declared.has(f.name)) return f.name;
  return `${f.schema}.${f.name}`;
}

function aggregateNode(ctx: PullContext, a: Aggregate, declared: ReadonlySet<string>): YamlNode {
  const where = `aggregate ${a.schema}.${a.name}`;
  const text = (f: QualifiedName | undefined): YamlNode | undefined =>
    f !== undefined ? yamlString(functionText(f, a.schema, declared)) : undefined;
  return yamlMap([
    [
      'arguments',
      a.arguments.length > 0 ? yamlSeq(a.arguments.map((t) => yamlString(ctx.type(t, a.schema, 'argument', where)))) : undefined,
    ],
    ['sfunc', text(a.sfunc)],
    ['stype', yamlString(ctx.type(a.stype, a.schema, 'argument', where))],
    ['finalfunc', text(a.finalfunc)],
    ['finalfunc_extra', a.finalfuncExtra === true ? yamlBool(true) : undefined],
    ['combinefunc', text(a.combinefunc)],
    ['initcond', a.initcond !== undefined ? yamlString(a.initcond) : undefined],
    ['parallel', a.parallel !== 'unsafe' ? yamlString(a.parallel) : undefined],
  ]);
}

export const aggregatePull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const aggregates = ctx.model.aggregates.filter((a) => a.schema === schema);
      if (aggregates.length === 0) return [['aggregates', undefined]];
      const declared = new Set(ctx.model.functions.filter((f) => f.schema === schema && f.procedure !== true).map((f) => f.name));
      const counts = new Map<string, number>();
      for (const a of aggregates) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
      const keyed = aggregates
        .map((a) => {
          const types = a.arguments.map((t) => ctx.type(t, a.schema, 'argument', `aggregate ${a.schema}.${a.name}`));
          return { a, key: (counts.get(a.name) ?? 0) > 1 ? `${a.name}(${types.join(', ')})` : a.name };
        })
        .sort((x, y) => compareText(x.key, y.key));
      return [
        [
          'aggregates',
          yamlMap(
            keyed.map(({ a, key }) => [key, aggregateNode(ctx, a, declared)] as const),
            'block',
          ),
        ],
      ];
    },
  },
];
