/**
 * Fingerprints: a sha256 over a stable JSON of the normalised model, with expressions in
 * their canonical form, so that two models that diff empty fingerprint the same.
 */
import { createHash } from 'node:crypto';
import { SqlSyntaxError } from '../sql/parser.js';
import { expressionKey } from './expression.js';
import { functionRef, refLabel } from './object-ref.js';
import { stableJson } from '../util/stable-json.js';
import { normalizeModel } from './normalize.js';
import type { Column, FunctionDef, Index, SchemaModel, Table } from './types.js';

/**
 * Hex sha256 of a UTF-8 text.
 *
 * @example
 * sha256('')  // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The one stable JSON (../util/stable-json.ts), under the name callers of this module know. */
export const stableStringify = stableJson;

/**
 * A function body without surrounding blank lines or trailing whitespace, the form bodies
 * are compared in.
 *
 * @example
 * normalizeFunctionBody('\n  BEGIN\n  END;\n\n')  // '  BEGIN\n  END;'
 */
export function normalizeFunctionBody(body: string): string {
  return body.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

/** The canonical key of an expression; text that does not parse is kept as text. */
function expr(sql: string | undefined): string | undefined {
  if (sql === undefined) return undefined;
  try {
    return expressionKey(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return `unparsed:${sql}`;
    throw error;
  }
}

function columnForm(column: Column): unknown {
  // Desired-only attributes (renamedFrom, using) do not describe the schema.
  const { renamedFrom: _renamed, using: _using, ...rest } = column;
  return { ...rest, default: expr(column.default), generated: expr(column.generated) };
}

function indexForm(index: Index): unknown {
  const { renamedFrom: _renamed, ...rest } = index;
  return {
    ...rest,
    keys: index.keys.map((key) => ({ ...key, expression: expr(key.expression) })),
    where: expr(index.where),
  };
}

function tableForm(table: Table): unknown {
  const { renamedFrom: _renamed, ...rest } = table;
  const drop = <T extends { readonly renamedFrom?: string }>(item: T): Omit<T, 'renamedFrom'> => {
    const { renamedFrom: _r, ...others } = item;
    return others;
  };
  return {
    ...rest,
    columns: table.columns.map(columnForm),
    primaryKey: table.primaryKey === undefined ? undefined : drop(table.primaryKey),
    uniques: table.uniques.map(drop),
    checks: table.checks.map((check) => ({ ...drop(check), expression: expr(check.expression) })),
    foreignKeys: table.foreignKeys.map(drop),
    indexes: table.indexes.map(indexForm),
    triggers: table.triggers.map((trigger) => ({ ...drop(trigger), when: expr(trigger.when) })),
    // The live side's server text (`definition`) is no part of the form: both sides give the same one.
    exclusions: table.exclusions?.map(({ definition: _definition, ...x }) => ({
      ...x,
      where: expr(x.where),
      elements: x.elements.map((e) => ({ ...e, expression: expr(e.expression) })),
    })),
  };
}

function functionForm(fn: FunctionDef): unknown {
  // What a body uses is known on the live side only (pg_depend): it is no part of the definition.
  const { bodyUses: _uses, ...rest } = fn;
  return {
    ...rest,
    body: normalizeFunctionBody(fn.body),
    arguments: fn.arguments.map((arg) => ({ ...arg, default: expr(arg.default) })),
  };
}

/**
 * sha256 hex of the normalised model (expressions as `expressionKey`, function bodies
 * trimmed, desired-only `renamedFrom`/`using`/`renamedValues` and live-only `bodyUses` left out).
 *
 * @example
 * fingerprintModel(emptyModel())  // 64 hex characters, the same on every run
 */
export function fingerprintModel(m: SchemaModel): string {
  const model = normalizeModel(m);
  const form = {
    ...model,
    enums: model.enums.map(({ renamedValues: _renamed, ...rest }) => rest),
    functions: model.functions.map(functionForm),
    tables: model.tables.map(tableForm),
  };
  return sha256(stableStringify(form));
}

/**
 * A cheap fingerprint of a model as introspection builds it: sha256 of its JSON as is. Two
 * introspections of the same schema give the same text (same builder, sorted lists), so this
 * tells whether a live schema changed, e.g. between plan and apply. Not for comparing a desired
 * model with a live one: that is `fingerprintModel`, which reads expressions canonically.
 *
 * @example
 * liveFingerprint((await introspect(db)).model) === plan.liveFingerprint  // nothing changed since the plan
 */
export function liveFingerprint(m: SchemaModel): string {
  return sha256(JSON.stringify(m));
}

/**
 * A short fingerprint per top-level object of a live model, keyed by kind and qualified name, so
 * that a stale plan can say which objects changed. A table's key covers its columns,
 * constraints, indexes and triggers. Same input form as `liveFingerprint` (the model as
 * introspection builds it).
 *
 * @example
 * objectFingerprints(live.model)
 * // { 'extension vector': '3f1c…', 'schema public': '…', 'enum public.mood': '…',
 * //   'function public.set_updated_at()': '…', 'table public.users': '…' }
 */
export function objectFingerprints(m: SchemaModel): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, value: unknown): void => {
    out[key] = sha256(JSON.stringify(value)).slice(0, 16);
  };
  // Labels (`refLabel`), not keys: they are shown when a plan is stale, and plain names read as
  // format-1 plan files wrote them. An enum is labelled `enum`, as those files have it.
  for (const e of m.extensions) add(refLabel({ kind: 'extension', name: e.name }), e);
  for (const s of m.schemas) add(refLabel({ kind: 'schema', name: s.name }), s);
  for (const e of m.enums) add(refLabel({ kind: 'type', schema: e.schema, name: e.name }).replace(/^type /, 'enum '), e);
  for (const s of m.sequences) add(refLabel({ kind: 'sequence', schema: s.schema, name: s.name }), s);
  for (const f of m.functions) add(refLabel(functionRef(f)), f);
  for (const t of m.tables) add(refLabel({ kind: 'table', schema: t.schema, name: t.name }), t);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** How two sets of object fingerprints differ: which keys appeared, disappeared or changed. */
export interface ObjectFingerprintDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/**
 * Compares object fingerprints taken at two times.
 *
 * @example
 * diffObjectFingerprints({ 'table public.a': '1' }, { 'table public.a': '2', 'table public.b': '3' })
 * // { added: ['table public.b'], removed: [], changed: ['table public.a'] }
 */
export function diffObjectFingerprints(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): ObjectFingerprintDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    const old = before[key];
    if (old === undefined) added.push(key);
    else if (old !== value) changed.push(key);
  }
  for (const key of Object.keys(before)) if (after[key] === undefined) removed.push(key);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
