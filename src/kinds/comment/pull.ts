/**
 * The comment kind's part of the pull writer: a comment as the file writes it (every kind's
 * writer calls `commentNode` for its objects' `comment`), and the `comment` entries of the
 * schema and table maps.
 */
import type { PullPlacement } from '../kind.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlString, yamlText } from '../../pull/yaml-writer.js';

/** A comment: a literal block when it spans lines, else one string. */
export function commentNode(text: string): YamlNode {
  return text.includes('\n') ? yamlText(text) : yamlString(text);
}

/** The `comment` entry of an object's map (left out without a comment). */
export const commentEntry = (comment: string | undefined): readonly ['comment', YamlNode | undefined] => [
  'comment',
  comment !== undefined ? commentNode(comment) : undefined,
];

export const commentPull: readonly PullPlacement[] = [
  {
    in: 'schema',
    before: 'enums',
    entries: (ctx, schema) => [commentEntry(ctx.model.schemas.find((s) => s.name === schema)?.comment)],
  },
  { in: 'table', before: 'columns', entries: (_ctx, table) => [commentEntry(table.comment)] },
];
