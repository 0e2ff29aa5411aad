/**
 * One way to name a schema object: an `ObjectRef` (its kind, schema, name, and the name under
 * its table or the signature that tells overloads apart), and one key built from it, `refKey`.
 * Every map, set and dependency-graph key over objects is a `refKey` (docs/architecture.md,
 * "Keys"): never a dotted `schema.name`, which two different objects can share
 * (`"a.b".c` and `a."b.c"`).
 */
import type { QualifiedName } from './types.js';

/**
 * The kinds of object a key names. Besides the object kinds of the format, two kinds name what
 * a dependency needs rather than one object: `function_name` (every overload of a name, what a
 * trigger or an expression that calls it by name needs) and `unique_key` (a primary key, unique
 * constraint or unique index over given columns, what a foreign key needs); `key_column` (a column
 * held NOT NULL by the live primary key: its DROP NOT NULL waits for the key's drop); `enum_value` (a
 * label an ADD VALUE adds, `sub` the label: what a step whose expressions use the label needs).
 */
export const REF_KINDS = [
  'extension',
  'schema',
  'type',
  'sequence',
  'function',
  'function_name',
  'table',
  'column',
  'index',
  'constraint',
  'unique_key',
  'trigger',
  'key_column',
  'enum_value',
] as const;

export type RefKind = (typeof REF_KINDS)[number];

/** A reference to one object (or one dependency target), enough to tell it from every other. */
export interface ObjectRef {
  readonly kind: RefKind;
  /** Absent for extensions and schemas (database-wide names). */
  readonly schema?: string;
  /** The object's name; for columns, constraints, triggers and unique keys, their table's. */
  readonly name: string;
  /** The column, constraint or trigger name under the table `name`. */
  readonly sub?: string;
  /** A function's input argument types; a unique key's columns. */
  readonly signature?: readonly string[];
}

/** A key made by `refKey`: equal keys, the same object. */
export type RefKey = string;

/**
 * The key of a reference: `<kind>:` and then the other fields as JSON, so that no name, however
 * written, makes two references share a key; the kind is readable with `keyKind`.
 *
 * @example
 * refKey({ kind: 'table', schema: 'public', name: 'users' })                  // 'table:["public","users"]'
 * refKey({ kind: 'column', schema: 'public', name: 'users', sub: 'email' })   // 'column:["public","users","email"]'
 * refKey({ kind: 'function', schema: 'public', name: 'f', signature: ['integer'] })  // 'function:["public","f",["integer"]]'
 */
export function refKey(ref: ObjectRef): RefKey {
  const parts: unknown[] = [];
  if (ref.schema !== undefined) parts.push(ref.schema);
  parts.push(ref.name);
  if (ref.sub !== undefined) parts.push(ref.sub);
  if (ref.signature !== undefined) parts.push(ref.signature);
  return `${ref.kind}:${JSON.stringify(parts)}`;
}

/**
 * The kind of a key made by `refKey`.
 *
 * @example keyKind('table:["public","users"]')  // 'table'
 */
export function keyKind(key: RefKey): RefKind {
  return key.slice(0, key.indexOf(':')) as RefKind;
}

/**
 * The key of a schema-qualified name in a map over objects of one kind (the map's kind is the
 * kind): `refKey` without its `<kind>:` prefix, the same encoding.
 *
 * @example nameKey('public', 'users')  // '["public","users"]'
 */
export function nameKey(schema: string, name: string): RefKey {
  // The same text as JSON.stringify([schema, name]), without building the array, for the names
  // JSON writes as they are (no quote, backslash, control character or lone surrogate half).
  if (!JSON_ESCAPED.test(schema) && !JSON_ESCAPED.test(name)) return `["${schema}","${name}"]`;
  return JSON.stringify([schema, name]);
}

/** The characters JSON.stringify escapes in a string. */
// eslint-disable-next-line no-control-regex -- control characters are among them
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The key of a column by its table's qualified name, for maps over columns.
 *
 * @example columnKey({ schema: 'public', name: 'users' }, 'email')  // 'column:["public","users","email"]'
 */
export function columnKey(table: QualifiedName, column: string): RefKey {
  return refKey({ kind: 'column', schema: table.schema, name: table.name, sub: column });
}

/**
 * The label of a top-level object in messages and in a plan's per-object fingerprints:
 * `<kind> schema.name`, a name part quoted only when it holds a dot, a double quote or white
 * space, or is empty (so that `"a.b".c` and `a."b.c"` differ); other names read as format-1 plan
 * files wrote them.
 *
 * @example refLabel({ kind: 'table', schema: 'public', name: 'users' })  // 'table public.users'
 * @example refLabel({ kind: 'table', schema: 'a.b', name: 'c' })         // 'table "a.b".c'
 */
export function refLabel(ref: ObjectRef): string {
  const part = (text: string): string => (text !== '' && !/[."\s]/.test(text) ? text : `"${text.replaceAll('"', '""')}"`);
  const qualified = ref.schema !== undefined ? `${part(ref.schema)}.${part(ref.name)}` : part(ref.name);
  const sub = ref.sub !== undefined ? `.${part(ref.sub)}` : '';
  const signature = ref.signature !== undefined ? `(${ref.signature.join(',')})` : '';
  return `${ref.kind} ${qualified}${sub}${signature}`;
}

/** A function's identity: its name and input argument types (IN, INOUT and VARIADIC arguments). */
export function functionRef(fn: {
  readonly schema: string;
  readonly name: string;
  readonly arguments: readonly { readonly type: string; readonly mode: string }[];
}): ObjectRef {
  return { kind: 'function', schema: fn.schema, name: fn.name, signature: fn.arguments.filter((a) => a.mode !== 'out').map((a) => a.type) };
}

/**
 * The key of a function's identity (overloads differ).
 *
 * @example functionKey({ schema: 'public', name: 'add', arguments: [{ type: 'integer', mode: 'in' }] })  // 'function:["public","add",["integer"]]'
 */
export function functionKey(fn: Parameters<typeof functionRef>[0]): RefKey {
  return refKey(functionRef(fn));
}
