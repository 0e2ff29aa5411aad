/**
 * The root schema.yaml must declare exactly the Slidefactory schema of init.sql.
 *
 * init.sql is parsed with PostgreSQL's own parser and read into a small catalog (tables with
 * their columns, keys, checks, foreign keys, indexes, triggers and comments; enums, functions,
 * extensions); schema.yaml is read (with the `yaml` package) into the same shape; the two must
 * be equal, in both directions. No object list is kept by hand: what is expected comes from the
 * parse tree, so a change to init.sql that schema.yaml does not follow fails here.
 *
 * The model that `loadDesiredState` loads from schema.yaml is read into the same catalog and
 * compared too (types and expressions there in the model's canonical forms).
 *
 * init.sql is read from the copy in test/cases/fixture/from-init-sql/before.sql, which must be
 * the repository's fixtures/slidefactory/init.sql byte for byte (that one is checked against the
 * shared original by test/fixture-copies.test.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type {
  ColumnDef,
  Constraint,
  CreateFunctionStmt,
  CreateStmt,
  CreateTrigStmt,
  IndexStmt,
  Node as PgNode,
  TypeName,
} from 'libpg-query';
import { initParser, parseSql } from '../src/sql/parser.js';
import { loadDesiredState } from '../src/desired/index.js';
import { expressionKey } from '../src/model/expression.js';
import type { SchemaModel } from '../src/model/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_YAML = resolve(ROOT, 'schema.yaml');
const INIT_SQL = resolve(ROOT, 'test/cases/fixture/from-init-sql/before.sql');
const FIXTURE_INIT_SQL = resolve(ROOT, 'fixtures/slidefactory/init.sql');
/** The comment PostgreSQL itself gives the public schema; schema.yaml may declare it. */
const PUBLIC_SCHEMA_COMMENT = 'standard public schema';

// ---------------------------------------------------------------------------------------------
// The catalog both sides are read into. Expressions are keys (see `ExprKey`); types are
// PostgreSQL's internal spelling without pg_catalog/public (`varchar(255)`, `int4`, `serial`).

type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

interface ColumnFacts {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly default?: string;
  readonly identity?: string;
  readonly generated?: string;
  readonly collation?: string;
  readonly comment?: string;
}

interface NamedColumns {
  readonly name: string;
  readonly columns: readonly string[];
}

interface UniqueFacts extends NamedColumns {
  readonly nullsNotDistinct: boolean;
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

interface CheckFacts {
  readonly name: string;
  readonly expression: string;
}

interface ForeignKeyFacts extends NamedColumns {
  readonly references: { readonly schema: string; readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match: 'simple' | 'full';
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

interface IndexKeyFacts {
  readonly column?: string;
  readonly expression?: string;
  readonly opclass?: string;
  readonly order: 'asc' | 'desc';
  readonly nulls: 'first' | 'last';
}

interface IndexFacts {
  readonly name: string;
  readonly unique: boolean;
  readonly using: string;
  readonly keys: readonly IndexKeyFacts[];
  readonly include: readonly string[];
  readonly where?: string;
  readonly with: Readonly<Record<string, string>>;
}

interface TriggerFacts {
  readonly name: string;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly string[];
  readonly updateOf: readonly string[];
  readonly level: 'row' | 'statement';
  readonly when?: string;
  readonly function: string;
  readonly arguments: readonly string[];
}

interface TableFacts {
  readonly columns: ColumnFacts[];
  primaryKey?: NamedColumns;
  readonly uniques: UniqueFacts[];
  readonly checks: CheckFacts[];
  readonly foreignKeys: ForeignKeyFacts[];
  readonly indexes: IndexFacts[];
  readonly triggers: TriggerFacts[];
  comment?: string;
}

interface FunctionFacts {
  readonly returns: string;
  readonly language: string;
  readonly arguments: readonly { readonly name?: string; readonly type: string }[];
  readonly body: string;
  readonly volatility: string;
  readonly strict: boolean;
  readonly security: 'invoker' | 'definer';
  readonly comment?: string;
}

interface Catalog {
  /** name → options (`schema`, `version` when given). */
  readonly extensions: Record<string, Record<string, string>>;
  /** `schema` → comment, for schemas other than public that carry one. */
  readonly schemaComments: Record<string, string>;
  /** `schema.type` → labels. */
  readonly enums: Record<string, readonly string[]>;
  /** `schema.table` → facts. */
  readonly tables: Record<string, TableFacts>;
  /** `schema.name` → facts. */
  readonly functions: Record<string, FunctionFacts>;
}

const emptyCatalog = (): Catalog => ({ extensions: {}, schemaComments: {}, enums: {}, tables: {}, functions: {} });

/** Sorts the lists whose order carries no meaning, so that toEqual compares sets. */
function sortCatalog(catalog: Catalog): Catalog {
  const byName = <T extends { readonly name: string }>(items: T[]): T[] => [...items].sort((a, b) => a.name.localeCompare(b.name));
  const tables: Record<string, TableFacts> = {};
  for (const [key, table] of Object.entries(catalog.tables)) {
    tables[key] = {
      ...table,
      uniques: byName(table.uniques),
      checks: byName(table.checks),
      foreignKeys: byName(table.foreignKeys),
      indexes: byName(table.indexes),
      triggers: byName(table.triggers),
    };
  }
  return { ...catalog, tables };
}

// ---------------------------------------------------------------------------------------------
// Parse-tree helpers.

/** The one key of a parse-tree node (`{ ColumnDef: {…} }` → ['ColumnDef', {…}]). */
function unwrap(node: PgNode): [string, Record<string, unknown>] {
  const entries = Object.entries(node as unknown as Record<string, Record<string, unknown>>);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined) throw new Error(`not a parse-tree node: ${JSON.stringify(node)}`);
  return first;
}

function nodeOf<T>(node: PgNode | undefined, kind: string): T | undefined {
  if (node === undefined) return undefined;
  const [key, value] = unwrap(node);
  return key === kind ? (value as T) : undefined;
}

/** `String` nodes' values (`names`, `fields`, `keys`, …). */
function strings(nodes: readonly PgNode[] | undefined): string[] {
  return (nodes ?? []).map((n) => {
    const s = nodeOf<{ sval?: string }>(n, 'String');
    if (s === undefined) throw new Error(`expected a name, got ${JSON.stringify(n)}`);
    return s.sval ?? '';
  });
}

const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len', 'rexpr_list_start', 'rexpr_list_end']);

/** The tree without source positions. */
function stripPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPositions);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!POSITION_KEYS.has(k)) out[k] = stripPositions(v);
    return out;
  }
  return value;
}

/** The exact key of an expression node: its parse tree without positions. */
function treeKey(node: PgNode): string {
  return JSON.stringify(stripPositions(node));
}

function parseExpression(sql: string): PgNode {
  const stmt = parseSql(`SELECT ${sql}`).stmts?.[0]?.stmt;
  const select = nodeOf<{ targetList?: PgNode[] }>(stmt, 'SelectStmt');
  const target = nodeOf<{ val?: PgNode }>(select?.targetList?.[0], 'ResTarget');
  if (target?.val === undefined || select?.targetList?.length !== 1) throw new Error(`not one expression: ${sql}`);
  return target.val;
}

/** Column names an expression refers to (for PostgreSQL's default CHECK names). */
function columnRefs(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) columnRefs(item, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'ColumnRef') {
        const last = strings((v as { fields?: PgNode[] }).fields).at(-1);
        if (last !== undefined) out.add(last);
      } else {
        columnRefs(v, out);
      }
    }
  }
  return out;
}

/** Type text without pg_catalog/public qualification: `varchar(255)`, `timestamptz`, `int4[]`. */
function typeText(typeName: TypeName | undefined): string {
  if (typeName === undefined) throw new Error('a column without a type');
  const names = strings(typeName.names).filter((n) => n !== 'pg_catalog' && n !== 'public');
  const mods = (typeName.typmods ?? []).map((m) => {
    const c = nodeOf<{ ival?: { ival?: number } }>(m, 'A_Const');
    if (c === undefined) throw new Error(`unsupported type modifier ${JSON.stringify(m)}`);
    return String(c.ival?.ival ?? 0);
  });
  const arrays = '[]'.repeat(typeName.arrayBounds?.length ?? 0);
  return `${names.join('.')}${mods.length > 0 ? `(${mods.join(',')})` : ''}${arrays}`;
}

/** The type text of a type written in schema.yaml, through the same parser. */
function yamlTypeText(text: string): string {
  const stmt = nodeOf<CreateStmt>(parseSql(`CREATE TABLE t (c ${text})`).stmts?.[0]?.stmt, 'CreateStmt');
  const column = nodeOf<ColumnDef>(stmt?.tableElts?.[0], 'ColumnDef');
  return typeText(column?.typeName);
}

const SERIALS = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2']);

/** PostgreSQL's name for an unnamed constraint (the fixture's names are all short). */
function generatedName(table: string, parts: readonly string[], suffix: string): string {
  const name = [table, ...parts, suffix].join('_');
  if (Buffer.byteLength(name) > 63) throw new Error(`${name}: longer than 63 bytes, which this test does not truncate`);
  return name;
}

function checkName(table: string, expression: unknown): string {
  const refs = [...columnRefs(expression)];
  return generatedName(table, refs.length === 1 ? refs : [], 'check');
}

const FK_ACTIONS: Readonly<Record<string, FkAction>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

function fkAction(code: string | undefined): FkAction {
  const action = FK_ACTIONS[code ?? 'a'];
  if (action === undefined) throw new Error(`unknown foreign key action ${code}`);
  return action;
}

// ---------------------------------------------------------------------------------------------
// init.sql → catalog.

function qualified(schema: string | undefined, name: string | undefined): string {
  return `${schema ?? 'public'}.${name ?? ''}`;
}

function tableOf(catalog: Catalog, key: string, what: string): TableFacts {
  const table = catalog.tables[key];
  if (table === undefined) throw new Error(`${what}: table ${key} is not created before`);
  return table;
}

function addSqlConstraint(table: TableFacts, tableName: string, con: Constraint, column: string | undefined): void {
  const keys = column !== undefined && (con.keys ?? []).length === 0 ? [column] : strings(con.keys);
  switch (con.contype) {
    case 'CONSTR_NOTNULL':
    case 'CONSTR_NULL':
    case 'CONSTR_DEFAULT':
      return; // read with the column
    case 'CONSTR_PRIMARY':
      table.primaryKey = { name: con.conname ?? generatedName(tableName, [], 'pkey'), columns: keys };
      return;
    case 'CONSTR_UNIQUE':
      table.uniques.push({
        name: con.conname ?? generatedName(tableName, keys, 'key'),
        columns: keys,
        nullsNotDistinct: con.nulls_not_distinct ?? false,
        deferrable: con.deferrable ?? false,
        initiallyDeferred: con.initdeferred ?? false,
      });
      return;
    case 'CONSTR_CHECK': {
      if (con.raw_expr === undefined) throw new Error(`${tableName}: a CHECK without an expression`);
      table.checks.push({ name: con.conname ?? checkName(tableName, con.raw_expr), expression: treeKey(con.raw_expr) });
      return;
    }
    case 'CONSTR_FOREIGN': {
      const columns = column !== undefined && (con.fk_attrs ?? []).length === 0 ? [column] : strings(con.fk_attrs);
      const refColumns = strings(con.pk_attrs);
      if (refColumns.length === 0) throw new Error(`${tableName}: REFERENCES without columns is not read by this test`);
      table.foreignKeys.push({
        name: con.conname ?? generatedName(tableName, columns, 'fkey'),
        columns,
        references: { schema: con.pktable?.schemaname ?? 'public', table: con.pktable?.relname ?? '', columns: refColumns },
        onDelete: fkAction(con.fk_del_action),
        onUpdate: fkAction(con.fk_upd_action),
        match: con.fk_matchtype === 'f' ? 'full' : 'simple',
        deferrable: con.deferrable ?? false,
        initiallyDeferred: con.initdeferred ?? false,
      });
      return;
    }
    default:
      throw new Error(`${tableName}: constraint kind ${con.contype ?? '?'} is not read by this test: extend it`);
  }
}

function readCreateTable(catalog: Catalog, stmt: CreateStmt): void {
  const schema = stmt.relation?.schemaname ?? 'public';
  const name = stmt.relation?.relname ?? '';
  const table: TableFacts = { columns: [], uniques: [], checks: [], foreignKeys: [], indexes: [], triggers: [] };
  const columnConstraints: [Constraint, string][] = [];
  const tableConstraints: Constraint[] = [];
  for (const element of stmt.tableElts ?? []) {
    const [kind, value] = unwrap(element);
    if (kind === 'Constraint') {
      tableConstraints.push(value);
      continue;
    }
    if (kind !== 'ColumnDef') throw new Error(`${name}: table element ${kind} is not read by this test`);
    const col = value as ColumnDef;
    const colName = col.colname ?? '';
    const constraints = (col.constraints ?? []).map((c) => {
      const con = nodeOf<Constraint>(c, 'Constraint');
      if (con === undefined) throw new Error(`${name}.${colName}: unexpected column element`);
      return con;
    });
    const def = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
    const type = typeText(col.typeName);
    if (col.collClause !== undefined) throw new Error(`${name}.${colName}: COLLATE is not read by this test`);
    table.columns.push({
      name: colName,
      type,
      notNull: constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') || SERIALS.has(type),
      ...(def !== undefined ? { default: treeKey(def) } : {}),
    });
    for (const con of constraints) columnConstraints.push([con, colName]);
  }
  for (const [con, column] of columnConstraints) addSqlConstraint(table, name, con, column);
  for (const con of tableConstraints) addSqlConstraint(table, name, con, undefined);
  // A table-level primary key makes its columns NOT NULL too.
  const pk = new Set(table.primaryKey?.columns ?? []);
  table.columns.forEach((c, i) => {
    if (pk.has(c.name) && !c.notNull) table.columns[i] = { ...c, notNull: true };
  });
  catalog.tables[qualified(schema, name)] = table;
}

function readCreateIndex(catalog: Catalog, stmt: IndexStmt): void {
  const key = qualified(stmt.relation?.schemaname, stmt.relation?.relname);
  const table = tableOf(catalog, key, `index ${stmt.idxname ?? '?'}`);
  const keys = (stmt.indexParams ?? []).map((p): IndexKeyFacts => {
    const elem = nodeOf<{
      name?: string;
      expr?: PgNode;
      opclass?: PgNode[];
      ordering?: string;
      nulls_ordering?: string;
      collation?: PgNode[];
    }>(p, 'IndexElem');
    if (elem === undefined) throw new Error(`${stmt.idxname ?? '?'}: unexpected index element`);
    if ((elem.collation ?? []).length > 0) throw new Error(`${stmt.idxname ?? '?'}: COLLATE is not read by this test`);
    const order = elem.ordering === 'SORTBY_DESC' ? 'desc' : 'asc';
    const nulls =
      elem.nulls_ordering === 'SORTBY_NULLS_FIRST'
        ? 'first'
        : elem.nulls_ordering === 'SORTBY_NULLS_LAST'
          ? 'last'
          : order === 'desc'
            ? 'first'
            : 'last';
    const opclass = strings(elem.opclass).at(-1);
    return {
      ...(elem.name !== undefined ? { column: elem.name } : {}),
      ...(elem.expr !== undefined ? { expression: treeKey(elem.expr) } : {}),
      ...(opclass !== undefined ? { opclass } : {}),
      order,
      nulls,
    };
  });
  const withParams: Record<string, string> = {};
  for (const option of stmt.options ?? []) {
    const def = nodeOf<{ defname?: string; arg?: PgNode }>(option, 'DefElem');
    if (def?.defname === undefined || def.arg === undefined) throw new Error(`${stmt.idxname ?? '?'}: unexpected WITH option`);
    const [, argValue] = unwrap(def.arg);
    const v = argValue as { ival?: number; sval?: string; fval?: string; boolval?: boolean };
    withParams[def.defname] = String(v.ival ?? v.sval ?? v.fval ?? v.boolval ?? 0);
  }
  table.indexes.push({
    name: stmt.idxname ?? '',
    unique: stmt.unique ?? false,
    using: stmt.accessMethod ?? 'btree',
    keys,
    include: (stmt.indexIncludingParams ?? []).map((p) => nodeOf<{ name?: string }>(p, 'IndexElem')?.name ?? ''),
    ...(stmt.whereClause !== undefined ? { where: treeKey(stmt.whereClause) } : {}),
    with: withParams,
  });
}

const TRIGGER_BEFORE = 1 << 1;
const TRIGGER_INSTEAD = 1 << 6;
const TRIGGER_EVENTS: readonly [number, string][] = [
  [1 << 2, 'insert'],
  [1 << 4, 'update'],
  [1 << 3, 'delete'],
  [1 << 5, 'truncate'],
];

function readCreateTrigger(catalog: Catalog, stmt: CreateTrigStmt): void {
  const table = tableOf(catalog, qualified(stmt.relation?.schemaname, stmt.relation?.relname), `trigger ${stmt.trigname ?? '?'}`);
  const timing = stmt.timing ?? 0;
  const events = stmt.events ?? 0;
  const fn = strings(stmt.funcname);
  table.triggers.push({
    name: stmt.trigname ?? '',
    timing: (timing & TRIGGER_INSTEAD) !== 0 ? 'instead of' : (timing & TRIGGER_BEFORE) !== 0 ? 'before' : 'after',
    events: TRIGGER_EVENTS.filter(([bit]) => (events & bit) !== 0).map(([, name]) => name),
    updateOf: strings(stmt.columns),
    level: stmt.row === true ? 'row' : 'statement',
    ...(stmt.whenClause !== undefined ? { when: treeKey(stmt.whenClause) } : {}),
    function: fn.length === 1 ? `public.${fn[0] ?? ''}` : fn.join('.'),
    arguments: strings(stmt.args),
  });
}

function readCreateFunction(catalog: Catalog, stmt: CreateFunctionStmt): void {
  const name = strings(stmt.funcname);
  const key = name.length === 1 ? `public.${name[0] ?? ''}` : name.join('.');
  const option = (defname: string): PgNode | undefined =>
    (stmt.options ?? []).map((o) => nodeOf<{ defname?: string; arg?: PgNode }>(o, 'DefElem')).find((d) => d?.defname === defname)?.arg;
  const language = nodeOf<{ sval?: string }>(option('language'), 'String')?.sval;
  const body = strings(nodeOf<{ items?: PgNode[] }>(option('as'), 'List')?.items)[0];
  if (language === undefined || body === undefined) throw new Error(`function ${key}: no LANGUAGE or body`);
  const volatility = nodeOf<{ sval?: string }>(option('volatility'), 'String')?.sval ?? 'volatile';
  const strict = nodeOf<{ boolval?: boolean }>(option('strict'), 'Boolean')?.boolval ?? false;
  const definer = nodeOf<{ boolval?: boolean }>(option('security'), 'Boolean')?.boolval ?? false;
  catalog.functions[key] = {
    returns: typeText(stmt.returnType),
    language,
    arguments: (stmt.parameters ?? []).map((p) => {
      const param = nodeOf<{ name?: string; argType?: TypeName }>(p, 'FunctionParameter');
      return { ...(param?.name !== undefined ? { name: param.name } : {}), type: typeText(param?.argType) };
    }),
    body,
    volatility,
    strict,
    security: definer ? 'definer' : 'invoker',
  };
}

function readComment(catalog: Catalog, stmt: { objtype?: string; object?: PgNode; comment?: string }): void {
  const comment = stmt.comment;
  if (comment === undefined) return;
  const target = stmt.object;
  switch (stmt.objtype) {
    case 'OBJECT_TABLE': {
      const parts = strings(nodeOf<{ items?: PgNode[] }>(target, 'List')?.items);
      const key = parts.length === 1 ? `public.${parts[0] ?? ''}` : parts.join('.');
      tableOf(catalog, key, 'COMMENT ON TABLE').comment = comment;
      return;
    }
    case 'OBJECT_COLUMN': {
      const parts = strings(nodeOf<{ items?: PgNode[] }>(target, 'List')?.items);
      const column = parts.pop();
      const key = parts.length === 1 ? `public.${parts[0] ?? ''}` : parts.join('.');
      const table = tableOf(catalog, key, 'COMMENT ON COLUMN');
      const index = table.columns.findIndex((c) => c.name === column);
      const facts = table.columns[index];
      if (facts === undefined) throw new Error(`COMMENT ON COLUMN ${key}.${column ?? ''}: no such column`);
      table.columns[index] = { ...facts, comment };
      return;
    }
    default:
      throw new Error(`COMMENT ON ${stmt.objtype ?? '?'} is not read by this test: extend it`);
  }
}

/** Reads init.sql's statements into a catalog; unknown statements are errors, never skipped. */
function catalogFromSql(sql: string): Catalog {
  const catalog = emptyCatalog();
  for (const raw of parseSql(sql).stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const [kind, value] = unwrap(raw.stmt);
    switch (kind) {
      case 'CreateExtensionStmt': {
        const ext = value as { extname?: string; options?: PgNode[] };
        const options: Record<string, string> = {};
        for (const o of ext.options ?? []) {
          const def = nodeOf<{ defname?: string; arg?: PgNode }>(o, 'DefElem');
          const arg = nodeOf<{ sval?: string }>(def?.arg, 'String')?.sval;
          if (def?.defname === undefined || arg === undefined) throw new Error('unexpected CREATE EXTENSION option');
          options[def.defname] = arg;
        }
        catalog.extensions[ext.extname ?? ''] = options;
        break;
      }
      case 'CreateEnumStmt': {
        const e = value as { typeName?: PgNode[]; vals?: PgNode[] };
        const name = strings(e.typeName);
        catalog.enums[name.length === 1 ? `public.${name[0] ?? ''}` : name.join('.')] = strings(e.vals);
        break;
      }
      case 'CreateStmt':
        readCreateTable(catalog, value);
        break;
      case 'IndexStmt':
        readCreateIndex(catalog, value);
        break;
      case 'CreateTrigStmt':
        readCreateTrigger(catalog, value);
        break;
      case 'CreateFunctionStmt':
        readCreateFunction(catalog, value);
        break;
      case 'CommentStmt':
        readComment(catalog, value);
        break;
      default:
        throw new Error(`init.sql: ${kind} is not read by this test: extend it`);
    }
  }
  return sortCatalog(catalog);
}

// ---------------------------------------------------------------------------------------------
// schema.yaml → catalog (format version 1, docs/format.md).

type Raw = Record<string, unknown>;

function asMap(value: unknown, where: string): Raw {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  return value as Raw;
}

function asList(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value;
}

function asText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected text, got ${JSON.stringify(value)}`);
}

function optText(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : asText(value, where);
}

function textList(value: unknown, where: string): string[] {
  return asList(value, where).map((v, i) => asText(v, `${where}[${i}]`));
}

function yamlFkAction(value: unknown, where: string): FkAction {
  const text = optText(value, where) ?? 'no action';
  if (!Object.values(FK_ACTIONS).includes(text as FkAction)) throw new Error(`${where}: unknown action ${text}`);
  return text as FkAction;
}

/** The exact key of an expression written as text: its parse tree without positions. */
function exactKey(sql: string): string {
  return treeKey(parseExpression(sql));
}

function yamlTable(schema: string, name: string, raw: Raw, exprKey: (sql: string) => string): TableFacts {
  const where = `schemas.${schema}.tables.${name}`;
  const pkRaw = raw.primary_key;
  const pkColumns = Array.isArray(pkRaw) ? textList(pkRaw, `${where}.primary_key`) : textList(asMap(pkRaw, where).columns, where);
  const pkName = Array.isArray(pkRaw) ? undefined : optText(asMap(pkRaw, where).name, where);
  const pkSet = new Set(pkColumns);
  const columns = Object.entries(asMap(raw.columns, `${where}.columns`)).map(([colName, value]): ColumnFacts => {
    const col = asMap(value, `${where}.columns.${colName}`);
    const type = yamlTypeText(asText(col.type, `${where}.columns.${colName}.type`));
    const def = optText(col.default, `${where}.columns.${colName}.default`);
    const identity = col.identity === undefined ? undefined : JSON.stringify(col.identity);
    const generated = optText(col.generated, where);
    const collation = optText(col.collation, where);
    const comment = optText(col.comment, where);
    return {
      name: colName,
      type,
      notNull: col.nullable === false || pkSet.has(colName) || SERIALS.has(type),
      ...(def !== undefined ? { default: exprKey(def) } : {}),
      ...(identity !== undefined ? { identity } : {}),
      ...(generated !== undefined ? { generated: exprKey(generated) } : {}),
      ...(collation !== undefined ? { collation } : {}),
      ...(comment !== undefined ? { comment } : {}),
    };
  });
  const uniques = asList(raw.unique, `${where}.unique`).map((u, i): UniqueFacts => {
    const m = asMap(u, `${where}.unique[${i}]`);
    const cols = textList(m.columns, `${where}.unique[${i}].columns`);
    return {
      name: optText(m.name, where) ?? generatedName(name, cols, 'key'),
      columns: cols,
      nullsNotDistinct: m.nulls_not_distinct === true,
      deferrable: m.deferrable === true,
      initiallyDeferred: m.initially_deferred === true,
    };
  });
  const checks = asList(raw.checks, `${where}.checks`).map((c, i): CheckFacts => {
    const m = asMap(c, `${where}.checks[${i}]`);
    const expression = asText(m.expression, `${where}.checks[${i}].expression`);
    return { name: optText(m.name, where) ?? checkName(name, parseExpression(expression)), expression: exprKey(expression) };
  });
  const foreignKeys = asList(raw.foreign_keys, `${where}.foreign_keys`).map((f, i): ForeignKeyFacts => {
    const at = `${where}.foreign_keys[${i}]`;
    const m = asMap(f, at);
    const cols = textList(m.columns, `${at}.columns`);
    const ref = asMap(m.references, `${at}.references`);
    return {
      name: optText(m.name, at) ?? generatedName(name, cols, 'fkey'),
      columns: cols,
      references: {
        schema: optText(ref.schema, at) ?? schema,
        table: asText(ref.table, `${at}.references.table`),
        columns: textList(ref.columns, `${at}.references.columns`),
      },
      onDelete: yamlFkAction(m.on_delete, `${at}.on_delete`),
      onUpdate: yamlFkAction(m.on_update, `${at}.on_update`),
      match: m.match === 'full' ? 'full' : 'simple',
      deferrable: m.deferrable === true,
      initiallyDeferred: m.initially_deferred === true,
    };
  });
  const indexes = Object.entries(asMap(raw.indexes, `${where}.indexes`)).map(([indexName, value]): IndexFacts => {
    const at = `${where}.indexes.${indexName}`;
    const m = asMap(value, at);
    const keys = asList(m.columns, `${at}.columns`).map((k, i): IndexKeyFacts => {
      if (typeof k === 'string') return { column: k, order: 'asc', nulls: 'last' };
      const key = asMap(k, `${at}.columns[${i}]`);
      if (key.collation !== undefined) throw new Error(`${at}: key collation is not read by this test`);
      const order = key.order === 'desc' ? 'desc' : 'asc';
      const column = optText(key.column, at);
      const expression = optText(key.expression, at);
      const opclass = optText(key.opclass, at);
      return {
        ...(column !== undefined ? { column } : {}),
        ...(expression !== undefined ? { expression: exprKey(expression) } : {}),
        ...(opclass !== undefined ? { opclass } : {}),
        order,
        nulls: key.nulls === 'first' || key.nulls === 'last' ? key.nulls : order === 'desc' ? 'first' : 'last',
      };
    });
    const withParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(asMap(m.with, `${at}.with`))) withParams[k] = asText(v, `${at}.with.${k}`);
    const whereText = optText(m.where, at);
    return {
      name: indexName,
      unique: m.unique === true,
      using: optText(m.using, at) ?? 'btree',
      keys,
      include: textList(m.include, `${at}.include`),
      ...(whereText !== undefined ? { where: exprKey(whereText) } : {}),
      with: withParams,
    };
  });
  const triggers = Object.entries(asMap(raw.triggers, `${where}.triggers`)).map(([triggerName, value]): TriggerFacts => {
    const at = `${where}.triggers.${triggerName}`;
    const m = asMap(value, at);
    const fn = asText(m.function, `${at}.function`);
    const when = optText(m.when, at);
    const order = TRIGGER_EVENTS.map(([, e]) => e);
    return {
      name: triggerName,
      timing: asText(m.timing, `${at}.timing`) as TriggerFacts['timing'],
      events: textList(m.events, `${at}.events`).sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      updateOf: textList(m.update_of, `${at}.update_of`),
      level: m.for_each === 'row' ? 'row' : 'statement',
      ...(when !== undefined ? { when: exprKey(when) } : {}),
      function: fn.includes('.') ? fn : `${schema}.${fn}`,
      arguments: textList(m.arguments, `${at}.arguments`),
    };
  });
  const comment = optText(raw.comment, where);
  return {
    columns,
    ...(pkColumns.length > 0 ? { primaryKey: { name: pkName ?? generatedName(name, [], 'pkey'), columns: pkColumns } } : {}),
    uniques,
    checks,
    foreignKeys,
    indexes,
    triggers,
    ...(comment !== undefined ? { comment } : {}),
  };
}

/**
 * Reads a schema.yaml document. `exprKey` keys expressions: exact parse trees (default) to
 * compare with init.sql, or the model's canonical keys to compare with a loaded model.
 */
function catalogFromYaml(doc: Raw, exprKey: (sql: string) => string = exactKey): Catalog {
  const catalog = emptyCatalog();
  for (const [name, options] of Object.entries(asMap(doc.extensions, 'extensions'))) {
    const o: Record<string, string> = {};
    for (const [k, v] of Object.entries(asMap(options, `extensions.${name}`))) o[k] = asText(v, `extensions.${name}.${k}`);
    catalog.extensions[name] = o;
  }
  for (const [schema, value] of Object.entries(asMap(doc.schemas, 'schemas'))) {
    const s = asMap(value, `schemas.${schema}`);
    const comment = optText(s.comment, `schemas.${schema}.comment`);
    if (comment !== undefined && !(schema === 'public' && comment === PUBLIC_SCHEMA_COMMENT)) {
      catalog.schemaComments[schema] = comment;
    }
    for (const [name, e] of Object.entries(asMap(s.enums, `schemas.${schema}.enums`))) {
      catalog.enums[`${schema}.${name}`] = asList(asMap(e, name).values, `${name}.values`).map((v) =>
        typeof v === 'string' ? v : asText(asMap(v, name).name, name),
      );
    }
    for (const [name, f] of Object.entries(asMap(s.functions, `schemas.${schema}.functions`))) {
      const at = `schemas.${schema}.functions.${name}`;
      const m = asMap(f, at);
      catalog.functions[`${schema}.${name}`] = {
        returns: yamlTypeText(asText(m.returns, `${at}.returns`)),
        language: asText(m.language, `${at}.language`),
        arguments: asList(m.arguments, `${at}.arguments`).map((a, i) => {
          const arg = asMap(a, `${at}.arguments[${i}]`);
          const argName = optText(arg.name, at);
          return { ...(argName !== undefined ? { name: argName } : {}), type: yamlTypeText(asText(arg.type, at)) };
        }),
        body: asText(m.body, `${at}.body`),
        volatility: optText(m.volatility, at) ?? 'volatile',
        strict: m.strict === true,
        security: m.security === 'definer' ? 'definer' : 'invoker',
      };
    }
    for (const [name, t] of Object.entries(asMap(s.tables, `schemas.${schema}.tables`))) {
      catalog.tables[`${schema}.${name}`] = yamlTable(schema, name, asMap(t, `schemas.${schema}.tables.${name}`), exprKey);
    }
  }
  return sortCatalog(catalog);
}

// ---------------------------------------------------------------------------------------------
// The loaded model → catalog (types and expressions compared canonically: the model's forms).

function modelTypeText(type: string): string {
  return yamlTypeText(type);
}

/** serial columns come back as integer + nextval('<table>_<column>_seq'::regclass). */
function serialOf(type: string, def: string | undefined, table: string, column: string): string | undefined {
  if (def === undefined || !def.includes(`nextval('${table}_${column}_seq'`)) return undefined;
  return { int4: 'serial', int8: 'bigserial', int2: 'smallserial' }[type];
}

function catalogFromModel(model: SchemaModel, exprKey: (sql: string) => string): Catalog {
  const catalog = emptyCatalog();
  for (const e of model.extensions) {
    catalog.extensions[e.name] = {
      ...(e.schema !== undefined ? { schema: e.schema } : {}),
      ...(e.version !== undefined ? { version: e.version } : {}),
    };
  }
  for (const s of model.schemas) {
    if (s.comment !== undefined && !(s.name === 'public' && s.comment === PUBLIC_SCHEMA_COMMENT))
      catalog.schemaComments[s.name] = s.comment;
  }
  for (const e of model.enums) catalog.enums[`${e.schema}.${e.name}`] = e.values;
  for (const f of model.functions) {
    catalog.functions[`${f.schema}.${f.name}`] = {
      returns: modelTypeText(f.returns),
      language: f.language,
      arguments: f.arguments.map((a) => ({ ...(a.name !== undefined ? { name: a.name } : {}), type: modelTypeText(a.type) })),
      body: f.body,
      volatility: f.volatility,
      strict: f.strict,
      security: f.security,
    };
  }
  for (const t of model.tables) {
    const columns = t.columns.map((c): ColumnFacts => {
      const type = modelTypeText(c.type);
      const serial = serialOf(type, c.default, t.name, c.name);
      return {
        name: c.name,
        type: serial ?? type,
        notNull: !c.nullable,
        ...(c.default !== undefined && serial === undefined ? { default: exprKey(c.default) } : {}),
        ...(c.identity !== undefined ? { identity: JSON.stringify(c.identity.kind) } : {}),
        ...(c.generated !== undefined ? { generated: exprKey(c.generated) } : {}),
        ...(c.collation !== undefined ? { collation: c.collation } : {}),
        ...(c.comment !== undefined ? { comment: c.comment } : {}),
      };
    });
    catalog.tables[`${t.schema}.${t.name}`] = {
      columns,
      ...(t.primaryKey !== undefined ? { primaryKey: { name: t.primaryKey.name, columns: t.primaryKey.columns } } : {}),
      uniques: t.uniques.map((u) => ({
        name: u.name,
        columns: u.columns,
        nullsNotDistinct: u.nullsNotDistinct,
        deferrable: u.deferrable,
        initiallyDeferred: u.initiallyDeferred,
      })),
      checks: t.checks.map((c) => ({ name: c.name, expression: exprKey(c.expression) })),
      foreignKeys: t.foreignKeys.map((f) => ({
        name: f.name,
        columns: f.columns,
        references: { schema: f.references.schema, table: f.references.table, columns: f.references.columns },
        onDelete: f.onDelete,
        onUpdate: f.onUpdate,
        match: f.match,
        deferrable: f.deferrable,
        initiallyDeferred: f.initiallyDeferred,
      })),
      indexes: t.indexes.map((i) => ({
        name: i.name,
        unique: i.unique,
        using: i.using,
        keys: i.keys.map((k) => ({
          ...(k.column !== undefined ? { column: k.column } : {}),
          ...(k.expression !== undefined ? { expression: exprKey(k.expression) } : {}),
          ...(k.opclass !== undefined ? { opclass: k.opclass } : {}),
          order: k.order,
          nulls: k.nulls,
        })),
        include: i.include,
        ...(i.where !== undefined ? { where: exprKey(i.where) } : {}),
        with: i.with,
      })),
      triggers: t.triggers.map((g) => ({
        name: g.name,
        timing: g.timing,
        events: g.events,
        updateOf: g.updateOf,
        level: g.level,
        ...(g.when !== undefined ? { when: exprKey(g.when) } : {}),
        function: `${g.function.schema}.${g.function.name}`,
        arguments: g.arguments,
      })),
      ...(t.comment !== undefined ? { comment: t.comment } : {}),
    };
  }
  return sortCatalog(catalog);
}

/** The YAML catalog with its identity kinds in the model's shape (`"always"` → kind only). */
function yamlIdentityAsKind(catalog: Catalog): Catalog {
  const tables: Record<string, TableFacts> = {};
  for (const [key, t] of Object.entries(catalog.tables)) {
    tables[key] = {
      ...t,
      columns: t.columns.map((c) => {
        if (c.identity === undefined) return c;
        const parsed: unknown = JSON.parse(c.identity);
        const kind = typeof parsed === 'string' ? parsed : (parsed as { kind?: string }).kind;
        return { ...c, identity: JSON.stringify(kind) };
      }),
    };
  }
  return { ...catalog, tables };
}

// ---------------------------------------------------------------------------------------------

describe('schema.yaml declares the whole Slidefactory fixture (init.sql)', () => {
  let fromSql: Catalog;
  let fromYaml: Catalog;
  let yamlText: string;

  beforeAll(async () => {
    await initParser();
    fromSql = catalogFromSql(readFileSync(INIT_SQL, 'utf8'));
    yamlText = readFileSync(SCHEMA_YAML, 'utf8');
    fromYaml = catalogFromYaml(asMap(parseYaml(yamlText, { uniqueKeys: true }), 'schema.yaml'));
  });

  it('starts with the yaml-language-server line and declares format version 1', () => {
    expect(yamlText.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/pgreconcile.schema.json');
    expect(asMap(parseYaml(yamlText), 'schema.yaml').version).toBe(1);
  });

  it('the fixture cases carry exact copies of init.sql and schema.yaml', () => {
    expect(readFileSync(INIT_SQL, 'utf8')).toBe(readFileSync(FIXTURE_INIT_SQL, 'utf8'));
    for (const name of ['from-empty', 'from-init-sql']) {
      expect(readFileSync(resolve(ROOT, 'test/cases/fixture', name, 'schema.yaml'), 'utf8'), name).toBe(yamlText);
    }
    expect(readFileSync(resolve(ROOT, 'test/cases/fixture/fixed/before.sql'), 'utf8')).toBe(readFileSync(INIT_SQL, 'utf8'));
  });

  it('the parse of init.sql found the objects (the test reads what it should)', () => {
    expect(Object.keys(fromSql.tables).length).toBeGreaterThan(10);
    expect(Object.keys(fromSql.enums).length).toBeGreaterThan(0);
    expect(Object.keys(fromSql.functions).length).toBeGreaterThan(0);
    expect(Object.values(fromSql.tables).some((t) => t.triggers.length > 0)).toBe(true);
  });

  it('extensions', () => {
    expect(fromYaml.extensions).toEqual(fromSql.extensions);
  });

  it('enums with their values, in order', () => {
    expect(fromYaml.enums).toEqual(fromSql.enums);
  });

  it('the same tables, no more and no fewer', () => {
    expect(Object.keys(fromYaml.tables).sort()).toEqual(Object.keys(fromSql.tables).sort());
  });

  it('every column: order, type, nullability, default, comment', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.columns, key).toEqual(table.columns);
    }
  });

  it('primary keys and unique constraints (inline and table-level), with their names', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.primaryKey, `${key} primary key`).toEqual(table.primaryKey);
      expect(fromYaml.tables[key]?.uniques, `${key} unique`).toEqual(table.uniques);
    }
  });

  it('check constraints (inline and table-level), with their names and expressions', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.checks, key).toEqual(table.checks);
    }
  });

  it('foreign keys (inline REFERENCES and table-level), with their actions', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.foreignKeys, key).toEqual(table.foreignKeys);
    }
  });

  it('indexes: method, keys, opclasses, order, expressions, predicates, storage parameters', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.indexes, key).toEqual(table.indexes);
    }
  });

  it('triggers', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.triggers, key).toEqual(table.triggers);
    }
  });

  it('functions, with the body exactly as init.sql writes it', () => {
    expect(fromYaml.functions).toEqual(fromSql.functions);
  });

  it('comments on tables and columns (and no schema comment beyond PostgreSQL’s own)', () => {
    for (const [key, table] of Object.entries(fromSql.tables)) {
      expect(fromYaml.tables[key]?.comment, key).toEqual(table.comment);
    }
    expect(fromYaml.schemaComments).toEqual(fromSql.schemaComments);
  });

  it('is the same catalog as a whole', () => {
    expect(fromYaml).toEqual(fromSql);
  });

  describe('loaded through loadDesiredState', () => {
    it('gives a model with the same objects as schema.yaml says', async () => {
      const desired = await loadDesiredState(SCHEMA_YAML);
      const fromModel = catalogFromModel(desired.model, expressionKey);
      // The file's catalog with the model's canonical expression keys (the exact trees were
      // compared with init.sql above); types are compared through the same parser.
      const yamlWithModelKeys = yamlIdentityAsKind(catalogFromYaml(asMap(parseYaml(yamlText), 'schema.yaml'), expressionKey));
      expect(fromModel).toEqual(yamlWithModelKeys);
    });
  });
});
