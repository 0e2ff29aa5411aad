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
import type { DesiredState, Table } from '../model/types.js';
import { readRun, readShapes, writeCache } from './cache.js';
import { JudgeUnavailable, runShapes } from './probe.js';
import { desiredShape } from './shapes.js';
import { slotKey, type Judge, type SlotForm, type SlotKind, type TableForms, type TableJudge, type Verdict } from './slots.js';

export { decide, slotKey } from './slots.js';
export type { Judge, SlotForm, SlotKind, TableForms, TableJudge, Verdict } from './slots.js';
export { judgeReadable, type ReadableCandidate } from './readable.js';

/** Bumped whenever what is stored for a shape changes meaning. */
const JUDGE_VERSION = 'judge-1';

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

const tableKey = (schema: string, name: string): string => `${schema}\u0000${name}`;

/** An identifier as PostgreSQL's ruleutils prints it (quote_identifier, approximately: keywords aside). */
function printedIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Does `live` name anything whose text differs from `desired` (undefined on either side: nothing to judge)? */
function differs(desired: string | undefined, live: string | undefined): boolean {
  return desired !== undefined && live !== undefined && desired !== live;
}

/**
 * True when some expression or column type of the desired table is written otherwise than its
 * live counterpart (matched by name): only then is the server asked. Tables with renamed
 * columns are not judged (the live texts name the old columns).
 */
function needsJudging(desired: Table, live: Table): boolean {
  if (desired.columns.some((c) => c.renamedFrom !== undefined)) return false;
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  for (const column of desired.columns) {
    const other = liveColumns.get(column.name);
    if (other === undefined) continue;
    if (column.type !== other.type || differs(column.default, other.default) || differs(column.generated, other.generated)) return true;
  }
  for (const check of desired.checks) {
    if (differs(check.expression, live.checks.find((c) => c.name === check.name)?.expression)) return true;
  }
  for (const index of desired.indexes) {
    const other = live.indexes.find((i) => i.name === index.name);
    if (other === undefined) continue;
    if (differs(index.where, other.where)) return true;
    if (index.keys.some((key, i) => differs(key.expression, other.keys[i]?.expression))) return true;
  }
  for (const trigger of desired.triggers) {
    if (differs(trigger.when, live.triggers.find((t) => t.name === trigger.name)?.when)) return true;
  }
  return false;
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

function shapeSqls(table: Table): string[] {
  const shape = desiredShape(table, 0);
  return [shape.bare, shape.full ?? '', ...shape.probes.map((p) => p.sql)];
}

function desiredHash(desired: DesiredState): string {
  return desired.source?.hash ?? createHash('sha256').update(JSON.stringify(desired.model.tables)).digest('hex');
}

/**
 * The desired table with the live table's expressions in place of its own (matched by name):
 * created on the same temporary table shape, the live texts read back in the desired context.
 * The server's printed form is not always a fixpoint (`(ARRAY['a'::character varying])::text[]`
 * reads back as `ARRAY[('a'::character varying)::text]`), so a desired expression is also the
 * same when both read back alike. `sources` records which live text each slot was built from.
 */
function liveVariant(desired: Table, live: Table): { table: Table; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  const columns = desired.columns.map((column) => {
    const other = liveColumns.get(column.name);
    if (column.generated !== undefined && other?.generated !== undefined) {
      sources.set(slotKey('generated', column.name), other.generated);
      return { ...column, generated: other.generated };
    }
    if (column.default !== undefined && other?.default !== undefined && column.identity === undefined) {
      sources.set(slotKey('default', column.name), other.default);
      return { ...column, default: other.default };
    }
    return column;
  });
  const checks = desired.checks.map((check) => {
    const other = live.checks.find((c) => c.name === check.name);
    if (other === undefined) return check;
    sources.set(slotKey('check', check.name), other.expression);
    return { ...check, expression: other.expression };
  });
  const indexes = desired.indexes.map((index) => {
    const other = live.indexes.find((i) => i.name === index.name);
    if (other === undefined || other.keys.length !== index.keys.length) return index;
    const keys = index.keys.map((key, i) => {
      const expression = other.keys[i]?.expression;
      if (key.expression === undefined || expression === undefined) return key;
      sources.set(slotKey('key', index.name, i + 1), expression);
      return { ...key, expression };
    });
    if (index.where !== undefined && other.where !== undefined) {
      sources.set(slotKey('where', index.name), other.where);
      return { ...index, keys, where: other.where };
    }
    return { ...index, keys };
  });
  const triggers = desired.triggers.map((trigger) => {
    const other = live.triggers.find((t) => t.name === trigger.name);
    if (trigger.when === undefined || other?.when === undefined) return trigger;
    sources.set(slotKey('when', trigger.name), other.when);
    return { ...trigger, when: other.when };
  });
  return { table: { ...desired, columns, checks, indexes, triggers }, sources };
}

function printedForm(form: SlotForm | undefined, printed: string): string | undefined {
  if (typeof form !== 'string') return undefined;
  return form.includes('\u0000') ? form.replaceAll('\u0000', printed) : form;
}

function tableJudge(table: Table, forms: TableForms, liveForms: TableForms, sources: ReadonlyMap<string, string>): TableJudge {
  const printed = printedIdent(table.name);
  return {
    verdict(kind: SlotKind, name: string, key: number, live: string | undefined): Verdict {
      if (live === undefined) return 'unjudged';
      const slot = slotKey(kind, name, key);
      const form: SlotForm | undefined = forms[slot];
      if (form === undefined) return 'unjudged';
      if (typeof form !== 'string') return isMissing(form) ? 'unjudged' : 'different';
      const text = printedForm(form, printed)!;
      if (text === live) return 'same';
      if (sources.get(slot) === live) {
        const liveText = printedForm(liveForms[slot], printed);
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
};

/** Warnings for the declared expressions the server rejects outright (the plan will fail on them). */
function rejectionWarnings(table: Table, forms: TableForms): string[] {
  const warnings: string[] = [];
  for (const [slot, form] of Object.entries(forms)) {
    if (typeof form === 'string' || isMissing(form)) continue;
    const [kind, name] = slot.split('\u0000') as [SlotKind, string];
    warnings.push(`${displayQualified(table)}: PostgreSQL rejects ${SLOT_LABEL[kind]} ${name} as declared: ${form.error}`);
  }
  return warnings;
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
  const liveTables = new Map(live.model.tables.map((t) => [tableKey(t.schema, t.name), t]));
  const tables: Table[] = [];
  for (const table of desired.model.tables) {
    const other = liveTables.get(tableKey(table.schema, table.name));
    if (other !== undefined && needsJudging(table, other)) tables.push(table);
  }
  if (tables.length === 0) return { judge: EMPTY_JUDGE, warnings: [], stats: { tables: 0, created: 0, runCached: false } };

  let digest: CatalogDigest;
  try {
    digest = await catalogDigest(db);
  } catch (error) {
    if (!isDbError(error)) throw error;
    return unavailable(error.message, tables.length);
  }
  const runKey = createHash('sha256').update(`${JUDGE_VERSION}\n${live.serverVersion}\n${digest.whole}\n${desiredHash(desired)}`).digest('hex');
  const dir = options.cacheDir;
  const [run, shapes] = dir === undefined ? [undefined, new Map<string, TableForms>()] : await Promise.all([readRun(dir, runKey), readShapes(dir)]);

  // Each judged table twice: with its own expressions, and with the live table's (`liveVariant`).
  const variants = new Map<Table, { table: Table; sources: Map<string, string> }>();
  for (const table of tables) variants.set(table, liveVariant(table, liveTables.get(tableKey(table.schema, table.name))!));
  const keys = new Map<Table, [string, string]>();
  let runCached = run !== undefined;
  for (const table of tables) {
    const cached = run?.tables[tableKey(table.schema, table.name)];
    const [own, other] = cached?.split(' ') ?? [];
    if (own !== undefined && other !== undefined && shapes.has(own) && shapes.has(other)) keys.set(table, [own, other]);
    else {
      runCached = false;
      keys.set(table, [shapeKey(shapeSqls(table), live.serverVersion, digest), shapeKey(shapeSqls(variants.get(table)!.table), live.serverVersion, digest)]);
    }
  }
  const missing = new Map<string, Table>();
  for (const [table, [own, other]] of keys) {
    if (!shapes.has(own) && !missing.has(own)) missing.set(own, table);
    if (!shapes.has(other) && !missing.has(other)) missing.set(other, variants.get(table)!.table);
  }

  const warnings: string[] = [];
  if (missing.size > 0) {
    const pending = [...missing];
    try {
      const forms = await runShapes(db, pending.map(([, table], i) => desiredShape(table, i + 1)));
      pending.forEach(([key], i) => shapes.set(key, forms[i] ?? {}));
    } catch (error) {
      if (!(error instanceof JudgeUnavailable)) throw error;
      return unavailable(error.message, tables.length);
    }
  }
  if (dir !== undefined && !runCached) {
    const entry: Record<string, string> = {};
    for (const [table, [own, other]] of keys) entry[tableKey(table.schema, table.name)] = `${own} ${other}`;
    await writeCache(dir, runKey, { tables: entry }, shapes);
  }

  const judges = new Map<string, TableJudge>();
  for (const [table, [own, other]] of keys) {
    const forms = shapes.get(own) ?? {};
    judges.set(tableKey(table.schema, table.name), tableJudge(table, forms, shapes.get(other) ?? {}, variants.get(table)!.sources));
    warnings.push(...rejectionWarnings(table, forms));
  }
  return {
    judge: { forTable: (schema, name) => judges.get(tableKey(schema, name)) },
    warnings,
    stats: { tables: tables.length, created: missing.size, runCached },
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
