/**
 * What the semantic checks of the desired file share (./check-semantics.ts drives them, each
 * kind's `checks` in src/kinds/<kind>/checks.ts does its part): reporting a problem where it is,
 * name and grammar checks, namespaces for duplicate names, SQL fragments parsed and their column
 * references checked, and the scopes a kind's check runs in.
 */
import { checkIdentifier, checkText } from '../model/sql-names.js';
import type { Diagnostic, DocPath } from './diagnostic.js';
import { didYouMean, formatPath } from './diagnostic.js';
import type { RawDocument, RawSchema } from './document.js';
import type { LoadedYaml } from './load-yaml.js';
import type { DeclaredTable } from './resolve.js';
import { FileIndex } from './resolve.js';
import type { ParsedFragment } from './sql-fragment.js';
import { columnReferences, firstSubquery, parseExpression } from './sql-fragment.js';

/** Where at a path a problem is shown: on its mapping key or on its value. */
export type Where = 'key' | 'value';

/** A name registered in a namespace, to report later duplicates against. */
export interface Registered {
  readonly what: string;
  readonly path: DocPath;
}

/** The names taken so far in one namespace (a schema's relations, a table's constraints). */
export type Namespace = Map<string, Registered>;

/** Once per document: the schema kind runs every kind's schema checks on each schema it declares. */
export interface DocumentScope {
  readonly checkSchema: (schema: string, body: RawSchema) => void;
}

/** One schema's body, and the namespaces its objects share. */
export interface SchemaScope {
  readonly schema: string;
  readonly body: RawSchema;
  /** The schema's path, `['schemas', schema]`. */
  readonly path: DocPath;
  /** Relations (tables, sequences, indexes and the indexes of unique/primary-key constraints). */
  readonly relations: Namespace;
  /** Types (enums and the row types of tables). */
  readonly types: Namespace;
  /** The table kind runs every kind's table checks on each table, after registering its names. */
  readonly checkTable: (table: DeclaredTable) => void;
  /** A partition's own indexes and constraints: only the index and constraint kinds' checks of a table. */
  readonly checkPartition: (table: DeclaredTable) => void;
}

/** One declared table, its schema's relation names and its own constraint names. */
export interface TableScope {
  readonly table: DeclaredTable;
  readonly relations: Namespace;
  readonly constraints: Namespace;
}

/** Collects the diagnostics of one document; every check reports through it. */
export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly doc: LoadedYaml;
  readonly raw: RawDocument;
  readonly index: FileIndex;
  /** Paths of strings reported for a NUL or a lone surrogate (see `checkAllText`). */
  readonly #badText = new Set<string>();

  constructor(doc: LoadedYaml) {
    this.doc = doc;
    this.raw = doc.value as RawDocument;
    this.index = new FileIndex(this.raw);
  }

  // ---- reporting -------------------------------------------------------------------------

  report(path: DocPath, message: string, on: Where = 'value'): void {
    // A string already reported for a NUL or a lone surrogate is not reported again by name checks.
    if (this.#badText.has(formatPath(path))) return;
    const pos = this.doc.map.position(path, on);
    this.diagnostics.push({ file: this.doc.fileName, line: pos.line, column: pos.column, path: formatPath(path), message });
  }

  /** A problem at `offset` inside the SQL fragment `text` found at `path`. */
  reportIn(path: DocPath, text: string, offset: number, message: string): void {
    const pos = this.doc.map.fragmentPosition(path, text, offset);
    this.diagnostics.push({ file: this.doc.fileName, line: pos.line, column: pos.column, path: formatPath(path), message });
  }

  line(path: DocPath, on: Where = 'key'): number {
    return this.doc.map.position(path, on).line;
  }

  /** A declared object's name (a mapping key, or a `name:` value): see `checkIdentifier`. */
  checkName(path: DocPath, name: string, what: string, on: Where = 'key'): void {
    const problem = checkIdentifier(name, what);
    if (problem !== undefined) this.report(path, problem, on);
  }

  /** A name the file refers to (renamed_from, an argument name, a schema): the same rules, reported on the value. */
  checkRef(path: DocPath, name: string | undefined, what: string): void {
    if (name !== undefined) this.checkName(path, name, what, 'value');
  }

  /** A grammar check of src/model/sql-names.ts, reported on the value (or the key) at `path`. */
  grammar(path: DocPath, problem: string | undefined, on: Where = 'value'): void {
    if (problem !== undefined) this.report(path, problem, on);
  }

  /**
   * Every string of the document, keys included, is text PostgreSQL can hold: no NUL, no lone
   * surrogate. Reported once per string, where it is; runs before every other check.
   */
  checkAllText(): void {
    this.#checkText(this.raw, []);
  }

  #checkText(value: unknown, path: (string | number)[]): void {
    if (typeof value === 'string') {
      const problem = checkText(value);
      if (problem !== undefined) {
        this.report([...path], `the text ${problem}`);
        this.#badText.add(formatPath(path));
      }
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        this.#checkText(value[i], path);
        path.pop();
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key in value as Record<string, unknown>) {
      path.push(key);
      const problem = checkText(key);
      if (problem !== undefined) {
        this.report([...path], `the name ${problem}`, 'key');
        this.#badText.add(formatPath(path));
      }
      this.#checkText((value as Record<string, unknown>)[key], path);
      path.pop();
    }
  }

  /** Registers `name` in `space`; reports a duplicate at `path` when it is already there. */
  register(space: Namespace, name: string, entry: Registered, on: Where, note = ''): boolean {
    const first = space.get(name);
    if (first !== undefined) {
      this.report(entry.path, `duplicate name "${name}": also the name of ${first.what} (line ${this.line(first.path, 'key')})${note}`, on);
      return false;
    }
    space.set(name, entry);
    return true;
  }

  // ---- SQL fragments ---------------------------------------------------------------------

  /**
   * Parses a SQL expression fragment, reporting a syntax error at its place;
   * returns the parse or undefined.
   */
  expression(path: DocPath, text: string, what: string): ParsedFragment | undefined {
    const result = parseExpression(text);
    if (!result.ok) {
      this.reportIn(path, text, result.problem.offset, `invalid ${what}: ${result.problem.message}`);
      return undefined;
    }
    return result.parsed;
  }

  noSubquery(path: DocPath, text: string, parsed: ParsedFragment, what: string): void {
    const at = firstSubquery(parsed.root);
    if (at !== undefined) this.reportIn(path, text, parsed.offsetOf(at), `a subquery is not allowed in ${what}`);
  }

  /** Reports column references that are not columns of `table`. */
  columnsExist(path: DocPath, text: string, parsed: ParsedFragment, table: DeclaredTable): void {
    const columns = Object.keys(table.raw.columns);
    for (const ref of columnReferences(parsed.root)) {
      const parts = ref.parts;
      const column = parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === table.name ? parts[1] : undefined;
      if (column === undefined || column === '*') continue;
      if (!columns.includes(column)) {
        this.reportIn(
          path,
          text,
          parsed.offsetOf(ref.location),
          `column "${column}" does not exist in table ${table.name}${didYouMean(column, columns)}`,
        );
      }
    }
  }

  /**
   * An expression over the table's columns (a check, a generated column, an index key or
   * predicate, an exclusion element or predicate): it parses, holds no subquery, and names only
   * columns of the table.
   */
  tableExpression(path: DocPath, text: string, table: DeclaredTable, what: string, where: string): void {
    const parsed = this.expression(path, text, what);
    if (parsed !== undefined) {
      this.noSubquery(path, text, parsed, where);
      this.columnsExist(path, text, parsed, table);
    }
  }

  // ---- columns ---------------------------------------------------------------------------

  columnExists(path: DocPath, column: string, table: DeclaredTable): boolean {
    const columns = Object.keys(table.raw.columns);
    if (columns.includes(column)) return true;
    this.report(path, `column "${column}" does not exist in table ${table.name}${didYouMean(column, columns)}`);
    return false;
  }

  /** Each listed column exists, and none is listed twice. */
  columnList(path: DocPath, columns: readonly string[], table: DeclaredTable, what: string): void {
    const seen = new Set<string>();
    columns.forEach((column, i) => {
      const itemPath = [...path, i];
      if (!this.columnExists(itemPath, column, table)) return;
      if (seen.has(column)) this.report(itemPath, `column "${column}" appears twice in ${what}`);
      seen.add(column);
    });
  }

  /** A constraint (or a constraint trigger) declared initially_deferred is deferrable. */
  deferral(path: DocPath, deferrable: boolean | undefined, initiallyDeferred: boolean | undefined): void {
    if (initiallyDeferred === true && deferrable !== true) {
      this.report([...path, 'initially_deferred'], 'a constraint declared initially_deferred must be deferrable (add deferrable: true)');
    }
  }
}
