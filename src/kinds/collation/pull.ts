/** The collation kind's part of the pull writer: a schema's `collations` map. */
import type { PullPlacement } from '../kind.js';
import type { Collation } from './model.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlBool, yamlMap, yamlString } from '../../pull/yaml-writer.js';
import { commentEntry } from '../comment/pull.js';

/** One collation: `locale` when LC_COLLATE and LC_CTYPE agree, `deterministic` only when false. */
function collationNode(c: Collation): YamlNode {
  const one = c.lcCollate === c.lcCtype;
  return yamlMap([
    ['provider', yamlString(c.provider)],
    ['locale', one ? yamlString(c.lcCollate) : undefined],
    ['lc_collate', one ? undefined : yamlString(c.lcCollate)],
    ['lc_ctype', one ? undefined : yamlString(c.lcCtype)],
    ['deterministic', c.deterministic ? undefined : yamlBool(false)],
    commentEntry(c.comment),
  ]);
}

export const collationPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    entries: (ctx, schema) => {
      const collations = ctx.model.collations.filter((c) => c.schema === schema);
      return [
        [
          'collations',
          collations.length > 0
            ? yamlMap(
                collations.map((c) => [c.name, collationNode(c)] as const),
                'block',
              )
            : undefined,
        ],
      ];
    },
  },
];
