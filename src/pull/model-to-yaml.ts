/**
 * The schema model → the desired-state file (format version 1): the inverse of
 * src/desired/to-model.ts. The file reads back as the same model, leaves out what PostgreSQL
 * does by default (names it generates, `nullable: true`, btree, ascending keys, `no action`,
 * volatile invoker functions, sequence defaults, …), writes serial columns as `serial`, and
 * lists as warnings what the model holds that the format cannot say.
 */
import type { RawDocument, RawEnum, RawSchema, RawTable } from '../desired/document.js';
import { FileIndex } from '../desired/resolve.js';
import type { TypeUse } from '../desired/resolve.js';
import { sequenceSettings } from '../desired/sequence-defaults.js';
import type { SequenceType } from '../desired/sequence-defaults.js';
import { withoutTypmods } from '../desired/to-model.js';
import {
  checkReferencedColumns,
  defaultCheckName,
  defaultForeignKeyName,
  defaultPrimaryKeyName,
  defaultSequenceName,
  defaultUniqueName,
} from '../model/default-names.js';
import { sameExpression } from '../model/expression.js';
import { displayIdent, quoteLiteral } from '../model/ident.js';
import { compareText, functionIdentityArgs } from '../model/normalize.js';
import type {
  ExclusionConstraint,
  Column,
  EnumType,
  ForeignKey,
  FunctionDef,
  Identity,
  Index,
  IndexKey,
  QualifiedName,
  SchemaModel,
  Sequence,
  Table,
  Trigger,
} from '../model/types.js';
import { SqlSyntaxError } from '../sql/parser.js';
import { readableDefault, readableExpression, readableType } from './readable.js';
import type { ReadableCandidate } from '../judge/readable.js';
import type { YamlNode } from './yaml-writer.js';
import { renderDocument, yamlBool, yamlInteger, yamlMap, yamlSeq, yamlString, yamlText } from './yaml-writer.js';
import { columnKey, nameKey } from '../model/object-ref.js';

/** The first line of every written file: editors running the YAML language server check it. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./node_modules/pgreconcile/schema/pgreconcile.schema.json';

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

export interface PulledYaml {
  /** The desired-state file's text. */
  readonly yaml: string;
  /** What the model holds that the file cannot express, one sentence each. */
  readonly warnings: string[];
}

/**
 * Writes the desired-state file for a model. Deterministic: the same model gives the same
 * bytes. Needs `initParser()` to have run (names, types and expressions are checked with
 * PostgreSQL's parser).
 *
 * @example
 * await initParser();
 * const { yaml, warnings } = modelToYaml((await introspect(db)).model);
 * // yaml: '# yaml-language-server: …\nversion: 1\nschemas:\n  public:\n    tables:\n      users:\n…'
 */
export function modelToYaml(model: SchemaModel, opts: ModelToYamlOptions = {}): PulledYaml {
  return new YamlBuilder(model, opts).build();
}

/** Writes a name part of a `schema.name` reference; quoted where parseQualifiedName needs it. */
function namePart(name: string): string {
  return /^[^."\s]/.test(name) && !/[."]/.test(name) && name === name.trim() ? name : `"${name.replaceAll('"', '""')}"`;
}

/** `name` in `schema` itself, else `schema.name`. */
function reference(target: QualifiedName, from: string): string {
  return target.schema === from ? namePart(target.name) : `${namePart(target.schema)}.${namePart(target.name)}`;
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

/** The constraint names a table's file entry can leave out, exactly as the loader recomputes them. */
interface OmittedNames {
  readonly primaryKey: boolean;
  readonly constraints: ReadonlySet<string>;
}

class YamlBuilder {
  readonly #model: SchemaModel;
  readonly #opts: ModelToYamlOptions;
  readonly #warnings: string[] = [];
  readonly #index: FileIndex;
  readonly #enums: ReadonlySet<string>;
  readonly #tables: ReadonlySet<string>;
  readonly #functions: ReadonlySet<string>;
  /** Sequences written as the `serial` of their column, keyed by schema and name. */
  readonly #serialSequences = new Set<string>();
  /** Columns written as `serial`, keyed by schema, table and column. */
  readonly #serialColumns = new Map<string, SequenceType>();
  /** The unmanaged types columns and functions use, by key, with where they are used. */
  readonly #usedExternalTypes = new Map<string, { readonly type: QualifiedName; readonly uses: Set<string> }>();

  constructor(model: SchemaModel, opts: ModelToYamlOptions) {
    this.#model = model;
    this.#opts = opts;
    this.#enums = new Set(model.enums.map((e) => nameKey(e.schema, e.name)));
    this.#tables = new Set(model.tables.map((t) => nameKey(t.schema, t.name)));
    this.#functions = new Set(model.functions.map((f) => nameKey(f.schema, f.name)));
    this.#index = new FileIndex(this.#skeleton());
    this.#findSerials();
  }

  /** What type resolution needs of the file: its extensions, enums and tables. */
  #skeleton(): RawDocument {
    const enums = new Map<string, Record<string, RawEnum>>();
    const tables = new Map<string, Record<string, RawTable>>();
    for (const s of this.#model.schemas) {
      enums.set(s.name, {});
      tables.set(s.name, {});
    }
    for (const e of this.#model.enums) bucket(enums, e.schema)[e.name] = { values: [...e.values] };
    for (const t of this.#model.tables) bucket(tables, t.schema)[t.name] = { columns: {} };
    const schemas: Record<string, RawSchema> = {};
    for (const name of new Set([...enums.keys(), ...tables.keys()]))
      schemas[name] = { enums: enums.get(name) ?? {}, tables: tables.get(name) ?? {} };
    const extensions: Record<string, { schema?: string }> = {};
    for (const e of this.#model.extensions) {
      const schema = this.#extensionSchema(e.schema);
      extensions[e.name] = schema !== undefined ? { schema } : {};
    }
    const externalTypes = (this.#opts.unmanagedTypes ?? []).map((t) => reference(t, ''));
    return { version: 1, extensions, ...(externalTypes.length > 0 ? { external_types: externalTypes } : {}), schemas };
  }

  #warn(message: string): void {
    this.#warnings.push(message);
  }

  build(): PulledYaml {
    const m = this.#model;
    const root: (readonly [string, YamlNode | undefined])[] = [['version', yamlInteger('1')]];
    if (m.extensions.length > 0) {
      root.push([
        'extensions',
        yamlMap(
          m.extensions.map((e) => [e.name, this.#extension(e)] as const),
          'block',
        ),
      ]);
    }
    const ignore = this.#opts.ignore ?? [];
    if (ignore.length > 0) root.push(['ignore', yamlSeq(ignore.map(yamlString), 'block')]);
    const external = this.#external();
    if (external.length > 0) root.push(['external', yamlSeq(external.map(yamlString), 'block')]);
    const externalTypesAt = root.length;
    if (!m.schemas.some((s) => s.name === 'public')) {
      this.#warn('the database has no schema "public"; a desired-state file always includes it, so a plan will create it');
    }
    // Every schema that holds something is written, listed in `schemas` or not.
    const named = new Set<string>([
      ...m.schemas.map((s) => s.name),
      ...[...m.enums, ...m.sequences, ...m.functions, ...m.tables].map((o) => o.schema),
    ]);
    const schemaNames = [...named].sort((a, b) => (a === 'public' ? -1 : b === 'public' ? 1 : compareText(a, b)));
    const schemas: (readonly [string, YamlNode])[] = [];
    for (const name of schemaNames) {
      const body = this.#schema(name);
      if (name === 'public' && body.kind === 'map' && body.entries.length === 0) continue;
      schemas.push([name, body]);
    }
    if (schemas.length > 0) root.push(['schemas', yamlMap(schemas, 'block')]);
    // Known once the columns and functions are written: the unmanaged types they use.
    const externalTypes = this.#externalTypes();
    if (externalTypes.length > 0) root.splice(externalTypesAt, 0, ['external_types', yamlSeq(externalTypes.map(yamlString), 'block')]);
    const yaml = renderDocument(yamlMap(root, 'block'), [SCHEMA_COMMENT]);
    return { yaml, warnings: [...new Set(this.#warnings)] };
  }

  // ---- extensions, external ----------------------------------------------------------------

  /** The extension's schema when it must be written (not the default `public`). */
  #extensionSchema(schema: string | undefined): string | undefined {
    return schema === undefined || schema === 'public' ? undefined : schema;
  }

  #extension(e: SchemaModel['extensions'][number]): YamlNode {
    const defaultVersion = this.#opts.extensionDefaultVersions?.get(e.name);
    const version = e.version !== undefined && e.version !== defaultVersion ? e.version : undefined;
    const schema = this.#extensionSchema(e.schema);
    return yamlMap([
      ['schema', schema !== undefined ? yamlString(schema) : undefined],
      ['version', version !== undefined ? yamlString(version) : undefined],
    ]);
  }

  /** Tables foreign keys reference that the model does not hold (ignored or unmanaged). */
  #external(): string[] {
    const found = new Map<string, QualifiedName>();
    for (const t of this.#model.tables) {
      for (const fk of t.foreignKeys) {
        const key = nameKey(fk.references.schema, fk.references.table);
        if (!this.#tables.has(key)) found.set(key, { schema: fk.references.schema, name: fk.references.table });
      }
    }
    return [...found.values()]
      .sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name))
      .map((t) => reference(t, 'public'));
  }

  /** The unmanaged types the written columns and functions use, as `schema.name`, each with its warning. */
  #externalTypes(): string[] {
    const used = [...this.#usedExternalTypes.values()].sort(
      (a, b) => compareText(a.type.schema, b.type.schema) || compareText(a.type.name, b.type.name),
    );
    for (const { type, uses } of used) {
      const kind = this.#opts.unmanagedTypes?.find((t) => t.schema === type.schema && t.name === type.name)?.kind ?? 'type';
      const list = [...uses];
      const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? `, and ${list.length - 3} more` : '');
      this.#warn(
        `${kind} ${type.schema}.${type.name} (used by ${shown}) is listed under external_types: the type itself is not managed ` +
          '(not written, never created, altered or dropped); a plan checks that it exists, so create it first where the file is built',
      );
    }
    return used.map(({ type }) => reference(type, ''));
  }

  // ---- schemas -----------------------------------------------------------------------------

  #schema(name: string): YamlNode {
    const m = this.#model;
    const def = m.schemas.find((s) => s.name === name);
    const enums = m.enums.filter((e) => e.schema === name);
    const sequences = m.sequences.filter((s) => s.schema === name && !this.#serialSequences.has(nameKey(s.schema, s.name)));
    const functions = m.functions.filter((f) => f.schema === name);
    const tables = m.tables.filter((t) => t.schema === name);
    return yamlMap(
      [
        ['comment', def?.comment !== undefined ? this.#comment(def.comment) : undefined],
        [
          'enums',
          enums.length > 0
            ? yamlMap(
                enums.map((e) => [e.name, this.#enum(e)] as const),
                'block',
              )
            : undefined,
        ],
        [
          'sequences',
          sequences.length > 0
            ? yamlMap(
                sequences.map((s) => [s.name, this.#sequence(s)] as const),
                'block',
              )
            : undefined,
        ],
        ['functions', functions.length > 0 ? this.#functionsOf(functions) : undefined],
        [
          'tables',
          tables.length > 0
            ? yamlMap(
                tables.map((t) => [t.name, this.#table(t)] as const),
                'block',
              )
            : undefined,
        ],
      ],
      'block',
    );
  }

  #comment(text: string): YamlNode {
    return text.includes('\n') ? yamlText(text) : yamlString(text);
  }

  #enum(e: EnumType): YamlNode {
    return yamlMap([
      ['values', yamlSeq(e.values.map(yamlString))],
      ['comment', e.comment !== undefined ? this.#comment(e.comment) : undefined],
    ]);
  }

  // ---- sequences ---------------------------------------------------------------------------

  #sequence(s: Sequence): YamlNode {
    const type = s.type as SequenceType;
    if (!['smallint', 'integer', 'bigint'].includes(s.type)) {
      this.#warn(`sequence ${s.schema}.${s.name}: unexpected data type ${s.type}`);
    }
    const increment = BigInt(s.increment);
    const ranged = sequenceSettings(type, { increment });
    const minValue = BigInt(s.minValue);
    const maxValue = BigInt(s.maxValue);
    const defaultStart = increment > 0n ? minValue : maxValue;
    let ownedBy: string | undefined;
    if (s.ownedBy !== undefined) {
      if (s.ownedBy.schema !== s.schema || s.ownedBy.column.includes('.')) {
        this.#warn(
          `sequence ${s.schema}.${s.name} is owned by ${s.ownedBy.schema}.${s.ownedBy.table}.${s.ownedBy.column}: ` +
            'owned_by can only name a column of a table in the same schema (and without a dot in its name); it is left out',
        );
      } else ownedBy = `${s.ownedBy.table}.${s.ownedBy.column}`;
    }
    return yamlMap([
      ['type', s.type !== 'bigint' ? yamlString(s.type) : undefined],
      ['start', BigInt(s.start) !== defaultStart ? yamlInteger(s.start) : undefined],
      ['increment', s.increment !== '1' ? yamlInteger(s.increment) : undefined],
      ['min_value', s.minValue !== ranged.minValue ? yamlInteger(s.minValue) : undefined],
      ['max_value', s.maxValue !== ranged.maxValue ? yamlInteger(s.maxValue) : undefined],
      ['cache', s.cache !== '1' ? yamlInteger(s.cache) : undefined],
      ['cycle', s.cycle ? yamlBool(true) : undefined],
      ['owned_by', ownedBy !== undefined ? yamlString(ownedBy) : undefined],
      ['comment', s.comment !== undefined ? this.#comment(s.comment) : undefined],
    ]);
  }

  /**
   * Columns written back as `serial`/`bigserial`/`smallserial`: NOT NULL, the default
   * `nextval('<table>_<column>_seq'::regclass)`, and that sequence owned by the column, of the
   * column's type, with every option at its default and no comment.
   */
  #findSerials(): void {
    const sequences = new Map(this.#model.sequences.map((s) => [nameKey(s.schema, s.name), s]));
    for (const table of this.#model.tables) {
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
        this.#serialSequences.add(nameKey(sequence.schema, sequence.name));
        this.#serialColumns.set(columnKey(table, column.name), column.type);
      }
    }
  }

  // ---- functions ---------------------------------------------------------------------------

  #functionsOf(functions: readonly FunctionDef[]): YamlNode {
    const counts = new Map<string, number>();
    for (const f of functions) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
    const entries: (readonly [string, YamlNode])[] = [];
    const keys = functions.map((f) => {
      if ((counts.get(f.name) ?? 0) < 2) return f.name;
      const types = f.arguments
        .filter((a) => a.mode !== 'out')
        .map((a) => this.#type(a.type, f.schema, 'argument', `function ${f.schema}.${f.name}`));
      return `${f.name}(${types.join(', ')})`;
    });
    // Keys sort as written (overloads by their argument types), so the file order is fixed.
    const order = functions.map((f, i) => ({ f, key: keys[i] ?? f.name })).sort((a, b) => compareText(a.key, b.key));
    for (const { f, key } of order) {
      const node = this.#function(f);
      if (node !== undefined) entries.push([key, node]);
    }
    return yamlMap(entries, 'block');
  }

  #function(f: FunctionDef): YamlNode | undefined {
    const where = `function ${f.schema}.${f.name}(${functionIdentityArgs(f)})`;
    if (f.name.includes('(')) {
      this.#warn(`${where}: a function name holding "(" cannot be a key of the file; it is left out`);
      return undefined;
    }
    if (f.body === '' && f.sqlBody === undefined) {
      this.#warn(`${where}: its body is empty and not SQL-standard, which the format cannot express; it is left out`);
      return undefined;
    }
    const args = f.arguments.map((a) =>
      yamlMap([
        ['name', a.name !== undefined ? yamlString(a.name) : undefined],
        ['type', yamlString(this.#type(a.type, f.schema, 'argument', where))],
        ['mode', a.mode !== 'in' ? yamlString(a.mode) : undefined],
        ['default', a.default !== undefined ? yamlString(a.default) : undefined],
      ]),
    );
    const config = Object.keys(f.config).sort(compareText);
    return yamlMap(
      [
        ['returns', yamlString(this.#type(f.returns, f.schema, 'return', where))],
        ['language', yamlString(f.language)],
        ['arguments', args.length > 0 ? yamlSeq(args) : undefined],
        ['volatility', f.volatility !== 'volatile' ? yamlString(f.volatility) : undefined],
        ['strict', f.strict ? yamlBool(true) : undefined],
        ['security', f.security !== 'invoker' ? yamlString(f.security) : undefined],
        ['leakproof', f.leakproof ? yamlBool(true) : undefined],
        ['parallel', f.parallel !== 'unsafe' ? yamlString(f.parallel) : undefined],
        ['set', config.length > 0 ? yamlMap(config.map((k) => [k, yamlString(f.config[k] ?? '')] as const)) : undefined],
        // A body of one line reads best inline; longer ones as a literal block, exactly as stored.
        f.sqlBody !== undefined
          ? ['sql_body', f.sqlBody.includes('\n') ? yamlText(f.sqlBody) : yamlString(f.sqlBody)]
          : ['body', f.body.includes('\n') ? yamlText(f.body) : yamlString(f.body)],
        ['comment', f.comment !== undefined ? this.#comment(f.comment) : undefined],
      ],
      'block',
    );
  }

  // ---- types -------------------------------------------------------------------------------

  /**
   * The type as the file writes it: the short spelling when it resolves (from `schema`, as the
   * loader resolves it) to the model's type, else the canonical text, else `public.`-qualified
   * (an enum of the same name in `schema` would hide the public one).
   */
  #type(canonical: string, schema: string, use: TypeUse, where: string): string {
    const readable = readableType(canonical);
    const setof = canonical.startsWith('setof ') ? 'setof ' : '';
    const candidates = [readable, canonical, `${setof}public.${canonical.slice(setof.length)}`];
    for (const candidate of candidates) {
      const resolved = this.#index.resolveType(candidate, schema, use);
      if (!resolved.ok) continue;
      const got = use === 'column' ? resolved.canonical : withoutTypmods(resolved.canonical);
      if (got !== canonical) continue;
      if (resolved.externalType !== undefined) {
        const key = nameKey(resolved.externalType.schema, resolved.externalType.name);
        const entry = this.#usedExternalTypes.get(key) ?? { type: resolved.externalType, uses: new Set<string>() };
        entry.uses.add(where);
        this.#usedExternalTypes.set(key, entry);
      }
      return candidate;
    }
    const resolved = this.#index.resolveType(canonical, schema, use);
    const why = resolved.ok ? `it reads back as ${resolved.canonical}` : resolved.message;
    this.#warn(
      `${where}: type ${canonical} cannot be declared in the file: ${why}; ` +
        'it is written as is, and the file will not validate until the type resolves',
    );
    return readable;
  }

  // ---- tables ------------------------------------------------------------------------------

  #table(t: Table): YamlNode {
    const written = this.#writtenExpressions(t);
    const omitted = omittableNames(t, written.checks);
    const pkColumns = new Set(t.primaryKey?.columns ?? []);
    const columns = yamlMap(
      t.columns.map((c) => [c.name, this.#column(t, c, pkColumns.has(c.name))] as const),
      'block',
    );
    let primaryKey: YamlNode | undefined;
    if (t.primaryKey !== undefined) {
      const pk = t.primaryKey;
      const list = yamlSeq(pk.columns.map(yamlString), 'flow');
      primaryKey =
        omitted.primaryKey && pk.comment === undefined
          ? list
          : yamlMap([
              ['name', omitted.primaryKey ? undefined : yamlString(pk.name)],
              ['columns', list],
              ['comment', pk.comment !== undefined ? this.#comment(pk.comment) : undefined],
            ]);
    }
    const uniques = t.uniques.map((u) =>
      yamlMap(
        [
          ['name', omitted.constraints.has(u.name) ? undefined : yamlString(u.name)],
          ['columns', yamlSeq(u.columns.map(yamlString), 'flow')],
          ['nulls_not_distinct', u.nullsNotDistinct ? yamlBool(true) : undefined],
          ['deferrable', u.deferrable ? yamlBool(true) : undefined],
          ['initially_deferred', u.initiallyDeferred ? yamlBool(true) : undefined],
          ['comment', u.comment !== undefined ? this.#comment(u.comment) : undefined],
        ],
        'block',
      ),
    );
    const checks = t.checks.map((c) =>
      yamlMap(
        [
          ['name', omitted.constraints.has(c.name) ? undefined : yamlString(c.name)],
          ['expression', yamlString(written.checks.get(c.name) ?? c.expression)],
          ['no_inherit', c.noInherit ? yamlBool(true) : undefined],
          ['validated', c.notValid ? yamlBool(false) : undefined],
          ['comment', c.comment !== undefined ? this.#comment(c.comment) : undefined],
        ],
        'block',
      ),
    );
    const foreignKeys = t.foreignKeys.map((f) => this.#foreignKey(t, f, omitted.constraints.has(f.name)));
    const indexes = t.indexes.map((i) => [i.name, this.#indexDef(t, i)] as const);
    const triggers = t.triggers.map((tr) => [tr.name, this.#trigger(t, tr)] as const);
    const exclusions = (t.exclusions ?? []).map((x) => [x.name, exclusionNode(x, (text) => this.#comment(text))] as const);
    return yamlMap(
      [
        ['comment', t.comment !== undefined ? this.#comment(t.comment) : undefined],
        ['columns', columns],
        ['primary_key', primaryKey],
        ['unique', uniques.length > 0 ? yamlSeq(uniques, 'block') : undefined],
        ['checks', checks.length > 0 ? yamlSeq(checks, 'block') : undefined],
        ['foreign_keys', foreignKeys.length > 0 ? yamlSeq(foreignKeys, 'block') : undefined],
        ['indexes', indexes.length > 0 ? yamlMap(indexes, 'block') : undefined],
        ['triggers', triggers.length > 0 ? yamlMap(triggers, 'block') : undefined],
        ['exclude', exclusions.length > 0 ? yamlMap(exclusions, 'block') : undefined],
      ],
      'block',
    );
  }

  /** Check expressions as the file writes them (their referenced columns name the default). */
  #writtenExpressions(t: Table): { readonly checks: ReadonlyMap<string, string> } {
    return {
      checks: new Map(
        t.checks.map((c) => [
          c.name,
          this.#choose(t, 'check', c.name, 0, c.expression, readableExpression(c.expression, this.#enumTest(t.schema))),
        ]),
      ),
    };
  }

  /** The text written for one expression: the readable spelling, unless `choose` keeps the catalog's. */
  #choose(table: Table, kind: ReadableCandidate['kind'], name: string, key: number, catalog: string, readable: string): string {
    if (readable === catalog || this.#opts.choose === undefined) return readable;
    return this.#opts.choose({ table, kind, name, key, catalog, readable });
  }

  /** Whether a type name as the catalog prints it (seen from `schema`) is an enum of the model. */
  #enumTest(schema: string): (type: string) => boolean {
    return (type) => this.#isEnumType(type, schema);
  }

  #isEnumType(type: string, schema: string): boolean {
    const base = type.endsWith('[]') ? type.slice(0, -2) : type;
    const dot = base.lastIndexOf('.');
    if (dot < 0) return this.#enums.has(nameKey('public', base)) || this.#enums.has(nameKey(schema, base));
    return this.#enums.has(nameKey(base.slice(0, dot), base.slice(dot + 1)));
  }

  #column(t: Table, c: Column, inPrimaryKey: boolean): YamlNode {
    const where = `column ${t.schema}.${t.name}.${c.name}`;
    const serial = this.#serialColumns.get(columnKey(t, c.name));
    const forcedNotNull = inPrimaryKey || serial !== undefined || c.identity !== undefined;
    if (forcedNotNull && c.nullable) {
      // Cannot happen in PostgreSQL (primary-key and identity columns are NOT NULL); kept honest.
      this.#warn(`${where}: nullable, but the file makes primary-key, serial and identity columns NOT NULL`);
    }
    let type: string;
    if (serial !== undefined) type = serial === 'integer' ? 'serial' : serial === 'bigint' ? 'bigserial' : 'smallserial';
    else type = this.#type(c.type, t.schema, 'column', where);
    const defaultSql =
      serial === undefined && c.default !== undefined
        ? this.#choose(t, 'default', c.name, 0, c.default, readableDefault(c.default, c.type, this.#isEnumType(c.type, t.schema)))
        : undefined;
    return yamlMap([
      ['type', yamlString(type)],
      ['nullable', !forcedNotNull && !c.nullable ? yamlBool(false) : undefined],
      ['default', defaultSql !== undefined ? yamlString(defaultSql) : undefined],
      ['identity', c.identity !== undefined ? this.#identity(c.identity) : undefined],
      [
        'generated',
        c.generated !== undefined
          ? yamlString(this.#choose(t, 'generated', c.name, 0, c.generated, readableExpression(c.generated, this.#enumTest(t.schema))))
          : undefined,
      ],
      ['collation', c.collation !== undefined ? yamlString(c.collation) : undefined],
      ['comment', c.comment !== undefined ? this.#comment(c.comment) : undefined],
    ]);
  }

  #identity(identity: Identity): YamlNode {
    const options: (readonly [string, YamlNode | undefined])[] = [
      ['start', identity.start !== undefined ? yamlInteger(identity.start) : undefined],
      ['increment', identity.increment !== undefined ? yamlInteger(identity.increment) : undefined],
      ['min_value', identity.minValue !== undefined ? yamlInteger(identity.minValue) : undefined],
      ['max_value', identity.maxValue !== undefined ? yamlInteger(identity.maxValue) : undefined],
      ['cache', identity.cache !== undefined ? yamlInteger(identity.cache) : undefined],
      ['cycle', identity.cycle === true ? yamlBool(true) : undefined],
    ];
    if (options.every(([, v]) => v === undefined)) return yamlString(identity.kind);
    return yamlMap([['kind', yamlString(identity.kind)], ...options]);
  }

  #foreignKey(t: Table, f: ForeignKey, nameOmitted: boolean): YamlNode {
    const target = f.references;
    const sameSchema = target.schema === t.schema && namePart(target.table) === target.table;
    const references = yamlMap([
      ['schema', sameSchema ? undefined : yamlString(target.schema)],
      ['table', yamlString(target.table)],
      ['columns', yamlSeq(target.columns.map(yamlString), 'flow')],
    ]);
    return yamlMap(
      [
        ['name', nameOmitted ? undefined : yamlString(f.name)],
        ['columns', yamlSeq(f.columns.map(yamlString), 'flow')],
        ['references', references],
        ['on_delete', f.onDelete !== 'no action' ? yamlString(f.onDelete) : undefined],
        ['on_update', f.onUpdate !== 'no action' ? yamlString(f.onUpdate) : undefined],
        ['match', f.match !== 'simple' ? yamlString(f.match) : undefined],
        ['deferrable', f.deferrable ? yamlBool(true) : undefined],
        ['initially_deferred', f.initiallyDeferred ? yamlBool(true) : undefined],
        ['validated', f.notValid ? yamlBool(false) : undefined],
        ['comment', f.comment !== undefined ? this.#comment(f.comment) : undefined],
      ],
      'block',
    );
  }

  #indexKey(
    where: string,
    key: IndexKey,
    isEnum: (type: string) => boolean,
    choose: (catalog: string, readable: string) => string,
  ): YamlNode {
    if (key.opclassParams !== undefined && Object.keys(key.opclassParams).length > 0) {
      this.#warn(
        `${where}: operator class parameters (${Object.entries(key.opclassParams)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}) cannot be expressed; they are left out`,
      );
    }
    const defaultNulls = key.order === 'asc' ? 'last' : 'first';
    const options: (readonly [string, YamlNode | undefined])[] = [
      ['order', key.order !== 'asc' ? yamlString(key.order) : undefined],
      ['nulls', key.nulls !== defaultNulls ? yamlString(key.nulls) : undefined],
      ['opclass', key.opclass !== undefined ? yamlString(key.opclass) : undefined],
      ['collation', key.collation !== undefined ? yamlString(key.collation) : undefined],
    ];
    if (key.column !== undefined) {
      if (options.every(([, v]) => v === undefined)) return yamlString(key.column);
      return yamlMap([['column', yamlString(key.column)], ...options]);
    }
    return yamlMap([
      ['expression', yamlString(choose(key.expression ?? '', readableExpression(key.expression ?? '', isEnum)))],
      ...options,
    ]);
  }

  #indexDef(t: Table, i: Index): YamlNode {
    const where = `index ${t.schema}.${i.name}`;
    if (i.invalid === true) {
      this.#warn(`${where} is INVALID (a failed concurrent build); it is written as declared, so a plan will rebuild it`);
    }
    if (i.tablespace !== undefined) this.#warn(`${where}: its tablespace ${i.tablespace} cannot be expressed; it is left out`);
    const storage = Object.keys(i.with).sort(compareText);
    return yamlMap([
      ['unique', i.unique ? yamlBool(true) : undefined],
      ['using', i.using !== 'btree' ? yamlString(i.using) : undefined],
      [
        'columns',
        yamlSeq(
          i.keys.map((k, n) =>
            this.#indexKey(where, k, this.#enumTest(t.schema), (catalog, readable) =>
              this.#choose(t, 'key', i.name, n + 1, catalog, readable),
            ),
          ),
        ),
      ],
      ['include', i.include.length > 0 ? yamlSeq(i.include.map(yamlString)) : undefined],
      [
        'where',
        i.where !== undefined
          ? yamlString(this.#choose(t, 'where', i.name, 0, i.where, readableExpression(i.where, this.#enumTest(t.schema))))
          : undefined,
      ],
      ['with', storage.length > 0 ? yamlMap(storage.map((k) => [k, storageValue(i.with[k] ?? '')] as const)) : undefined],
      ['nulls_not_distinct', i.nullsNotDistinct ? yamlBool(true) : undefined],
      ['comment', i.comment !== undefined ? this.#comment(i.comment) : undefined],
    ]);
  }

  #trigger(t: Table, tr: Trigger): YamlNode {
    const where = `trigger ${tr.name} on ${t.schema}.${t.name}`;
    const fnKey = nameKey(tr.function.schema, tr.function.name);
    if (!this.#functions.has(fnKey) && this.#model.schemas.some((s) => s.name === tr.function.schema)) {
      this.#warn(
        `${where} calls ${tr.function.schema}.${tr.function.name}, which is not in the file (an extension's or an ignored function): the file will not validate until it is declared`,
      );
    }
    const enabled = tr.enabled === 'origin' ? undefined : tr.enabled === 'disabled' ? yamlBool(false) : yamlString(tr.enabled);
    return yamlMap([
      ['timing', yamlString(tr.timing)],
      ['events', yamlSeq(tr.events.map(yamlString))],
      ['update_of', tr.updateOf.length > 0 ? yamlSeq(tr.updateOf.map(yamlString)) : undefined],
      ['for_each', tr.level !== 'statement' ? yamlString(tr.level) : undefined],
      [
        'when',
        tr.when !== undefined
          ? yamlString(this.#choose(t, 'when', tr.name, 0, tr.when, readableExpression(tr.when, this.#enumTest(t.schema))))
          : undefined,
      ],
      ['function', yamlString(reference(tr.function, t.schema))],
      ['arguments', tr.arguments.length > 0 ? yamlSeq(tr.arguments.map(yamlString)) : undefined],
      ['enabled', enabled],
      ['constraint', tr.constraint !== undefined ? yamlBool(true) : undefined],
      ['deferrable', tr.constraint?.deferrable === true ? yamlBool(true) : undefined],
      ['initially_deferred', tr.constraint?.initiallyDeferred === true ? yamlBool(true) : undefined],
      ['comment', tr.comment !== undefined ? this.#comment(tr.comment) : undefined],
    ]);
  }
}

/** A storage parameter: bare when it is a plain number that reads back as the same text. */
function storageValue(text: string): YamlNode {
  if (/^\d+$/.test(text)) return yamlInteger(text);
  return yamlString(text);
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
 * Which constraint names the file may leave out: those the loader (src/desired/to-model.ts)
 * recomputes exactly. It reserves the names written out, then names the others in file order
 * (primary key, unique, checks, foreign keys), skipping names already taken as PostgreSQL does.
 * A name that would come out differently is written; that changes what is taken, so the
 * simulation runs again until nothing changes.
 */
function omittableNames(t: Table, checkTexts: ReadonlyMap<string, string>): OmittedNames {
  const written = new Set<string>();
  const checkColumns = new Map<string, string[]>();
  for (const c of t.checks) {
    try {
      checkColumns.set(c.name, checkReferencedColumns(checkTexts.get(c.name) ?? c.expression));
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      written.add(c.name);
    }
  }
  for (;;) {
    let changed = false;
    const constraints = new Set<string>();
    const relations = new Set<string>([t.name]);
    const pk = t.primaryKey;
    if (pk !== undefined && written.has(pk.name)) {
      constraints.add(pk.name);
      relations.add(pk.name);
    }
    for (const u of t.uniques) {
      if (!written.has(u.name)) continue;
      constraints.add(u.name);
      relations.add(u.name);
    }
    for (const c of t.checks) if (written.has(c.name)) constraints.add(c.name);
    for (const f of t.foreignKeys) if (written.has(f.name)) constraints.add(f.name);
    for (const i of t.indexes) relations.add(i.name);
    const settle = (actual: string, computed: string): void => {
      constraints.add(computed);
      relations.add(computed);
      if (computed !== actual) {
        written.add(actual);
        changed = true;
      }
    };
    if (pk !== undefined && !written.has(pk.name)) settle(pk.name, defaultPrimaryKeyName(t.name, relations));
    for (const u of t.uniques) if (!written.has(u.name)) settle(u.name, defaultUniqueName(t.name, u.columns, relations));
    for (const c of t.checks)
      if (!written.has(c.name)) settle(c.name, defaultCheckName(t.name, checkColumns.get(c.name) ?? [], constraints));
    for (const f of t.foreignKeys) if (!written.has(f.name)) settle(f.name, defaultForeignKeyName(t.name, f.columns, constraints));
    if (!changed) break;
  }
  const names = new Set<string>();
  for (const u of t.uniques) if (!written.has(u.name)) names.add(u.name);
  for (const c of t.checks) if (!written.has(c.name)) names.add(c.name);
  for (const f of t.foreignKeys) if (!written.has(f.name)) names.add(f.name);
  return { primaryKey: t.primaryKey !== undefined && !written.has(t.primaryKey.name), constraints: names };
}

/**
 * An exclusion constraint as the file writes it: expressions and the predicate in the server's
 * own text (exact by construction), the method only where it is not gist.
 */
function exclusionNode(x: ExclusionConstraint, comment: (text: string) => YamlNode): YamlNode {
  return yamlMap([
    ['using', x.using !== 'gist' ? yamlString(x.using) : undefined],
    [
      'elements',
      yamlSeq(
        x.elements.map((e) =>
          yamlMap(
            [
              ['column', e.column !== undefined ? yamlString(e.column) : undefined],
              ['expression', e.expression !== undefined ? yamlString(e.expression) : undefined],
              ['with', yamlString(e.operator)],
            ],
            'flow',
          ),
        ),
      ),
    ],
    ['include', x.include.length > 0 ? yamlSeq(x.include.map(yamlString)) : undefined],
    ['where', x.where !== undefined ? yamlString(x.where) : undefined],
    ['deferrable', x.deferrable ? yamlBool(true) : undefined],
    ['initially_deferred', x.initiallyDeferred ? yamlBool(true) : undefined],
    ['comment', x.comment !== undefined ? comment(x.comment) : undefined],
  ]);
}
