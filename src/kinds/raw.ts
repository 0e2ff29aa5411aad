/**
 * The format as TypeScript (the document's own keys; each kind's raw types are in its
 * `<kind>/raw.ts`), and what the kinds' raw → model conversions share: the `ObjectKind.raw` hook,
 * the context the driver (src/desired/to-model.ts) hands them, and small helpers.
 *
 * Raw types are the shape of a document once it has passed the JSON Schema
 * (schema/pgreconcile.schema.json): plain data exactly as written in the YAML file, before any
 * defaulting or canonicalisation. test/unit/raw-types-schema.test.ts checks each kind's raw
 * interfaces against its part of the schema.
 */
import type { DocPath } from '../desired/diagnostic.js';
import type { TypeResolution, TypeUse } from '../desired/resolve.js';
import type { SchemaModel, Table } from '../model/types.js';
import type { RawSchema } from './schema/raw.js';
import type { RawTable } from './table/raw.js';

/** A whole number as written: a YAML integer, or a string of digits for values beyond 2^53. */
export type RawInteger = number | string;

/** The document: its own keys here, each top-level kind's map added by its `raw.ts` (declaration merging). */
export interface RawDocument {
  readonly version: 1;
  readonly ignore?: readonly string[];
  readonly external?: readonly string[];
  readonly external_types?: readonly string[];
  readonly data_changes?: Readonly<Record<string, RawDataChange>>;
}

/** An object a data change runs after or before (exactly one key). */
export interface RawDataChangeAnchor {
  readonly table?: string;
  readonly column?: string;
  readonly not_null?: string;
  readonly data_change?: string;
}

/** A data change as written (`data_changes:`, src/data-changes/). */
export interface RawDataChange {
  readonly sql?: string;
  readonly file?: string;
  readonly after?: RawDataChangeAnchor | readonly RawDataChangeAnchor[];
  readonly before?: RawDataChangeAnchor | readonly RawDataChangeAnchor[];
  readonly batch?: { readonly table?: string; readonly key: string; readonly size: number };
  readonly comment?: string;
}

/** Entries of an optional map, in file order. */
export function entries<T>(map: Readonly<Record<string, T>> | undefined | null): [string, T][] {
  return map === undefined || map === null ? [] : Object.entries(map);
}

/** `{ [key]: value }` when value is defined, else `{}` (for optional properties). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The model's lists while the kinds fill them (in file order; the driver normalises them). */
export type ModelDraft = { -readonly [K in keyof SchemaModel]: SchemaModel[K][number][] };

/** A type name resolved against the file (src/desired/resolve.ts). */
export type ResolvedType = Extract<TypeResolution, { ok: true }>;

/** What a kind's conversion may ask of the document being converted. */
export interface ToModelContext {
  /** The lists of the model being built: a kind pushes its objects (serial columns their sequences). */
  readonly model: ModelDraft;
  /** A whole number exactly as written (the raw text survives beyond 2^53). */
  integer(value: RawInteger, path: DocPath): bigint;
  /** A scalar as SQL text: numbers as written, booleans as true/false. */
  sqlText(value: string | number | boolean, path: DocPath): string;
  /** A type as written, resolved from `schema` (the document was checked: it resolves). */
  type(text: string, schema: string, use: TypeUse, path: DocPath): ResolvedType;
}

/** A table being converted: the kinds under a table read their parts of it. */
export interface TableSource {
  readonly schema: string;
  readonly name: string;
  readonly raw: RawTable;
  readonly path: DocPath;
}

/**
 * How a kind's objects are read from a checked document into the model (`./<kind>/raw.ts`), by
 * where the kind's map sits in the format:
 * - `document`: the driver (src/desired/to-model.ts) calls `read` once with the document;
 * - `schema`: the driver calls `read` for each schema body, kinds in registry order;
 * - `table`: the table kind's conversion calls `read` for each table and puts the parts it
 *   returns into the table;
 * - `object`: an attribute of every object (comments): every kind's conversion spreads `read`'s
 *   result into its objects.
 */
export type KindRaw =
  | { readonly in: 'document'; readonly read: (doc: RawDocument, ctx: ToModelContext) => void }
  | { readonly in: 'schema'; readonly read: (schema: string, body: RawSchema, ctx: ToModelContext) => void }
  | { readonly in: 'table'; readonly read: (table: TableSource, ctx: ToModelContext) => Partial<Table> }
  | { readonly in: 'object'; readonly read: (raw: { readonly comment?: string }) => { readonly comment?: string } };
