/**
 * PostgreSQL as the judge of expression equivalence. For the expressions the desired state
 * declares (column defaults and generated expressions, checks, index keys and predicates,
 * trigger WHEN conditions) and for column types, the target server's normal form is obtained in
 * its own context — temporary tables shaped like the desired tables, the expressions created on
 * them, read back with the catalog functions introspection uses (./probe.ts) — and compared with
 * the live object's text. Equal texts are the same; other texts are different; where the server
 * could not judge (a type or function the plan has yet to create, no TEMP privilege, a read-only
 * server), the diff's own comparison decides. See docs/judge.md.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import type { LiveSchema } from '../introspect/index.js';
import { displayQualified } from '../model/ident.js';
import { nameKey } from '../model/object-ref.js';
import type { DesiredState, Table } from '../model/types.js';
import { exclusionSql } from '../plan/sql-text.js';
import { judgeDomains } from '../kinds/domain/judge.js';
import { readRun, readShapes, writeCache, type RunEntry } from './cache.js';
import { liveFingerprint } from '../model/fingerprint.js';
import { judgeViews } from '../kinds/view/judge.js';
import { judgePolicies, withPolicyForms } from '../kinds/policy/judge.js';
import { JudgeUnavailable, runShapes } from './probe.js';
import { desiredShape } from './shapes.js';
import { judgePartitions, withPartitionForms } from './partitions.js';
import { partitionMemberTables } from '../kinds/table/partition-members.js';
import { slotKey, type Judge, type SlotForm, type SlotKind, type TableForms, type TableJudge, type Verdict } from './slots.js';

export { decide, slotKey } from './slots.js';
export type { Judge, SlotForm, SlotKind, TableForms, TableJudge, Verdict } from './slots.js';
export { judgeReadable, type ReadableCandidate } from './readable.js';

/** Bumped whenever what is stored for a shape changes meaning. */
const JUDGE_VERSION = 'judge-2';

export interface JudgeOptions {
  /** The cache folder (`.pgreconcile/cache`); without it nothing is cached. */
  readonly cacheDir?: string;
}

export interface JudgeResult {
  readonly judge: Judge;
  /** Why some or all expressions went unjudged, or which declared expressions the server rejects. */
  readonly warnings: readonly string[];
  /** Tables judged, temporary tables created for them (0 on a warm cache), and whether the whole run was cached. */
  readonly stats: { readonly tables: number; readonly created: number; readonly runCached: boolean };
}

const EMPTY_JUDGE: Judge = { forTable: () => undefined };

/** Errors that mean "something named here does not exist yet": the plan may be about to create it. */
const MISSING_STATES: ReadonlySet<string> = new Set(['42P01', '42704', '3F000', '42P02', '42703']);

function isMissing(form: { readonly error: string; readonly state: string }): boolean {
  return (
    MISSING_STATES.has(form.state) ||
    (form.state === '42883' && /^function /.test(form.error)) ||
    // An enum label the plan adds (or a value of a type it replaces).
    (form.state === '22P02' && / for enum /.test(form.error))
  );
}

/**
 * The objects whose slots the temporary table names by position (checks, indexes, triggers,
 * exclusion constraints; see shapes.ts), so that tables written alike share one shape; undefined
 * for the slots named by column.
 */
function positionedObjects(table: Table, kind: SlotKind): readonly { readonly name: string }[] | undefined {
  switch (kind) {
    case 'check':
      return table.checks;
    case 'key':
    case 'where':
      return table.indexes;
    case 'when':
      return table.triggers;
    case 'exclude':
      return table.exclusions ?? [];
    case 'type':
    case 'default':
    case 'generated':
      return undefined;
  }
}

/**
 * A shape's forms are stored under positions (`#k`), never under the names of the table that
 * happened to be judged first: `toPosition` files a table's forms so, `toNames` reads them back
 * under another table's own names.
 */
function renameSlots(forms: TableForms, table: Table, toPosition: boolean): TableForms {
  const out: Record<string, SlotForm> = {};
  for (const [slot, form] of Object.entries(forms)) {
    const [kind, name, key] = slot.split('\u0000') as [SlotKind, string, string | undefined];
    const objects = positionedObjects(table, kind);
    let renamed = slot;
    if (objects !== undefined) {
      const position = key === undefined ? 0 : Number(key);
      if (toPosition) {
        const k = objects.findIndex((o) => o.name === name);
        if (k >= 0) renamed = slotKey(kind, `#${k + 1}`, position);
      } else if (name.startsWith('#')) {
        const object = objects[Number(name.slice(1)) - 1];
        if (object !== undefined) renamed = slotKey(kind, object.name, position);
      }
    }
    out[renamed] = form;
  }
  return out;
}

/** The key of a table in the judge's maps and its run cache: the project's one name key. */
const tableKey = nameKey;

/** An identifier as PostgreSQL's ruleutils prints it (quote_identifier, approximately: keywords aside). */
function printedIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Does `live` name anything whose text differs from `desired` (undefined on either side: nothing to judge)? */
function differs(desired: string | undefined, live: string | undefined): boolean {
  return desired !== undefined && live !== undefined && desired !== live;
}

/**
 * A live table's objects of one kind (columns, checks, indexes, triggers) looked up by name.
 * Live names are unique within their kind on a table (the catalog's unique indexes), so the
 * object at the desired object's position is the one when its name matches — the usual case,
 * desired and live listed alike; otherwise a Map by name, built on the first miss.
 */
class ByName<T extends { readonly name: string }> {
  readonly #list: readonly T[];
  #map: Map<string, T> | undefined;
  constructor(list: readonly T[]) {
    this.#list = list;
  }
  get(name: string, position: number): T | undefined {
    const at = this.#list[position];
    if (at !== undefined && at.name === name) return at;
    if (this.#map === undefined) {
      this.#map = new Map();
      for (const item of this.#list) if (!this.#map.has(item.name)) this.#map.set(item.name, item);
    }
    return this.#map.get(name);
  }
}

interface LiveByName {
  readonly columns: ByName<Table['columns'][number]>;
  readonly checks: ByName<Table['checks'][number]>;
  readonly indexes: ByName<Table['indexes'][number]>;
  readonly triggers: ByName<Table['triggers'][number]>;
  readonly exclusions: ByName<NonNullable<Table['exclusions']>[number]>;
}

function liveByName(live: Table): LiveByName {
  return {
    columns: new ByName(live.columns),
    checks: new ByName(live.checks),
    indexes: new ByName(live.indexes),
    triggers: new ByName(live.triggers),
    exclusions: new ByName(live.exclusions ?? []),
  };
}

/**
 * The slots of the desired table written otherwise than their live counterparts (matched by
 * name): only those are judged (identical texts are the same). Empty for tables with renamed
 * columns, which are not judged (the live texts name the old columns).
 */
function differingSlots(desired: Table, live: LiveByName): string[] {
  const slots: string[] = [];
  if (desired.columns.some((c) => c.renamedFrom !== undefined)) return slots;
  for (let k = 0; k < desired.columns.length; k++) {
    const column = desired.columns[k]!;
    const other = live.columns.get(column.name, k);
    if (other === undefined) continue;
    if (column.type !== other.type) slots.push(slotKey('type', column.name));
    if (differs(column.default, other.default)) slots.push(slotKey('default', column.name));
    if (differs(column.generated, other.generated)) slots.push(slotKey('generated', column.name));
  }
  for (let k = 0; k < desired.checks.length; k++) {
    const check = desired.checks[k]!;
    if (differs(check.expression, live.checks.get(check.name, k)?.expression)) slots.push(slotKey('check', check.name));
  }
  for (let k = 0; k < desired.indexes.length; k++) {
    const index = desired.indexes[k]!;
    const other = live.indexes.get(index.name, k);
    if (other === undefined) continue;
    if (differs(index.where, other.where)) slots.push(slotKey('where', index.name));
    index.keys.forEach((key, i) => {
      if (differs(key.expression, other.keys[i]?.expression)) slots.push(slotKey('key', index.name, i + 1));
    });
  }
  for (let k = 0; k < desired.triggers.length; k++) {
    const trigger = desired.triggers[k]!;
    if (differs(trigger.when, live.triggers.get(trigger.name, k)?.when)) slots.push(slotKey('when', trigger.name));
  }
  const exclusions = desired.exclusions ?? [];
  for (let k = 0; k < exclusions.length; k++) {
    const exclusion = exclusions[k]!;
    const other = live.exclusions.get(exclusion.name, k);
    if (differs(exclusionSql(exclusion), other?.definition)) slots.push(slotKey('exclude', exclusion.name));
  }
  return slots;
}

/**
 * A digest of every catalog object an expression could name outside pg_catalog: functions,
 * types (not tables' row types), operators by name, user casts and the installed extensions.
 * `byName` maps `f:name`, `t:name`, `o:symbol` to the digest of the objects with that name.
 */
interface CatalogDigest {
  readonly whole: string;
  readonly global: string;
  readonly byName: ReadonlyMap<string, string>;
}

const DIGEST_SQL = `
SELECT 'f' AS k, p.proname::text AS name, pg_catalog.md5(pg_catalog.string_agg(p.oid::text || ':' || p.xmin::text, ',' ORDER BY p.oid)) AS d
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(temp|toast)'
 GROUP BY p.proname
UNION ALL
SELECT 't', t.typname::text, pg_catalog.md5(pg_catalog.string_agg(t.oid::text || ':' || t.xmin::text, ',' ORDER BY t.oid))
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(temp|toast)'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e JOIN pg_catalog.pg_class c ON c.oid = e.typrelid
                    WHERE e.oid = t.typelem AND t.typcategory = 'A' AND c.relkind <> 'c')
 GROUP BY t.typname
UNION ALL
SELECT 'o', o.oprname::text, pg_catalog.md5(pg_catalog.string_agg(o.oid::text || ':' || o.xmin::text, ',' ORDER BY o.oid))
  FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(temp|toast)'
 GROUP BY o.oprname
UNION ALL
SELECT 'g', '', pg_catalog.md5(coalesce((SELECT pg_catalog.string_agg(c.oid::text || ':' || c.xmin::text, ',' ORDER BY c.oid) FROM pg_catalog.pg_cast c WHERE c.oid >= 16384), '')
       || '|' || coalesce((SELECT pg_catalog.string_agg(e.extname || ':' || e.extversion, ',' ORDER BY e.extname) FROM pg_catalog.pg_extension e), '')
       || '|' || coalesce((SELECT pg_catalog.string_agg(c.oid::text || ':' || c.xmin::text, ',' ORDER BY c.oid) FROM pg_catalog.pg_collation c WHERE c.oid >= 16384), ''))`;

async function catalogDigest(db: Db): Promise<CatalogDigest> {
  const { rows } = await db.query<{ k: string; name: string; d: string }>(DIGEST_SQL);
  const hash = createHash('sha256');
  const byName = new Map<string, string>();
  let global = '';
  for (const row of rows) {
    hash.update(`${row.k}:${row.name}:${row.d}\n`);
    if (row.k === 'g') global = row.d;
    else byName.set(`${row.k}:${row.name}`, row.d);
  }
  return { whole: hash.digest('hex'), global, byName };
}

const WORDS = /"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)|([~!@#%^&|`?+\-*/<>=]+)/g;

/** The key of a shape: its SQL, the server version and the digests of the objects the SQL names. */
function shapeKey(sqls: readonly string[], serverVersion: number, digest: CatalogDigest): string {
  const refs = new Set<string>();
  for (const sql of sqls) {
    for (const m of sql.matchAll(WORDS)) {
      if (m[3] !== undefined) {
        const d = digest.byName.get(`o:${m[3]}`);
        if (d !== undefined) refs.add(`o:${m[3]}=${d}`);
        continue;
      }
      const word = m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? '');
      for (const name of word === word.toLowerCase() ? [word] : [word, word.toLowerCase()]) {
        for (const k of ['f', 't']) {
          const d = digest.byName.get(`${k}:${name}`);
          if (d !== undefined) refs.add(`${k}:${name}=${d}`);
        }
      }
    }
  }
  const hash = createHash('sha256').update(`${JUDGE_VERSION}\n${serverVersion}\n${digest.global}\n`);
  for (const sql of sqls) hash.update(sql).update('\u0000');
  for (const ref of [...refs].sort()) hash.update(ref).update('\n');
  return hash.digest('hex');
}

function shapeSqls(table: Table, selected: ReadonlySet<string>): string[] {
  const shape = desiredShape(table, 0, selected);
  return [shape.bare, shape.full ?? '', ...shape.probes.map((p) => p.sql)];
}

function desiredHash(desired: DesiredState): string {
  return desired.source?.hash ?? createHash('sha256').update(JSON.stringify(desired.model.tables)).digest('hex');
}

/**
 * Which live text each expression slot of the desired table takes in its live variant (see
 * `liveVariant`), without building the variant: the warm path only needs this map.
 */
function liveSources(desired: Table, live: LiveByName): Map<string, string> {
  const sources = new Map<string, string>();
  for (let k = 0; k < desired.columns.length; k++) {
    const column = desired.columns[k]!;
    const other = live.columns.get(column.name, k);
    if (column.generated !== undefined && other?.generated !== undefined) sources.set(slotKey('generated', column.name), other.generated);
    else if (column.default !== undefined && other?.default !== undefined && column.identity === undefined) {
      sources.set(slotKey('default', column.name), other.default);
    }
  }
  for (let k = 0; k < desired.checks.length; k++) {
    const check = desired.checks[k]!;
    const other = live.checks.get(check.name, k);
    if (other !== undefined) sources.set(slotKey('check', check.name), other.expression);
  }
  for (let k = 0; k < desired.indexes.length; k++) {
    const index = desired.indexes[k]!;
    const other = live.indexes.get(index.name, k);
    if (other === undefined || other.keys.length !== index.keys.length) continue;
    index.keys.forEach((key, i) => {
      const expression = other.keys[i]?.expression;
      if (key.expression !== undefined && expression !== undefined) sources.set(slotKey('key', index.name, i + 1), expression);
    });
    if (index.where !== undefined && other.where !== undefined) sources.set(slotKey('where', index.name), other.where);
  }
  for (let k = 0; k < desired.triggers.length; k++) {
    const trigger = desired.triggers[k]!;
    const other = live.triggers.get(trigger.name, k);
    if (trigger.when !== undefined && other?.when !== undefined) sources.set(slotKey('when', trigger.name), other.when);
  }
  return sources;
}

/**
 * The desired table with the live table's expressions in place of its own (matched by name):
 * created on the same temporary table shape, the live texts read back in the desired context.
 * The server's printed form is not always a fixpoint (`(ARRAY['a'::character varying])::text[]`
 * reads back as `ARRAY[('a'::character varying)::text]`), so a desired expression is also the
 * same when both read back alike. `sources` (from `liveSources`) records which live text each
 * slot was built from.
 */
function liveVariant(desired: Table, live: LiveByName): { table: Table; sources: Map<string, string> } {
  const sources = liveSources(desired, live);
  const columns = desired.columns.map((column) => {
    const generated = sources.get(slotKey('generated', column.name));
    if (generated !== undefined) return { ...column, generated };
    const value = sources.get(slotKey('default', column.name));
    return value !== undefined ? { ...column, default: value } : column;
  });
  const checks = desired.checks.map((check) => {
    const expression = sources.get(slotKey('check', check.name));
    return expression !== undefined ? { ...check, expression } : check;
  });
  const indexes = desired.indexes.map((index, k) => {
    const other = live.indexes.get(index.name, k);
    if (other === undefined || other.keys.length !== index.keys.length) return index;
    const keys = index.keys.map((key, i) => {
      const expression = sources.get(slotKey('key', index.name, i + 1));
      return expression !== undefined ? { ...key, expression } : key;
    });
    const where = sources.get(slotKey('where', index.name));
    return where !== undefined ? { ...index, keys, where } : { ...index, keys };
  });
  const triggers = desired.triggers.map((trigger) => {
    const when = sources.get(slotKey('when', trigger.name));
    return when !== undefined ? { ...trigger, when } : trigger;
  });
  return { table: { ...desired, columns, checks, indexes, triggers }, sources };
}

/**
 * A digest of the live texts a table's live variant is built from, for its selected slots. A run
 * entry with a live variant holds it: the variant's forms are the normal forms of those texts, so
 * a live expression changed by hand since (still written otherwise than the file, so the same
 * slots are selected) must not be judged by them.
 */
function liveStamp(slots: readonly string[], sources: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const slot of slots)
    hash
      .update(slot)
      .update('\u0003')
      .update(sources.get(slot) ?? '')
      .update('\u0004');
  return hash.digest('hex').slice(0, 32);
}

function printedForm(form: SlotForm | undefined, printed: string): string | undefined {
  if (typeof form !== 'string') return undefined;
  return form.includes('\u0000') ? form.replaceAll('\u0000', printed) : form;
}

/**
 * Where a table's slot sits in a shape's stored forms: positioned objects under `#k` (see
 * `renameSlots`), the rest under their own names. Looked up per verdict, so a warm re-plan does
 * not copy every shape's forms under every table's names.
 */
function storedSlot(forms: TableForms, table: Table, kind: SlotKind, name: string, key: number): SlotForm | undefined {
  const objects = positionedObjects(table, kind);
  if (objects !== undefined) {
    const k = objects.findIndex((o) => o.name === name);
    if (k >= 0) {
      const form = forms[slotKey(kind, `#${k + 1}`, key)];
      if (form !== undefined) return form;
    }
  }
  return forms[slotKey(kind, name, key)];
}

/**
 * `forms` and `liveForms` are a shape's stored forms (positions, not names); `sources` is called
 * at most once, the first time a verdict needs the live-variant comparison.
 */
function tableJudge(table: Table, forms: TableForms, liveForms: TableForms, sources: () => ReadonlyMap<string, string>): TableJudge {
  const printed = printedIdent(table.name);
  let sourceMap: ReadonlyMap<string, string> | undefined;
  return {
    verdict(kind: SlotKind, name: string, key: number, live: string | undefined): Verdict {
      if (live === undefined) return 'unjudged';
      const form = storedSlot(forms, table, kind, name, key);
      if (form === undefined) return 'unjudged';
      if (typeof form !== 'string') return isMissing(form) ? 'unjudged' : 'different';
      const text = printedForm(form, printed)!;
      if (text === live) return 'same';
      sourceMap ??= sources();
      if (sourceMap.get(slotKey(kind, name, key)) === live) {
        const liveText = printedForm(storedSlot(liveForms, table, kind, name, key), printed);
        if (liveText !== undefined && liveText === text) return 'same';
      }
      return 'different';
    },
  };
}

const SLOT_LABEL: Record<SlotKind, string> = {
  type: 'the type of column',
  default: 'the default of column',
  generated: 'the generated expression of column',
  check: 'check',
  key: 'a key of index',
  where: 'the predicate of index',
  when: 'the WHEN condition of trigger',
  exclude: 'exclusion constraint',
};

/** The slots of a shape's forms the server rejects outright: `label name: error`, the table's name left out. */
function rejections(forms: TableForms): string[] {
  const found: string[] = [];
  for (const [slot, form] of Object.entries(forms)) {
    if (typeof form === 'string' || isMissing(form)) continue;
    const [kind, name] = slot.split('\u0000') as [SlotKind, string];
    found.push(`${SLOT_LABEL[kind]} ${name} as declared: ${form.error}`);
  }
  return found;
}

/** Warnings for the declared expressions the server rejects outright (the plan will fail on them). */
function rejectionWarnings(table: Table, rejected: readonly string[]): string[] {
  if (rejected.length === 0) return [];
  const where = displayQualified(table);
  return rejected.map((text) => `${where}: PostgreSQL rejects ${text}`);
}

/**
 * The verdicts for a desired state against the live schema, on `db` (the server the plan is
 * for). Never fails for want of the judge: when it cannot run, every expression is unjudged and
 * a warning says why.
 *
 * @example
 * const { judge } = await judgeDesired(db, target, live, { cacheDir: '.pgreconcile/cache' });
 * const changes = diffSchemas(target, live.model, judge);
 */
export async function judgeDesired(db: Db, desired: DesiredState, live: LiveSchema, options: JudgeOptions = {}): Promise<JudgeResult> {
  const tables = await judgeTables(db, desired, live, options);
  const views = await judgeViews(db, desired.model, live.model);
  const domains = await judgeDomains(db, desired.model.domains, live.model.domains);
  if (views.size === 0 && domains.judges.size === 0 && domains.warnings.length === 0) return tables;
  const judge: Judge = {
    forTable: (schema, name) => tables.judge.forTable(schema, name),
    forView: (schema, name) => views.get(nameKey(schema, name)),
    forDomain: (schema, name) => domains.judges.get(nameKey(schema, name)),
  };
  return { ...tables, judge, warnings: [...tables.warnings, ...domains.warnings] };
}

/** The verdicts on tables: their expressions, the partition keys and bounds (./partitions.ts), the policies' expressions (src/kinds/policy/judge.ts). */
async function judgeTables(db: Db, desired: DesiredState, live: LiveSchema, options: JudgeOptions): Promise<JudgeResult> {
  const result = await judgeExpressions(db, desired, live, options);
  const partitions = await judgePartitions(db, desired, live);
  const policies = await judgePolicies(db, desired.model, live.model);
  if (partitions.forms.size === 0 && partitions.warnings.length === 0 && policies.size === 0) return result;
  return {
    ...result,
    judge: withPolicyForms(withPartitionForms(result.judge, partitions.forms), policies),
    warnings: [...result.warnings, ...partitions.warnings],
  };
}

/** `judgeDesired` for the expressions of tables (columns, checks, indexes, triggers, exclusions). */
async function judgeExpressions(db: Db, desired: DesiredState, live: LiveSchema, options: JudgeOptions): Promise<JudgeResult> {
  // A partition's own indexes and constraints are judged as a table's (src/kinds/table/partition-members.ts).
  const withPartitions = (tables: readonly Table[]): Table[] => [
    ...tables,
    ...tables.flatMap((t) => partitionMemberTables(t).map((m) => m.table)),
  ];
  const liveTables = new Map(withPartitions(live.model.tables).map((t) => [tableKey(t.schema, t.name), t]));
  const selection = new Map<Table, readonly string[]>();
  const liveIndex = new Map<Table, LiveByName>();
  for (const table of withPartitions(desired.model.tables)) {
    const other = liveTables.get(tableKey(table.schema, table.name));
    if (other === undefined) continue;
    const byName = liveByName(other);
    const slots = differingSlots(table, byName);
    if (slots.length > 0) {
      selection.set(table, slots);
      liveIndex.set(table, byName);
    }
  }
  if (selection.size === 0) return { judge: EMPTY_JUDGE, warnings: [], stats: { tables: 0, created: 0, runCached: false } };

  let digest: CatalogDigest;
  try {
    digest = await catalogDigest(db);
  } catch (error) {
    if (!isDbError(error)) throw error;
    return unavailable(error.message, selection.size);
  }
  const runKey = createHash('sha256')
    .update(`${JUDGE_VERSION}\n${live.serverVersion}\n${digest.whole}\n${desiredHash(desired)}`)
    .digest('hex');
  const dir = options.cacheDir;
  const [run, shapes] =
    dir === undefined ? [undefined, new Map<string, TableForms>()] : await Promise.all([readRun(dir, runKey), readShapes(dir)]);

  // The whole run as recorded, for a live schema that is the same to the byte (its fingerprint):
  // the same tables are selected with the same slots and live texts, so nothing is checked table
  // by table and each table's judge is made when the diff first asks for it.
  const fingerprint = liveFingerprint(live.model);
  if (run !== undefined && run.live === fingerprint && run.warnings !== undefined && recordedWhole(run, shapes, selection.size)) {
    return wholeRunCached(run, shapes, selection, liveIndex);
  }

  // A run entry per table: the selected slots, the desired shape's key, the live variant's key (or '').
  // `stamp`: the live texts the live variant was built from (see `liveStamp`), '' without one.
  const entries = new Map<Table, { signature: string; own: string; other: string; stamp: string }>();
  let runCached = run !== undefined;
  let created = 0;
  const pendingOwn: Table[] = [];
  for (const [table, slots] of selection) {
    const signature = slots.join('\u0001');
    const cached = run?.tables[tableKey(table.schema, table.name)]?.split('\u0002');
    if (
      cached !== undefined &&
      cached[0] === signature &&
      shapes.has(cached[1]!) &&
      (cached[2] === '' || (shapes.has(cached[2]!) && cached[3] === liveStamp(slots, liveSources(table, liveIndex.get(table)!))))
    ) {
      entries.set(table, { signature, own: cached[1]!, other: cached[2]!, stamp: cached[3] ?? '' });
    } else {
      runCached = false;
      entries.set(table, { signature, own: shapeKey(shapeSqls(table, new Set(slots)), live.serverVersion, digest), other: '', stamp: '' });
      pendingOwn.push(table);
    }
  }
  const runMissing = async (work: Map<string, [Table, ReadonlySet<string>]>): Promise<void> => {
    if (work.size === 0) return;
    const list = [...work];
    const forms = await runShapes(
      db,
      list.map(([, [table, slots]], i) => desiredShape(table, i + 1, slots)),
    );
    list.forEach(([key, [table]], i) => shapes.set(key, renameSlots(forms[i] ?? {}, table, true)));
    created += list.length;
  };
  const variants = new Map<Table, Map<string, string>>();
  try {
    // Phase 1: the desired expressions.
    const own = new Map<string, [Table, ReadonlySet<string>]>();
    for (const table of pendingOwn) {
      const key = entries.get(table)!.own;
      if (!shapes.has(key) && !own.has(key)) own.set(key, [table, new Set(selection.get(table))]);
    }
    await runMissing(own);
    // Phase 2: where a desired normal form is not the live text, the live expression in the desired context.
    const other = new Map<string, [Table, ReadonlySet<string>]>();
    for (const table of pendingOwn) {
      const entry = entries.get(table)!;
      const forms = renameSlots(shapes.get(entry.own) ?? {}, table, false);
      const { table: variant, sources } = liveVariant(table, liveIndex.get(table)!);
      const printed = printedIdent(table.name);
      const needed = new Set(
        selection.get(table)!.filter((slot) => {
          const source = sources.get(slot);
          return source !== undefined && typeof forms[slot] === 'string' && printedForm(forms[slot], printed) !== source;
        }),
      );
      if (needed.size === 0) continue;
      entry.other = shapeKey(shapeSqls(variant, needed), live.serverVersion, digest);
      entry.stamp = liveStamp(selection.get(table)!, sources);
      variants.set(table, sources);
      if (!shapes.has(entry.other) && !other.has(entry.other)) other.set(entry.other, [variant, needed]);
    }
    await runMissing(other);
  } catch (error) {
    if (!(error instanceof JudgeUnavailable)) throw error;
    return unavailable(error.message, selection.size);
  }
  const warnings: string[] = [];
  const judges = new Map<string, TableJudge>();
  // Many tables share a shape: what it rejects is worked out once per shape key.
  const rejectedByShape = new Map<string, string[]>();
  for (const [table, e] of entries) {
    const stored = shapes.get(e.own) ?? {};
    const liveForms = e.other === '' ? {} : (shapes.get(e.other) ?? {});
    const sources = (): ReadonlyMap<string, string> =>
      variants.get(table) ?? (e.other === '' ? new Map() : liveSources(table, liveIndex.get(table)!));
    judges.set(tableKey(table.schema, table.name), tableJudge(table, stored, liveForms, sources));
    let rejected = rejectedByShape.get(e.own);
    if (rejected === undefined) rejectedByShape.set(e.own, (rejected = rejections(stored)));
    // Named by position in the shape: said with this table's own names.
    if (rejected.length > 0) warnings.push(...rejectionWarnings(table, rejections(renameSlots(stored, table, false))));
  }
  // Written again when the live schema is not the one recorded: the next re-plan then reads it whole.
  if (dir !== undefined && (!runCached || run?.live !== fingerprint)) {
    const entry: Record<string, string> = {};
    for (const [table, e] of entries) {
      entry[tableKey(table.schema, table.name)] = `${e.signature}\u0002${e.own}\u0002${e.other}\u0002${e.stamp}`;
    }
    await writeCache(dir, runKey, { tables: entry, live: fingerprint, warnings }, shapes);
  }
  return {
    judge: { forTable: (schema, name) => judges.get(tableKey(schema, name)) },
    warnings,
    stats: { tables: selection.size, created, runCached },
  };
}

/** Does the run entry hold `tables` tables whose shapes are all still stored? */
function recordedWhole(run: RunEntry, shapes: ReadonlyMap<string, TableForms>, tables: number): boolean {
  const entries = Object.values(run.tables);
  if (entries.length !== tables) return false;
  return entries.every((entry) => {
    const [, own = '', other = ''] = entry.split('\u0002');
    return shapes.has(own) && (other === '' || shapes.has(other));
  });
}

/**
 * `judgeExpressions` from a run entry recorded against this very live schema: every table's
 * judge from its recorded shapes, made on the first verdict asked of it, and the recorded warnings.
 */
function wholeRunCached(
  run: RunEntry,
  shapes: ReadonlyMap<string, TableForms>,
  selection: ReadonlyMap<Table, readonly string[]>,
  liveIndex: ReadonlyMap<Table, LiveByName>,
): JudgeResult {
  const desiredTables = new Map<string, Table>();
  for (const table of selection.keys()) desiredTables.set(tableKey(table.schema, table.name), table);
  const judges = new Map<string, TableJudge | undefined>();
  const judgeOf = (key: string): TableJudge | undefined => {
    const table = desiredTables.get(key);
    const recorded = run.tables[key]?.split('\u0002');
    if (table === undefined || recorded === undefined) return undefined;
    const [, own = '', other = ''] = recorded;
    const liveForms = other === '' ? {} : (shapes.get(other) ?? {});
    const sources = (): ReadonlyMap<string, string> => (other === '' ? new Map() : liveSources(table, liveIndex.get(table)!));
    return tableJudge(table, shapes.get(own) ?? {}, liveForms, sources);
  };
  return {
    judge: {
      forTable: (schema, name) => {
        const key = tableKey(schema, name);
        if (!judges.has(key)) judges.set(key, judgeOf(key));
        return judges.get(key);
      },
    },
    warnings: run.warnings ?? [],
    stats: { tables: selection.size, created: 0, runCached: true },
  };
}

function unavailable(reason: string, tables: number): JudgeResult {
  return {
    judge: EMPTY_JUDGE,
    warnings: [
      `PostgreSQL could not judge the expressions (${reason}); they were compared by pgreconcile's own reading instead, which may call equal what differs (docs/judge.md)`,
    ],
    stats: { tables, created: 0, runCached: false },
  };
}
