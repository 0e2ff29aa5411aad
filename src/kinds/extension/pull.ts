/** The extension kind's part of the pull writer: the document's `extensions` map. */
import type { PullPlacement } from '../kind.js';
import type { SchemaModel } from '../../model/types.js';
import { extensionSchema, type PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap, yamlString } from '../../pull/yaml-writer.js';

/** One extension: its schema unless `public`, its version unless the server's default. */
function extensionNode(ctx: PullContext, e: SchemaModel['extensions'][number]): YamlNode {
  const defaultVersion = ctx.options.extensionDefaultVersions?.get(e.name);
  const version = e.version !== undefined && e.version !== defaultVersion ? e.version : undefined;
  const schema = extensionSchema(e.schema);
  return yamlMap([
    ['schema', schema !== undefined ? yamlString(schema) : undefined],
    ['version', version !== undefined ? yamlString(version) : undefined],
  ]);
}

export const extensionPull: readonly PullPlacement[] = [
  {
    in: 'document',
    before: 'ignore',
    entries: (ctx) => [
      [
        'extensions',
        ctx.model.extensions.length > 0
          ? yamlMap(
              ctx.model.extensions.map((e) => [e.name, extensionNode(ctx, e)] as const),
              'block',
            )
          : undefined,
      ],
    ],
  },
];
