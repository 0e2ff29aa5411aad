/**
 * A validated document → the `DesiredState` model, in canonical form: canonical type
 * names, PostgreSQL's defaults filled in, serial columns expanded, default names computed.
 * Call only on a document that passed the JSON Schema and the semantic checks.
 */
import {
  checkReferencedColumns,
  defaultCheckName,
  defaultForeignKeyName,
  defaultPrimaryKeyName,
  defaultSequenceName,
  defaultUniqueName,
} from '../model/default-names.js';
import { sha256 } from '../model/fingerprint.js';
import { displayIdent, parseQualifiedName, quoteLiteral } from '../model/ident.js';
import { normalizeModel } from '../model/normalize.js';
import type {
  CheckConstraint,
  ExclusionConstraint,
  Column,
  DesiredState,
  EnumType,
  Extension,
  ExternalTable,
  ForeignKey,
  FunctionArg,
  FunctionDef,
  Identity,
  Index,
  IndexKey,
  PrimaryKey,
  QualifiedName,
  SchemaDef,
  Sequence,
  Table,
  Trigger,
  TriggerEnabled,
  TriggerEvent,
  UniqueConstraint,
} from '../model/types.js';
import type { DocPath } from './diagnostic.js';
import type {
  RawColumn,
  RawDocument,
  RawFunction,
  RawIdentity,
  RawExclusion,
  RawIndex,
  RawIndexKey,
  RawInteger,
  RawSequence,
  RawTable,
  RawTrigger,
} from './document.js';
import { entries, isColumnList, primaryKeyColumns } from './document.js';
import type { LoadedYaml } from './load-yaml.js';
import type { DocumentMap } from './load-yaml.js';
import type { TypeResolution } from './resolve.js';
import { FileIndex, parseFunctionKey } from './resolve.js';
import type { SequenceType } from './sequence-defaults.js';
import { sequenceSettings } from './sequence-defaults.js';

/** Thrown when the document was not checked first: a bug, never a user error. */
class UncheckedDocumentError extends Error {
  override readonly name = 'UncheckedDocumentError';
}

const eventOrder: readonly TriggerEvent[] = ['insert', 'update', 'delete', 'truncate'];

/**
 * Builds the desired state of a validated document.
 *
 * @example
 * const state = toModel(loaded);
 * state.model.tables[0]?.columns[0]  // { name: 'id', type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)" }
 */
export function toModel(doc: LoadedYaml): DesiredState {
  return new ModelBuilder(doc).build();
}

class ModelBuilder {
  readonly #raw: RawDocument;
  readonly #map: DocumentMap;
  readonly #doc: LoadedYaml;
  readonly #index: FileIndex;
  readonly #sequences: Sequence[] = [];

  constructor(doc: LoadedYaml) {
    this.#doc = doc;
    this.#raw = doc.value as RawDocument;
    this.#map = doc.map;
    this.#index = new FileIndex(this.#raw);
  }

  build(): DesiredState {
    const raw = this.#raw;
    const extensions: Extension[] = entries(raw.extensions).map(([name, options]) => ({
      name,
      ...(options?.schema !== undefined ? { schema: options.schema } : {}),
      ...(options?.version !== undefined ? { version: options.version } : {}),
    }));
    const schemas: SchemaDef[] = [];
    const enums: EnumType[] = [];
    const functions: FunctionDef[] = [];
    const tables: Table[] = [];
    const declared = entries(raw.schemas);
    if (!declared.some(([name]) => name === 'public')) schemas.push({ name: 'public' });
    for (const [schema, body] of declared) {
      schemas.push({ name: schema, ...(body?.comment !== undefined ? { comment: body.comment } : {}) });
      if (body === null) continue;
      for (const [name, value] of entries(body.enums)) {
        const renamed: Record<string, string> = {};
        const values = value.values.map((v) => {
          if (typeof v === 'string') return v;
          if (v.renamed_from !== undefined) renamed[v.name] = v.renamed_from;
          return v.name;
        });
        enums.push({
          schema,
          name,
          values,
          ...(Object.keys(renamed).length > 0 ? { renamedValues: renamed } : {}),
          ...(value.comment !== undefined ? { comment: value.comment } : {}),
        });
      }
      for (const [name, value] of entries(body.sequences)) {
        this.#sequences.push(this.#sequence(schema, name, value ?? {}, ['schemas', schema, 'sequences', name]));
      }
      for (const [key, value] of entries(body.functions)) functions.push(this.#function(schema, key, value));
      for (const [name, value] of entries(body.tables)) tables.push(this.#table(schema, name, value));
    }
    const external: ExternalTable[] = (raw.external ?? []).map((text) => {
      const name = parseQualifiedName(text, 'public');
      return { schema: name.schema, name: name.name };
    });
    const externalTypes: QualifiedName[] = (raw.external_types ?? []).map((text) => {
      const name = parseQualifiedName(text, 'public');
      return { schema: name.schema, name: name.name };
    });
    const model = normalizeModel({ extensions, schemas, enums, sequences: this.#sequences, functions, tables });
    return {
      model,
      ignore: [...(raw.ignore ?? [])],
      external,
      ...(externalTypes.length > 0 ? { externalTypes } : {}),
      // sha256 of the file's bytes: the text is exactly their UTF-8 decoding (checked on load).
      source: { path: this.#doc.fileName, hash: sha256(this.#doc.bom ? `\ufeff${this.#doc.text}` : this.#doc.text) },
    };
  }

  // ---- values ----------------------------------------------------------------------------

  /** A whole number exactly as written (the raw text survives beyond 2^53). */
  #integer(value: RawInteger, path: DocPath): bigint {
    const raw = this.#map.raw(path);
    if (raw !== undefined && /^[+-]?[0-9]+$/.test(raw)) return BigInt(raw);
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value.trim());
  }

  /** A scalar as SQL text: numbers as written, booleans as true/false. */
  #sqlText(value: string | number | boolean, path: DocPath): string {
    if (typeof value === 'number') return this.#map.raw(path) ?? String(value);
    return String(value);
  }

  #type(text: string, schema: string, use: 'column' | 'argument' | 'return', path: DocPath): Extract<TypeResolution, { ok: true }> {
    const resolved = this.#index.resolveType(text, schema, use);
    if (!resolved.ok) throw new UncheckedDocumentError(`${path.join('.')}: ${resolved.message}`);
    return resolved;
  }

  // ---- sequences -------------------------------------------------------------------------

  #sequence(schema: string, name: string, raw: RawSequence, path: DocPath): Sequence {
    const type: SequenceType = raw.type ?? 'bigint';
    const settings = this.#sequenceSettings(type, raw, path);
    let ownedBy: Sequence['ownedBy'];
    if (raw.owned_by !== undefined) {
      const dot = raw.owned_by.lastIndexOf('.');
      ownedBy = { schema, table: raw.owned_by.slice(0, dot), column: raw.owned_by.slice(dot + 1) };
    }
    return {
      schema,
      name,
      type,
      ...settings,
      ...(ownedBy !== undefined ? { ownedBy } : {}),
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
    };
  }

  // ---- functions -------------------------------------------------------------------------

  #function(schema: string, key: string, raw: RawFunction): FunctionDef {
    const path: DocPath = ['schemas', schema, 'functions', key];
    const parsedKey = parseFunctionKey(key);
    const name = 'name' in parsedKey ? parsedKey.name : key;
    const args: FunctionArg[] = (raw.arguments ?? []).map((arg, i) => ({
      ...(arg.name !== undefined ? { name: arg.name } : {}),
      type: withoutTypmods(this.#type(arg.type, schema, 'argument', [...path, 'arguments', i, 'type']).canonical),
      mode: arg.mode ?? 'in',
      ...(arg.default !== undefined ? { default: this.#sqlText(arg.default, [...path, 'arguments', i, 'default']) } : {}),
    }));
    const config: Record<string, string> = {};
    for (const [param, value] of entries(raw.set)) config[param.toLowerCase()] = this.#sqlText(value, [...path, 'set', param]);
    return {
      schema,
      name,
      arguments: args,
      returns: withoutTypmods(this.#type(raw.returns, schema, 'return', [...path, 'returns']).canonical),
      language: raw.language.toLowerCase(),
      body: raw.body ?? '',
      ...(raw.sql_body !== undefined ? { sqlBody: raw.sql_body.trim() } : {}),
      volatility: raw.volatility ?? 'volatile',
      strict: raw.strict ?? false,
      security: raw.security ?? 'invoker',
      leakproof: raw.leakproof ?? false,
      parallel: raw.parallel ?? 'unsafe',
      config,
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
    };
  }

  // ---- tables ----------------------------------------------------------------------------

  #table(schema: string, name: string, raw: RawTable): Table {
    const path: DocPath = ['schemas', schema, 'tables', name];
    const pkColumns = new Set(raw.primary_key !== undefined ? primaryKeyColumns(raw.primary_key) : []);
    const columns = entries(raw.columns).map(([column, value]) =>
      this.#column(schema, name, column, value, pkColumns.has(column), [...path, 'columns', column]),
    );
    const names = constraintNames(name, raw);

    let primaryKey: PrimaryKey | undefined;
    if (raw.primary_key !== undefined) {
      const pk = raw.primary_key;
      const explicit = isColumnList(pk) ? undefined : pk.name;
      primaryKey = {
        name: explicit ?? names.primaryKey ?? defaultPrimaryKeyName(name),
        columns: [...primaryKeyColumns(pk)],
        ...(!isColumnList(pk) && pk.comment !== undefined ? { comment: pk.comment } : {}),
        ...(!isColumnList(pk) && pk.renamed_from !== undefined ? { renamedFrom: pk.renamed_from } : {}),
      };
    }
    const uniques: UniqueConstraint[] = (raw.unique ?? []).map((u, i) => ({
      name: names.uniques[i] ?? u.name ?? defaultUniqueName(name, u.columns),
      columns: [...u.columns],
      nullsNotDistinct: u.nulls_not_distinct ?? false,
      deferrable: u.deferrable ?? false,
      initiallyDeferred: u.initially_deferred ?? false,
      ...(u.comment !== undefined ? { comment: u.comment } : {}),
      ...(u.renamed_from !== undefined ? { renamedFrom: u.renamed_from } : {}),
    }));
    const checks: CheckConstraint[] = (raw.checks ?? []).map((c, i) => ({
      name: names.checks[i] ?? c.name ?? defaultCheckName(name, checkReferencedColumns(c.expression)),
      expression: c.expression,
      noInherit: c.no_inherit ?? false,
      notValid: c.validated === false,
      ...(c.comment !== undefined ? { comment: c.comment } : {}),
      ...(c.renamed_from !== undefined ? { renamedFrom: c.renamed_from } : {}),
    }));
    const foreignKeys: ForeignKey[] = (raw.foreign_keys ?? []).map((f, i) => {
      const target =
        f.references.schema !== undefined
          ? { schema: f.references.schema, name: f.references.table }
          : parseQualifiedName(f.references.table, schema);
      return {
        name: names.foreignKeys[i] ?? f.name ?? defaultForeignKeyName(name, f.columns),
        columns: [...f.columns],
        references: { schema: target.schema, table: target.name, columns: [...f.references.columns] },
        onDelete: f.on_delete ?? 'no action',
        onUpdate: f.on_update ?? 'no action',
        match: f.match ?? 'simple',
        deferrable: f.deferrable ?? false,
        initiallyDeferred: f.initially_deferred ?? false,
        notValid: f.validated === false || f.not_valid === true,
        ...(f.comment !== undefined ? { comment: f.comment } : {}),
        ...(f.renamed_from !== undefined ? { renamedFrom: f.renamed_from } : {}),
      };
    });
    const indexes = entries(raw.indexes).map(([index, value]) => this.#indexDef(index, value, [...path, 'indexes', index]));
    const triggers = entries(raw.triggers).map(([trigger, value]) => this.#trigger(schema, trigger, value));
    const exclusions = entries(raw.exclude).map(([constraint, value]) => exclusionDef(constraint, value));
    return {
      schema,
      name,
      columns,
      ...(primaryKey !== undefined ? { primaryKey } : {}),
      uniques,
      checks,
      foreignKeys,
      indexes,
      triggers,
      ...(exclusions.length > 0 ? { exclusions } : {}),
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    };
  }

  #column(schema: string, table: string, name: string, raw: RawColumn, inPrimaryKey: boolean, path: DocPath): Column {
    const resolved = this.#type(raw.type, schema, 'column', [...path, 'type']);
    const serial = resolved.parsed.serial;
    let defaultSql = raw.default !== undefined ? this.#sqlText(raw.default, [...path, 'default']) : undefined;
    if (serial !== undefined) {
      const sequence = defaultSequenceName(table, name);
      const regclass = schema === 'public' ? displayIdent(sequence) : `${displayIdent(schema)}.${displayIdent(sequence)}`;
      defaultSql = `nextval(${quoteLiteral(regclass)}::regclass)`;
      this.#sequences.push({
        schema,
        name: sequence,
        type: serial,
        ...sequenceSettings(serial, {}),
        ownedBy: { schema, table, column: name },
      });
    }
    const identity = raw.identity !== undefined ? this.#identity(raw.identity, resolved.canonical, [...path, 'identity']) : undefined;
    const nullable = serial === undefined && identity === undefined && !inPrimaryKey && (raw.nullable ?? true);
    return {
      name,
      type: resolved.canonical,
      nullable,
      ...(defaultSql !== undefined ? { default: defaultSql } : {}),
      ...(identity !== undefined ? { identity } : {}),
      ...(raw.generated !== undefined ? { generated: raw.generated } : {}),
      ...(raw.collation !== undefined ? { collation: raw.collation } : {}),
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
      ...(raw.using !== undefined ? { using: raw.using } : {}),
    };
  }

  /** Identity options; only those differing from the sequence defaults for the column's type are kept. */
  /** A sequence's (or an identity's) options as written, completed the way CREATE SEQUENCE completes them. */
  #sequenceSettings(
    type: SequenceType,
    raw: {
      readonly start?: RawInteger;
      readonly increment?: RawInteger;
      readonly min_value?: RawInteger;
      readonly max_value?: RawInteger;
      readonly cache?: RawInteger;
      readonly cycle?: boolean;
    },
    path: DocPath,
  ): ReturnType<typeof sequenceSettings> {
    const get = (key: 'start' | 'increment' | 'min_value' | 'max_value' | 'cache'): bigint | undefined => {
      const v = raw[key];
      return v === undefined ? undefined : this.#integer(v, [...path, key]);
    };
    return sequenceSettings(type, {
      ...optional('start', get('start')),
      ...optional('increment', get('increment')),
      ...optional('minValue', get('min_value')),
      ...optional('maxValue', get('max_value')),
      ...optional('cache', get('cache')),
      ...optional('cycle', raw.cycle),
    });
  }

  #identity(raw: RawIdentity, columnType: string, path: DocPath): Identity {
    if (typeof raw === 'string') return { kind: raw };
    const type: SequenceType = columnType === 'smallint' || columnType === 'integer' ? columnType : 'bigint';
    const given = this.#sequenceSettings(type, raw, path);
    // What is left out is what PostgreSQL would pick for the sequence as given (introspection
    // leaves out the same): the start follows the direction and the bounds, the bounds the direction.
    const descending = given.increment.startsWith('-');
    const direction = sequenceSettings(type, descending ? { increment: -1n } : {});
    const defaultStart = descending ? given.maxValue : given.minValue;
    return {
      kind: raw.kind,
      ...(given.start !== defaultStart ? { start: given.start } : {}),
      ...(given.increment !== '1' ? { increment: given.increment } : {}),
      ...(given.minValue !== direction.minValue ? { minValue: given.minValue } : {}),
      ...(given.maxValue !== direction.maxValue ? { maxValue: given.maxValue } : {}),
      ...(given.cache !== '1' ? { cache: given.cache } : {}),
      ...(given.cycle ? { cycle: true } : {}),
    };
  }

  #indexDef(name: string, raw: RawIndex, path: DocPath): Index {
    const keys: IndexKey[] = raw.columns.map((key: RawIndexKey) => {
      if (typeof key === 'string') return { column: key, order: 'asc', nulls: 'last' };
      const order = key.order ?? 'asc';
      return {
        ...(key.column !== undefined ? { column: key.column } : {}),
        ...(key.expression !== undefined ? { expression: key.expression } : {}),
        ...(key.collation !== undefined ? { collation: key.collation } : {}),
        ...(key.opclass !== undefined ? { opclass: key.opclass } : {}),
        order,
        nulls: key.nulls ?? (order === 'asc' ? 'last' : 'first'),
      };
    });
    const storage: Record<string, string> = {};
    for (const [param, value] of entries(raw.with)) storage[param.toLowerCase()] = this.#sqlText(value, [...path, 'with', param]);
    return {
      name,
      unique: raw.unique ?? false,
      nullsNotDistinct: raw.nulls_not_distinct ?? false,
      using: (raw.using ?? 'btree').toLowerCase(),
      keys,
      include: [...(raw.include ?? [])],
      ...(raw.where !== undefined ? { where: raw.where } : {}),
      with: storage,
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    };
  }

  #trigger(schema: string, name: string, raw: RawTrigger): Trigger {
    const fn = parseQualifiedName(raw.function, schema);
    return {
      name,
      timing: raw.timing,
      events: eventOrder.filter((e) => raw.events.includes(e)),
      updateOf: [...(raw.update_of ?? [])],
      level: raw.for_each ?? 'statement',
      ...(raw.when !== undefined ? { when: raw.when } : {}),
      function: { schema: fn.schema, name: fn.name },
      arguments: (raw.arguments ?? []).map((a) => String(a)),
      enabled: triggerEnabled(raw.enabled),
      ...(raw.constraint === true
        ? { constraint: { deferrable: raw.deferrable ?? false, initiallyDeferred: raw.initially_deferred ?? false } }
        : {}),
      ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
      ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
    };
  }
}

/** The names of a table's constraints: as written, or as PostgreSQL would generate them. */
export interface ConstraintNames {
  readonly primaryKey?: string;
  readonly uniques: readonly string[];
  readonly checks: readonly string[];
  readonly foreignKeys: readonly string[];
}

/**
 * The name of every constraint of a table, in file order: the explicit name, else the one
 * PostgreSQL generates (cut to 63 bytes, numbered past names already taken on the table:
 * explicit names are reserved first). Needs `initParser()` (check names read the expression).
 *
 * @example
 * constraintNames('users', { columns: { id: { type: 'integer' } }, primary_key: ['id'] }).primaryKey  // 'users_pkey'
 */
export function constraintNames(name: string, raw: RawTable): ConstraintNames {
  // The checks and the model both ask, for the same table objects of one loaded document.
  const cached = namesCache.get(raw);
  if (cached !== undefined && cached.name === name) return cached.names;
  const names = chooseConstraintNames(name, raw);
  namesCache.set(raw, { name, names });
  return names;
}

const namesCache = new WeakMap<RawTable, { readonly name: string; readonly names: ConstraintNames }>();

function chooseConstraintNames(name: string, raw: RawTable): ConstraintNames {
  const takenConstraints = new Set<string>();
  const takenRelations = new Set<string>([name]);
  if (raw.primary_key !== undefined && !isColumnList(raw.primary_key) && raw.primary_key.name !== undefined) {
    takenConstraints.add(raw.primary_key.name);
    takenRelations.add(raw.primary_key.name);
  }
  for (const u of raw.unique ?? []) {
    if (u.name === undefined) continue;
    takenConstraints.add(u.name);
    takenRelations.add(u.name);
  }
  for (const c of raw.checks ?? []) if (c.name !== undefined) takenConstraints.add(c.name);
  for (const f of raw.foreign_keys ?? []) if (f.name !== undefined) takenConstraints.add(f.name);
  for (const index of Object.keys(raw.indexes ?? {})) takenRelations.add(index);
  const take = (chosen: string): string => {
    takenConstraints.add(chosen);
    takenRelations.add(chosen);
    return chosen;
  };
  const pk = raw.primary_key;
  const primaryKey =
    pk === undefined ? undefined : ((isColumnList(pk) ? undefined : pk.name) ?? take(defaultPrimaryKeyName(name, takenRelations)));
  return {
    ...(primaryKey !== undefined ? { primaryKey } : {}),
    uniques: (raw.unique ?? []).map((u) => u.name ?? take(defaultUniqueName(name, u.columns, takenRelations))),
    checks: (raw.checks ?? []).map((c) => c.name ?? take(defaultCheckName(name, checkReferencedColumns(c.expression), takenConstraints))),
    foreignKeys: (raw.foreign_keys ?? []).map((f) => f.name ?? take(defaultForeignKeyName(name, f.columns, takenConstraints))),
  };
}

function triggerEnabled(value: RawTrigger['enabled']): TriggerEnabled {
  switch (value) {
    case undefined:
    case true:
      return 'origin';
    case false:
      return 'disabled';
    case 'replica':
      return 'replica';
    case 'always':
      return 'always';
  }
}

/** `{ [key]: value }` when value is defined, else `{}` (for optional properties). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * PostgreSQL drops type modifiers from function argument and result types (`varchar(10)` is
 * stored as `character varying`), so the model keeps them without.
 *
 * @example
 * withoutTypmods('character varying(10)[]')          // 'character varying[]'
 * withoutTypmods('timestamp(3) with time zone')      // 'timestamp with time zone'
 */
export function withoutTypmods(type: string): string {
  if (/^table\s*\(/i.test(type)) return type;
  return type
    .replace(/\([^()]*\)/g, '')
    .replace(/^interval .*?(\[\])?$/, 'interval$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An `exclude:` entry → the model (gist by default; names and operators are checked by check-semantics). */
function exclusionDef(name: string, raw: RawExclusion): ExclusionConstraint {
  return {
    name,
    using: (raw.using ?? 'gist').toLowerCase(),
    elements: raw.elements.map((e) => ({
      ...(e.column !== undefined ? { column: e.column } : {}),
      ...(e.expression !== undefined ? { expression: e.expression } : {}),
      operator: e.with,
    })),
    include: [...(raw.include ?? [])],
    ...(raw.where !== undefined ? { where: raw.where } : {}),
    deferrable: raw.deferrable ?? false,
    initiallyDeferred: raw.initially_deferred ?? false,
    ...(raw.comment !== undefined ? { comment: raw.comment } : {}),
  };
}
