/**
 * Sorting of the lists whose order carries no meaning, so that two models describing the
 * same schema are deep-equal and fingerprint the same. Each kind says how its objects sort
 * (`model.normalize`, src/kinds/<kind>/model.ts); `normalizeModel` walks the registry.
 *
 * Since it imports the registry, code under src/kinds/ must not import this module at run time
 * (an import cycle): it takes the orders from ./canonical.ts, `functionIdentityArgs` from
 * src/kinds/function/model.ts, `withoutDefaultOpclasses` from src/kinds/index/model.ts, which
 * this module re-exports for the rest of the tree.
 */
import { modelLists } from '../kinds/models.js';
import type { SchemaModel } from './types.js';

export { compareQualified, compareText } from './canonical.js';
export { functionIdentityArgs } from '../kinds/function/model.js';
export { defaultOpclassFor, withoutDefaultOpclasses } from '../kinds/index/model.js';

/**
 * Returns a copy of the model with every meaningless order fixed: extensions and schemas
 * by name; enums, sequences, tables by (schema, name); functions by (schema, name,
 * argument types); a table's uniques, checks, foreign keys, indexes and triggers by name;
 * trigger events as insert, update, delete, truncate. Columns and enum values keep their order.
 *
 * @example
 * normalizeModel(model).tables.map((t) => t.name)  // ['a', 'b', …]
 */
export function normalizeModel(m: SchemaModel): SchemaModel {
  // Properties keep their places (spread first): the live model's JSON is fingerprinted as is.
  const out: Record<string, readonly unknown[]> = { ...m };
  for (const { list, members } of modelLists()) {
    const sorted = list.normalize(m[list.property]);
    out[list.property] = members.length === 0 ? sorted : sorted.map((item) => members.reduce((x, member) => member.normalize(x), item));
  }
  return out as unknown as SchemaModel;
}
