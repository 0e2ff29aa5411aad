/**
 * Rehearsal: a plan runs first on a scratch database that holds a copy of the target — a new
 * database on the target's server when the role may create databases, else an in-memory PGlite
 * (an embedded PGlite target is copied whole, its files cloned) — so that a step that fails on
 * the target's schema, or on its rows, fails there, before anything touches the target. The
 * rehearsal times every step, re-plans the scratch against the desired state (it must be empty:
 * the plan converges), says what it checked and what it could not, and drops the scratch
 * database, whatever happened.
 *
 * The copy holds the target's whole schema, managed or not (see ./rehearsal-copy.ts: pg_dump
 * --schema-only where a pg_dump fits the server, else the catalog), and with `rows` a sample of
 * its rows, so that data errors show up too.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';
import { formatDbError, isDbError } from '../db/errors.js';
import { sameServerOpener } from '../db/open.js';
import type { PgliteDb } from '../db/pglite-db.js';
import { createMarkedDatabase, dropDatabaseIfExists, sweepDeadDatabases, type ScratchFamily } from '../db/scratch-databases.js';
import type { LiveSchema } from '../introspect/index.js';
import { liveFingerprint } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';
import { formatCount } from '../plan/hazards.js';
import type { Rehearsal, RehearsalCopy, RehearsalFailure, RehearsalStepTiming } from '../plan/rehearsal-record.js';
import { describeStepFailure } from './apply-plan.js';
import { executePlan, StepFailedError, type ExecuteHooks } from './execute.js';
import { classifyFailure } from './failure-advice.js';
import { readLiveSchema } from './live-schema.js';
import { planDatabase } from '../plan-database.js';
import { copyTarget, type CopyOptions } from './rehearsal-copy.js';

export type { Rehearsal, RehearsalCopy, RehearsalFailure, RehearsalStepTiming } from '../plan/rehearsal-record.js';

/** Scratch databases on a server: `pgr_rehearse_<pid>_<random>`, marked so that leftovers of dead processes are swept. */
export const REHEARSAL_DATABASES: ScratchFamily = { prefix: 'pgr_rehearse_', tag: 'pgreconcile-rehearsal ' };

export interface RehearseOptions extends CopyOptions {
  /** The target's live schema when the caller has just read it (plan has); read again otherwise. */
  readonly live?: LiveSchema;
  /** Rehearse on PGlite even when the target's server could hold the scratch database. */
  readonly pglite?: boolean;
}

/** A scratch database and how to get rid of it. */
interface Scratch {
  readonly db: Db;
  readonly kind: Rehearsal['scratch'];
  /** Set when the scratch is already a whole copy of the target (a PGlite clone). */
  readonly copy?: RehearsalCopy;
  /** Closes the connection and drops the database; a message when the drop failed. */
  dispose(): Promise<string | undefined>;
}

/**
 * Rehearses `plan` on a scratch copy of `target` and returns what happened: each step's
 * duration, whether it converged, the failing step and error, what the copy held, what the
 * rehearsal checked and what it could not, and warnings about how faithful the copy is. The
 * target is only read (its catalog, pg_dump, and with `rows` a sample of its rows); a server
 * scratch database is created and dropped through `target`'s connection. Throws only when the
 * rehearsal cannot run at all (the scratch cannot be made, a connection is lost).
 *
 * @example
 * const { plan, live, desired } = await plan({ db, schema: 'schema.yaml' });
 * const rehearsal = await rehearsePlan(db, plan, desired, { live, rows: 1000 });
 * if (!rehearsal.ok) console.error(rehearsal.failed?.error);
 */
export async function rehearsePlan(target: Db, plan: Plan, desired: DesiredState, options: RehearseOptions = {}): Promise<Rehearsal> {
  const at = new Date().toISOString();
  const warnings: string[] = [];
  const live = options.live ?? (await readLiveSchema(target, desired.ignore));
  if (liveFingerprint(live.model) !== plan.liveFingerprint) {
    warnings.push("the target's schema changed since the plan was made: the copy is of the schema as it is now");
  }
  const scratch = await openScratch(target, options, warnings);
  let result: Rehearsal | undefined;
  try {
    result = await rehearseOn(scratch, target, live, plan, desired, options, { at, warnings });
  } finally {
    const leftover = await scratch.dispose();
    if (leftover !== undefined && result !== undefined) result = { ...result, warnings: [...result.warnings, leftover] };
  }
  return result;
}

async function openScratch(target: Db, options: RehearseOptions, warnings: string[]): Promise<Scratch> {
  if (target.kind === 'pglite' && 'pglite' in target) return clonePglite(target as PgliteDb);
  if (target.kind === 'postgres' && !options.pglite) {
    const why = await whyNoServerScratch(target);
    if (why === undefined) return openServerScratch(target);
    warnings.push(`rehearsed on an in-memory PGlite database instead of the target's server: ${why}`);
  }
  return openPgliteScratch();
}

/** Why the scratch database cannot be made on the target's server; undefined when it can. */
async function whyNoServerScratch(target: Db): Promise<string | undefined> {
  if (sameServerOpener(target) === undefined) return "the target's connection string is not known (open it with openDatabase)";
  const { rows } = await target.query<{ role: string; may: boolean }>(
    'SELECT current_user::text AS role, (rolcreatedb OR rolsuper) AS may FROM pg_roles WHERE rolname = current_user',
  );
  const row = rows[0];
  return row?.may ? undefined : `role ${JSON.stringify(row?.role ?? '?')} may not create databases (no CREATEDB)`;
}

async function openServerScratch(target: Db): Promise<Scratch> {
  const open = sameServerOpener(target)!;
  await sweepDeadDatabases(target, REHEARSAL_DATABASES).catch(() => []);
  const name = `${REHEARSAL_DATABASES.prefix}${process.pid}_${randomBytes(4).toString('hex')}`;
  const drop = async (): Promise<string | undefined> => {
    try {
      await dropDatabaseIfExists(target, name);
      return undefined;
    } catch (error) {
      return `the scratch database ${name} could not be dropped (${(error as Error).message}); drop it by hand, or let a later rehearsal drop it once this process has ended`;
    }
  };
  let db: Db;
  try {
    await createMarkedDatabase(target, name, REHEARSAL_DATABASES, {
      what: `a scratch copy of the schema of ${target.description} made by pgreconcile --rehearse; dropped when the rehearsal ends`,
    });
    db = await open(name, 'pgreconcile (rehearsal)');
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    db,
    kind: 'server',
    async dispose() {
      await db.close().catch(() => undefined);
      return drop();
    },
  };
}

async function openPgliteScratch(): Promise<Scratch> {
  const { openPglite } = await import('../db/pglite-db.js');
  const db = await openPglite();
  return {
    db,
    kind: 'pglite',
    async dispose() {
      await db.close().catch(() => undefined);
      return undefined;
    },
  };
}

/** An embedded PGlite target, copied whole: its files into a new in-memory instance. */
async function clonePglite(target: PgliteDb): Promise<Scratch> {
  const { dumpPglite, openPglite } = await import('../db/pglite-db.js');
  const db = await openPglite({ loadDataDir: await dumpPglite(target) });
  const { rows } = await db.query<{ tables: number; rows: string }>(
    `SELECT count(*)::int AS tables, coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint::text AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgreconcile') AND n.nspname NOT LIKE 'pg\\_%'`,
  );
  return {
    db,
    kind: 'pglite',
    copy: { method: 'pglite_clone', rows: { limit: null, tables: rows[0]?.tables ?? 0 }, missing: [] },
    async dispose() {
      await db.close().catch(() => undefined);
      return undefined;
    },
  };
}

interface RehearsalStart {
  readonly at: string;
  readonly warnings: string[];
}

async function rehearseOn(
  scratch: Scratch,
  target: Db,
  live: LiveSchema,
  plan: Plan,
  desired: DesiredState,
  options: RehearseOptions,
  start: RehearsalStart,
): Promise<Rehearsal> {
  const { warnings } = start;
  let copy = scratch.copy;
  let copyFailed: RehearsalFailure | undefined;
  if (copy === undefined) {
    const made = await copyTarget(target, scratch.db, live, desired, options, warnings);
    copy = made.copy;
    copyFailed = made.failed;
  }
  const serverVersion = await serverVersionOf(scratch.db);
  const head = { at: start.at, scratch: scratch.kind, server_version: serverVersion, copy };
  if (copyFailed !== undefined) return { ...head, ok: false, steps: [], total_ms: 0, failed: copyFailed, warnings };
  if (scratch.kind === 'pglite' && Math.floor(serverVersion / 10000) !== Math.floor(live.serverVersion / 10000)) {
    warnings.push(`the scratch database runs PostgreSQL ${versionText(serverVersion)}, the target ${versionText(live.serverVersion)}`);
  }
  const timer = stepTimer();
  const began = performance.now();
  try {
    await executePlan(scratch.db, plan, timer.hooks);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    const failed = failure('step', error.step, databaseError(error), isDbError(error.cause) ? error.cause.code : undefined);
    return { ...head, ok: false, steps: timer.timings, total_ms: tenths(performance.now() - began), failed, warnings };
  }
  const total = tenths(performance.now() - began);
  // The plan's data changes ran on the copy, unrecorded: the re-plan leaves them out.
  const { plan: remaining } = await planDatabase(scratch.db, desired, { liveRead: {}, dataChanges: false });
  const n = remaining.steps.length;
  if (n === 0) return { ...head, ok: true, steps: timer.timings, total_ms: total, replan_steps: 0, warnings, ...assessment(copy) };
  const error = `the plan does not converge: after its last step, a re-plan of the scratch database against the desired state has ${n} step${n === 1 ? '' : 's'}`;
  return {
    ...head,
    ok: false,
    steps: timer.timings,
    total_ms: total,
    replan_steps: n,
    failed: failure('replan', remaining.steps[0]!, error),
    warnings,
  };
}

async function serverVersionOf(db: Db): Promise<number> {
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v ?? 0);
}

/** What a successful rehearsal on `copy` showed, and what it could not. */
function assessment(copy: RehearsalCopy): { readonly checked: string[]; readonly not_checked: string[] } {
  const on =
    copy.method === 'pg_dump'
      ? "a copy of every object of the target's schema, managed by pgreconcile or not"
      : copy.method === 'pglite_clone'
        ? 'a copy of the whole database, its rows included'
        : "a copy of the objects pgreconcile manages and the target's views, made from the catalog";
  const checked = [`every step ran, in order, on ${on}`, 'the result matches the desired state (the re-plan is empty)'];
  const notChecked: string[] = [];
  const rows = copy.rows;
  if (rows === undefined) {
    notChecked.push(
      'constraints on existing data: the copy has no rows, so a NOT NULL, unique, check or foreign key over the rows, or a cast of their values, can still fail on the target (--rehearse-rows N copies up to N rows of each table)',
    );
  } else if (rows.limit === null) {
    checked.push('the steps on every row of the database: NOT NULL, unique, check and foreign key validations and casts held');
  } else {
    checked.push(
      `the steps on the ${formatCount(rows.rows ?? 0)} rows copied (up to ${formatCount(rows.limit)} of each of ${formatCount(rows.tables ?? 0)} tables): NOT NULL, unique, check and foreign key validations and casts held on them`,
    );
    if ((rows.sampled_tables ?? 0) > 0) {
      notChecked.push(
        `the rows not copied (${rows.sampled_tables} table${rows.sampled_tables === 1 ? ' was' : 's were'} sampled): a NULL, a duplicate or a value that does not cast among them still fails on the target`,
      );
    }
  }
  if (copy.missing.length > 0)
    notChecked.push(`what the copy does not hold: ${copy.missing.join(', ')} (a pg_dump as new as the server copies everything)`);
  notChecked.push("durations on the target's data, and the locks other sessions hold there");
  return { checked, not_checked: notChecked };
}

/** The database's error of a failed step (SQLSTATE, message, detail, hint), without the step's name. */
function databaseError(error: StepFailedError): string {
  return isDbError(error.cause) ? formatDbError(error.cause) : describeStepFailure(error);
}

function failure(phase: RehearsalFailure['phase'], step: PlanStep, error: string, sqlstate?: string): RehearsalFailure {
  return { phase, ...(phase === 'step' ? { step: step.n } : {}), sql: step.sql, error, ...(sqlstate !== undefined ? { sqlstate } : {}) };
}

/**
 * Times steps through the executor's hooks: a step ends where the next one of its transaction
 * starts, or where its transaction is about to commit (a non-transactional step: right after it).
 */
function stepTimer(): { readonly timings: RehearsalStepTiming[]; readonly hooks: ExecuteHooks } {
  const timings: RehearsalStepTiming[] = [];
  let current: { readonly n: number; readonly started: number } | undefined;
  const finish = (): void => {
    if (current !== undefined) timings.push({ n: current.n, ms: tenths(performance.now() - current.started) });
    current = undefined;
  };
  return {
    timings,
    hooks: {
      beforeStep: (step) => {
        finish();
        current = { n: step.n, started: performance.now() };
      },
      beforeCommit: () => finish(),
    },
  };
}

function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** 150020 → '15.20' (10.0 and later numbering). */
function versionText(num: number): string {
  return `${Math.floor(num / 10000)}.${num % 10000}`;
}

/** Where the rehearsal ran and on what, for its first line. */
function describeCopy(rehearsal: Rehearsal): string {
  const where = rehearsal.scratch === 'server' ? "a scratch database on the target's server" : 'an in-memory PGlite database';
  const copy = rehearsal.copy;
  if (copy === undefined) return `${where} (a copy of the target's schema)`;
  if (copy.method === 'pglite_clone') return `${where}, a copy of the whole embedded database (its files: every object, every row)`;
  const of =
    copy.method === 'pg_dump'
      ? `a copy of the target's whole schema (${copy.tool ?? 'pg_dump'}: every object, managed or not)`
      : "a copy of the target's schema made from the catalog (the objects pgreconcile manages, and views)";
  const rows = copy.rows;
  const withRows =
    rows === undefined || rows.limit === null
      ? 'without rows: timings are those of empty tables'
      : `with ${formatCount(rows.rows ?? 0)} of its rows (up to ${formatCount(rows.limit)} per table${(rows.sampled_tables ?? 0) > 0 ? `, ${rows.sampled_tables} table${rows.sampled_tables === 1 ? '' : 's'} sampled` : ''})`;
  return `${where}, ${of}, ${withRows}`;
}

/**
 * A failed rehearsal's advice: what the failure means for the target, and what fixes it.
 *
 * @example rehearsalAdvice({ phase: 'step', step: 1, error: '…', sqlstate: '23502' }, rehearsal)
 */
function rehearsalAdvice(failed: RehearsalFailure, rehearsal: Rehearsal): string | undefined {
  if (failed.phase !== 'step') return undefined;
  const withRows = rehearsal.copy?.rows !== undefined;
  switch (classifyFailure(failed.sqlstate)) {
    case 'data':
      return withRows
        ? 'The rows copied from the target do not fit the change, so it would fail there too: fix those rows on the target, or edit schema.yaml (a default, a nullable column, a USING cast), then plan again.'
        : 'The change does not fit the data: edit schema.yaml (a default, a nullable column, a USING cast), then plan again.';
    case 'schema':
      return "The statement cannot run on the target's schema as it stands: edit schema.yaml, or change the objects in its way (a view, a rule, a dependent object), then plan again.";
    case 'privilege':
      return 'The role lacks a privilege the step needs: grant it, then rehearse again.';
    case 'retry':
      return 'This can pass on its own (a lock, a timeout, resources): rehearse again.';
    case 'unknown':
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A rehearsal in lines for people: where it ran and on what copy, each step's duration, whether
 * the plan converged, what it checked and what it could not, the failure and its fix, the
 * warnings.
 *
 * @example
 * process.stderr.write(renderRehearsal(rehearsal, plan));
 * // Rehearsal on a scratch database on the target's server, a copy of the target's whole schema (pg_dump (PostgreSQL) 15.20: …), without rows: …
 * //   ✓ step 1/2 create table public.orders  3.1 ms
 * //   …
 */
export function renderRehearsal(rehearsal: Rehearsal, plan: Plan): string {
  const lines = [`Rehearsal on ${describeCopy(rehearsal)}:`];
  const total = plan.steps.length;
  const byN = new Map(plan.steps.map((s) => [s.n, s]));
  for (const t of rehearsal.steps) lines.push(`  ✓ ${stepText(byN.get(t.n), t.n, total)}  ${t.ms} ms`);
  const failed = rehearsal.failed;
  if (failed?.phase === 'step' && failed.step !== undefined) lines.push(`  ✗ ${stepText(byN.get(failed.step), failed.step, total)}`);
  if (rehearsal.ok) {
    lines.push(
      `Rehearsed ${total} step${total === 1 ? '' : 's'} in ${rehearsal.total_ms} ms; the re-plan on the scratch database is empty: the plan converges.`,
    );
    for (const c of rehearsal.checked ?? []) lines.push(`Checked: ${c}.`);
    for (const c of rehearsal.not_checked ?? []) lines.push(`Not checked: ${c}.`);
  } else if (failed !== undefined) {
    lines.push(`Rehearsal failed: ${failed.error}`, ...(failed.sql !== undefined ? [`  statement: ${failed.sql}`] : []));
    const advice = rehearsalAdvice(failed, rehearsal);
    if (advice !== undefined) lines.push(advice);
  }
  for (const w of rehearsal.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

function stepText(step: PlanStep | undefined, n: number, total: number): string {
  return step === undefined ? `step ${n}/${total}` : `step ${n}/${total} ${objectText(step)}`;
}

/** `create index docs.docs_body_key` */
function objectText(step: PlanStep): string {
  return `${step.action} ${step.objectKind} ${step.parent !== undefined ? `${step.parent}.` : ''}${step.object}`;
}

/**
 * A failed rehearsal in one sentence for an error line: what failed, the error, and that the
 * target was not touched (the report, renderRehearsal, says what fixes it).
 *
 * @example
 * describeFailedRehearsal(rehearsal, plan)
 * // 'the rehearsal failed at step 1/1 create index public.docs.docs_body_key: … The target database was not touched.'
 */
export function describeFailedRehearsal(rehearsal: Rehearsal, plan: Plan): string {
  const failed = rehearsal.failed;
  const untouched = 'The target database was not touched.';
  if (failed === undefined) return `the rehearsal did not succeed. ${untouched}`;
  const total = plan.steps.length;
  const where =
    failed.phase === 'step' && failed.step !== undefined
      ? ` at ${stepText(
          plan.steps.find((s) => s.n === failed.step),
          failed.step,
          total,
        )}`
      : '';
  return `the rehearsal failed${where}: ${failed.error.split('\n').join('; ').replace(/\.$/, '')}. ${untouched}`;
}
