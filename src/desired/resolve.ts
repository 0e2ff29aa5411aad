/**
 * What the file declares, indexed for lookups: schemas, enums, tables, functions, extensions,
 * external tables and external types; and the resolution of type names against them (shared by the
 * semantic checks and the conversion to the model). What one kind knows of names lives in its
 * folder (src/kinds/<kind>/resolve.ts: the extensions' types, index methods, function keys).
 */
import { displayIdent, parseQualifiedName, QualifiedNameError } from '../model/ident.js';
import type { ParsedType } from '../model/type-names.js';
import { builtinTypeNames, parseTypeName, suggestName, TypeNameError } from '../model/type-names.js';
import type { QualifiedName } from '../model/types.js';
import type { RawDocument, RawEnum, RawExtension, RawFunction, RawTable } from './document.js';
import type { RawDomain } from '../kinds/domain/raw.js';
import { entries } from '../kinds/raw.js';
import { nameKey } from '../model/object-ref.js';
import { extensionHint, extensionTypes } from '../kinds/extension/resolve.js';
import { parseFunctionKey, splitTableReturn } from '../kinds/function/resolve.js';
import { defaultMultirangeName } from '../kinds/range-type/model.js';

// The kinds' own name knowledge, re-exported for the modules that import it from here.
export { extensionTypes } from '../kinds/extension/resolve.js';
export { indexMethods } from '../kinds/index/resolve.js';
export { parseFunctionKey, splitTableReturn } from '../kinds/function/resolve.js';

/** Pseudo-types: valid for function arguments and results, never for a column. */
const pseudoTypes: ReadonlySet<string> = new Set([
  'any',
  'anyarray',
  'anycompatible',
  'anycompatiblearray',
  'anycompatiblemultirange',
  'anycompatiblenonarray',
  'anycompatiblerange',
  'anyelement',
  'anyenum',
  'anymultirange',
  'anynonarray',
  'anyrange',
  'cstring',
  'event_trigger',
  'fdw_handler',
  'index_am_handler',
  'internal',
  'language_handler',
  'pg_ddl_command',
  'record',
  'table_am_handler',
  'trigger',
  'tsm_handler',
  'void',
]);

export interface DeclaredTable extends QualifiedName {
  readonly raw: RawTable;
  /** Document path of the table. */
  readonly path: readonly (string | number)[];
}

export interface DeclaredFunction extends QualifiedName {
  /** The map key (`add(integer, integer)`). */
  readonly key: string;
  readonly raw: RawFunction;
  readonly path: readonly (string | number)[];
}

/** Where a type is used: columns refuse serial-less pseudo-types, only columns take serial. */
export type TypeUse = 'column' | 'argument' | 'return';

export type TypeResolution =
  | {
      readonly ok: true;
      /** Canonical type text as the model stores it. */
      readonly canonical: string;
      readonly parsed: ParsedType;
      /** The enum this type names (or is an array of), if any. */
      readonly enumType?: QualifiedName;
      /** The domain this type names (or is an array of), if any. */
      readonly domainType?: QualifiedName;
      /** The type of `external_types` this type names (or is an array of), if any. */
      readonly externalType?: QualifiedName;
    }
  | { readonly ok: false; readonly message: string };

const explicitPublic = /^\s*(?:public|"public")\s*\./i;

/** The declarations of one file, indexed. */
export class FileIndex {
  /** Schemas the file manages: those it declares, and `public`. */
  readonly managedSchemas: ReadonlySet<string>;
  readonly extensions: ReadonlyMap<string, RawExtension | null>;
  readonly #enums = new Map<string, Map<string, RawEnum>>();
  readonly #domains = new Map<string, { readonly schema: string; readonly name: string; readonly raw: RawDomain }>();
  readonly #tables = new Map<string, DeclaredTable>();
  /** Composite and range types (and the multirange types of the ranges) the file declares, by `nameKey`. */
  readonly #userTypes = new Set<string>();
  readonly functions: readonly DeclaredFunction[];
  readonly external: readonly QualifiedName[];
  /** Types managed outside the file (`external_types`) that columns and functions may use. */
  readonly externalTypes: readonly QualifiedName[];
  /** True when the file declares an extension whose types pgreconcile does not know. */
  readonly hasUnknownExtension: boolean;

  constructor(doc: RawDocument) {
    const schemas = entries(doc.schemas);
    this.managedSchemas = new Set(['public', ...schemas.map(([name]) => name)]);
    this.extensions = new Map(entries(doc.extensions));
    this.hasUnknownExtension = [...this.extensions.keys()].some((name) => extensionTypes[name] === undefined);
    const functions: DeclaredFunction[] = [];
    for (const [schema, body] of schemas) {
      const enums = new Map<string, RawEnum>();
      for (const [name, raw] of entries(body?.enums)) enums.set(name, raw);
      this.#enums.set(schema, enums);
      for (const name of [...Object.keys(body?.composite_types ?? {}), ...Object.keys(body?.range_types ?? {})])
        this.#userTypes.add(nameKey(schema, name));
      for (const [name, raw] of entries(body?.range_types))
        this.#userTypes.add(nameKey(schema, raw.multirange_type_name ?? defaultMultirangeName(name)));
      for (const [name, raw] of entries(body?.domains)) this.#domains.set(tableKey(schema, name), { schema, name, raw });
      for (const [name, raw] of entries(body?.tables)) {
        this.#tables.set(tableKey(schema, name), { schema, name, raw, path: ['schemas', schema, 'tables', name] });
      }
      for (const [key, raw] of entries(body?.functions)) {
        const parsed = parseFunctionKey(key);
        const name = 'name' in parsed ? parsed.name : key;
        functions.push({ schema, name, key, raw, path: ['schemas', schema, 'functions', key] });
      }
    }
    this.functions = functions;
    const external: QualifiedName[] = [];
    for (const text of doc.external ?? []) {
      try {
        external.push(parseQualifiedName(text, 'public'));
      } catch (error) {
        if (!(error instanceof QualifiedNameError)) throw error;
      }
    }
    this.external = external;
    const externalTypes: QualifiedName[] = [];
    for (const text of doc.external_types ?? []) {
      try {
        externalTypes.push(parseQualifiedName(text, 'public'));
      } catch (error) {
        if (!(error instanceof QualifiedNameError)) throw error;
      }
    }
    this.externalTypes = externalTypes;
  }

  table(schema: string, name: string): DeclaredTable | undefined {
    return this.#tables.get(tableKey(schema, name));
  }

  tables(): IterableIterator<DeclaredTable> {
    return this.#tables.values();
  }

  isExternal(schema: string, name: string): boolean {
    return this.external.some((t) => t.schema === schema && t.name === name);
  }

  enumOf(schema: string, name: string): RawEnum | undefined {
    return this.#enums.get(schema)?.get(name);
  }

  domainOf(schema: string, name: string): RawDomain | undefined {
    return this.#domains.get(tableKey(schema, name))?.raw;
  }

  /** Enum names visible from `schema`, as they would be written there. */
  visibleEnumNames(schema: string): string[] {
    const out: string[] = [];
    for (const [s, enums] of this.#enums) {
      for (const name of enums.keys()) out.push(s === schema || s === 'public' ? name : `${s}.${name}`);
    }
    return out;
  }

  /** Types of the declared extensions that are reachable without a schema. */
  #extensionTypeSchema(name: string): { extension: string; schema: string | undefined } | undefined {
    for (const [extension, options] of this.extensions) {
      if ((extensionTypes[extension] ?? []).includes(name)) return { extension, schema: options?.schema };
    }
    return undefined;
  }

  #extensionTypeNames(): string[] {
    return [...this.extensions.keys()].flatMap((e) => extensionTypes[e] ?? []);
  }

  /**
   * Resolves a type as written in the file, seen from `schema` (the table's or function's own).
   *
   * @example
   * index.resolveType('varchar(255)', 'public', 'column')   // { ok: true, canonical: 'character varying(255)' }
   * index.resolveType('mood[]', 'app', 'column')            // { ok: true, canonical: 'app.mood[]' } when app declares mood
   * index.resolveType('varchr', 'public', 'column')         // { ok: false, message: 'unknown type "varchr" (did you mean "varchar"?)' }
   */
  resolveType(text: string, schema: string, use: TypeUse): TypeResolution {
    if (use === 'return') {
      const columns = splitTableReturn(text);
      if (columns !== undefined) return this.#resolveTableReturn(text, columns, schema);
    }
    let parsed: ParsedType;
    try {
      parsed = parseTypeName(text);
    } catch (error) {
      if (error instanceof TypeNameError) return { ok: false, message: error.message };
      throw error;
    }
    if (parsed.setof === true && use !== 'return') {
      return { ok: false, message: `SETOF is only allowed in a function's return type` };
    }
    if (parsed.serial !== undefined && use !== 'column') {
      return { ok: false, message: `type "${text.trim()}" is only allowed for columns` };
    }
    if (parsed.builtin) {
      if (use === 'column' && pseudoTypes.has(parsed.name)) {
        return { ok: false, message: `a column cannot be of the pseudo-type "${parsed.name}"` };
      }
      return { ok: true, canonical: parsed.canonical, parsed };
    }
    const setof = parsed.setof === true ? 'setof ' : '';
    const array = parsed.arrayDims > 0 ? '[]' : '';
    const qualified = parsed.schema !== undefined || explicitPublic.test(text.replace(/^\s*setof\s+/i, ''));
    const typeSchema = parsed.schema ?? 'public';
    const enumAt = (s: string): TypeResolution | undefined => {
      if (this.enumOf(s, parsed.name) === undefined) return undefined;
      if (parsed.typmods.length > 0) return { ok: false, message: `type modifier is not allowed for enum type "${parsed.name}"` };
      const prefix = s === 'public' ? '' : `${displayIdent(s)}.`;
      return {
        ok: true,
        canonical: `${setof}${prefix}${displayIdent(parsed.name)}${array}`,
        parsed,
        enumType: { schema: s, name: parsed.name },
      };
    };
    const domainAt = (s: string): TypeResolution | undefined => {
      if (this.domainOf(s, parsed.name) === undefined) return undefined;
      if (parsed.typmods.length > 0) return { ok: false, message: `type modifier is not allowed for domain "${parsed.name}"` };
      const prefix = s === 'public' ? '' : `${displayIdent(s)}.`;
      return {
        ok: true,
        canonical: `${setof}${prefix}${displayIdent(parsed.name)}${array}`,
        parsed,
        domainType: { schema: s, name: parsed.name },
      };
    };
    // A table's row type (a composite) is a type too, as are the file's composite and range types.
    const rowTypeAt = (s: string): TypeResolution | undefined => {
      if ((this.table(s, parsed.name) === undefined && !this.#userTypes.has(nameKey(s, parsed.name))) || parsed.typmods.length > 0)
        return undefined;
      const prefix = s === 'public' ? '' : `${displayIdent(s)}.`;
      return { ok: true, canonical: `${setof}${prefix}${displayIdent(parsed.name)}${array}`, parsed };
    };
    // A type managed outside the file, listed under external_types.
    const externalAt = (s: string): TypeResolution | undefined => {
      if (!this.externalTypes.some((t) => t.schema === s && t.name === parsed.name)) return undefined;
      const shown = s === 'public' ? parsed.name : `${s}.${parsed.name}`;
      if (parsed.typmods.length > 0)
        return { ok: false, message: `type modifier is not allowed for type "${shown}" (listed under external_types)` };
      const prefix = s === 'public' ? '' : `${displayIdent(s)}.`;
      return {
        ok: true,
        canonical: `${setof}${prefix}${displayIdent(parsed.name)}${array}`,
        parsed,
        externalType: { schema: s, name: parsed.name },
      };
    };
    if (qualified) {
      const found = enumAt(typeSchema) ?? domainAt(typeSchema) ?? rowTypeAt(typeSchema);
      if (found !== undefined) return found;
      const ext = this.#extensionTypeSchema(parsed.name);
      if (ext !== undefined && (ext.schema ?? 'public') === typeSchema) return { ok: true, canonical: parsed.canonical, parsed };
      const external = externalAt(typeSchema);
      if (external !== undefined) return external;
      if (!this.managedSchemas.has(typeSchema)) return { ok: true, canonical: parsed.canonical, parsed };
      return { ok: false, message: this.#unknown(`${typeSchema}.${parsed.name}`, parsed.name, schema) };
    }
    const found =
      enumAt(schema) ??
      domainAt(schema) ??
      rowTypeAt(schema) ??
      enumAt('public') ??
      domainAt('public') ??
      rowTypeAt('public') ??
      externalAt(schema) ??
      externalAt('public');
    if (found !== undefined) return found;
    const ext = this.#extensionTypeSchema(parsed.name);
    if (ext !== undefined) {
      if (ext.schema !== undefined && ext.schema !== 'public') {
        return {
          ok: false,
          message: `type "${parsed.name}" of extension ${ext.extension} lives in schema "${ext.schema}": write "${ext.schema}.${text.trim()}"`,
        };
      }
      return { ok: true, canonical: parsed.canonical, parsed };
    }
    if (this.hasUnknownExtension) return { ok: true, canonical: parsed.canonical, parsed };
    return { ok: false, message: this.#unknown(parsed.name, parsed.name, schema) };
  }

  #unknown(shown: string, name: string, schema: string): string {
    const external = this.externalTypes.map((t) => (t.schema === 'public' || t.schema === schema ? t.name : `${t.schema}.${t.name}`));
    const domains = [...this.#domains.values()].map((d) =>
      d.schema === schema || d.schema === 'public' ? d.name : `${d.schema}.${d.name}`,
    );
    const candidates = [...builtinTypeNames(), ...this.visibleEnumNames(schema), ...domains, ...this.#extensionTypeNames(), ...external];
    const suggestion = suggestName(name, candidates);
    const hint =
      extensionHint(name) ??
      (suggestion !== undefined
        ? ` (did you mean "${suggestion}"?)`
        : ' (list a type created outside this file, such as a domain, under external_types)');
    return `unknown type "${shown}"${hint}`;
  }

  #resolveTableReturn(text: string, columns: readonly { name: string; type: string }[], schema: string): TypeResolution {
    const parts: string[] = [];
    for (const column of columns) {
      if (column.type === '') return { ok: false, message: `invalid return type "${text.trim()}": each column needs a name and a type` };
      const resolved = this.resolveType(column.type, schema, 'argument');
      if (!resolved.ok) return resolved;
      parts.push(`${displayIdent(column.name)} ${resolved.canonical}`);
    }
    const parsed: ParsedType = { canonical: 'record', name: 'record', typmods: [], arrayDims: 0, builtin: true, setof: true };
    return { ok: true, canonical: `table(${parts.join(', ')})`, parsed };
  }
}

/** A table's map key: the one key encoding (../model/object-ref.ts). */
const tableKey = nameKey;
