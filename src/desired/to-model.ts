/**
 * A validated document → the `DesiredState` model, in canonical form: canonical type
 * names, PostgreSQL's defaults filled in, serial columns expanded, default names computed.
 * Call only on a document that passed the JSON Schema and the semantic checks.
 *
 * The driver: each kind converts its own objects (`ObjectKind.raw`, src/kinds/<kind>/raw.ts).
 * The kinds whose map sits in the document read it first, then those whose map sits in a schema
 * read each schema's body, in registry order; the table kind reads the kinds under a table.
 */
import { sha256 } from '../model/fingerprint.js';
import { parseQualifiedName } from '../model/ident.js';
import { normalizeModel } from '../model/normalize.js';
import type { DesiredState, ExternalTable, QualifiedName } from '../model/types.js';
import { emptyModel } from '../model/types.js';
import type { ModelDraft, RawDocument, RawInteger, ResolvedType, ToModelContext } from '../kinds/raw.js';
import { entries } from '../kinds/raw.js';
import { KINDS } from '../kinds/registry.js';
import type { DocPath } from './diagnostic.js';
import type { DocumentMap, LoadedYaml } from './load-yaml.js';
import type { TypeUse } from './resolve.js';
import { FileIndex } from './resolve.js';
import { readDataChanges } from '../data-changes/read.js';

// Moved into the kinds' folders; re-exported for the modules that import them from here.
export type { ConstraintNames } from '../kinds/constraint/raw.js';
export { constraintNames } from '../kinds/constraint/raw.js';
export { withoutTypmods } from '../kinds/function/raw.js';

/** Thrown when the document was not checked first: a bug, never a user error. */
class UncheckedDocumentError extends Error {
  override readonly name = 'UncheckedDocumentError';
}

/**
 * Builds the desired state of a validated document.
 *
 * @example
 * const state = toModel(loaded);
 * state.model.tables[0]?.columns[0]  // { name: 'id', type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)" }
 */
export function toModel(doc: LoadedYaml): DesiredState {
  const raw = doc.value as RawDocument;
  const ctx = new Context(doc.map, new FileIndex(raw));
  for (const kind of KINDS) if (kind.raw.in === 'document') kind.raw.read(raw, ctx);
  for (const [schema, body] of entries(raw.schemas)) {
    if (body === null) continue;
    for (const kind of KINDS) if (kind.raw.in === 'schema') kind.raw.read(schema, body, ctx);
  }
  const external: ExternalTable[] = (raw.external ?? []).map((text) => {
    const name = parseQualifiedName(text, 'public');
    return { schema: name.schema, name: name.name };
  });
  const externalTypes: QualifiedName[] = (raw.external_types ?? []).map((text) => {
    const name = parseQualifiedName(text, 'public');
    return { schema: name.schema, name: name.name };
  });
  const model = normalizeModel(ctx.model);
  const dataChanges = readDataChanges(raw, doc.fileName);
  return {
    model,
    ignore: [...(raw.ignore ?? [])],
    external,
    ...(externalTypes.length > 0 ? { externalTypes } : {}),
    ...(dataChanges.length > 0 ? { dataChanges } : {}),
    // sha256 of the file's bytes: the text is exactly their UTF-8 decoding (checked on load).
    source: { path: doc.fileName, hash: sha256(doc.bom ? `\ufeff${doc.text}` : doc.text) },
  };
}

/** What the kinds' conversions ask of the document: its raw text, its index of names, the model so far. */
class Context implements ToModelContext {
  // Fresh lists the kinds push to (one per model list: a new list needs no change here).
  readonly model: ModelDraft = emptyModel() as ModelDraft;
  readonly #map: DocumentMap;
  readonly #index: FileIndex;

  constructor(map: DocumentMap, index: FileIndex) {
    this.#map = map;
    this.#index = index;
  }

  integer(value: RawInteger, path: DocPath): bigint {
    const raw = this.#map.raw(path);
    if (raw !== undefined && /^[+-]?[0-9]+$/.test(raw)) return BigInt(raw);
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());
  }

  sqlText(value: string | number | boolean, path: DocPath): string {
    if (typeof value === 'number') return this.#map.raw(path) ?? String(value);
    return String(value);
  }

  type(text: string, schema: string, use: TypeUse, path: DocPath): ResolvedType {
    const resolved = this.#index.resolveType(text, schema, use);
    if (!resolved.ok) throw new UncheckedDocumentError(`${path.join('.')}: ${resolved.message}`);
    return resolved;
  }
}
