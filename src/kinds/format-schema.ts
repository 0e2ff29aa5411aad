/**
 * The format's JSON Schema, assembled from the root (./format-root.ts) and every kind's part
 * (`ObjectKind.format`, in registry order): the one source of schema/pgreconcile.schema.json,
 * which `npm run schema` writes and test/unit/format-schema.test.ts checks is current.
 */
import { FORMAT_ROOT } from './format-root.js';
import type { JsonSchema } from './kind.js';
import { KINDS } from './registry.js';

type Mutable = { [key: string]: unknown };

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Inserts `key: value` into `record` before `before` (or at the end), keeping the others' order. */
function insert(record: Mutable, key: string, value: unknown, before: string | undefined): Mutable {
  if (key in record) throw new Error(`the format's schema has two definitions of the property ${key}`);
  if (before === undefined) return { ...record, [key]: value };
  if (!(before in record)) throw new Error(`the property ${key} is to come before ${before}, which does not exist`);
  const out: Mutable = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === before) out[key] = value;
    out[k] = v;
  }
  return out;
}

/** The whole JSON Schema of schema.yaml. */
export function assembleSchema(): JsonSchema {
  const document = clone<Mutable>(FORMAT_ROOT.document);
  let definitions: Mutable = clone<Mutable>(FORMAT_ROOT.definitions);
  for (const kind of KINDS) {
    for (const [name, definition] of Object.entries(kind.format.definitions))
      definitions = insert(definitions, name, clone(definition), undefined);
  }
  for (const kind of KINDS) {
    for (const place of kind.format.placements) {
      const container = (place.in === 'document' ? document : definitions[place.in]) as Mutable | undefined;
      if (container === undefined) throw new Error(`kind ${kind.name} places ${place.property} in ${place.in}, which no kind defines`);
      container['properties'] = insert((container['properties'] ?? {}) as Mutable, place.property, clone(place.schema), place.before);
    }
  }
  return { ...document, definitions };
}

/** The schema file's text: two-space JSON and a final newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(assembleSchema(), null, 2)}\n`;
}
