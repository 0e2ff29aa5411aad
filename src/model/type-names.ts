/**
 * The type canonicalizer. Any spelling PostgreSQL accepts (`int`, `int4`, `varchar(255)`,
 * `timestamptz`, `_int4`, `integer ARRAY`, `"My Schema"."Mood"`, …) is parsed with
 * PostgreSQL's own grammar and printed the way `format_type()` prints it with
 * `search_path = public`: `integer`, `character varying(255)`, `timestamp with time zone`,
 * `integer[]`, `"My Schema"."Mood"`.
 */
import { parseSql, SqlSyntaxError } from '../sql/parser.js';
import { displayIdent } from './ident.js';
import { editDistance } from './edit-distance.js';

export interface ParsedType {
  /** Full canonical type text, e.g. `character varying(255)[]`; `public.`/`pg_catalog.` stripped. */
  readonly canonical: string;
  /** Explicit schema of a user type (never `public` or `pg_catalog`). */
  readonly schema?: string;
  /** Canonical base name without typmods or array: `character varying`, `mood`, `vector`. */
  readonly name: string;
  /** Type modifiers as printed: `['255']`, `['10', '2']`; intervals: `['day to second', '3']`, `['3']`. */
  readonly typmods: readonly string[];
  /** 0 or 1: PostgreSQL ignores declared array dimensions. */
  readonly arrayDims: number;
  /** A PostgreSQL built-in (pg_catalog) type. */
  readonly builtin: boolean;
  /** Set for `serial`/`bigserial`/`smallserial` (and `serial4`, …): the column's real type. */
  readonly serial?: 'smallint' | 'integer' | 'bigint';
  /** Set for a function return type written `setof <type>`. */
  readonly setof?: boolean;
}

/** A type name PostgreSQL would not accept. */
export class TypeNameError extends Error {
  override readonly name = 'TypeNameError';
}

/**
 * Built-in pg_catalog type names (not arrays, not catalog row types) that print as their
 * own name. Taken from pg_type of PostgreSQL 15–18.
 */
const plainBuiltins: ReadonlySet<string> = new Set([
  'aclitem',
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
  'box',
  'bytea',
  'cid',
  'cidr',
  'circle',
  'cstring',
  'date',
  'datemultirange',
  'daterange',
  'event_trigger',
  'fdw_handler',
  'gtsvector',
  'index_am_handler',
  'inet',
  'int2vector',
  'int4multirange',
  'int4range',
  'int8multirange',
  'int8range',
  'internal',
  'json',
  'jsonb',
  'jsonpath',
  'language_handler',
  'line',
  'lseg',
  'macaddr',
  'macaddr8',
  'money',
  'name',
  'nummultirange',
  'numrange',
  'oid',
  'oidvector',
  'path',
  'pg_brin_bloom_summary',
  'pg_brin_minmax_multi_summary',
  'pg_ddl_command',
  'pg_dependencies',
  'pg_lsn',
  'pg_mcv_list',
  'pg_ndistinct',
  'pg_node_tree',
  'pg_snapshot',
  'point',
  'polygon',
  'record',
  'refcursor',
  'regclass',
  'regcollation',
  'regconfig',
  'regdictionary',
  'regnamespace',
  'regoper',
  'regoperator',
  'regproc',
  'regprocedure',
  'regrole',
  'regtype',
  'table_am_handler',
  'text',
  'tid',
  'trigger',
  'tsm_handler',
  'tsmultirange',
  'tsquery',
  'tsrange',
  'tstzmultirange',
  'tstzrange',
  'tsvector',
  'txid_snapshot',
  'unknown',
  'uuid',
  'void',
  'xid',
  'xid8',
  'xml',
]);

/** Internal names whose format_type() output differs from the name. */
const renamedBuiltins: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  varbit: 'bit varying',
  time: 'time without time zone',
  timetz: 'time with time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  numeric: 'numeric',
  interval: 'interval',
  // bpchar and bit: `character`/`bit` with a length, `bpchar`/`"bit"` without (see below).
  bpchar: 'character',
  bit: 'bit',
  char: '"char"',
};

const serialTypes: Readonly<Record<string, 'smallint' | 'integer' | 'bigint'>> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

/** Built-ins that accept a type modifier (have a typmodin function). */
const typmodBuiltins: ReadonlySet<string> = new Set([
  'bpchar',
  'varchar',
  'bit',
  'varbit',
  'numeric',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
]);

const isBuiltinInternal = (name: string): boolean => plainBuiltins.has(name) || name in renamedBuiltins;

// Interval field bits (src/include/utils/datetime.h).
const MONTH = 1 << 1;
const YEAR = 1 << 2;
const DAY = 1 << 3;
const HOUR = 1 << 10;
const MINUTE = 1 << 11;
const SECOND = 1 << 12;
const INTERVAL_FULL_RANGE = 0x7fff;
const intervalFields: ReadonlyMap<number, string> = new Map([
  [YEAR, ' year'],
  [MONTH, ' month'],
  [DAY, ' day'],
  [HOUR, ' hour'],
  [MINUTE, ' minute'],
  [SECOND, ' second'],
  [YEAR | MONTH, ' year to month'],
  [DAY | HOUR, ' day to hour'],
  [DAY | HOUR | MINUTE, ' day to minute'],
  [DAY | HOUR | MINUTE | SECOND, ' day to second'],
  [HOUR | MINUTE, ' hour to minute'],
  [HOUR | MINUTE | SECOND, ' hour to second'],
  [MINUTE | SECOND, ' minute to second'],
  [INTERVAL_FULL_RANGE, ''],
]);

/** Maximum fractional-seconds precision; PostgreSQL reduces larger values to it (with a warning). */
const MAX_TIME_PRECISION = 6;
const MAX_LENGTH = 10_485_760;

type Typmod = { readonly kind: 'int'; readonly value: number } | { readonly kind: 'text'; readonly text: string };

interface TypeNameNode {
  readonly names?: readonly { readonly String?: { readonly sval?: string } }[];
  readonly typmods?: readonly Record<string, unknown>[];
  readonly arrayBounds?: readonly unknown[];
  readonly setof?: boolean;
  readonly pct_type?: boolean;
}

function fail(text: string, why: string): never {
  throw new TypeNameError(`invalid type name "${text}": ${why}`);
}

/** Reads the single `NULL::<type>` of `SELECT NULL::<type>`, rejecting anything else. */
function typeNameNode(text: string): TypeNameNode {
  let tree;
  try {
    tree = parseSql(`SELECT NULL::${text}`);
  } catch (error) {
    if (error instanceof SqlSyntaxError) fail(text, error.message);
    throw error;
  }
  const stmts = tree.stmts ?? [];
  const select = stmts.length === 1 ? (stmts[0]?.stmt as Record<string, unknown> | undefined)?.['SelectStmt'] : undefined;
  const s = select as Record<string, unknown> | undefined;
  const extraKeys = s === undefined ? [] : Object.keys(s).filter((k) => !['targetList', 'limitOption', 'op'].includes(k));
  const targets = s?.['targetList'] as readonly Record<string, unknown>[] | undefined;
  const target = targets?.length === 1 ? (targets[0]?.['ResTarget'] as Record<string, unknown> | undefined) : undefined;
  const cast = (target?.['val'] as Record<string, unknown> | undefined)?.['TypeCast'] as Record<string, unknown> | undefined;
  const arg = (cast?.['arg'] as Record<string, unknown> | undefined)?.['A_Const'] as Record<string, unknown> | undefined;
  if (extraKeys.length > 0 || target === undefined || target['name'] !== undefined || cast === undefined || arg?.['isnull'] !== true) {
    fail(text, 'not a single type name');
  }
  const typeName = cast['typeName'] as TypeNameNode;
  return typeName;
}

function readTypmod(text: string, node: Record<string, unknown>): Typmod {
  const constant = node['A_Const'] as Record<string, unknown> | undefined;
  if (constant !== undefined) {
    const ival = constant['ival'] as { ival?: number } | undefined;
    if (ival !== undefined) return { kind: 'int', value: ival.ival ?? 0 };
    const fval = constant['fval'] as { fval?: string } | undefined;
    if (fval !== undefined) return { kind: 'text', text: fval.fval ?? '0' };
    const sval = constant['sval'] as { sval?: string } | undefined;
    if (sval !== undefined) return { kind: 'text', text: sval.sval ?? '' };
  }
  const ref = node['ColumnRef'] as { fields?: readonly { String?: { sval?: string } }[] } | undefined;
  const field = ref?.fields?.length === 1 ? ref.fields[0]?.String?.sval : undefined;
  if (field !== undefined) return { kind: 'text', text: field };
  return fail(text, 'type modifiers must be simple constants or identifiers');
}

function intTypmods(text: string, display: string, typmods: readonly Typmod[]): number[] {
  return typmods.map((t) => (t.kind === 'int' ? t.value : fail(text, `invalid type modifier for type ${display}`)));
}

interface Builtin {
  readonly name: string;
  /** Printed form with typmods applied. */
  readonly text: string;
  readonly typmods: readonly string[];
}

function precisionOf(text: string, display: string, value: number): number {
  if (value < 0) fail(text, `${display.toUpperCase()}(${value}) precision must not be negative`);
  return Math.min(value, MAX_TIME_PRECISION);
}

/** format_type() for a pg_catalog type by internal name, with its type modifiers. */
function formatBuiltin(text: string, internal: string, rawTypmods: readonly Typmod[]): Builtin {
  // format_type() prints pg_catalog names as they are, except keywords it must quote.
  const base = renamedBuiltins[internal] ?? (internal === 'any' ? '"any"' : internal);
  if (rawTypmods.length === 0) {
    if (internal === 'bpchar') return { name: 'bpchar', text: 'bpchar', typmods: [] };
    if (internal === 'bit') return { name: '"bit"', text: '"bit"', typmods: [] };
    return { name: base, text: base, typmods: [] };
  }
  if (!typmodBuiltins.has(internal)) fail(text, `type modifier is not allowed for type ${base}`);
  const mods = intTypmods(text, base, rawTypmods);
  const one = (): number => {
    if (mods.length !== 1) fail(text, `invalid type modifier for type ${base}`);
    return mods[0] ?? 0;
  };
  switch (internal) {
    case 'bpchar':
    case 'varchar':
    case 'bit':
    case 'varbit': {
      const length = one();
      if (length < 1) fail(text, `length for type ${base} must be at least 1`);
      if (length > MAX_LENGTH) fail(text, `length for type ${base} cannot exceed ${MAX_LENGTH}`);
      return { name: base, text: `${base}(${length})`, typmods: [String(length)] };
    }
    case 'numeric': {
      if (mods.length > 2) fail(text, 'invalid NUMERIC type modifier');
      const precision = mods[0] ?? 0;
      const scale = mods[1] ?? 0;
      if (precision < 1 || precision > 1000) fail(text, `NUMERIC precision ${precision} must be between 1 and 1000`);
      if (scale < -1000 || scale > 1000) fail(text, `NUMERIC scale ${scale} must be between -1000 and 1000`);
      return { name: 'numeric', text: `numeric(${precision},${scale})`, typmods: [String(precision), String(scale)] };
    }
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz': {
      const precision = precisionOf(text, internal, one());
      const [word, zone] = (renamedBuiltins[internal] ?? internal).split(/ (?=with)/);
      return { name: base, text: `${word ?? internal}(${precision}) ${zone ?? ''}`.trimEnd(), typmods: [String(precision)] };
    }
    case 'interval': {
      if (mods.length > 2) fail(text, 'invalid INTERVAL type modifier');
      const range = mods[0] ?? INTERVAL_FULL_RANGE;
      const fields = intervalFields.get(range);
      if (fields === undefined) fail(text, 'invalid INTERVAL type modifier');
      const precision = mods.length === 2 ? precisionOf(text, 'interval', mods[1] ?? 0) : undefined;
      const suffix = precision === undefined ? fields : `${fields}(${precision})`;
      const typmods = [fields.trim(), ...(precision === undefined ? [] : [String(precision)])].filter((t) => t !== '');
      return { name: 'interval', text: `interval${suffix}`, typmods };
    }
    default:
      return fail(text, `type modifier is not allowed for type ${base}`);
  }
}

function typmodText(t: Typmod): string {
  return t.kind === 'int' ? String(t.value) : t.text;
}

const cache = new Map<string, ParsedType>();
const CACHE_LIMIT = 5_000;

/**
 * Parses a type as PostgreSQL would and returns its canonical (format_type) form.
 * Throws `TypeNameError` for text that is not a type name.
 *
 * @example
 * parseTypeName('varchar(255)').canonical     // 'character varying(255)'
 * parseTypeName('_int4').canonical            // 'integer[]'
 * parseTypeName('serial')                     // { canonical: 'integer', serial: 'integer', … }
 * parseTypeName('audit.Mood').canonical       // 'audit.mood'
 */
export function parseTypeName(text: string): ParsedType {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const parsed = parseUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): ParsedType {
  const trimmed = text.trim();
  if (trimmed === '') fail(text, 'empty type name');
  const setof = /^setof\s/i.exec(trimmed);
  if (setof !== null) {
    const inner = parseUncached(trimmed.slice(setof[0].length));
    if (inner.serial !== undefined || inner.setof === true) fail(text, 'not a return type');
    return { ...inner, canonical: `setof ${inner.canonical}`, setof: true };
  }
  return fromTypeNameNode(text, typeNameNode(trimmed));
}

/**
 * Canonicalises a libpg-query `TypeName` node (e.g. the target of a cast inside an
 * expression). `text` is only used in error messages.
 *
 * @example
 * parsedTypeOfNode({ names: [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'int4' } }] }, 'int') // integer
 */
export function parsedTypeOfNode(node: unknown, text: string): ParsedType {
  return fromTypeNameNode(text, node as TypeNameNode);
}

function fromTypeNameNode(text: string, node: TypeNameNode): ParsedType {
  if (node.setof === true) fail(text, 'SETOF is only allowed in function return types');
  if (node.pct_type === true) fail(text, '%TYPE references are not supported');
  const names = (node.names ?? []).map((n) => n.String?.sval ?? fail(text, 'not a type name'));
  const rawTypmods = (node.typmods ?? []).map((m) => readTypmod(text, m));
  let arrayDims = (node.arrayBounds ?? []).length > 0 ? 1 : 0;
  if (names.length > 2) fail(text, 'cross-database references are not implemented');
  let [schema, name] = names.length === 2 ? names : [undefined, names[0]];
  if (name === undefined) fail(text, 'not a type name');
  if (schema === 'public') schema = undefined;

  // Array types named by their internal name: _int4 = integer[], _mood = mood[].
  if (name.startsWith('_') && name.length > 1 && arrayDims === 0 && serialTypes[name.slice(1)] === undefined) {
    name = name.slice(1);
    arrayDims = 1;
  }

  if (schema === undefined || schema === 'pg_catalog') {
    const serial = serialTypes[name];
    if (serial !== undefined && schema === undefined) {
      if (arrayDims > 0) fail(text, `array of ${name} is not implemented`);
      if (rawTypmods.length > 0) fail(text, `type modifier is not allowed for type ${name}`);
      return { canonical: serial, name: serial, typmods: [], arrayDims: 0, builtin: true, serial };
    }
    if (isBuiltinInternal(name)) {
      const builtin = formatBuiltin(text, name, rawTypmods);
      const canonical = arrayDims > 0 ? `${builtin.text}[]` : builtin.text;
      return { canonical, name: builtin.name, typmods: builtin.typmods, arrayDims, builtin: true };
    }
  }
  const printedSchema = schema === 'pg_catalog' ? undefined : schema;
  const printedName = printedSchema === undefined ? displayIdent(name) : `${displayIdent(printedSchema)}.${displayIdent(name)}`;
  const typmods = rawTypmods.map(typmodText);
  const withMods = typmods.length > 0 ? `${printedName}(${typmods.join(',')})` : printedName;
  const canonical = arrayDims > 0 ? `${withMods}[]` : withMods;
  return {
    canonical,
    ...(printedSchema !== undefined ? { schema: printedSchema } : {}),
    name,
    typmods,
    arrayDims,
    builtin: schema === 'pg_catalog',
  };
}

/**
 * The canonical text of a type: `parseTypeName(text).canonical`.
 *
 * @example
 * canonicalType('timestamptz')   // 'timestamp with time zone'
 * canonicalType('int[]')         // 'integer[]'
 */
export function canonicalType(text: string): string {
  return parseTypeName(text).canonical;
}

const commonSpellings: readonly string[] = [
  'int',
  'integer',
  'int2',
  'int4',
  'int8',
  'smallint',
  'bigint',
  'serial',
  'bigserial',
  'smallserial',
  'serial2',
  'serial4',
  'serial8',
  'varchar',
  'character varying',
  'char',
  'character',
  'bpchar',
  'text',
  'bool',
  'boolean',
  'real',
  'float',
  'float4',
  'float8',
  'double precision',
  'numeric',
  'decimal',
  'date',
  'time',
  'timetz',
  'time with time zone',
  'time without time zone',
  'timestamp',
  'timestamptz',
  'timestamp with time zone',
  'timestamp without time zone',
  'interval',
  'bit',
  'varbit',
  'bit varying',
];

/**
 * Built-in type spellings, for "did you mean" suggestions.
 *
 * @example
 * suggestName('intger', builtinTypeNames())  // 'integer'
 */
export function builtinTypeNames(): readonly string[] {
  return builtinNames;
}
const builtinNames: readonly string[] = [...new Set([...commonSpellings, ...plainBuiltins])];

/**
 * The closest candidate by Damerau-Levenshtein distance (case-insensitive), if it is close
 * enough to be a plausible typo (at most a third of the input's length, at least 1).
 *
 * @example
 * suggestName('varchr', builtinTypeNames())   // 'varchar'
 * suggestName('zzzz', ['integer'])            // undefined
 */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

function tryParse(text: string): ParsedType | undefined {
  try {
    return parseTypeName(text);
  } catch (error) {
    if (error instanceof TypeNameError) return undefined;
    throw error;
  }
}

const textFamily = (t: ParsedType): boolean => t.name === 'text' || t.name === 'character varying';
const precisionTypes: ReadonlySet<string> = new Set([
  'time without time zone',
  'time with time zone',
  'timestamp without time zone',
  'timestamp with time zone',
]);

/**
 * True when changing a column from `from` to `to` needs neither a table rewrite nor a
 * re-check of the data (PostgreSQL relabels the column).
 *
 * @example
 * isBinaryCoercible('varchar(10)', 'varchar(20)')   // true
 * isBinaryCoercible('varchar(20)', 'varchar(10)')   // false
 * isBinaryCoercible('varchar', 'text')              // true
 * isBinaryCoercible('numeric(10,2)', 'numeric')     // true
 */
export function isBinaryCoercible(from: string, to: string): boolean {
  const a = tryParse(from);
  const b = tryParse(to);
  if (a === undefined || b === undefined) return false;
  if (a.canonical === b.canonical) return true;
  if (a.arrayDims !== b.arrayDims || a.arrayDims > 0 || a.serial !== undefined || b.serial !== undefined) return false;
  if (!a.builtin || !b.builtin) return false;
  const [aMod, bMod] = [a.typmods[0], b.typmods[0]];
  // text-family: varchar(n) → varchar(m ≥ n) | varchar | text; text → varchar (unbounded)
  if (textFamily(a) && textFamily(b)) {
    if (b.typmods.length === 0) return true;
    return a.name === 'character varying' && aMod !== undefined && bMod !== undefined && Number(bMod) >= Number(aMod);
  }
  if (a.name === 'bit varying' && b.name === 'bit varying') {
    return b.typmods.length === 0 || (aMod !== undefined && bMod !== undefined && Number(bMod) >= Number(aMod));
  }
  if (a.name === 'numeric' && b.name === 'numeric') {
    if (b.typmods.length === 0) return true;
    if (a.typmods.length === 0) return false;
    return a.typmods[1] === b.typmods[1] && Number(bMod) >= Number(aMod);
  }
  if (a.name === b.name && precisionTypes.has(a.name)) {
    // time/timestamp precision increase: PostgreSQL's support function skips the rewrite.
    return b.typmods.length === 0 || (aMod !== undefined && bMod !== undefined && Number(bMod) >= Number(aMod));
  }
  return false;
}
