/**
 * Names exactly as PostgreSQL generates them when a statement leaves them out
 * (`makeObjectName`, `ChooseRelationName`, `ChooseConstraintName`, `ChooseIndexColumnNames`
 * in PostgreSQL's sources): parts joined with `_`, the label last, and the result cut to
 * 63 bytes by shortening the longer of the two name parts first, never inside a UTF-8 character.
 *
 * Every function takes an optional `taken` set: PostgreSQL appends 1, 2, … to the label
 * (`t_a_key1`) when the name already exists (relations for index/sequence names, constraints
 * of the schema for constraint names). Pass the names in use to reproduce that.
 */
import { parseSql } from '../sql/parser.js';

/** NAMEDATALEN - 1: the longest identifier in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not split a character. */
export function clipBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const width = byteLength(char);
    if (bytes + width > maxBytes) break;
    bytes += width;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * PostgreSQL's makeObjectName: `name1[_name2][_label]` in at most 63 bytes, shortening
 * the longer of `name1`/`name2` first.
 *
 * @example
 * makeObjectName('orders', 'customer_id', 'fkey')   // 'orders_customer_id_fkey'
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  // Underscores and the label are never shortened; the two names share what is left.
  const overhead = (name2 !== undefined ? 1 : 0) + (label !== undefined ? byteLength(label) + 1 : 0);
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let chars1 = byteLength(name1);
  let chars2 = name2 !== undefined ? byteLength(name2) : 0;
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) chars1 -= 1;
    else chars2 -= 1;
  }
  let result = clipBytes(name1, chars1);
  if (name2 !== undefined) result += `_${clipBytes(name2, chars2)}`;
  if (label !== undefined) result += `_${label}`;
  return result;
}

/** Tries `label`, `label1`, `label2`, … until the name is not in `taken`. */
function choose(name1: string, name2: string | undefined, label: string, taken?: ReadonlySet<string>): string {
  let candidate = makeObjectName(name1, name2, label);
  for (let pass = 1; taken?.has(candidate) === true; pass++) {
    candidate = makeObjectName(name1, name2, `${label}${pass}`);
  }
  return candidate;
}

/**
 * PostgreSQL's ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names
 * joined with `_`, stopping once the text reaches 64 bytes (it is cut later).
 */
function nameAddition(names: readonly string[]): string {
  let result = '';
  for (const name of names) {
    if (result !== '') result += '_';
    result += clipBytes(name, MAX_IDENTIFIER_BYTES + 1);
    if (byteLength(result) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return result;
}

/**
 * PostgreSQL's ChooseIndexColumnNames: a repeated name gets a number (`a`, `a1`, …).
 * Expressions are named by `indexKeyName`.
 */
function uniqueColumnNames(names: readonly string[]): string[] {
  const result: string[] = [];
  for (const original of names) {
    let current = original;
    for (let i = 1; result.includes(current); i++) {
      const suffix = String(i);
      current = clipBytes(original, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
    }
    result.push(current);
  }
  return result;
}

/**
 * `<table>_pkey`.
 *
 * @example
 * defaultPrimaryKeyName('users')  // 'users_pkey'
 */
export function defaultPrimaryKeyName(table: string, taken?: ReadonlySet<string>): string {
  return choose(table, undefined, 'pkey', taken);
}

/**
 * `<table>_<col>[_<col>…]_key` for a UNIQUE constraint. Pass INCLUDE columns after the key columns.
 *
 * @example
 * defaultUniqueName('users', ['email'])  // 'users_email_key'
 */
export function defaultUniqueName(table: string, columns: readonly string[], taken?: ReadonlySet<string>): string {
  return choose(table, nameAddition(uniqueColumnNames(columns)), 'key', taken);
}

/**
 * `<table>_<col>[_<col>…]_fkey`.
 *
 * @example
 * defaultForeignKeyName('orders', ['customer_id'])  // 'orders_customer_id_fkey'
 */
export function defaultForeignKeyName(table: string, columns: readonly string[], taken?: ReadonlySet<string>): string {
  return choose(table, nameAddition(columns), 'fkey', taken);
}

/**
 * `<table>_<col>_check` when the expression references exactly one distinct column, else
 * `<table>_check` (see `checkReferencedColumns`).
 *
 * @example
 * defaultCheckName('items', ['price'])          // 'items_price_check'
 * defaultCheckName('items', ['price', 'cost'])  // 'items_check'
 */
export function defaultCheckName(table: string, referencedColumns: readonly string[], taken?: ReadonlySet<string>): string {
  const distinct = [...new Set(referencedColumns)];
  return choose(table, distinct.length === 1 ? distinct[0] : undefined, 'check', taken);
}

/**
 * `<table>_<key>[_<key>…]_idx` for CREATE INDEX without a name. `keyNames` are the key
 * columns followed by INCLUDE columns; an expression key is named by `indexKeyName`
 * (`lower(email)` → `lower`, `(a + b)` → `expr`).
 *
 * @example
 * defaultIndexName('users', ['email'])            // 'users_email_idx'
 * defaultIndexName('users', ['lower', 'expr'])    // 'users_lower_expr_idx'
 */
export function defaultIndexName(table: string, keyNames: readonly string[], taken?: ReadonlySet<string>): string {
  return choose(table, nameAddition(uniqueColumnNames(keyNames)), 'idx', taken);
}

/**
 * `<table>_<column>_seq`, the sequence of a serial or identity column.
 *
 * @example
 * defaultSequenceName('users', 'id')  // 'users_id_seq'
 */
export function defaultSequenceName(table: string, column: string, taken?: ReadonlySet<string>): string {
  return choose(table, column, 'seq', taken);
}

type Json = Record<string, unknown>;

function expressionRoot(expression: string): unknown {
  const tree = parseSql(`SELECT (${expression}\n)`);
  const stmt = tree.stmts?.[0]?.stmt as Json | undefined;
  const select = stmt?.['SelectStmt'] as Json | undefined;
  const targets = select?.['targetList'] as readonly Json[] | undefined;
  return (targets?.[0]?.['ResTarget'] as Json | undefined)?.['val'];
}

function collectColumns(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectColumns(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Json;
  const ref = record['ColumnRef'] as Json | undefined;
  if (ref !== undefined) {
    const name = lastString(ref['fields']);
    if (name !== undefined && !into.includes(name)) into.push(name);
    return;
  }
  // pull_var_clause does not descend into sub-selects.
  if (record['SubLink'] !== undefined) return;
  for (const value of Object.values(record)) collectColumns(value, into);
}

/**
 * Distinct column names an expression references, in order of first use.
 * Throws `SqlSyntaxError` for invalid SQL.
 *
 * @example
 * checkReferencedColumns('price > 0 AND price < cost')  // ['price', 'cost']
 */
export function checkReferencedColumns(expression: string): string[] {
  const columns: string[] = [];
  collectColumns(expressionRoot(expression), columns);
  return columns;
}

const sqlValueFunctionNames: Readonly<Record<string, string>> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

type Figured = readonly [name: string, strength: 1 | 2] | undefined;

function lastString(list: unknown): string | undefined {
  let found: string | undefined;
  for (const item of (list as readonly Json[] | undefined) ?? []) {
    const sval = (item['String'] as Json | undefined)?.['sval'];
    if (typeof sval === 'string') found = sval;
  }
  return found;
}

/** PostgreSQL's FigureColnameInternal over a raw parse node: a name and its strength. */
function figureName(node: unknown): Figured {
  if (node === null || typeof node !== 'object') return undefined;
  const [kind, value] = Object.entries(node as Json)[0] ?? [];
  const body = (value ?? {}) as Json;
  const strong = (name: string | undefined): Figured => (name === undefined ? undefined : [name, 2]);
  const weak = (name: string | undefined): Figured => (name === undefined ? undefined : [name, 1]);
  switch (kind) {
    case 'ColumnRef':
      return strong(lastString(body['fields']));
    case 'A_Indirection':
      return strong(lastString(body['indirection'])) ?? figureName(body['arg']);
    case 'FuncCall':
      return strong(lastString(body['funcname']));
    case 'A_Expr':
      return body['kind'] === 'AEXPR_NULLIF' ? strong('nullif') : undefined;
    case 'TypeCast': {
      const inner = figureName(body['arg']);
      if (inner !== undefined && inner[1] > 1) return inner;
      return weak(lastString((body['typeName'] as Json | undefined)?.['names'])) ?? inner;
    }
    case 'CollateClause':
      return figureName(body['arg']);
    case 'GroupingFunc':
      return strong('grouping');
    case 'MergeSupportFunc':
      return strong('merge_action');
    case 'SubLink':
      return body['subLinkType'] === 'EXISTS_SUBLINK'
        ? strong('exists')
        : body['subLinkType'] === 'ARRAY_SUBLINK'
          ? strong('array')
          : undefined;
    case 'CaseExpr': {
      const result = figureName(body['defresult']);
      return result !== undefined && result[1] > 1 ? result : weak('case');
    }
    case 'A_ArrayExpr':
      return weak('array');
    case 'RowExpr':
      return weak('row');
    case 'CoalesceExpr':
      return strong('coalesce');
    case 'MinMaxExpr':
      return strong(body['op'] === 'IS_GREATEST' ? 'greatest' : 'least');
    case 'SQLValueFunction':
      return strong(sqlValueFunctionNames[String(body['op'])]);
    case 'XmlExpr':
      return typeof body['op'] === 'string' ? strong(body['op'].replace(/^IS_/, '').toLowerCase()) : undefined;
    case 'XmlSerialize':
      return strong('xmlserialize');
    default:
      return undefined;
  }
}

/**
 * The name PostgreSQL gives an index key when it names an index: the column, or for an
 * expression the function name (or `expr` when it has none).
 *
 * @example
 * indexKeyName({ column: 'email' })               // 'email'
 * indexKeyName({ expression: 'lower(email)' })    // 'lower'
 * indexKeyName({ expression: 'a + b' })           // 'expr'
 */
export function indexKeyName(key: { readonly column?: string; readonly expression?: string }): string {
  if (key.column !== undefined) return key.column;
  if (key.expression === undefined) return 'expr';
  return figureName(expressionRoot(key.expression))?.[0] ?? 'expr';
}
