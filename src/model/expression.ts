/**
 * Canonical comparison of SQL expressions as parse trees.
 *
 * A person writes `engine_type IN ('n8n', 'prefect')`; PostgreSQL stores and prints
 * `((engine_type)::text = ANY ((ARRAY['n8n'::character varying, 'prefect'::character varying])::text[]))`.
 * Both are parsed with PostgreSQL's grammar (libpg-query) and rewritten into one canonical
 * tree, discounting what the server adds when it stores an expression:
 *
 * - casts of constants (`'pending'::state` = `'pending'`, `'-1'::integer` = `-1`,
 *   `'t'::boolean` = `true`, `'{a,b}'::text[]` = `ARRAY['a', 'b']`);
 * - casts of column references and arrays to text-family types (`(name)::text` = `name`);
 * - `x IN (…)` = `x = ANY (ARRAY[…])`, `NOT IN` = `<> ALL`, `BETWEEN` = `>= AND <=`,
 *   `LIKE`/`ILIKE` = `~~`/`~~*`, nested AND/OR flattened, `CASE` without ELSE = `ELSE NULL`;
 * - `public.`/`pg_catalog.` on functions, operators and types; type spellings (through
 *   `parsedTypeOfNode`); `'public.seq'::regclass` = `'seq'::regclass`;
 * - the numeric cast of a column compared with a number (`(n)::numeric > 0.5` = `n > 0.5`);
 * - constants as the server prints them after folding: numbers (`1e3` = `1000`), bit strings,
 *   date/time literals (`'2020-01-01'` = `'2020-01-01 00:00:00+00'::timestamptz`).
 *
 * Date/time literals are compared as the server prints them with `TimeZone = 'UTC'` and
 * `DateStyle = 'ISO, MDY'`: every session pgreconcile opens runs with those (src/db/session-settings.ts),
 * so `'03/04/2020'` is read month first, as the server reads it.
 * Real differences (operators, functions, constants, columns) are kept.
 */
import { parseSql, SqlSyntaxError } from '../sql/parser.js';
import { parsedTypeOfNode, TypeNameError } from './type-names.js';
import type { ParsedType } from './type-names.js';
import { stableJson } from '../util/stable-json.js';
import { nameKey } from './object-ref.js';

type Json = Record<string, unknown>;

/** A canonical constant: `text` is null for NULL. */
interface ConstNode {
  readonly Const: { readonly kind: 'string' | 'number' | 'bool' | 'bits' | 'null'; readonly text: string | null };
}
/** An array whose elements are all constants, compared by element text. */
interface ConstArrayNode {
  readonly ConstArray: readonly (string | null)[];
}

const PREFIX = 'SELECT (\n';
const SUFFIX = '\n)';

/** Parse-tree keys that only say where something was written. */
const positionKeys: ReadonlySet<string> = new Set([
  'location',
  'name_location',
  'list_start',
  'list_end',
  'rexpr_list_start',
  'rexpr_list_end',
  'stmt_location',
  'stmt_len',
]);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nodeKind(node: unknown): [string, Json] | undefined {
  if (!isObject(node)) return undefined;
  const entries = Object.entries(node);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined || !/^[A-Z]/.test(first[0]) || !isObject(first[1])) return undefined;
  return [first[0], first[1]];
}

const isConst = (node: unknown): node is ConstNode => isObject(node) && 'Const' in node;
const isConstArray = (node: unknown): node is ConstArrayNode => isObject(node) && 'ConstArray' in node;
const constOf = (kind: ConstNode['Const']['kind'], text: string | null): ConstNode => ({ Const: { kind, text } });
const NULL_CONST: ConstNode = constOf('null', null);

/** Reads the single expression of `SELECT (\n<expr>\n)`, rejecting anything else. */
function expressionRoot(sql: string): unknown {
  let tree;
  try {
    tree = parseSql(`${PREFIX}${sql}${SUFFIX}`);
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      const cursor = error.cursor === undefined ? undefined : Math.min(Math.max(1, error.cursor - PREFIX.length), sql.length + 1);
      throw new SqlSyntaxError(error.message, sql, cursor);
    }
    throw error;
  }
  const stmts = tree.stmts ?? [];
  const select = stmts.length === 1 ? (stmts[0]?.stmt as Json | undefined)?.['SelectStmt'] : undefined;
  const extra = isObject(select) ? Object.keys(select).filter((k) => !['targetList', 'limitOption', 'op'].includes(k)) : ['?'];
  const targets = isObject(select) ? (select['targetList'] as readonly Json[] | undefined) : undefined;
  const target = targets?.length === 1 ? (targets[0]?.['ResTarget'] as Json | undefined) : undefined;
  if (extra.length > 0 || target === undefined || target['name'] !== undefined) {
    throw new SqlSyntaxError(`not a single expression: ${sql}`, sql);
  }
  return target['val'];
}

/** String values of a `names` list with a leading `pg_catalog`/`public` removed. */
function unqualified(list: unknown): string[] {
  const names = ((list as readonly Json[] | undefined) ?? []).map((n) => {
    const sval = (n['String'] as Json | undefined)?.['sval'];
    return typeof sval === 'string' ? sval : JSON.stringify(n);
  });
  return names.length > 1 && (names[0] === 'pg_catalog' || names[0] === 'public') ? names.slice(1) : names;
}

function parsedType(typeName: unknown): ParsedType | undefined {
  try {
    return parsedTypeOfNode(typeName, 'a cast in an expression');
  } catch (error) {
    if (error instanceof TypeNameError) return undefined;
    throw error;
  }
}

const numericTypes: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'oid']);
const textTypes: ReadonlySet<string> = new Set(['text', 'character varying', 'character', 'bpchar']);
const dateTimeTypes: ReadonlySet<string> = new Set(['date', 'timestamp without time zone', 'timestamp with time zone']);
const trueWords: ReadonlySet<string> = new Set(['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1']);
const falseWords: ReadonlySet<string> = new Set(['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0']);

/**
 * A number's text as numeric input would print it: `+007` → `7`, `1.50` → `1.50`,
 * `1e3` → `1000`, `.5` → `0.5`; undefined when the text is not a decimal number.
 */
function numberText(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText] = m;
  if (whole === '' && fraction === '') return undefined;
  let digits = whole + fraction;
  let point = whole.length + Number(exponentText ?? 0);
  // Scale as numeric keeps it: the written fraction digits, less the exponent, never negative.
  const scale = Math.max(0, fraction.length - Number(exponentText ?? 0));
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  const needed = point + scale;
  digits = digits.length < needed ? digits + '0'.repeat(needed - digits.length) : digits.slice(0, needed);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = digits.slice(point);
  const body = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  return sign === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * Parses a one-dimensional array literal (`{a,"b c",NULL}`); undefined for anything else
 * (nested arrays, bounds decoration, malformed text).
 */
function arrayLiteral(text: string): (string | null)[] | undefined {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return undefined;
  const inner = body.slice(1, -1);
  if (inner.trim() === '') return [];
  const items: (string | null)[] = [];
  let i = 0;
  for (;;) {
    while (inner[i] === ' ' || inner[i] === '\t' || inner[i] === '\n') i++;
    let value = '';
    let quoted = false;
    if (inner[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        const ch = inner[i];
        if (ch === undefined) return undefined;
        if (ch === '\\') {
          const next = inner[i + 1];
          if (next === undefined) return undefined;
          value += next;
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      while (inner[i] === ' ' || inner[i] === '\t' || inner[i] === '\n') i++;
    } else {
      for (;;) {
        const ch = inner[i];
        if (ch === undefined || ch === ',') break;
        if (ch === '{' || ch === '}' || ch === '"') return undefined;
        if (ch === '\\') {
          const next = inner[i + 1];
          if (next === undefined) return undefined;
          value += next;
          i += 2;
        } else {
          value += ch;
          i++;
        }
      }
      value = value.trim();
      if (value === '') return undefined;
    }
    items.push(!quoted && value.toLowerCase() === 'null' ? null : value);
    if (i >= inner.length) return items;
    if (inner[i] !== ',') return undefined;
    i++;
  }
}

/** `b101` / `x1F` (the scanner's bit-string forms) or `101` → the bits as 0/1 text. */
function bitText(text: string): string | undefined {
  const hex = /^[xX]([0-9a-fA-F]*)$/.exec(text);
  if (hex !== null) {
    return [...(hex[1] ?? '')].map((h) => Number.parseInt(h, 16).toString(2).padStart(4, '0')).join('');
  }
  const bin = /^[bB]?([01]*)$/.exec(text);
  return bin === null ? undefined : bin[1];
}

/**
 * A date/time literal in the form the server prints it (DateStyle ISO, TimeZone UTC):
 * `2020-01-01`, `2020-01-01 10:30:00`, `2020-01-01 00:00:00+00` and `2020-01-01T00:00Z` all
 * reduce to the same text. Offsets are applied; a midnight UTC instant prints as the date.
 */
function dateTimeText(text: string): string | undefined {
  // mm/dd/yyyy: how DateStyle MDY (pinned) reads a date with slashes.
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(.*)$/.exec(text.trim());
  if (us !== null) return dateTimeText(`${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}${us[4]}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
    text.trim(),
  );
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) return undefined;
  if (zone !== undefined && !/^(z|utc)$/i.test(zone)) {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z === null) return undefined;
    const minutes = Number(z[2]) * 60 + Number(z[3] ?? 0);
    ms -= (z[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  const iso = new Date(ms).toISOString();
  const fraction = frac.replace(/0+$/, '');
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19) + (fraction === '' ? '' : `.${fraction}`);
  return time === '00:00:00' ? date : `${date} ${time}`;
}

/** A string constant, read as an array literal when it is one. */
function stringConst(text: string): ConstNode | ConstArrayNode {
  const items = text.includes('{') ? arrayLiteral(text) : undefined;
  if (items !== undefined) return { ConstArray: items.map((item) => (item === null ? null : (dateTimeText(item) ?? item))) };
  return constOf('string', dateTimeText(text) ?? text);
}

/** `public.seq`, `seq`, `"Seq"` as regclass input → a canonical `schema.name` key. */
function regclassText(text: string): string {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(\.|$)/gy;
  let consumed = 0;
  for (let m = re.exec(text); m !== null && consumed < text.length; m = re.exec(text)) {
    parts.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? '').trim().toLowerCase());
    consumed = re.lastIndex;
    if (m[3] === '') break;
  }
  if (consumed !== text.length || parts.length === 0) return text;
  const visible = parts.length === 2 && (parts[0] === 'public' || parts[0] === 'pg_catalog') ? parts.slice(1) : parts;
  return visible.map((p) => JSON.stringify(p)).join('.');
}

function canonConst(body: Json): ConstNode | ConstArrayNode {
  if (body['isnull'] === true) return NULL_CONST;
  const ival = body['ival'] as Json | undefined;
  if (ival !== undefined) return constOf('number', String((ival['ival'] as number | undefined) ?? 0));
  const fval = body['fval'] as Json | undefined;
  if (fval !== undefined) return constOf('number', numberText(String(fval['fval'] ?? '0')) ?? String(fval['fval']));
  const boolval = body['boolval'] as Json | undefined;
  if (boolval !== undefined) return constOf('bool', boolval['boolval'] === true ? 'true' : 'false');
  const bsval = body['bsval'] as Json | undefined;
  if (bsval !== undefined) return constOf('bits', bitText(String(bsval['bsval'] ?? '')) ?? String(bsval['bsval']));
  const sval = body['sval'] as Json | undefined;
  return stringConst(String(sval?.['sval'] ?? ''));
}

/** What remains of a constant once cast to `type` (the server folds or labels such casts). */
function castConst(value: ConstNode, type: ParsedType | undefined): ConstNode | ConstArrayNode {
  const { kind, text } = value.Const;
  if (kind === 'null' || text === null || type === undefined || type.arrayDims > 0) return value;
  if (numericTypes.has(type.name) && (kind === 'string' || kind === 'number')) {
    const number = numberText(text);
    return number === undefined ? value : constOf('number', number);
  }
  if (type.name === 'boolean' && kind === 'string') {
    const word = text.trim().toLowerCase();
    if (trueWords.has(word)) return constOf('bool', 'true');
    if (falseWords.has(word)) return constOf('bool', 'false');
    return value;
  }
  if (type.name === 'regclass' && kind === 'string') return constOf('string', regclassText(text));
  if (dateTimeTypes.has(type.name) && kind === 'string' && text.trim().toLowerCase() === 'epoch') {
    return constOf('string', '1970-01-01');
  }
  if ((type.name === 'bit' || type.name === 'bit varying' || type.name === '"bit"') && kind === 'string') {
    const bits = bitText(text);
    return bits === undefined ? value : constOf('bits', bits);
  }
  return value;
}

function isTextFamily(type: ParsedType | undefined): boolean {
  return type !== undefined && type.builtin && textTypes.has(type.name);
}

function opName(list: unknown): string {
  return unqualified(list).join('.');
}

const numericCastTypes: ReadonlySet<string> = new Set([...numericTypes].map((name) => stableJson(name)));

/** `(col)::numeric` → `col`: the cast PostgreSQL adds to compare a column with a number. */
function widenedColumn(node: unknown): unknown {
  const cast = nodeKind(node);
  if (cast?.[0] !== 'TypeCast' || !numericCastTypes.has(stableJson(cast[1]['type']))) return undefined;
  const arg = cast[1]['arg'];
  return nodeKind(arg)?.[0] === 'ColumnRef' ? arg : undefined;
}

const isNumberish = (node: unknown): boolean =>
  (isConst(node) && node.Const.kind === 'number') ||
  (isConstArray(node) && node.ConstArray.every((t) => t === null || numberText(t) !== undefined));

function aExpr(kind: string, name: string, lexpr: unknown, rexpr: unknown): unknown {
  // `n > 0.5` on an integer column is stored as `(n)::numeric > 0.5`.
  const left = isNumberish(rexpr) ? (widenedColumn(lexpr) ?? lexpr) : lexpr;
  const right = isNumberish(lexpr) ? (widenedColumn(rexpr) ?? rexpr) : rexpr;
  return { A_Expr: { kind, name, lexpr: left, rexpr: right } };
}

function boolExpr(op: 'AND_EXPR' | 'OR_EXPR', args: readonly unknown[]): unknown {
  const flat: unknown[] = [];
  for (const arg of args) {
    const inner = nodeKind(arg);
    if (inner?.[0] === 'BoolExpr' && inner[1]['boolop'] === op) flat.push(...((inner[1]['args'] as unknown[]) ?? []));
    else flat.push(arg);
  }
  return { BoolExpr: { boolop: op, args: flat } };
}

function containsColumnRef(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(containsColumnRef);
  if (!isObject(node)) return false;
  if ('ColumnRef' in node) return true;
  return Object.values(node).some(containsColumnRef);
}

/** Arrays of constants compare by element text; other arrays element by element. */
function arrayOf(elements: readonly unknown[]): unknown {
  if (elements.every((e) => isConst(e))) {
    return { ConstArray: elements.map((e) => e.Const.text) };
  }
  return { ArrayExpr: elements };
}

/** PostgreSQL's transformAExprIn: constants into one `= ANY (ARRAY[…])`, the rest OR-ed. */
function inList(name: string, left: unknown, items: readonly unknown[]): unknown {
  const negated = name === '<>';
  const constants = items.filter((item) => !containsColumnRef(item));
  const parts: unknown[] = [];
  let rest = items;
  if (constants.length > 1) {
    parts.push(aExpr(negated ? 'ALL' : 'ANY', name, left, arrayOf(constants)));
    rest = items.filter((item) => containsColumnRef(item));
  }
  for (const item of rest) parts.push(aExpr('OP', name, left, item));
  if (parts.length === 1) return parts[0];
  return boolExpr(negated ? 'AND_EXPR' : 'OR_EXPR', parts);
}

/** The items of a `List` node (IN lists, BETWEEN bounds) or a plain array. */
function listItems(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  const list = nodeKind(node);
  if (list?.[0] === 'List') return (list[1]['items'] as unknown[] | undefined) ?? [];
  return [node];
}

function canonAExpr(body: Json): unknown {
  const kind = String(body['kind']);
  const name = opName(body['name']);
  const left = canon(body['lexpr']);
  switch (kind) {
    case 'AEXPR_IN': {
      const items = listItems(body['rexpr']).map(canon);
      return inList(name, left, items);
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const [low, high] = listItems(body['rexpr']).map(canon);
      const inside = (a: unknown, b: unknown): unknown => boolExpr('AND_EXPR', [aExpr('OP', '>=', left, a), aExpr('OP', '<=', left, b)]);
      const outside = (a: unknown, b: unknown): unknown => boolExpr('OR_EXPR', [aExpr('OP', '<', left, a), aExpr('OP', '>', left, b)]);
      if (kind === 'AEXPR_BETWEEN') return inside(low, high);
      if (kind === 'AEXPR_NOT_BETWEEN') return outside(low, high);
      if (kind === 'AEXPR_BETWEEN_SYM') return boolExpr('OR_EXPR', [inside(low, high), inside(high, low)]);
      return boolExpr('AND_EXPR', [outside(low, high), outside(high, low)]);
    }
    case 'AEXPR_OP':
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return aExpr('OP', name, left, canon(body['rexpr']));
    case 'AEXPR_OP_ANY':
      return aExpr('ANY', name, left, canon(body['rexpr']));
    case 'AEXPR_OP_ALL':
      return aExpr('ALL', name, left, canon(body['rexpr']));
    default:
      return aExpr(kind.replace(/^AEXPR_/, ''), name, left, canon(body['rexpr']));
  }
}

const IMPLICIT_PROMOTIONS: ReadonlySet<string> = new Set(['numeric', 'double precision', 'real']);

function canonTypeCast(body: Json): unknown {
  const arg = canon(body['arg']);
  const type = parsedType(body['typeName']);
  if (isConst(arg)) return castConst(arg, type);
  if (isConstArray(arg)) return arg;
  const argKind = nodeKind(arg)?.[0];
  // Implicit casts the server makes visible: text-family for columns and arrays.
  if (isTextFamily(type) && (argKind === 'ColumnRef' || argKind === 'ArrayExpr' || argKind === 'A_Indirection')) return arg;
  // Implicit casts of a column to another built-in type, which the server prints when it
  // coerces operands: `price * quantity` is stored as `price * (quantity)::numeric`.
  // Only promotions the server makes implicitly in arithmetic (integer → numeric / float).
  if (argKind === 'ColumnRef' && type !== undefined && type.arrayDims === 0 && IMPLICIT_PROMOTIONS.has(type.name)) return arg;
  const typeText = type?.canonical ?? canonGeneric(body['typeName']);
  // x::t::t = x::t
  const inner = nodeKind(arg);
  if (inner?.[0] === 'TypeCast' && stableJson(inner[1]['type']) === stableJson(typeText)) return arg;
  return { TypeCast: { arg, type: typeText } };
}

const sequenceFunctions: ReadonlySet<string> = new Set(['nextval', 'currval', 'setval']);

function canonFuncCall(body: Json): unknown {
  const names = unqualified(body['funcname']);
  const args = ((body['args'] as unknown[] | undefined) ?? []).map(canon);
  const first = args[0];
  if (
    names.length === 1 &&
    sequenceFunctions.has(names[0] ?? '') &&
    isConst(first) &&
    first.Const.kind === 'string' &&
    first.Const.text !== null
  ) {
    args[0] = constOf('string', regclassText(first.Const.text));
  }
  const rest: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'funcname' || key === 'args' || key === 'funcformat' || positionKeys.has(key)) continue;
    rest[key] = canon(value);
  }
  return { FuncCall: { ...rest, name: names.join('.'), args } };
}

/** Canonical form of any parse node. */
function canon(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(canon);
  const kinded = nodeKind(node);
  if (kinded === undefined) return canonGeneric(node);
  const [kind, body] = kinded;
  switch (kind) {
    case 'A_Const':
      return canonConst(body);
    case 'TypeCast':
      return canonTypeCast(body);
    case 'A_Expr':
      return canonAExpr(body);
    case 'BoolExpr': {
      const args = ((body['args'] as unknown[] | undefined) ?? []).map(canon);
      const op = body['boolop'];
      if (op === 'AND_EXPR' || op === 'OR_EXPR') return boolExpr(op, args);
      return { BoolExpr: { boolop: op, args } };
    }
    case 'FuncCall':
      return canonFuncCall(body);
    case 'A_ArrayExpr':
      return arrayOf(((body['elements'] as unknown[] | undefined) ?? []).map(canon));
    case 'CaseExpr': {
      const result = canonGeneric(body) as Json;
      return { CaseExpr: { ...result, defresult: result['defresult'] ?? NULL_CONST } };
    }
    case 'TypeName': {
      const type = parsedType(body);
      return type === undefined ? { TypeName: canonGeneric(body) } : { Type: type.canonical };
    }
    default:
      return { [kind]: canonGeneric(body) };
  }
}

/** Drops `location`, canonicalises children. */
function canonGeneric(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(canon);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (positionKeys.has(key)) continue;
    out[key] = key === 'typeName' ? canon({ TypeName: value }) : canon(value);
  }
  return out;
}

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 20_000;

/**
 * A canonical JSON key of an expression; equal keys mean the same expression as far as
 * PostgreSQL's stored form can tell. Throws `SqlSyntaxError` (cursor relative to `sql`).
 *
 * @example
 * expressionKey("status IN ('a', 'b')") === expressionKey("status = ANY (ARRAY['a'::text, 'b'::text])")  // true
 */
export function expressionKey(sql: string): string {
  const cached = keyCache.get(sql);
  if (cached !== undefined) return cached;
  const key = stableJson(canon(expressionRoot(sql)));
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(sql, key);
  return key;
}

const NULL_KEY = stableJson(NULL_CONST);

/**
 * True when two expressions are the same once server-added casts, parentheses and
 * spellings are discounted. Undefined means "no expression" and equals only undefined
 * or a NULL constant (PostgreSQL does not store `DEFAULT NULL`). Identical texts are equal
 * without parsing; otherwise throws `SqlSyntaxError` if either text is not an expression.
 *
 * @example
 * sameExpression("'{}'::jsonb", "'{}'")                     // true
 * sameExpression('(engine_type)::text', 'engine_type')      // true
 * sameExpression('a > 0', 'a >= 0')                         // false
 * sameExpression(undefined, 'NULL::text')                   // true
 */
export function sameExpression(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  const keyA = a === undefined ? NULL_KEY : expressionKey(a);
  const keyB = b === undefined ? NULL_KEY : expressionKey(b);
  return keyA === keyB;
}

/** True when `sql` is a NULL constant, possibly cast (`NULL`, `NULL::text`). */
export function isNullExpression(sql: string): boolean {
  return expressionKey(sql) === NULL_KEY;
}

/** A string literal, optionally cast to a simple type name: `'x'`, `'x'::text`, `'a b'::character varying`. */
const STRING_LITERAL = /^'((?:[^']|'')*)'(?:::([a-z_][a-z0-9_ ]*|"[^"]+"(?:\."[^"]+")?|[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*))?$/;

/**
 * Compares two column defaults as values of the column's type: the server stores a
 * constant default already converted (`DEFAULT 't'` on a boolean column prints `true`,
 * `DEFAULT '5'` on an integer column prints `5`), so both sides are read as
 * `CAST((<default>) AS <columnType>)`. Undefined equals a NULL default.
 *
 * @example
 * sameDefault("'t'", 'true', 'boolean')                        // true
 * sameDefault("'pending'", "'pending'::mood", 'mood')          // true
 * sameDefault('now()', 'CURRENT_TIMESTAMP', 'timestamp with time zone')  // false
 */
export function sameDefault(a: string | undefined, b: string | undefined, columnType: string): boolean {
  if (a === undefined || b === undefined) return sameExpression(a, b);
  // The common cases without parsing: the same text, or a string literal against the server's
  // form of it, the same literal cast to a type (`'draft'` and `'draft'::status`).
  if (a === b) return true;
  const literalA = STRING_LITERAL.exec(a);
  const literalB = STRING_LITERAL.exec(b);
  if (
    literalA &&
    literalB &&
    literalA[1] === literalB[1] &&
    (literalA[2] === undefined || literalB[2] === undefined || literalA[2] === literalB[2])
  ) {
    return true;
  }
  return expressionKey(`CAST((${a}) AS ${columnType})`) === expressionKey(`CAST((${b}) AS ${columnType})`);
}

/**
 * Does the expression call one of `functions` (`nameKey`s)? False at once when `functions` is
 * empty — the usual plan, which re-creates no function — without parsing the expression: the
 * parse is what a plan of thousands of checks and index expressions would otherwise pay for.
 *
 * @example callsAnyOf('is_sku(sku)', new Set([nameKey('public', 'is_sku')]))  // true
 */
export function callsAnyOf(sql: string | undefined, functions: ReadonlySet<string>): boolean {
  return functions.size > 0 && calledFunctions(sql).some((f) => functions.has(f));
}

/**
 * The functions an expression calls, as `nameKey(schema, name)` (an unqualified name as the
 * pinned search_path `public` resolves it); [] for an expression the parser rejects.
 *
 * @example calledFunctions('is_sku(sku) AND app.ok(x)')  // [nameKey('public', 'is_sku'), nameKey('app', 'ok')]
 */
export function calledFunctions(sql: string | undefined): string[] {
  if (sql === undefined || !sql.includes('(')) return [];
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === 'object') {
      const call = (node as { FuncCall?: { funcname?: { String?: { sval?: string } }[] } }).FuncCall;
      if (call?.funcname) {
        const parts = call.funcname.map((p) => p.String?.sval ?? '');
        found.add(nameKey(parts.length > 1 ? (parts[0] ?? 'public') : 'public', parts[parts.length - 1] ?? ''));
      }
      for (const value of Object.values(node)) visit(value);
    }
  };
  try {
    visit(parseSql(`SELECT (${sql})`));
  } catch {
    return [];
  }
  return [...found];
}
