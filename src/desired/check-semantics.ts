/**
 * Checks beyond the JSON Schema: types resolve, SQL fragments parse, references point at
 * declared objects, names do not collide, and option combinations PostgreSQL refuses are
 * reported before anything reaches a database. Needs `initParser()` to have run.
 */
import { parseQualifiedName, QualifiedNameError } from '../model/ident.js';
import { defaultSequenceName, MAX_IDENTIFIER_BYTES } from '../model/default-names.js';
import {
  checkAccessMethod,
  checkCollation,
  checkConfigParameter,
  checkEnumLabel,
  checkExtensionName,
  checkExtensionVersion,
  checkIdentifier,
  checkLanguage,
  checkOpclass,
  checkQualified,
  checkStorageParameter,
  checkText,
} from '../model/sql-names.js';
import type { Diagnostic, DocPath } from './diagnostic.js';
import { didYouMean, formatPath } from './diagnostic.js';
import { isExclusionOperator } from '../plan/sql-text.js';
import type {
  RawColumn,
  RawDocument,
  RawForeignKey,
  RawFunction,
  RawExclusion,
  RawIndex,
  RawIndexKey,
  RawSchema,
  RawSequence,
  RawTrigger,
} from './document.js';
import { entries, isColumnList, primaryKeyColumns } from './document.js';
import type { LoadedYaml } from './load-yaml.js';
import type { DeclaredTable } from './resolve.js';
import { extensionTypes, FileIndex, indexMethods, parseFunctionKey } from './resolve.js';
import type { ParsedFragment } from './sql-fragment.js';
import { columnReferences, firstSubquery, parseExpression, parsePlpgsqlBody, parseSqlBody, parseStatements } from './sql-fragment.js';
import { sequenceBounds } from './sequence-defaults.js';
import { constraintNames } from './to-model.js';

/**
 * All semantic problems of a document that passed the JSON Schema, unsorted.
 *
 * @example
 * checkSemantics(loaded)  // [{ line: 14, column: 15, path: '…email.type', message: 'unknown type "varchr" (did you mean "varchar"?)' }]
 */
export function checkSemantics(doc: LoadedYaml): Diagnostic[] {
  const checker = new SemanticChecker(doc);
  checker.run();
  return checker.diagnostics;
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A name registered in a namespace, to report later duplicates against. */
interface Registered {
  readonly what: string;
  readonly path: DocPath;
}

type Where = 'key' | 'value';

class SemanticChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #doc: LoadedYaml;
  readonly #raw: RawDocument;
  readonly #index: FileIndex;
  /** Paths of strings reported for a NUL or a lone surrogate (see #checkAllText). */
  readonly #badText = new Set<string>();

  constructor(doc: LoadedYaml) {
    this.#doc = doc;
    this.#raw = doc.value as RawDocument;
    this.#index = new FileIndex(this.#raw);
  }

  // ---- reporting -------------------------------------------------------------------------

  #report(path: DocPath, message: string, on: Where = 'value'): void {
    // A string already reported for a NUL or a lone surrogate is not reported again by name checks.
    if (this.#badText.has(formatPath(path))) return;
    const pos = this.#doc.map.position(path, on);
    this.diagnostics.push({ file: this.#doc.fileName, line: pos.line, column: pos.column, path: formatPath(path), message });
  }

  /** A problem at `offset` inside the SQL fragment `text` found at `path`. */
  #reportIn(path: DocPath, text: string, offset: number, message: string): void {
    const pos = this.#doc.map.fragmentPosition(path, text, offset);
    this.diagnostics.push({ file: this.#doc.fileName, line: pos.line, column: pos.column, path: formatPath(path), message });
  }

  #line(path: DocPath, on: Where = 'key'): number {
    return this.#doc.map.position(path, on).line;
  }

  /** A declared object's name (a mapping key, or a `name:` value): see `checkIdentifier`. */
  #checkName(path: DocPath, name: string, what: string, on: Where = 'key'): void {
    const problem = checkIdentifier(name, what);
    if (problem !== undefined) this.#report(path, problem, on);
  }

  /** A name the file refers to (renamed_from, an argument name, a schema): the same rules, reported on the value. */
  #checkRef(path: DocPath, name: string | undefined, what: string): void {
    if (name !== undefined) this.#checkName(path, name, what, 'value');
  }

  /** A grammar check of ./sql-names.ts, reported on the value (or the key) at `path`. */
  #grammar(path: DocPath, problem: string | undefined, on: Where = 'value'): void {
    if (problem !== undefined) this.#report(path, problem, on);
  }

  /**
   * Every string of the document, keys included, is text PostgreSQL can hold: no NUL, no lone
   * surrogate. Reported once per string, where it is.
   */
  #checkAllText(value: unknown, path: (string | number)[]): void {
    if (typeof value === 'string') {
      const problem = checkText(value);
      if (problem !== undefined) {
        this.#report([...path], `the text ${problem}`);
        this.#badText.add(formatPath(path));
      }
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        this.#checkAllText(value[i], path);
        path.pop();
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key in value as Record<string, unknown>) {
      path.push(key);
      const problem = checkText(key);
      if (problem !== undefined) {
        this.#report([...path], `the name ${problem}`, 'key');
        this.#badText.add(formatPath(path));
      }
      this.#checkAllText((value as Record<string, unknown>)[key], path);
      path.pop();
    }
  }

  /** Registers `name` in `space`; reports a duplicate at `path` when it is already there. */
  #register(space: Map<string, Registered>, name: string, entry: Registered, on: Where, note = ''): boolean {
    const first = space.get(name);
    if (first !== undefined) {
      this.#report(
        entry.path,
        `duplicate name "${name}": also the name of ${first.what} (line ${this.#line(first.path, 'key')})${note}`,
        on,
      );
      return false;
    }
    space.set(name, entry);
    return true;
  }

  /**
   * Parses a SQL expression fragment, reporting a syntax error at its place;
   * returns the parse or undefined.
   */
  #expression(path: DocPath, text: string, what: string): ParsedFragment | undefined {
    const result = parseExpression(text);
    if (!result.ok) {
      this.#reportIn(path, text, result.problem.offset, `invalid ${what}: ${result.problem.message}`);
      return undefined;
    }
    return result.parsed;
  }

  #noSubquery(path: DocPath, text: string, parsed: ParsedFragment, what: string): void {
    const at = firstSubquery(parsed.root);
    if (at !== undefined) this.#reportIn(path, text, parsed.offsetOf(at), `a subquery is not allowed in ${what}`);
  }

  /** Reports column references that are not columns of `table`. */
  #columnsExist(path: DocPath, text: string, parsed: ParsedFragment, table: DeclaredTable): void {
    const columns = Object.keys(table.raw.columns);
    for (const ref of columnReferences(parsed.root)) {
      const parts = ref.parts;
      const column = parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === table.name ? parts[1] : undefined;
      if (column === undefined || column === '*') continue;
      if (!columns.includes(column)) {
        this.#reportIn(
          path,
          text,
          parsed.offsetOf(ref.location),
          `column "${column}" does not exist in table ${table.name}${didYouMean(column, columns)}`,
        );
      }
    }
  }

  #columnExists(path: DocPath, column: string, table: DeclaredTable): boolean {
    const columns = Object.keys(table.raw.columns);
    if (columns.includes(column)) return true;
    this.#report(path, `column "${column}" does not exist in table ${table.name}${didYouMean(column, columns)}`);
    return false;
  }

  /** Each listed column exists, and none is listed twice. */
  #columnList(path: DocPath, columns: readonly string[], table: DeclaredTable, what: string): void {
    const seen = new Set<string>();
    columns.forEach((column, i) => {
      const itemPath = [...path, i];
      if (!this.#columnExists(itemPath, column, table)) return;
      if (seen.has(column)) this.#report(itemPath, `column "${column}" appears twice in ${what}`);
      seen.add(column);
    });
  }

  // ---- the document ----------------------------------------------------------------------

  run(): void {
    this.#checkAllText(this.#raw, []);
    for (const [name, options] of entries(this.#raw.extensions)) {
      this.#grammar(['extensions', name], checkExtensionName(name), 'key');
      if (options?.schema !== undefined) this.#checkRef(['extensions', name, 'schema'], options.schema, 'schema');
      if (options?.version !== undefined) this.#grammar(['extensions', name, 'version'], checkExtensionVersion(options.version));
    }
    (this.#raw.external ?? []).forEach((text, i) => {
      const parsed = checkQualified(text, 'external table');
      if ('problem' in parsed) this.#report(['external', i], parsed.problem);
    });
    this.#externalTypes();
    for (const [schema, body] of entries(this.#raw.schemas)) {
      this.#checkName(['schemas', schema], schema, 'schema');
      if (schema.startsWith('pg_'))
        this.#report(['schemas', schema], `schema names starting with "pg_" are reserved for PostgreSQL`, 'key');
      if (body !== null) this.#schema(schema, body);
    }
  }

  /** Each external type is a name, listed once, and not a type this file declares itself. */
  #externalTypes(): void {
    const seen = new Set<string>();
    (this.#raw.external_types ?? []).forEach((text, i) => {
      const path = ['external_types', i];
      const parsed = checkQualified(text, 'external type');
      if ('problem' in parsed) {
        this.#report(path, parsed.problem);
        return;
      }
      const name = parseQualifiedName(text, 'public');
      const shown = `${name.schema}.${name.name}`;
      if (seen.has(shown)) this.#report(path, `type "${shown}" is listed twice under external_types`);
      seen.add(shown);
      if (name.schema === 'pg_catalog' || name.schema === 'information_schema') {
        this.#report(path, `type "${shown}" is a system type: built-in types need no listing under external_types`);
      } else if (this.#index.enumOf(name.schema, name.name) !== undefined || this.#index.table(name.schema, name.name) !== undefined) {
        this.#report(
          path,
          `type "${shown}" is declared in this file (an enum or a table's row type): it cannot also be listed under external_types`,
        );
      }
    });
  }

  #schema(schema: string, body: RawSchema): void {
    const base: DocPath = ['schemas', schema];
    /** Relations (tables, sequences, indexes and the indexes of unique/primary-key constraints). */
    const relations = new Map<string, Registered>();
    /** Types (enums and the row types of tables). */
    const types = new Map<string, Registered>();

    for (const [name, raw] of entries(body.enums)) {
      const path = [...base, 'enums', name];
      this.#checkName(path, name, 'enum');
      this.#register(types, name, { what: `enum ${name}`, path }, 'key');
      const labels = new Map<string, number>();
      raw.values.forEach((value, i) => {
        const label = typeof value === 'string' ? value : value.name;
        const at: DocPath = typeof value === 'string' ? [...path, 'values', i] : [...path, 'values', i, 'name'];
        this.#grammar(at, checkEnumLabel(label));
        if (labels.has(label)) this.#report(at, `duplicate enum value "${label}"`);
        labels.set(label, i);
      });
      raw.values.forEach((value, i) => {
        if (typeof value === 'string' || value.renamed_from === undefined) return;
        this.#grammar([...path, 'values', i, 'renamed_from'], checkEnumLabel(value.renamed_from));
        if (labels.has(value.renamed_from)) {
          this.#report([...path, 'values', i, 'renamed_from'], `renamed_from "${value.renamed_from}" is still a value of enum ${name}`);
        }
      });
    }

    for (const [name, raw] of entries(body.sequences)) {
      const path = [...base, 'sequences', name];
      this.#checkName(path, name, 'sequence');
      this.#register(relations, name, { what: `sequence ${name}`, path }, 'key');
      if (raw !== null) this.#sequence(schema, path, raw);
    }

    const signatures = new Map<string, Registered>();
    for (const [key, raw] of entries(body.functions)) this.#function(schema, [...base, 'functions', key], key, raw, signatures);

    const tableNames = Object.keys(body.tables ?? {});
    const renamedTables = new Map<string, DocPath>();
    for (const [name, raw] of entries(body.tables)) {
      const path = [...base, 'tables', name];
      this.#checkName(path, name, 'table');
      this.#register(relations, name, { what: `table ${name}`, path }, 'key');
      this.#register(types, name, { what: `table ${name}`, path }, 'key', ' (a table has a row type of its own name)');
      if (raw.renamed_from !== undefined) {
        const renamedPath = [...path, 'renamed_from'];
        this.#checkRef(renamedPath, raw.renamed_from, 'table');
        if (tableNames.includes(raw.renamed_from)) {
          this.#report(renamedPath, `renamed_from "${raw.renamed_from}" names a table that is also declared`);
        } else if (renamedTables.has(raw.renamed_from)) {
          this.#report(renamedPath, `two tables are renamed from "${raw.renamed_from}"`);
        }
        renamedTables.set(raw.renamed_from, renamedPath);
      }
      const table = this.#index.table(schema, name);
      if (table !== undefined) this.#table(table, relations);
    }
  }

  // ---- sequences -------------------------------------------------------------------------

  #sequence(schema: string, path: DocPath, raw: RawSequence): void {
    const type = raw.type ?? 'bigint';
    const bounds = sequenceBounds(type);
    const value = (key: keyof RawSequence): bigint | undefined => {
      const v = raw[key];
      if (v === undefined || typeof v === 'boolean') return undefined;
      try {
        return BigInt(this.#doc.map.raw([...path, key]) ?? String(v));
      } catch {
        return BigInt(String(v));
      }
    };
    const increment = value('increment') ?? 1n;
    if (increment === 0n) this.#report([...path, 'increment'], 'INCREMENT must not be zero');
    const min = value('min_value');
    const max = value('max_value');
    for (const [key, v] of [
      ['min_value', min],
      ['max_value', max],
      ['start', value('start')],
    ] as const) {
      if (v !== undefined && (v < bounds.min || v > bounds.max)) {
        this.#report([...path, key], `${key} ${v} is out of range for a sequence of type ${type} (${bounds.min} to ${bounds.max})`);
      }
    }
    if (min !== undefined && max !== undefined && min >= max) {
      this.#report([...path, 'min_value'], `min_value (${min}) must be less than max_value (${max})`);
    }
    const cache = value('cache');
    if (cache !== undefined && cache < 1n) this.#report([...path, 'cache'], `cache must be at least 1 (got ${cache})`);
    if (raw.owned_by !== undefined) {
      const ownedPath = [...path, 'owned_by'];
      const dot = raw.owned_by.lastIndexOf('.');
      if (dot <= 0 || dot === raw.owned_by.length - 1) {
        this.#report(ownedPath, `owned_by must be "table.column" of a table in schema ${schema} (got "${raw.owned_by}")`);
        return;
      }
      const tableName = raw.owned_by.slice(0, dot);
      const column = raw.owned_by.slice(dot + 1);
      const table = this.#index.table(schema, tableName);
      if (table === undefined) {
        const names = [...this.#index.tables()].filter((t) => t.schema === schema).map((t) => t.name);
        this.#report(
          ownedPath,
          `owned_by names table "${tableName}", which is not declared in schema ${schema}${didYouMean(tableName, names)}`,
        );
        return;
      }
      this.#columnExists(ownedPath, column, table);
    }
  }

  // ---- functions -------------------------------------------------------------------------

  #function(schema: string, path: DocPath, key: string, raw: RawFunction, signatures: Map<string, Registered>): void {
    const parsedKey = parseFunctionKey(key);
    if ('error' in parsedKey) {
      this.#report(path, parsedKey.error, 'key');
      return;
    }
    this.#checkName(path, parsedKey.name, 'function');
    this.#grammar([...path, 'language'], checkLanguage(raw.language));
    for (const [param] of entries(raw.set)) this.#grammar([...path, 'set', param], checkConfigParameter(param), 'key');
    (raw.arguments ?? []).forEach((arg, i) => this.#checkRef([...path, 'arguments', i, 'name'], arg.name, 'argument'));
    let typesOk = true;
    const identityTypes: string[] = [];
    const signatureParts: string[] = [];
    (raw.arguments ?? []).forEach((arg, i) => {
      const argPath = [...path, 'arguments', i];
      const resolved = this.#index.resolveType(arg.type, schema, 'argument');
      if (!resolved.ok) {
        this.#report([...argPath, 'type'], resolved.message);
        typesOk = false;
        return;
      }
      const mode = arg.mode ?? 'in';
      if (mode !== 'out') identityTypes.push(resolved.canonical);
      signatureParts.push(`${mode} ${arg.name !== undefined ? `"${arg.name.replaceAll('"', '""')}" ` : ''}${arg.type}`);
      if (arg.default !== undefined) {
        const text = String(arg.default);
        const parsed = this.#expression([...argPath, 'default'], text, 'argument default');
        if (parsed !== undefined) this.#noSubquery([...argPath, 'default'], text, parsed, 'an argument default');
      }
    });
    const returns = this.#index.resolveType(raw.returns, schema, 'return');
    if (!returns.ok) {
      this.#report([...path, 'returns'], returns.message);
      typesOk = false;
    }
    if (parsedKey.argTypes !== undefined && typesOk) {
      const keyTypes: string[] = [];
      for (const text of parsedKey.argTypes) {
        const resolved = this.#index.resolveType(text, schema, 'argument');
        if (!resolved.ok) {
          this.#report(path, `in the function key: ${resolved.message}`, 'key');
          typesOk = false;
          break;
        }
        keyTypes.push(resolved.canonical);
      }
      if (typesOk && keyTypes.join(', ') !== identityTypes.join(', ')) {
        this.#report(
          path,
          `the key names the argument types (${keyTypes.join(', ')}) but the arguments are (${identityTypes.join(', ')})`,
          'key',
        );
      }
    }
    if (typesOk) {
      const signature = `${parsedKey.name}(${identityTypes.join(', ')})`;
      const first = signatures.get(signature);
      if (first !== undefined) {
        this.#report(
          path,
          `function ${signature} is declared twice (also at line ${this.#line(first.path)}): same name and argument types`,
          'key',
        );
      } else {
        signatures.set(signature, { what: `function ${signature}`, path });
      }
    }
    const bodyPath = [...path, 'body'];
    const language = raw.language.toLowerCase();
    if ((raw.body === undefined) === (raw.sql_body === undefined)) {
      this.#report(path, `function ${key}: declare exactly one of \`body\` and \`sql_body\``, 'key');
    } else if (raw.sql_body !== undefined) {
      const problem = language === 'sql' ? parseSqlBody(raw.sql_body) : { offset: 0, message: 'a SQL-standard body needs language: sql' };
      if (problem !== undefined)
        this.#reportIn([...path, 'sql_body'], raw.sql_body, problem.offset, `invalid sql_body: ${problem.message}`);
    } else if (raw.body === undefined) {
      return;
    } else if (language === 'sql') {
      const problem = parseStatements(raw.body);
      if (problem !== undefined) this.#reportIn(bodyPath, raw.body, problem.offset, `invalid function body: ${problem.message}`);
    } else if (language === 'plpgsql' && typesOk) {
      const problem = parsePlpgsqlBody(raw.body, signatureParts.join(', '), raw.returns);
      if (problem !== undefined) this.#reportIn(bodyPath, raw.body, problem.offset, `invalid function body: ${problem.message}`);
    }
  }

  // ---- tables ----------------------------------------------------------------------------

  #table(table: DeclaredTable, relations: Map<string, Registered>): void {
    const raw = table.raw;
    const path = table.path;
    const constraints = new Map<string, Registered>();
    this.#columns(table);
    for (const [column, value] of entries(raw.columns)) {
      const resolved = this.#index.resolveType(value.type, table.schema, 'column');
      if (!resolved.ok || resolved.parsed.serial === undefined) continue;
      const sequence = defaultSequenceName(table.name, column);
      const typePath = [...path, 'columns', column, 'type'];
      this.#register(relations, sequence, { what: `the sequence of serial column ${table.name}.${column}`, path: typePath }, 'value');
    }
    this.#constraintRenames(table);

    if (raw.primary_key !== undefined) {
      const pk = raw.primary_key;
      const columnsPath = isColumnList(pk) ? [...path, 'primary_key'] : [...path, 'primary_key', 'columns'];
      this.#columnList(columnsPath, primaryKeyColumns(pk), table, 'the primary key');
      if (!isColumnList(pk)) this.#checkRef([...path, 'primary_key', 'renamed_from'], pk.renamed_from, 'constraint');
      if (!isColumnList(pk) && pk.name !== undefined) {
        const namePath = [...path, 'primary_key', 'name'];
        this.#checkName(namePath, pk.name, 'constraint');
        const entry = { what: `the primary key of table ${table.name}`, path: namePath };
        if (this.#register(relations, pk.name, entry, 'value', ' (a primary key owns an index of its name)')) {
          this.#register(constraints, pk.name, entry, 'value');
        }
      }
    }

    (raw.unique ?? []).forEach((unique, i) => {
      const uPath = [...path, 'unique', i];
      this.#columnList([...uPath, 'columns'], unique.columns, table, 'the unique constraint');
      this.#deferral(uPath, unique.deferrable, unique.initially_deferred);
      this.#checkRef([...uPath, 'renamed_from'], unique.renamed_from, 'constraint');
      if (unique.name !== undefined) {
        const namePath = [...uPath, 'name'];
        this.#checkName(namePath, unique.name, 'constraint');
        const entry = { what: `a unique constraint of table ${table.name}`, path: namePath };
        if (this.#register(relations, unique.name, entry, 'value', ' (a unique constraint owns an index of its name)')) {
          this.#register(constraints, unique.name, entry, 'value');
        }
      }
    });

    (raw.checks ?? []).forEach((check, i) => {
      const cPath = [...path, 'checks', i];
      const exprPath = [...cPath, 'expression'];
      this.#checkRef([...cPath, 'renamed_from'], check.renamed_from, 'constraint');
      const parsed = this.#expression(exprPath, check.expression, 'check expression');
      if (parsed !== undefined) {
        this.#noSubquery(exprPath, check.expression, parsed, 'a check constraint');
        this.#columnsExist(exprPath, check.expression, parsed, table);
      }
      if (check.name !== undefined) {
        this.#checkName([...cPath, 'name'], check.name, 'constraint');
        this.#register(constraints, check.name, { what: `a check constraint of table ${table.name}`, path: [...cPath, 'name'] }, 'value');
      }
    });

    (raw.foreign_keys ?? []).forEach((fk, i) => {
      const fkPath = [...path, 'foreign_keys', i];
      this.#checkRef([...fkPath, 'renamed_from'], fk.renamed_from, 'constraint');
      this.#foreignKey(table, fkPath, fk);
      if (fk.name !== undefined) {
        this.#checkName([...fkPath, 'name'], fk.name, 'constraint');
        this.#register(constraints, fk.name, { what: `a foreign key of table ${table.name}`, path: [...fkPath, 'name'] }, 'value');
      }
    });

    const indexNames = Object.keys(raw.indexes ?? {});
    for (const [name, index] of entries(raw.indexes)) {
      const iPath = [...path, 'indexes', name];
      this.#checkName(iPath, name, 'index');
      this.#checkRef([...iPath, 'renamed_from'], index.renamed_from, 'index');
      this.#register(relations, name, { what: `index ${name} of table ${table.name}`, path: iPath }, 'key');
      this.#indexDef(table, iPath, index, indexNames);
    }

    for (const [name, exclusion] of entries(raw.exclude)) {
      const xPath = [...path, 'exclude', name];
      this.#checkName(xPath, name, 'constraint');
      this.#register(constraints, name, { what: `exclusion constraint ${name} of table ${table.name}`, path: xPath }, 'key');
      this.#register(relations, name, { what: `the index of exclusion constraint ${name} of table ${table.name}`, path: xPath }, 'key');
      this.#exclusion(table, xPath, exclusion);
    }

    this.#generatedNames(table, relations);

    const triggerNames = Object.keys(raw.triggers ?? {});
    for (const [name, trigger] of entries(raw.triggers)) {
      const tPath = [...path, 'triggers', name];
      this.#checkName(tPath, name, 'trigger');
      this.#checkRef([...tPath, 'renamed_from'], trigger.renamed_from, 'trigger');
      if (trigger.renamed_from !== undefined && triggerNames.includes(trigger.renamed_from)) {
        this.#report([...tPath, 'renamed_from'], `renamed_from "${trigger.renamed_from}" names a trigger that is also declared`);
      }
      this.#trigger(table, tPath, trigger);
    }
  }

  /**
   * The names PostgreSQL would generate for the primary key and unique constraints left unnamed
   * (cut to 63 bytes: two long table names can give the same one) name their indexes, so they
   * share the schema's relation names: one already taken fails at apply, so it is reported here.
   */
  #generatedNames(table: DeclaredTable, relations: Map<string, Registered>): void {
    let names;
    try {
      names = constraintNames(table.name, table.raw);
    } catch {
      return; // an invalid check expression, reported on its own
    }
    const note = (name: string, what: string): string =>
      ` — "${name}" is the name PostgreSQL generates for ${what}${byteLength(table.name) > MAX_IDENTIFIER_BYTES - 10 ? ' (generated names are cut to 63 bytes)' : ''}; give it a name of its own with name:`;
    const pk = table.raw.primary_key;
    if (pk !== undefined && (isColumnList(pk) || pk.name === undefined) && names.primaryKey !== undefined) {
      const what = `the primary key of table ${table.name}`;
      this.#register(relations, names.primaryKey, { what, path: [...table.path, 'primary_key'] }, 'key', note(names.primaryKey, what));
    }
    (table.raw.unique ?? []).forEach((unique, i) => {
      const name = names.uniques[i];
      if (unique.name !== undefined || name === undefined) return;
      const what = `a unique constraint of table ${table.name}`;
      this.#register(relations, name, { what, path: [...table.path, 'unique', i] }, 'key', note(name, what));
    });
  }

  /** A constraint's renamed_from must not name another constraint declared on the table. */
  #constraintRenames(table: DeclaredTable): void {
    const raw = table.raw;
    const names = new Set<string>();
    const renames: [DocPath, string][] = [];
    if (raw.primary_key !== undefined && !isColumnList(raw.primary_key)) {
      if (raw.primary_key.name !== undefined) names.add(raw.primary_key.name);
      if (raw.primary_key.renamed_from !== undefined)
        renames.push([[...table.path, 'primary_key', 'renamed_from'], raw.primary_key.renamed_from]);
    }
    const lists = [
      ['unique', raw.unique ?? []],
      ['checks', raw.checks ?? []],
      ['foreign_keys', raw.foreign_keys ?? []],
    ] as const;
    for (const [key, list] of lists) {
      list.forEach((c: { readonly name?: string; readonly renamed_from?: string }, i: number) => {
        if (c.name !== undefined) names.add(c.name);
        if (c.renamed_from !== undefined) renames.push([[...table.path, key, i, 'renamed_from'], c.renamed_from]);
      });
    }
    for (const [path, old] of renames) {
      if (names.has(old)) this.#report(path, `renamed_from "${old}" names a constraint that is also declared`);
    }
  }

  #deferral(path: DocPath, deferrable: boolean | undefined, initiallyDeferred: boolean | undefined): void {
    if (initiallyDeferred === true && deferrable !== true) {
      this.#report([...path, 'initially_deferred'], 'a constraint declared initially_deferred must be deferrable (add deferrable: true)');
    }
  }

  #columns(table: DeclaredTable): void {
    const columnNames = Object.keys(table.raw.columns);
    for (const [name, column] of entries(table.raw.columns)) {
      const path = [...table.path, 'columns', name];
      this.#checkName(path, name, 'column');
      this.#checkRef([...path, 'renamed_from'], column.renamed_from, 'column');
      if (column.collation !== undefined) this.#grammar([...path, 'collation'], checkCollation(column.collation));
      if (column.renamed_from !== undefined && columnNames.includes(column.renamed_from)) {
        this.#report([...path, 'renamed_from'], `renamed_from "${column.renamed_from}" names a column that is also declared`);
      }
      this.#column(table, path, column);
    }
    if (columnNames.length > 1600)
      this.#report([...table.path, 'columns'], `a table can have at most 1600 columns (got ${columnNames.length})`, 'key');
  }

  #column(table: DeclaredTable, path: DocPath, column: RawColumn): void {
    const resolved = this.#index.resolveType(column.type, table.schema, 'column');
    if (!resolved.ok) this.#report([...path, 'type'], resolved.message);
    const serial = resolved.ok ? resolved.parsed.serial : undefined;
    const has = (key: keyof RawColumn): boolean => column[key] !== undefined;
    const conflict = (a: string, b: string, at: keyof RawColumn): void =>
      this.#report([...path, at], `a column cannot have both ${a} and ${b}`, 'key');
    if (serial !== undefined) {
      const kind = column.type.trim();
      if (has('default')) this.#report([...path, 'default'], `a ${kind} column gets its default from its sequence: remove default`, 'key');
      if (has('identity')) this.#report([...path, 'identity'], `a ${kind} column cannot also be an identity column`, 'key');
      if (has('generated')) this.#report([...path, 'generated'], `a ${kind} column cannot also be generated`, 'key');
    } else {
      if (has('identity') && has('default')) conflict('identity', 'default', 'default');
      if (has('generated') && has('default')) conflict('generated', 'default', 'default');
      if (has('identity') && has('generated')) conflict('identity', 'generated', 'generated');
    }
    if (has('identity') && resolved.ok && serial === undefined && !['smallint', 'integer', 'bigint'].includes(resolved.canonical)) {
      this.#report(
        [...path, 'identity'],
        `an identity column must be smallint, integer or bigint (the type is ${resolved.canonical})`,
        'key',
      );
    }
    if (column.default !== undefined) {
      const text = String(column.default);
      const dPath = [...path, 'default'];
      const parsed = this.#expression(dPath, text, 'default expression');
      if (parsed !== undefined) {
        this.#noSubquery(dPath, text, parsed, 'a default expression');
        const ref = columnReferences(parsed.root)[0];
        if (ref !== undefined) {
          const word = ref.parts.join('.');
          const hint = ref.parts.length === 1 && text.trim() === word ? `; for the text ${word} write "'${word}'"` : '';
          this.#reportIn(dPath, text, parsed.offsetOf(ref.location), `a default expression cannot refer to a column ("${word}")${hint}`);
        }
      }
    }
    if (column.generated !== undefined) {
      const gPath = [...path, 'generated'];
      const parsed = this.#expression(gPath, column.generated, 'generated expression');
      if (parsed !== undefined) {
        this.#noSubquery(gPath, column.generated, parsed, 'a generated column expression');
        this.#columnsExist(gPath, column.generated, parsed, table);
      }
    }
    if (column.using !== undefined) this.#expression([...path, 'using'], column.using, 'USING expression');
  }

  #foreignKey(table: DeclaredTable, path: DocPath, fk: RawForeignKey): void {
    this.#columnList([...path, 'columns'], fk.columns, table, 'the foreign key');
    this.#deferral(path, fk.deferrable, fk.initially_deferred);
    if (fk.validated !== undefined && fk.not_valid !== undefined) {
      this.#report(
        [...path, 'not_valid'],
        'write validated or not_valid, not both (not_valid: true is the older spelling of validated: false)',
        'key',
      );
    }
    this.#fkActionFits(table, path, fk, 'on_delete');
    this.#fkActionFits(table, path, fk, 'on_update');
    const refPath = [...path, 'references'];
    let target;
    if (fk.references.schema !== undefined) {
      this.#checkRef([...refPath, 'schema'], fk.references.schema, 'schema');
      this.#checkRef([...refPath, 'table'], fk.references.table, 'table');
    } else {
      const parsed = checkQualified(fk.references.table, 'referenced table');
      if ('problem' in parsed) {
        this.#report([...refPath, 'table'], parsed.problem);
        return;
      }
    }
    try {
      target =
        fk.references.schema !== undefined
          ? { schema: fk.references.schema, name: fk.references.table }
          : parseQualifiedName(fk.references.table, table.schema);
    } catch (error) {
      if (!(error instanceof QualifiedNameError)) throw error;
      this.#report([...refPath, 'table'], error.message);
      return;
    }
    if (fk.columns.length !== fk.references.columns.length) {
      this.#report(
        [...refPath, 'columns'],
        `the foreign key has ${fk.columns.length} column${fk.columns.length === 1 ? '' : 's'} but references ${fk.references.columns.length}`,
      );
    }
    const declared = this.#index.table(target.schema, target.name);
    if (declared === undefined) {
      if (this.#index.isExternal(target.schema, target.name)) return;
      const candidates = [...this.#index.tables()].map((t) => (t.schema === table.schema ? t.name : `${t.schema}.${t.name}`));
      const shown = target.schema === table.schema ? target.name : `${target.schema}.${target.name}`;
      this.#report(
        [...refPath, 'table'],
        `table "${shown}" is not declared in this file nor listed under external${didYouMean(shown, candidates)}`,
      );
      return;
    }
    let allExist = true;
    fk.references.columns.forEach((column, i) => {
      if (!this.#columnExists([...refPath, 'columns', i], column, declared)) allExist = false;
    });
    if (!allExist || fk.columns.length !== fk.references.columns.length) return;
    const wanted = [...new Set(fk.references.columns)].sort().join('\u0000');
    const keys: (readonly string[])[] = [];
    if (declared.raw.primary_key !== undefined) keys.push(primaryKeyColumns(declared.raw.primary_key));
    for (const unique of declared.raw.unique ?? []) keys.push(unique.columns);
    for (const [, index] of entries(declared.raw.indexes)) {
      if (index.unique !== true || index.where !== undefined) continue;
      const columns = index.columns.map((k) => (typeof k === 'string' ? k : k.expression === undefined ? k.column : undefined));
      if (columns.every((c): c is string => c !== undefined)) keys.push(columns);
    }
    if (!keys.some((k) => k.length === fk.references.columns.length && [...new Set(k)].sort().join('\u0000') === wanted)) {
      this.#report(
        [...refPath, 'columns'],
        `no primary key or unique constraint of table ${declared.name} covers exactly (${fk.references.columns.join(', ')}); a foreign key must reference one`,
      );
    }
  }

  /**
   * `set null` needs columns that may be NULL, and `set default` on a NOT NULL column needs a
   * default: otherwise deleting (or updating) a referenced row fails with a not-null violation.
   */
  #fkActionFits(table: DeclaredTable, path: DocPath, fk: RawForeignKey, which: 'on_delete' | 'on_update'): void {
    const action = fk[which];
    if (action !== 'set null' && action !== 'set default') return;
    const pk = table.raw.primary_key !== undefined ? primaryKeyColumns(table.raw.primary_key) : [];
    const notNull = fk.columns.filter((name) => {
      const column = table.raw.columns[name];
      if (column === undefined) return false;
      const serial = /^(small|big)?serial$|^serial[248]$/i.test(column.type.trim());
      const never = column.nullable === false || column.identity !== undefined || serial || pk.includes(name);
      return never && (action === 'set null' || column.default === undefined);
    });
    if (notNull.length === 0) return;
    const verb = which === 'on_delete' ? 'deleting' : 'updating the key of';
    const listed = notNull.map((c) => `"${c}"`).join(', ');
    const is = notNull.length === 1 ? 'is' : 'are';
    const fix =
      action === 'set null'
        ? `make ${notNull.length === 1 ? 'it' : 'them'} nullable, or choose another action`
        : `give ${notNull.length === 1 ? 'it' : 'them'} a default, or choose another action`;
    this.#report(
      [...path, which],
      `${which}: ${action} on column${notNull.length === 1 ? '' : 's'} ${listed}, which ${is} NOT NULL${action === 'set default' ? ' without a default' : ''}: ${verb} a referenced row would fail; ${fix}`,
    );
  }

  /** An `exclude:` entry: method, elements (column or expression, operator), include, predicate, deferral. */
  #exclusion(table: DeclaredTable, path: DocPath, x: RawExclusion): void {
    if (x.using !== undefined) {
      const problem = checkAccessMethod(x.using);
      if (problem !== undefined) this.#report([...path, 'using'], problem);
    }
    x.elements.forEach((e, i) => {
      const ePath = [...path, 'elements', i];
      if (e.column !== undefined && e.expression !== undefined) {
        this.#report(ePath, 'an exclusion element takes "column" or "expression", not both');
      } else if (e.column !== undefined) {
        this.#columnExists([...ePath, 'column'], e.column, table);
      } else if (e.expression !== undefined) {
        const xPath = [...ePath, 'expression'];
        const parsed = this.#expression(xPath, e.expression, 'exclusion element');
        if (parsed !== undefined) {
          this.#noSubquery(xPath, e.expression, parsed, 'an exclusion element');
          this.#columnsExist(xPath, e.expression, parsed, table);
        }
      } else {
        this.#report(ePath, 'an exclusion element needs "column" or "expression"');
      }
      if (!isExclusionOperator(e.with)) {
        this.#report([...ePath, 'with'], `"${e.with}" is not an operator: write its symbol (e.g. "&&" or "=") or OPERATOR(schema.symbol)`);
      }
    });
    (x.include ?? []).forEach((column, i) => this.#columnExists([...path, 'include', i], column, table));
    if (x.where !== undefined) {
      const wPath = [...path, 'where'];
      const parsed = this.#expression(wPath, x.where, 'exclusion predicate');
      if (parsed !== undefined) {
        this.#noSubquery(wPath, x.where, parsed, 'an exclusion predicate');
        this.#columnsExist(wPath, x.where, parsed, table);
      }
    }
    this.#deferral(path, x.deferrable, x.initially_deferred);
  }

  #indexDef(table: DeclaredTable, path: DocPath, index: RawIndex, indexNames: readonly string[]): void {
    index.columns.forEach((key: RawIndexKey, i) => {
      const keyPath = [...path, 'columns', i];
      if (typeof key === 'string') {
        this.#columnExists(keyPath, key, table);
        return;
      }
      if (key.column !== undefined && key.expression !== undefined) {
        this.#report(keyPath, 'an index key takes "column" or "expression", not both');
      } else if (key.column !== undefined) {
        this.#columnExists([...keyPath, 'column'], key.column, table);
      } else if (key.expression !== undefined) {
        const ePath = [...keyPath, 'expression'];
        const parsed = this.#expression(ePath, key.expression, 'index expression');
        if (parsed !== undefined) {
          this.#noSubquery(ePath, key.expression, parsed, 'an index expression');
          this.#columnsExist(ePath, key.expression, parsed, table);
        }
      } else {
        this.#report(keyPath, 'an index key needs "column" or "expression"');
      }
    });
    index.columns.forEach((key: RawIndexKey, i) => {
      if (typeof key === 'string') return;
      if (key.opclass !== undefined) this.#grammar([...path, 'columns', i, 'opclass'], checkOpclass(key.opclass));
      if (key.collation !== undefined) this.#grammar([...path, 'columns', i, 'collation'], checkCollation(key.collation));
    });
    for (const [param] of entries(index.with)) this.#grammar([...path, 'with', param], checkStorageParameter(param), 'key');
    (index.include ?? []).forEach((column, i) => this.#columnExists([...path, 'include', i], column, table));
    if (index.where !== undefined) {
      const wPath = [...path, 'where'];
      const parsed = this.#expression(wPath, index.where, 'index predicate');
      if (parsed !== undefined) {
        this.#noSubquery(wPath, index.where, parsed, 'an index predicate');
        this.#columnsExist(wPath, index.where, parsed, table);
      }
    }
    const methodProblem = index.using === undefined ? undefined : checkAccessMethod(index.using);
    if (methodProblem !== undefined) this.#report([...path, 'using'], methodProblem);
    else if (index.using !== undefined) {
      const method = index.using.toLowerCase();
      const needs = indexMethods[method];
      if (!(method in indexMethods)) {
        const unknownExtension = [...this.#index.extensions.keys()].some((e) => extensionTypes[e] === undefined);
        if (!unknownExtension) {
          this.#report([...path, 'using'], `unknown index method "${index.using}"${didYouMean(method, Object.keys(indexMethods))}`);
        }
      } else if (needs !== undefined && !this.#index.extensions.has(needs)) {
        this.#report([...path, 'using'], `index method "${method}" comes with the extension "${needs}": declare it under extensions`);
      }
    }
    if (index.nulls_not_distinct === true && index.unique !== true) {
      this.#report([...path, 'nulls_not_distinct'], 'nulls_not_distinct only applies to a unique index', 'key');
    }
    if (index.renamed_from !== undefined && indexNames.includes(index.renamed_from)) {
      this.#report([...path, 'renamed_from'], `renamed_from "${index.renamed_from}" names an index that is also declared`);
    }
  }

  #trigger(table: DeclaredTable, path: DocPath, trigger: RawTrigger): void {
    const level = trigger.for_each ?? 'statement';
    if (trigger.timing === 'instead of') {
      this.#report([...path, 'timing'], `tables cannot have INSTEAD OF triggers (only views can)`);
    }
    if (trigger.update_of !== undefined) {
      if (!trigger.events.includes('update')) {
        this.#report([...path, 'update_of'], 'update_of needs the update event (add update to events)', 'key');
      }
      this.#columnList([...path, 'update_of'], trigger.update_of, table, 'update_of');
    }
    if (level === 'row' && trigger.events.includes('truncate')) {
      this.#report([...path, 'events'], 'TRUNCATE triggers must be FOR EACH STATEMENT (for_each: statement)');
    }
    if (trigger.constraint === true) {
      if (trigger.timing !== 'after') this.#report([...path, 'timing'], 'a constraint trigger must be an AFTER trigger (timing: after)');
      if (level !== 'row') this.#report([...path, 'for_each'], 'a constraint trigger must be FOR EACH ROW (for_each: row)');
      this.#deferral(path, trigger.deferrable, trigger.initially_deferred);
    } else {
      for (const field of ['deferrable', 'initially_deferred'] as const) {
        if (trigger[field] !== undefined) {
          this.#report([...path, field], `${field} applies to constraint triggers only (add constraint: true)`, 'key');
        }
      }
    }
    if (trigger.when !== undefined) {
      const wPath = [...path, 'when'];
      const parsed = this.#expression(wPath, trigger.when, 'trigger WHEN condition');
      if (parsed !== undefined) {
        this.#noSubquery(wPath, trigger.when, parsed, 'a trigger WHEN condition');
        const columns = Object.keys(table.raw.columns);
        for (const ref of columnReferences(parsed.root)) {
          const [first, second] = ref.parts;
          const record = first?.toLowerCase();
          if (ref.parts.length !== 2 || (record !== 'new' && record !== 'old')) continue;
          const where = parsed.offsetOf(ref.location);
          if (level === 'statement') {
            this.#reportIn(
              wPath,
              trigger.when,
              where,
              `a FOR EACH STATEMENT trigger's WHEN condition cannot refer to ${record.toUpperCase()} (use for_each: row)`,
            );
            break;
          }
          if (record === 'old' && trigger.events.includes('insert')) {
            this.#reportIn(wPath, trigger.when, where, `an INSERT trigger's WHEN condition cannot refer to OLD`);
          } else if (record === 'new' && trigger.events.includes('delete')) {
            this.#reportIn(wPath, trigger.when, where, `a DELETE trigger's WHEN condition cannot refer to NEW`);
          } else if (second !== undefined && second !== '*' && !columns.includes(second)) {
            this.#reportIn(
              wPath,
              trigger.when,
              where,
              `column "${second}" does not exist in table ${table.name}${didYouMean(second, columns)}`,
            );
          }
        }
      }
    }
    this.#triggerFunction(table, [...path, 'function'], trigger.function);
  }

  #triggerFunction(table: DeclaredTable, path: DocPath, text: string): void {
    const parsed = checkQualified(text, 'trigger function');
    if ('problem' in parsed) {
      this.#report(path, parsed.problem);
      return;
    }
    let name;
    try {
      name = parseQualifiedName(text, table.schema);
    } catch (error) {
      if (!(error instanceof QualifiedNameError)) throw error;
      this.#report(path, error.message);
      return;
    }
    if (!this.#index.managedSchemas.has(name.schema)) return;
    const candidates = this.#index.functions.filter((f) => f.schema === name.schema && f.name === name.name);
    if (candidates.length === 0) {
      const names = this.#index.functions.map((f) => (f.schema === table.schema ? f.name : `${f.schema}.${f.name}`));
      const shown = name.schema === table.schema ? name.name : `${name.schema}.${name.name}`;
      this.#report(path, `function "${shown}" is not declared in this file${didYouMean(shown, names)}`);
      return;
    }
    const noArgs = candidates.find((f) => (f.raw.arguments ?? []).every((a) => a.mode === 'out'));
    if (noArgs === undefined) {
      this.#report(path, `trigger function "${text}" must take no arguments (pass trigger arguments under arguments)`);
      return;
    }
    if (noArgs.raw.returns.trim().toLowerCase() !== 'trigger') {
      this.#report(path, `function "${text}" returns ${noArgs.raw.returns.trim()}, not trigger`);
    }
  }
}
