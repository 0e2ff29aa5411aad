/**
 * Rehearsal: a plan runs first on a scratch database that holds a copy of the target's schema —
 * a new database on the target's server when the role may create databases, else an in-memory
 * PGlite — so that a step that fails on the target's schema fails there, before anything touches
 * the target. The rehearsal times every step, re-plans the scratch against the desired state
 * (it must be empty: the plan converges) and drops the scratch database, whatever happened.
 *
 * The copy is the target's live model planned onto an empty database: schema only, no rows, and
 * only what the model holds (no views, no ignored objects, no ledger).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';
import { formatDbError, isDbError } from '../db/errors.js';
import { sameServerOpener } from '../db/open.js';
import { createMarkedDatabase, dropDatabaseIfExists, sweepDeadDatabases, type ScratchFamily } from '../db/scratch-databases.js';
import type { LiveSchema } from '../introspect/index.js';
import { liveFingerprint } from '../model/fingerprint.js';
import type { DesiredState, Extension, SchemaModel } from '../model/types.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';
import type { Rehearsal, RehearsalFailure, RehearsalStepTiming } from '../plan/rehearsal-record.js';
import { describeStepFailure } from './apply-plan.js';
import { executePlan, StepFailedError, type ExecuteHooks } from './execute.js';
import { planLive, readLiveSchema } from './live-schema.js';

export type { Rehearsal, RehearsalFailure, RehearsalStepTiming } from '../plan/rehearsal-record.js';

/** Scratch databases on a server: `pgr_rehearse_<pid>_<random>`, marked so that leftovers of dead processes are swept. */
export const REHEARSAL_DATABASES: ScratchFamily = { prefix: 'pgr_rehearse_', tag: 'pgreconcile-rehearsal ' };

export interface RehearseOptions {
  /** The target's live schema when the caller has just read it (plan has); read again otherwise. */
  readonly live?: LiveSchema;
  /** Rehearse on PGlite even when the target's server could hold the scratch database. */
  readonly pglite?: boolean;
}

/** A scratch database and how to get rid of it. */
interface Scratch {
  readonly db: Db;
  readonly kind: Rehearsal['scratch'];
  /** Closes the connection and drops the database; a message when the drop failed. */
  dispose(): Promise<string | undefined>;
}

/**
 * Rehearses `plan` on a scratch copy of `target`'s schema and returns what happened: each step's
 * duration, whether it converged, the failing step and error, and warnings about how faithful the
 * copy is. The target is only read (its catalog); a server scratch database is created and dropped
 * through `target`'s connection. Throws only when the rehearsal cannot run at all (the scratch
 * cannot be made, a connection is lost).
 *
 * @example
 * const { plan, live, desired } = await planFile(db, 'schema.yaml');
 * const rehearsal = await rehearsePlan(db, plan, desired, { live });
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
    result = await rehearseOn(scratch, live, plan, desired, { at, warnings });
  } finally {
    const leftover = await scratch.dispose();
    if (leftover !== undefined && result !== undefined) result = { ...result, warnings: [...result.warnings, leftover] };
  }
  return result;
}

async function openScratch(target: Db, options: RehearseOptions, warnings: string[]): Promise<Scratch> {
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

interface RehearsalStart {
  readonly at: string;
  readonly warnings: string[];
}

async function rehearseOn(scratch: Scratch, live: LiveSchema, plan: Plan, desired: DesiredState, start: RehearsalStart): Promise<Rehearsal> {
  const { warnings } = start;
  const copy = await copySchema(scratch.db, live, desired, warnings);
  const head = { at: start.at, scratch: scratch.kind, server_version: copy.serverVersion };
  if (copy.failed !== undefined) return { ...head, ok: false, steps: [], total_ms: 0, failed: copy.failed, warnings };
  if (scratch.kind === 'pglite' && Math.floor(copy.serverVersion / 10000) !== Math.floor(live.serverVersion / 10000)) {
    warnings.push(`the scratch database runs PostgreSQL ${versionText(copy.serverVersion)}, the target ${versionText(live.serverVersion)}`);
  }
  const timer = stepTimer();
  const began = performance.now();
  try {
    await executePlan(scratch.db, plan, timer.hooks);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    const failed = failure('step', error.step, databaseError(error));
    return { ...head, ok: false, steps: timer.timings, total_ms: tenths(performance.now() - began), failed, warnings };
  }
  const total = tenths(performance.now() - began);
  const { plan: remaining } = await planLive(scratch.db, desired);
  const n = remaining.steps.length;
  if (n === 0) return { ...head, ok: true, steps: timer.timings, total_ms: total, replan_steps: 0, warnings };
  const error = `the plan does not converge: after its last step, a re-plan of the scratch database against the desired state has ${n} step(s)`;
  return { ...head, ok: false, steps: timer.timings, total_ms: total, replan_steps: n, failed: failure('replan', remaining.steps[0]!, error), warnings };
}

/** The database's error of a failed step (SQLSTATE, message, detail, hint), without the step's name. */
function databaseError(error: StepFailedError): string {
  return isDbError(error.cause) ? formatDbError(error.cause) : describeStepFailure(error);
}

function failure(phase: RehearsalFailure['phase'], step: PlanStep, error: string): RehearsalFailure {
  return { phase, ...(phase === 'step' ? { step: step.n } : {}), sql: step.sql, error };
}

/**
 * Plans the empty scratch database to the target's live model and runs that plan: the copy.
 * Extensions (or versions of them) the scratch lacks are left out, with a warning; the copy is
 * then planned against the target's model again, and what still differs named in a warning.
 */
async function copySchema(
  scratch: Db,
  live: LiveSchema,
  desired: DesiredState,
  warnings: string[],
): Promise<{ readonly serverVersion: number; readonly failed?: RehearsalFailure }> {
  const model = await withAvailableExtensions(scratch, live.model, warnings);
  const copyOf: DesiredState = { model, ignore: desired.ignore, external: desired.external };
  const { plan, live: empty } = await planLive(scratch, copyOf);
  const serverVersion = empty.serverVersion;
  try {
    await executePlan(scratch, plan);
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    const message = `the copy of the target's schema could not be made on the scratch database (${objectText(error.step)}), so the plan was not rehearsed: ${databaseError(error)}`;
    return { serverVersion, failed: failure('copy', error.step, message) };
  }
  // Compared as the diff compares (a re-created check may be printed differently, yet be the same).
  const { plan: rest } = await planLive(scratch, copyOf);
  if (rest.steps.length > 0) {
    const what = rest.steps.slice(0, 5).map(objectText);
    warnings.push(
      `the copy differs from the target's schema: ${rest.steps.length} step(s) would remain to make it match (${what.join('; ')}${rest.steps.length > 5 ? '; …' : ''})`,
    );
  }
  return { serverVersion };
}

/** The model without the extensions the scratch cannot install, and without versions it lacks. */
async function withAvailableExtensions(scratch: Db, model: SchemaModel, warnings: string[]): Promise<SchemaModel> {
  if (model.extensions.length === 0) return model;
  const { rows } = await scratch.query<{ name: string; version: string }>('SELECT name::text AS name, version FROM pg_available_extension_versions');
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
  return extensions.length === model.extensions.length && extensions.every((e, i) => e === model.extensions[i]) ? model : { ...model, extensions };
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

/**
 * A rehearsal in lines for people: where it ran, each step's duration, whether the plan
 * converged, the failure, the warnings.
 *
 * @example
 * process.stderr.write(renderRehearsal(rehearsal, plan));
 * // Rehearsal on a scratch database on the target's server (an empty copy of its schema: no rows, so timings are a lower bound):
 * //   ✓ step 1/2 create table public.orders  3.1 ms
 * //   …
 */
export function renderRehearsal(rehearsal: Rehearsal, plan: Plan): string {
  const where = rehearsal.scratch === 'server' ? "a scratch database on the target's server" : 'an in-memory PGlite database';
  const lines = [`Rehearsal on ${where} (a copy of the target's schema without rows: timings are those of empty tables):`];
  const total = plan.steps.length;
  const byN = new Map(plan.steps.map((s) => [s.n, s]));
  for (const t of rehearsal.steps) lines.push(`  ✓ ${stepText(byN.get(t.n), t.n, total)}  ${t.ms} ms`);
  const failed = rehearsal.failed;
  if (failed?.phase === 'step' && failed.step !== undefined) lines.push(`  ✗ ${stepText(byN.get(failed.step), failed.step, total)}`);
  if (rehearsal.ok) {
    lines.push(`Rehearsed ${total} step${total === 1 ? '' : 's'} in ${rehearsal.total_ms} ms; the re-plan on the scratch database is empty: the plan converges.`);
  } else if (failed !== undefined) {
    lines.push(`Rehearsal failed: ${failed.error}`, ...(failed.sql !== undefined ? [`  statement: ${failed.sql}`] : []));
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
 * target was not touched.
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
  const where = failed.phase === 'step' && failed.step !== undefined ? ` at ${stepText(plan.steps.find((s) => s.n === failed.step), failed.step, total)}` : '';
  return `the rehearsal failed${where}: ${failed.error.split('\n').join('; ').replace(/\.$/, '')}. ${untouched}`;
}
