/** The view kind's part of the pull writer: a schema's `views` and `materialized_views` maps. */
import type { PullPlacement } from '../kind.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { View } from './model.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlSeq, yamlString, yamlText } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

/** The live query as the file writes it: pg_get_viewdef's text without its trailing semicolon. */
export function pulledQuery(query: string): string {
  return query.replace(/;\s*$/, '').replace(/^\s+/, '');
}

function columnsNode(v: View): YamlNode | undefined {
  const commented = v.columns.filter((c) => c.comment !== undefined);
  if (commented.length === 0) return undefined;
  return yamlMap(
    commented.map((c) => [c.name, yamlMap([commentEntry(c.comment)])] as const),
    'block',
  );
}

/** The indexes the format can declare (plain column keys); the others are left out (and alone). */
function indexesNode(v: View): YamlNode | undefined {
  const declared = (v.indexes ?? []).filter((i) => i.definition === undefined);
  if (!v.materialized || declared.length === 0) return undefined;
  return yamlMap(
    declared.map(
      (i) =>
        [
          i.name,
          yamlMap([
            ['columns', yamlSeq(i.columns.map(yamlString), 'flow')],
            ['unique', i.unique ? yamlBool(true) : undefined],
            ['using', i.using !== 'btree' ? yamlString(i.using) : undefined],
          ]),
        ] as const,
    ),
    'block',
  );
}

function viewNode(ctx: PullContext, v: View): YamlNode {
  const query = pulledQuery(v.query);
  return yamlMap(
    [
      ['query', query.includes('\n') ? yamlText(query) : yamlString(query)],
      ['columns', columnsNode(v)],
      ['security_barrier', v.securityBarrier === true ? yamlBool(true) : undefined],
      ['security_invoker', v.securityInvoker === true ? yamlBool(true) : undefined],
      ['check_option', v.checkOption !== undefined ? yamlString(v.checkOption) : undefined],
      [
        'with',
        v.materialized && Object.keys(v.storage ?? {}).length > 0
          ? yamlMap(Object.entries(v.storage!).map(([k, x]) => [k, yamlString(x)] as const))
          : undefined,
      ],
      ['indexes', indexesNode(v)],
      ['with_data', v.materialized && v.withData === false ? yamlBool(false) : undefined],
      ...aclEntries(ctx, v.materialized ? 'materialized view' : 'view', v.schema, v.name),
      commentEntry(v.comment),
    ],
    'block',
  );
}

function viewsEntry(ctx: PullContext, views: readonly View[]): YamlNode | undefined {
  return views.length > 0
    ? yamlMap(
        views.map((v) => [v.name, viewNode(ctx, v)] as const),
        'block',
      )
    : undefined;
}

export const viewPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const views = ctx.model.views.filter((v) => v.schema === schema);
      return [
        [
          'views',
          viewsEntry(
            ctx,
            views.filter((v) => !v.materialized),
          ),
        ],
        [
          'materialized_views',
          viewsEntry(
            ctx,
            views.filter((v) => v.materialized),
          ),
        ],
      ];
    },
  },
];
