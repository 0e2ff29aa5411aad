/**
 * What the kinds' pull writers (src/kinds/<kind>/pull.ts) share while one file is written: the
 * model and options, the names in use (for type resolution and references), the serial columns
 * and their sequences, the readable-form decisions, the warnings, and the kinds' placements that
 * fill each container's map. src/pull/model-to-yaml.ts makes one per file.
 */
import type { RawDocument, RawEnum, RawSchema, RawTable } from '../desired/document.js';
import { FileIndex } from '../desired/resolve.js';
import type { TypeUse } from '../desired/resolve.js';
import { sequenceSettings } from '../desired/sequence-defaults.js';
import type { SequenceType } from '../desired/sequence-defaults.js';
import { withoutTypmods } from '../kinds/function/raw.js';
import type { PullContainers, PullEntry, PullPlacement } from '../kinds/kind.js';
import { defaultSequenceName } from '../model/default-names.js';
import { sameExpression } from '../model/expression.js';
import { displayIdent, quoteLiteral } from '../model/ident.js';
import { columnKey, nameKey } from '../model/object-ref.js';
import type { QualifiedName, SchemaModel, Table } from '../model/types.js';
import { SqlSyntaxError } from '../sql/parser.js';
import type { ReadableCandidate } from '../judge/readable.js';
import { readableType } from './readable.js';

export interface ModelToYamlOptions {
  /** Glob patterns written under `ignore` (those the model was introspected with). */
  readonly ignore?: readonly string[];
  /**
   * Default versions of the installed extensions (`pg_available_extensions.default_version`):
   * a version equal to its default is left out. Without it, every version is written.
   */
  readonly extensionDefaultVersions?: ReadonlyMap<string, string>;
  /**
   * Decides, for each expression, between its readable spelling and the catalog's text (the
   * judge: src/judge/readable.ts); without it, the readable spelling is written.
   */
  readonly choose?: (candidate: ReadableCandidate) => string;
  /**
   * The database's own types the format cannot declare (domains, composite, range and base types,
   * not those of extensions): a column or function that uses one gets it listed under
   * `external_types`, with a warning that the type itself is not managed.
   */
  readonly unmanagedTypes?: readonly UnmanagedType[];
}

/** A type of the database that the file can only name (`external_types`), never declare. */
export interface UnmanagedType extends QualifiedName {
  /** `domain`, `composite type`, `range type`, `base type`. */
  readonly kind: string;
}

/** An unmanaged type the written columns and functions use, with where (`column s.t.c`, …). */
export interface UsedExternalType {
  readonly type: QualifiedName;
  readonly uses: ReadonlySet<string>;
}

/** What every kind's pull writer is given. */
export interface PullContext {
  readonly model: SchemaModel;
  readonly options: ModelToYamlOptions;
  /** The model's tables, by `nameKey`. */
  readonly tables: ReadonlySet<string>;
  /** The model's functions, by `nameKey`. */
  readonly functions: ReadonlySet<string>;
  /** Sequences written as the `serial` of their column (not under `sequences`), by `nameKey`. */
  readonly serialSequences: ReadonlySet<string>;
  /** Columns written as `serial`, by `columnKey`, with their integer type. */
  readonly serialColumns: ReadonlyMap<string, SequenceType>;
  /** Adds a warning (what the model holds that the file cannot say); repeats are dropped. */
  warn(message: string): void;
  /**
   * The type as the file writes it: the short spelling when it resolves (from `schema`, as the
   * loader resolves it) to the model's type, else the canonical text, else `public.`-qualified
   * (an enum of the same name in `schema` would hide the public one). Records the unmanaged
   * types it names (`where` uses them) for `external_types`.
   */
  type(canonical: string, schema: string, use: TypeUse, where: string): string;
  /** Whether a type name as the catalog prints it (seen from `schema`) is an enum of the model. */
  isEnumType(type: string, schema: string): boolean;
  /** `isEnumType` seen from `schema`. */
  enumTest(schema: string): (type: string) => boolean;
  /** The text written for one expression: the readable spelling, unless `options.choose` keeps the catalog's. */
  choose(table: Table, kind: ReadableCandidate['kind'], name: string, key: number, catalog: string, readable: string): string;
  /**
   * A container's map entries: `own` (the container's own), with the entries of every kind placed
   * in it (`PullPlacement`), their writers run in registry order.
   */
  entries<I extends keyof PullContainers>(place: I, own: readonly PullEntry[], ...at: PullContainers[I]): PullEntry[];
}

/** The context and what the driver reads back once the kinds have written. */
export interface PullWriter {
  readonly ctx: PullContext;
  /** The warnings, in order, repeats included. */
  readonly warnings: readonly string[];
  /** The unmanaged types used so far, by `nameKey`. */
  readonly usedExternalTypes: ReadonlyMap<string, UsedExternalType>;
}

/** Writes a name part of a `schema.name` reference; quoted where parseQualifiedName needs it. */
export function namePart(name: string): string {
  return /^[^."\s]/.test(name) && !/[."]/.test(name) && name === name.trim() ? name : `"${name.replaceAll('"', '""')}"`;
}

/** `name` in `schema` itself, else `schema.name`. */
export function reference(target: QualifiedName, from: string): string {
  return target.schema === from ? namePart(target.name) : `${namePart(target.schema)}.${namePart(target.name)}`;
}

/** The extension's schema when it must be written (not the default `public`). */
export function extensionSchema(schema: string | undefined): string | undefined {
  return schema === undefined || schema === 'public' ? undefined : schema;
}

/**
 * The writer context for one file. `placements` are every kind's, in registry order (the
 * driver passes them: this module does not import the registry, which imports the kinds).
 */
export function createPullWriter(model: SchemaModel, options: ModelToYamlOptions, placements: readonly PullPlacement[]): PullWriter {
  const warnings: string[] = [];
  const usedExternalTypes = new Map<string, { readonly type: QualifiedName; readonly uses: Set<string> }>();
  const enums: ReadonlySet<string> = new Set(model.enums.map((e) => nameKey(e.schema, e.name)));
  const index = new FileIndex(skeleton(model, options));
  const serials = findSerials(model);

  const isEnumType = (type: string, schema: string): boolean => {
    const base = type.endsWith('[]') ? type.slice(0, -2) : type;
    const dot = base.lastIndexOf('.');
    if (dot < 0) return enums.has(nameKey('public', base)) || enums.has(nameKey(schema, base));
    return enums.has(nameKey(base.slice(0, dot), base.slice(dot + 1)));
  };

  const ctx: PullContext = {
    model,
    options,
    tables: new Set(model.tables.map((t) => nameKey(t.schema, t.name))),
    functions: new Set(model.functions.map((f) => nameKey(f.schema, f.name))),
    serialSequences: serials.sequences,
    serialColumns: serials.columns,
    warn(message) {
      warnings.push(message);
    },
    type(canonical, schema, use, where) {
      const readable = readableType(canonical);
      const setof = canonical.startsWith('setof ') ? 'setof ' : '';
      const candidates = [readable, canonical, `${setof}public.${canonical.slice(setof.length)}`];
      for (const candidate of candidates) {
        const resolved = index.resolveType(candidate, schema, use);
        if (!resolved.ok) continue;
        const got = use === 'column' ? resolved.canonical : withoutTypmods(resolved.canonical);
        if (got !== canonical) continue;
        if (resolved.externalType !== undefined) {
          const key = nameKey(resolved.externalType.schema, resolved.externalType.name);
          const entry = usedExternalTypes.get(key) ?? { type: resolved.externalType, uses: new Set<string>() };
          entry.uses.add(where);
          usedExternalTypes.set(key, entry);
        }
        return candidate;
      }
      const resolved = index.resolveType(canonical, schema, use);
      const why = resolved.ok ? `it reads back as ${resolved.canonical}` : resolved.message;
      ctx.warn(
        `${where}: type ${canonical} cannot be declared in the file: ${why}; ` +
          'it is written as is, and the file will not validate until the type resolves',
      );
      return readable;
    },
    isEnumType,
    enumTest: (schema) => (type) => isEnumType(type, schema),
    choose(table, kind, name, key, catalog, readable) {
      if (readable === catalog || options.choose === undefined) return readable;
      return options.choose({ table, kind, name, key, catalog, readable });
    },
    entries(place, own, ...at) {
      const out = [...own];
      for (const placement of placements) {
        if (placement.in !== place) continue;
        const write = placement.entries as (ctx: PullContext, ...at: readonly unknown[]) => PullEntry[];
        const written = write(ctx, ...at);
        if (placement.before === undefined) {
          out.push(...written);
          continue;
        }
        const position = out.findIndex(([key]) => key === placement.before);
        if (position < 0) throw new Error(`pull: entries placed in ${place} before ${placement.before}, which is not written there`);
        out.splice(position, 0, ...written);
      }
      return out;
    },
  };
  return { ctx, warnings, usedExternalTypes };
}

/** The map's record for `key`, created empty when missing. */
function bucket<T>(map: Map<string, Record<string, T>>, key: string): Record<string, T> {
  let found = map.get(key);
  if (found === undefined) {
    found = {};
    map.set(key, found);
  }
  return found;
}

/** What type resolution needs of the file: its extensions, enums and tables. */
function skeleton(model: SchemaModel, options: ModelToYamlOptions): RawDocument {
  const enums = new Map<string, Record<string, RawEnum>>();
  const tables = new Map<string, Record<string, RawTable>>();
  const domains = new Map<string, Record<string, { type: string }>>();
  for (const d of model.domains) bucket(domains, d.schema)[d.name] = { type: d.type };
  for (const s of model.schemas) {
    enums.set(s.name, {});
    tables.set(s.name, {});
  }
  for (const e of model.enums) bucket(enums, e.schema)[e.name] = { values: [...e.values] };
  for (const t of model.tables) bucket(tables, t.schema)[t.name] = { columns: {} };
  const schemas: Record<string, RawSchema> = {};
  for (const name of new Set([...enums.keys(), ...tables.keys(), ...domains.keys()]))
    schemas[name] = { enums: enums.get(name) ?? {}, tables: tables.get(name) ?? {}, domains: domains.get(name) ?? {} };
  const extensions: Record<string, { schema?: string }> = {};
  for (const e of model.extensions) {
    const schema = extensionSchema(e.schema);
    extensions[e.name] = schema !== undefined ? { schema } : {};
  }
  const externalTypes = (options.unmanagedTypes ?? []).map((t) => reference(t, ''));
  return { version: 1, extensions, ...(externalTypes.length > 0 ? { external_types: externalTypes } : {}), schemas };
}

function safeSameExpression(a: string, b: string): boolean {
  try {
    return sameExpression(a, b);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return false;
    throw error;
  }
}

/**
 * Columns written back as `serial`/`bigserial`/`smallserial`: NOT NULL, the default
 * `nextval('<table>_<column>_seq'::regclass)`, and that sequence owned by the column, of the
 * column's type, with every option at its default and no comment.
 */
function findSerials(model: SchemaModel): { sequences: Set<string>; columns: Map<string, SequenceType> } {
  const found = { sequences: new Set<string>(), columns: new Map<string, SequenceType>() };
  const sequences = new Map(model.sequences.map((s) => [nameKey(s.schema, s.name), s]));
  for (const table of model.tables) {
    for (const column of table.columns) {
      if (column.nullable || column.identity !== undefined || column.generated !== undefined || column.default === undefined) continue;
      if (column.type !== 'integer' && column.type !== 'bigint' && column.type !== 'smallint') continue;
      const name = defaultSequenceName(table.name, column.name);
      const sequence = sequences.get(nameKey(table.schema, name));
      if (sequence === undefined || sequence.type !== column.type || sequence.comment !== undefined) continue;
      const owner = sequence.ownedBy;
      if (owner === undefined || owner.schema !== table.schema || owner.table !== table.name || owner.column !== column.name) continue;
      const defaults = sequenceSettings(column.type, {});
      if (
        sequence.start !== defaults.start ||
        sequence.increment !== defaults.increment ||
        sequence.minValue !== defaults.minValue ||
        sequence.maxValue !== defaults.maxValue ||
        sequence.cache !== defaults.cache ||
        sequence.cycle !== defaults.cycle
      ) {
        continue;
      }
      const regclass = table.schema === 'public' ? displayIdent(name) : `${displayIdent(table.schema)}.${displayIdent(name)}`;
      const expected = `nextval(${quoteLiteral(regclass)}::regclass)`;
      if (column.default !== expected && !safeSameExpression(column.default, expected)) continue;
      found.sequences.add(nameKey(sequence.schema, sequence.name));
      found.columns.set(columnKey(table, column.name), column.type);
    }
  }
  return found;
}
