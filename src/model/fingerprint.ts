/**
 * Fingerprints: a sha256 over a stable JSON of the normalised model, with expressions in
 * their canonical form, so that two models that diff empty fingerprint the same. Each kind
 * says how its objects read (`model.form`, `model.label`, src/kinds/<kind>/model.ts).
 *
 * Since it imports the registry, code under src/kinds/ must not import this module at run time
 * (an import cycle); `normalizeFunctionBody` is src/kinds/function/model.ts's, re-exported.
 */
import { createHash } from 'node:crypto';
import { modelLists } from '../kinds/models.js';
import { stableJson } from '../util/stable-json.js';
import { normalizeModel } from './normalize.js';
import type { SchemaModel, Table } from './types.js';

export { normalizeFunctionBody } from '../kinds/function/model.js';

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
 * sha256 hex of the normalised model (expressions as `expressionKey`, function bodies
 * trimmed, desired-only `renamedFrom`/`using`/`renamedValues` and live-only `bodyUses` left out).
 *
 * @example
 * fingerprintModel(emptyModel())  // 64 hex characters, the same on every run
 */
export function fingerprintModel(m: SchemaModel): string {
  const model = normalizeModel(m);
  // Each kind's form of its objects (`model.form`, src/kinds/<kind>/model.ts); the kinds within
  // an object replace their properties of its form.
  const form: Record<string, unknown> = { ...model };
  for (const { list, members } of modelLists())
    form[list.property] = model[list.property].map((item) =>
      members.reduce<object>((own, member) => ({ ...own, ...member.form(item) }), list.form(item)),
    );
  return sha256(stableStringify(withoutEmptyNewLists(form)));
}

/**
 * The model (or its form) without the empty lists of the kinds added after fingerprints were
 * first recorded (`emptyInFingerprint: 'left out'`): fingerprints recorded before a kind existed
 * still match a model without its objects.
 */
function withoutEmptyNewLists<T extends object>(model: T): T {
  const record = model as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const { list } of modelLists()) {
    if (list.emptyInFingerprint !== 'left out') continue;
    const value = record[list.property];
    if (Array.isArray(value) && value.length === 0) {
      out ??= { ...record };
      delete out[list.property];
    }
  }
  return (out ?? record) as T;
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
  let fingerprint = liveFingerprints.get(m);
  if (fingerprint === undefined) {
    fingerprint = sha256(JSON.stringify(withoutEmptyNewLists(withoutLiveOnly(m))));
    liveFingerprints.set(m, fingerprint);
  }
  return fingerprint;
}

/**
 * The fingerprints taken, by model: a plan takes one for the judge's cache and one for the plan
 * (models are not changed once built, src/introspect/model-builder.ts).
 */
const liveFingerprints = new WeakMap<SchemaModel, string>();

/**
 * The model without the live-only attributes the catalog gives for comparison, not for the schema
 * (a column's type's storage, a table without a TOAST table), and without the live objects their
 * kind leaves out (`ModelList.inLiveFingerprint`: owners and privileges as PostgreSQL's defaults have them): left out of the live fingerprints,
 * as fingerprints recorded before them (plan files, ledger rows) have no such keys. Copied
 * rather than left out by a `JSON.stringify` replacer, which takes V8 off its fast path (twice
 * the time at 5,000 tables); the copies keep every other key in its place, so the text is the
 * same.
 */
function withoutLiveOnly(m: SchemaModel): SchemaModel {
  const form: Record<string, unknown> = { ...m, tables: m.tables.map(liveTableForm) };
  for (const { list } of modelLists()) {
    if (list.inLiveFingerprint === undefined) continue;
    const items: readonly unknown[] = m[list.property];
    form[list.property] = items.filter((item) => list.inLiveFingerprint!(item));
  }
  return form as unknown as SchemaModel;
}

function liveTableForm({ toastless: _toastless, ...table }: Table): Table {
  return { ...table, columns: table.columns.map(({ typeStorage: _typeStorage, ...column }) => column) };
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
  // Labels (`model.label`, a `refLabel`), not keys: they are shown when a plan is stale, and plain
  // names read as format-1 plan files wrote them.
  const model = withoutLiveOnly(m);
  for (const { list } of modelLists()) for (const item of model[list.property]) add(list.label(item), item);
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
