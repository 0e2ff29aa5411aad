/**
 * The schema kind's part of the pull writer: the document's `schemas` map, one map per schema
 * that holds something (listed in the model's schemas or not), filled by the kinds placed in
 * `schema` (its comment, enums, sequences, functions, tables).
 */
import type { PullEntry, PullPlacement } from '../kind.js';
import { compareText } from '../../model/canonical.js';
import type { PullContext } from '../../pull/writer-context.js';
import type { YamlNode } from '../../pull/yaml-writer.js';
import { yamlMap } from '../../pull/yaml-writer.js';

function schemasEntry(ctx: PullContext): PullEntry {
  const m = ctx.model;
  if (!m.schemas.some((s) => s.name === 'public')) {
    ctx.warn('the database has no schema "public"; a desired-state file always includes it, so a plan will create it');
  }
  // Every schema that holds something is written, listed in `schemas` or not.
  const named = new Set<string>([
    ...m.schemas.map((s) => s.name),
    ...[...m.enums, ...m.sequences, ...m.functions, ...m.tables].map((o) => o.schema),
  ]);
  const schemaNames = [...named].sort((a, b) => (a === 'public' ? -1 : b === 'public' ? 1 : compareText(a, b)));
  const schemas: (readonly [string, YamlNode])[] = [];
  for (const name of schemaNames) {
    const body = yamlMap(ctx.entries('schema', [], name), 'block');
    if (name === 'public' && body.kind === 'map' && body.entries.length === 0) continue;
    schemas.push([name, body]);
  }
  return ['schemas', schemas.length > 0 ? yamlMap(schemas, 'block') : undefined];
}

export const schemaPull: readonly PullPlacement[] = [{ in: 'document', entries: (ctx) => [schemasEntry(ctx)] }];
