/**
 * Catalog rows → the schema model. Pure: no database here, so every rule (what is skipped,
 * how codes decode) is testable with rows alone. Each kind builds its part
 * (`ObjectKind.introspect`, src/kinds/<kind>/introspect.ts): every kind's `build` in registry
 * order, then every `finish`. Rows are joined through Maps keyed by table oid, so the cost is
 * linear in the size of the schema.
 */
import { KINDS } from '../kinds/registry.js';
import { emptyModel, type SchemaModel, type TableStats } from '../model/types.js';
import type { CatalogResults } from './catalog-query.js';
import { matchesIgnore } from './ignore-glob.js';
import type { ModelDraft, OpenModel } from './model-draft.js';

export interface BuiltModel {
  /** Not yet normalised (lists in catalog order). */
  readonly model: SchemaModel;
  readonly stats: ReadonlyMap<string, TableStats>;
}

/**
 * Builds the model from catalog rows, dropping ignored objects and objects outside the
 * managed schemas.
 *
 * @example const { model, stats } = buildModel(rows, ['tmp_*']);
 */
export function buildModel(rows: CatalogResults, ignore: readonly string[]): BuiltModel {
  const managedSchemas = new Set<string>();
  const draft: ModelDraft = {
    ignore,
    managedSchemas,
    managed: (schema, name) => managedSchemas.has(schema) && !matchesIgnore(ignore, schema, name),
    // Its lists are fresh: open to the kinds' `push`.
    model: emptyModel() as OpenModel,
    stats: new Map(),
    tableParts: new Map(),
    partitionParts: new Map(),
    identitySequences: new Map(),
  };
  for (const kind of KINDS) kind.introspect.build(rows, draft);
  for (const kind of KINDS) kind.introspect.finish?.(rows, draft);
  return { model: draft.model, stats: draft.stats };
}
