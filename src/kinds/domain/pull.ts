/** The domain kind's part of the pull writer: a schema's `domains` map. */
import type { PullPlacement } from '../kind.js';
import type { Domain } from './model.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';
import { aclEntries } from '../grant/pull.js';

/** One domain: NOT NULL only when set, checks by name (validated: false only for a NOT VALID one). */
function domainNode(ctx: PullContext, d: Domain): YamlNode {
  const where = `domain ${d.schema}.${d.name}`;
  return yamlMap([
    ['type', yamlString(ctx.type(d.type, d.schema, 'column', where))],
    ['default', d.default !== undefined ? yamlString(d.default) : undefined],
    ['not_null', d.notNull ? yamlBool(true) : undefined],
    ['collation', d.collation !== undefined ? yamlString(d.collation) : undefined],
    [
      'checks',
      d.checks.length > 0
        ? yamlMap(
            d.checks.map(
              (c) =>
                [
                  c.name,
                  yamlMap([
                    ['expression', yamlString(c.expression)],
                    ['validated', c.notValid ? yamlBool(false) : undefined],
                  ]),
                ] as const,
            ),
            'block',
          )
        : undefined,
    ],
    ...aclEntries(ctx, 'domain', d.schema, d.name),
    commentEntry(d.comment),
  ]);
}

export const domainPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const domains = ctx.model.domains.filter((d) => d.schema === schema);
      return [
        [
          'domains',
          domains.length > 0
            ? yamlMap(
                domains.map((d) => [d.name, domainNode(ctx, d)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
