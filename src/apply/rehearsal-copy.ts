/**
 * The copy a rehearsal runs on: the target's *whole* schema — every object, managed by
 * pgreconcile or not (a view on a table the plan alters must be there for the plan to fail as it
 * will on the target) — and, on request, a sample of its rows (so that a NOT NULL column added to
 * a table with rows fails there too).
 *
 * How the copy is made, best first:
 * - `pg_dump`: `pg_dump --schema-only` of the target (a pg_dump at least as new as the server),
 *   run statement by statement into the scratch database; with rows, the part before the data
 *   (tables, types, functions, views), then the rows, then the part after (keys, indexes,
 *   foreign keys, triggers).
 * - `catalog`: no usable pg_dump (or `copy: 'catalog'`): the target's live model planned onto the
 *   scratch database, then its views and materialized views from pg_get_viewdef; what that leaves
 *   out (domains, partitions, policies, …) is listed in `missing`.
 * Rows: up to `rows` per table, every row of a table the statistics put at or under that, a
 * TABLESAMPLE of larger ones, read in one snapshot; rows whose foreign keys point at rows that
 * were not copied are then deleted, so that the keys can be created as on the target.
 */
import type { Db } from '../db/db.js';
import { formatDbError, isDbError } from '../db/errors.js';
import { connectionStringOf } from '../db/open.js';
import { pinSessionSettings } from '../db/session-settings.js';
import { dumpSchema, findPgDump, type PgDumpTool } from '../db/pg-dump.js';
import { blankMetaCommands, lineColumnAt, splitStatements } from '../import/import-sql.js';
import { qualify, quoteIdent, quoteLiteral } from '../model/ident.js';
import type { DesiredState, Extension, QualifiedName, SchemaModel } from '../model/types.js';
import type { PlanStep } from '../plan/build-plan.js';
import type { RehearsalCopy, RehearsalFailure } from '../plan/rehearsal-record.js';
import { findUnmanagedObjects, type LiveSchema } from '../introspect/index.js';
import { initParser } from '../sql/parser.js';
import { executePlan, StepFailedError } from './execute.js';
import { planDatabase } from '../plan-database.js';

export interface CopyOptions {
  /** Rows to copy per table (a sample of larger tables); 0 or undefined: none. */
  readonly rows?: number;
  /** `catalog`: never pg_dump (the copy from the model and the catalog). Default `auto`. */
  readonly method?: 'auto' | 'catalog';
  /** The pg_dump to use: a path, or `none` (default: $PGRECONCILE_PG_DUMP, else one found installed). */
  readonly pgDump?: string;
}

export interface CopyResult {
  readonly copy: RehearsalCopy;
  readonly failed?: RehearsalFailure;
}

/** SQLSTATEs of CREATE EXTENSION for an extension the server does not have. */
const EXTENSION_MISSING = new Set(['0A000', '58P01']);

function describeError(error: unknown): string {
  return isDbError(error) ? formatDbError(error) : error instanceof Error ? error.message : String(error);
}

function copyFailure(message: string, sql?: string): RehearsalFailure {
  return {
    phase: 'copy',
    ...(sql !== undefined ? { sql } : {}),
    error: `the copy of the target's schema could not be made on the scratch database, so the plan was not rehearsed: ${message}`,
  };
}

/**
 * Copies the target's schema (and rows, with `rows`) into the empty scratch database. Warnings
 * about the copy's faithfulness are pushed to `warnings`.
 *
 * @example
 * const { copy, failed } = await copyTarget(target, scratch, live, desired, { rows: 1000 }, warnings);
 */
export async function copyTarget(
  target: Db,
  scratch: Db,
  live: LiveSchema,
  desired: DesiredState,
  options: CopyOptions,
  warnings: string[],
): Promise<CopyResult> {
  const rows = options.rows !== undefined && options.rows > 0 ? options.rows : undefined;
  const tool = await pgDumpFor(target, live, options, warnings);
  let result = tool !== undefined ? await copyWithPgDump(target, scratch, tool, rows, warnings) : undefined;
  // pg_dump could not read the target (a connection option libpq does not know, say): the catalog then.
  result ??= await copyFromCatalog(target, scratch, live, desired, rows, warnings);
  // The session may hold settings the copy made (pg_dump empties search_path): back to the pinned
  // ones (not RESET ALL, which would put back the role's or the database's defaults, hostile ones too).
  await pinSessionSettings(scratch);
  return result;
}

/** The pg_dump to copy with, or undefined (and a warning saying why) for a copy from the catalog. */
async function pgDumpFor(target: Db, live: LiveSchema, options: CopyOptions, warnings: string[]): Promise<PgDumpTool | undefined> {
  if (options.method === 'catalog') return undefined;
  const connection = connectionStringOf(target);
  if (connection === undefined) {
    warnings.push(
      "the copy was made from the catalog, not with pg_dump: the target's connection string is not known (open it with openDatabase)",
    );
    return undefined;
  }
  const choice = await findPgDump(Math.floor(live.serverVersion / 10000), options.pgDump ?? process.env['PGRECONCILE_PG_DUMP']);
  if (choice.kind === 'found') return choice.tool;
  warnings.push(`the copy was made from the catalog, not with pg_dump: ${choice.why}`);
  return undefined;
}

// ---- pg_dump --------------------------------------------------------------------------------

/** The copy with pg_dump; undefined (with a warning) when pg_dump could not dump the target. */
async function copyWithPgDump(
  target: Db,
  scratch: Db,
  tool: PgDumpTool,
  rows: number | undefined,
  warnings: string[],
): Promise<CopyResult | undefined> {
  const connection = connectionStringOf(target)!;
  const base = { method: 'pg_dump' as const, tool: tool.version, missing: [] as string[] };
  const dump = (section: 'all' | 'pre-data' | 'post-data') => dumpSchema(tool, connection, { section, excludeSchemas: ['pgreconcile'] });
  let pre: string;
  let post: string | undefined;
  try {
    if (rows === undefined) pre = await dump('all');
    else [pre, post] = await Promise.all([dump('pre-data'), dump('post-data')]);
  } catch (error) {
    warnings.push(`the copy was made from the catalog, not with pg_dump: ${describeError(error)}`);
    return undefined;
  }
  const skipped = new Set<string>();
  const first = await loadScript(scratch, pre, 'the pg_dump output', skipped, warnings);
  if (first !== undefined) return { copy: base, failed: first };
  if (rows === undefined) return { copy: base };
  let copied: RowsCopied;
  try {
    copied = await copyRows(target, scratch, rows);
  } catch (error) {
    return { copy: base, failed: copyFailure(`copying the rows: ${describeError(error)}`) };
  }
  const second = await loadScript(scratch, post!, 'the pg_dump output (after the data)', skipped, warnings);
  return { copy: { ...base, rows: copied }, ...(second !== undefined ? { failed: second } : {}) };
}

/**
 * Runs a pg_dump script on the scratch database one statement at a time. An extension the scratch
 * cannot create is skipped with a warning (what uses it then fails to copy); any other failure
 * ends the copy, naming the statement.
 */
async function loadScript(
  scratch: Db,
  script: string,
  what: string,
  skippedExtensions: Set<string>,
  warnings: string[],
): Promise<RehearsalFailure | undefined> {
  await initParser();
  const blanked = blankMetaCommands(script);
  for (const statement of splitStatements(blanked.sql, what)) {
    const extension = /^COMMENT ON EXTENSION\s+("?)([^"\s]+)\1/i.exec(statement.text)?.[2];
    if (extension !== undefined && skippedExtensions.has(extension)) continue;
    try {
      await scratch.exec(statement.text);
    } catch (error) {
      if (!isDbError(error)) throw error;
      if (statement.kind === 'CreateExtensionStmt' && error.code !== undefined && EXTENSION_MISSING.has(error.code)) {
        const name = /EXTENSION\s+(?:IF NOT EXISTS\s+)?("?)([^"\s;]+)\1/i.exec(statement.text)?.[2] ?? '?';
        skippedExtensions.add(name);
        warnings.push(`extension ${name} is not available on the scratch database: it is not copied, and what uses it fails to copy`);
        continue;
      }
      const at = lineColumnAt(script, statement.start);
      return copyFailure(`${what}, line ${at.line}: ${formatDbError(error)}`, statement.text);
    }
  }
  return undefined;
}

// ---- the catalog ------------------------------------------------------------------------------

async function copyFromCatalog(
  target: Db,
  scratch: Db,
  live: LiveSchema,
  desired: DesiredState,
  rows: number | undefined,
  warnings: string[],
): Promise<CopyResult> {
  const model = await withAvailableExtensions(scratch, live.model, warnings);
  const copyOf: DesiredState = { model, ignore: desired.ignore, external: desired.external };
  const missing = await notCopiedFromCatalog(target, desired.ignore);
  const base = { method: 'catalog' as const, missing };
  // With rows: the tables first, without the foreign keys and triggers that loading would trip.
  const stages: DesiredState[] =
    rows === undefined
      ? [copyOf]
      : [{ ...copyOf, model: { ...model, tables: model.tables.map((t) => ({ ...t, foreignKeys: [], triggers: [] })) } }, copyOf];
  let copied: RowsCopied | undefined;
  for (const [i, stage] of stages.entries()) {
    const { plan } = await planDatabase(scratch, stage, { liveRead: {} });
    try {
      await executePlan(scratch, plan);
    } catch (error) {
      if (!(error instanceof StepFailedError)) throw error;
      const cause = isDbError(error.cause) ? formatDbError(error.cause) : error.message;
      return {
        copy: { ...base, ...(copied ? { rows: copied } : {}) },
        failed: copyFailure(`${objectText(error.step)}: ${cause}`, error.step.sql),
      };
    }
    if (rows !== undefined && i === 0) {
      try {
        copied = await copyRows(target, scratch, rows);
      } catch (error) {
        return { copy: base, failed: copyFailure(`copying the rows: ${describeError(error)}`) };
      }
    }
  }
  await copyViews(target, scratch, warnings, live.model.views);
  // Compared as the diff compares (a re-created check may be printed differently, yet be the same).
  const { plan: rest } = await planDatabase(scratch, copyOf, { liveRead: {} });
  if (rest.steps.length > 0) {
    const what = rest.steps.slice(0, 5).map(objectText);
    warnings.push(
      `the copy differs from the target's schema: ${rest.steps.length} step${rest.steps.length === 1 ? '' : 's'} would remain to make it match (${what.join('; ')}${rest.steps.length > 5 ? '; …' : ''})`,
    );
  }
  return { copy: { ...base, ...(copied ? { rows: copied } : {}) } };
}

/** `create index docs.docs_body_key` */
function objectText(step: PlanStep): string {
  return `${step.action} ${step.objectKind} ${step.parent !== undefined ? `${step.parent}.` : ''}${step.object}`;
}

/** The model without the extensions the scratch cannot install, and without versions it lacks. */
async function withAvailableExtensions(scratch: Db, model: SchemaModel, warnings: string[]): Promise<SchemaModel> {
  if (model.extensions.length === 0) return model;
  const { rows } = await scratch.query<{ name: string; version: string }>(
    'SELECT name::text AS name, version FROM pg_available_extension_versions',
  );
  const versions = new Map<string, Set<string>>();
  for (const r of rows) versions.set(r.name, (versions.get(r.name) ?? new Set()).add(r.version));
  const extensions: Extension[] = [];
  for (const e of model.extensions) {
    const available = versions.get(e.name);
    if (available === undefined) {
      warnings.push(`extension ${e.name} is not available on the scratch database: it is not copied, and what uses it fails to copy`);
    } else if (e.version !== undefined && !available.has(e.version)) {
      warnings.push(`extension ${e.name} ${e.version} is not available on the scratch database: its default version is used`);
      const { version: _v, ...rest } = e;
      extensions.push(rest);
    } else {
      extensions.push(e);
    }
  }
  return extensions.length === model.extensions.length && extensions.every((e, i) => e === model.extensions[i])
    ? model
    : { ...model, extensions };
}

/** What the catalog copy leaves out: the kinds the format cannot declare, but views (copied), counted. */
async function notCopiedFromCatalog(target: Db, ignore: readonly string[]): Promise<string[]> {
  const objects = await findUnmanagedObjects(target).catch(() => []);
  const counts = new Map<string, number>();
  for (const o of objects) if (o.kind !== 'view' && o.kind !== 'materialized view') counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const missing = [...counts.entries()].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : kind.endsWith('s') ? '' : 's'}`);
  if (ignore.length > 0) missing.push(`the objects matched by ignore (${ignore.join(', ')})`);
  return missing;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile') AND n.nspname NOT LIKE 'pg\\_%'`;
const NOT_EXTENSION_OWNED = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * The target's views and materialized views (WITH NO DATA) on the scratch database, from their
 * definitions (read with an empty search_path, so every name in them is qualified). Created in
 * the order they were made, again and again while some still fail (a view on a later view);
 * those that never succeed are named in a warning. The managed views (`managed`, the live
 * model's) were created by the copy's plan already: only the others (ignored) are copied here.
 */
async function copyViews(target: Db, scratch: Db, warnings: string[], managed: readonly QualifiedName[]): Promise<void> {
  await target.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let views: { schema: string; name: string; kind: string; definition: string; options: string[] | null }[];
  try {
    await target.exec('SET LOCAL search_path TO pg_catalog');
    ({ rows: views } = await target.query<{ schema: string; name: string; kind: string; definition: string; options: string[] | null }>(
      `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind, pg_get_viewdef(c.oid) AS definition, c.reloptions::text[] AS options
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS} AND ${NOT_EXTENSION_OWNED}
        ORDER BY c.oid`,
    ));
  } finally {
    await target.exec('COMMIT');
  }
  views = views.filter((v) => !managed.some((m) => m.schema === v.schema && m.name === v.name));
  let pending = views.map((v) => {
    const options = (v.options ?? []).map((o) => {
      const eq = o.indexOf('=');
      const key = o.slice(0, eq);
      return /^[a-z_]+$/.test(key) ? `${key} = ${quoteLiteral(o.slice(eq + 1))}` : undefined;
    });
    const withOptions = options.length > 0 && options.every((o) => o !== undefined) ? ` WITH (${options.join(', ')})` : '';
    const body = v.definition.trim().replace(/;$/, '');
    const name = qualify({ schema: v.schema, name: v.name });
    const sql =
      v.kind === 'm'
        ? `CREATE MATERIALIZED VIEW ${name}${withOptions} AS ${body} WITH NO DATA`
        : `CREATE VIEW ${name}${withOptions} AS ${body}`;
    return { view: v, sql, error: '' };
  });
  while (pending.length > 0) {
    const failed: typeof pending = [];
    for (const p of pending) {
      try {
        await scratch.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(p.view.schema)}; ${p.sql}`);
      } catch (error) {
        failed.push({ ...p, error: describeError(error).split('\n')[0] ?? '' });
      }
    }
    if (failed.length === pending.length) break;
    pending = failed;
  }
  for (const p of pending) {
    warnings.push(
      `${p.view.kind === 'm' ? 'materialized view' : 'view'} ${p.view.schema}.${p.view.name} could not be copied (${p.error}): a step that depends on it is not rehearsed faithfully`,
    );
  }
}

// ---- rows -----------------------------------------------------------------------------------------

/** The rows a copy holds. */
export interface RowsCopied {
  /** At most this many per table. */
  readonly limit: number;
  readonly tables: number;
  readonly rows: number;
  /** Tables larger than the limit, of which a sample was copied. */
  readonly sampled_tables: number;
  /** Copied rows deleted again because a foreign key pointed at a row that was not copied. */
  readonly orphans_removed: number;
}

interface TableRow {
  readonly schema: string;
  readonly name: string;
  readonly reltuples: number;
  readonly columns: string[] | null;
}

const TABLES_SQL = `SELECT n.nspname::text AS schema, c.relname::text AS name, c.reltuples::float8 AS reltuples,
       (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND ${USER_SCHEMAS} AND ${NOT_EXTENSION_OWNED}
 ORDER BY 1, 2`;

/**
 * Copies up to `limit` rows of every table the scratch has from the target (one snapshot), then
 * deletes the copied rows whose foreign keys (validated ones, as the target declares them) point
 * at rows that were not copied, until none do.
 */
async function copyRows(target: Db, scratch: Db, limit: number): Promise<RowsCopied> {
  if (target.copyOut === undefined || scratch.copyIn === undefined)
    throw new Error('this connection cannot copy rows (COPY is not available)');
  const here = new Map((await scratch.query<TableRow>(TABLES_SQL)).rows.map((t) => [`${t.schema}.${t.name}`, t]));
  let tables = 0;
  let rows = 0;
  let sampled = 0;
  await target.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const t of (await target.query<TableRow>(TABLES_SQL)).rows) {
      const mine = here.get(`${t.schema}.${t.name}`);
      if (mine === undefined) continue;
      const wanted = new Set(mine.columns ?? []);
      const columns = (t.columns ?? []).filter((c) => wanted.has(c)).map(quoteIdent);
      if (columns.length === 0) continue;
      const big = t.reltuples > limit;
      // SYSTEM sampling reads only some pages; three times the rows wanted, then the limit.
      const sample = big ? ` TABLESAMPLE SYSTEM (${Math.min(100, (300 * limit) / t.reltuples).toFixed(6)})` : '';
      const select = `SELECT ${columns.join(', ')} FROM ONLY ${qualify(t)}${sample} LIMIT ${limit}`;
      rows += await scratch.copyIn(`${qualify(t)} (${columns.join(', ')})`, target.copyOut(select));
      tables += 1;
      if (big) sampled += 1;
    }
    await target.exec('COMMIT');
  } catch (error) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const orphans = await deleteOrphans(target, scratch, new Set(here.keys()));
  return { limit, tables, rows: rows - orphans, sampled_tables: sampled, orphans_removed: orphans };
}

interface ForeignKeyRow {
  readonly schema: string;
  readonly table: string;
  readonly kind: string;
  readonly ref_schema: string;
  readonly ref_table: string;
  readonly ref_kind: string;
  readonly columns: string[];
  readonly ref_columns: string[];
}

const FOREIGN_KEYS_SQL = `SELECT cn.nspname::text AS schema, c.relname::text AS table, c.relkind::text AS kind,
       rn.nspname::text AS ref_schema, r.relname::text AS ref_table, r.relkind::text AS ref_kind,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY AS k(num, i)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY AS k(num, i)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) AS ref_columns
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
 WHERE con.contype = 'f' AND con.convalidated AND con.conparentid = 0 AND cn.nspname <> 'pgreconcile'
 ORDER BY 1, 2, con.conname`;

/** Deletes copied rows that reference rows not copied; returns how many. */
async function deleteOrphans(target: Db, scratch: Db, present: ReadonlySet<string>): Promise<number> {
  const fks = (await target.query<ForeignKeyRow>(FOREIGN_KEYS_SQL)).rows.filter((f) => {
    // A partitioned table's rows are in its partitions, which are present when it is.
    const has = (schema: string, name: string, kind: string) => kind === 'p' || present.has(`${schema}.${name}`);
    return has(f.schema, f.table, f.kind) && has(f.ref_schema, f.ref_table, f.ref_kind) && f.columns.length === f.ref_columns.length;
  });
  const statements = fks.map((f) => {
    const only = (kind: string) => (kind === 'p' ? '' : 'ONLY ');
    const set = f.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    const match = f.columns.map((c, i) => `p.${quoteIdent(f.ref_columns[i]!)} = c.${quoteIdent(c)}`).join(' AND ');
    return `DELETE FROM ${only(f.kind)}${qualify({ schema: f.schema, name: f.table })} c WHERE ${set} AND NOT EXISTS (SELECT 1 FROM ${only(f.ref_kind)}${qualify({ schema: f.ref_schema, name: f.ref_table })} p WHERE ${match})`;
  });
  let removed = 0;
  // A deletion can orphan rows of another table (a chain of keys): until a pass deletes nothing.
  for (let pass = 0; pass < 50 && statements.length > 0; pass++) {
    let now = 0;
    for (const sql of statements) now += (await scratch.query(sql)).rowCount;
    removed += now;
    if (now === 0) break;
  }
  return removed;
}
