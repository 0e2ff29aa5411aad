/**
 * Runs a plan's steps: each transaction group in one transaction, each non-transactional step
 * alone, every step under its own lock_timeout and statement_timeout. A group that fails on a
 * lock timeout (SQLSTATE 55P03) is rolled back and retried with backoff, up to a limit; while a
 * statement waits, the sessions blocking it are read from a second connection, so that the
 * final error can name them. `apply` (ledger, deployment lock) is built on this.
 */
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';
import { qualify } from '../model/ident.js';
import { runDataChange, type BatchProgress } from '../data-changes/run.js';
import type { DataChangeRunRecord } from '../data-changes/ledger.js';
import { checkPasswordEnvironment, statementOf, withoutSecret } from './role-password.js';

/** A session that blocked one of our statements (from pg_stat_activity). */
export interface BlockingSession {
  readonly pid: number;
  readonly applicationName: string;
  readonly state: string;
  readonly query: string;
  readonly user?: string;
  readonly clientAddress?: string;
  /** When its transaction started (ISO 8601 UTC). */
  readonly transactionStart?: string;
}

/** What a lock-timeout retry is about to do. */
export interface RetryInfo {
  readonly steps: readonly PlanStep[];
  /** The step that timed out. */
  readonly step: PlanStep;
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly blockers: readonly BlockingSession[];
}

export interface ExecuteHooks {
  /** Called before a step runs. */
  readonly beforeStep?: (step: PlanStep) => void | Promise<void>;
  /**
   * Called right before a step's SQL, on the same connection: for a transactional step inside
   * its transaction, after BEGIN and its SET LOCAL timeouts (so its lock_timeout applies), and
   * again on a lock-timeout retry; an error fails the step (its transaction is rolled back).
   * Backups of the data a step deletes are taken here.
   */
  readonly beforeStatement?: (step: PlanStep, context: { readonly inTransaction: boolean }) => void | Promise<void>;
  /**
   * Called when a group's statements succeeded, before its COMMIT: inside the transaction, so
   * that what it writes (the ledger) commits or rolls back with the steps. For a
   * non-transactional step, called right after it (there is no transaction).
   */
  readonly beforeCommit?: (steps: readonly PlanStep[]) => void | Promise<void>;
  /** Called after a step's transaction committed (for a transactional step: when its group committed). */
  readonly afterCommit?: (steps: readonly PlanStep[]) => void | Promise<void>;
  /** Called before a lock-timeout retry sleeps. */
  readonly onRetry?: (info: RetryInfo) => void | Promise<void>;
}

export interface ExecuteOptions extends ExecuteHooks {
  /** Overrides of every step's lock_timeout and statement_timeout (ms). */
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
  /** Retries of a group after a lock timeout (default 0 here; apply uses 5). */
  readonly retries?: number;
  /** First backoff delay; doubles each retry, capped at 10 s (default 500 ms). */
  readonly retryDelayMs?: number;
  /**
   * A second connection and our backend pid: while a statement runs, pg_blocking_pids(pid) is
   * polled there, so that a lock timeout names the blocking sessions. Absent on a one-session
   * database (PGlite), where nothing else can hold a lock.
   */
  readonly blockerWatch?: { readonly db: Db; readonly pid: number };
  /** Sleeps between retries (tests replace it). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Data change steps (src/data-changes/run.ts): where they are recorded (absent: nowhere, as on
   * a rehearsal's scratch copy) and what to call after each committed batch.
   */
  readonly dataChanges?: {
    readonly record?: DataChangeRunRecord;
    readonly onBatch?: (step: PlanStep, progress: BatchProgress) => void;
  };
}

/**
 * Thrown by a `beforeCommit` hook that refuses the commit for a reason of its own (`cause`): the
 * group is rolled back and fails like a failing statement, at its last step.
 */
export class CommitRefused extends Error {
  override readonly name = 'CommitRefused';
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** A step failed: which one, the database's error, how many attempts, and who blocked it. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  readonly attempts: number;
  readonly blockers: readonly BlockingSession[];
  constructor(
    readonly step: PlanStep,
    override readonly cause: unknown,
    details: { readonly attempts?: number; readonly blockers?: readonly BlockingSession[]; readonly note?: string } = {},
  ) {
    const attempts = details.attempts ?? 1;
    const blockers = details.blockers ?? [];
    const what = `step ${step.n} (${step.action} ${step.objectKind} ${step.parent ? `${step.parent}.` : ''}${step.object})`;
    const reason = (cause as Error)?.message ?? String(cause);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const blocked = blockers.length > 0 ? `; blocked by ${blockers.map(describeBlocker).join('; ')}` : '';
    super(`${what} failed${tries}: ${reason}${blocked}${details.note ? `; ${details.note}` : ''}`);
    this.attempts = attempts;
    this.blockers = blockers;
  }
}

/**
 * A blocking session in one line.
 *
 * @example
 * describeBlocker(b) // 'pid 4242 (application "psql", state "idle in transaction", query "LOCK TABLE users")'
 */
export function describeBlocker(b: BlockingSession): string {
  const query = b.query.length > 200 ? `${b.query.slice(0, 200)}…` : b.query;
  const parts = [
    `application ${JSON.stringify(b.applicationName)}`,
    ...(b.user ? [`user ${JSON.stringify(b.user)}`] : []),
    ...(b.clientAddress ? [`client ${b.clientAddress}`] : []),
    `state ${JSON.stringify(b.state)}`,
    ...(b.transactionStart ? [`transaction since ${b.transactionStart}`] : []),
    `query ${JSON.stringify(query)}`,
  ];
  return `pid ${b.pid} (${parts.join(', ')})`;
}

/** Groups consecutive steps by their transaction group. */
export function transactionGroups(steps: readonly PlanStep[]): PlanStep[][] {
  const groups: PlanStep[][] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.group === step.group) last.push(step);
    else groups.push([step]);
  }
  return groups;
}

function timeoutSql(step: PlanStep, local: boolean, options: ExecuteOptions): string {
  const scope = local ? 'SET LOCAL' : 'SET';
  const lock = Math.max(0, Math.floor(options.lockTimeoutMs ?? step.lockTimeoutMs));
  const statement = Math.max(0, Math.floor(options.statementTimeoutMs ?? step.statementTimeoutMs));
  return `${scope} lock_timeout = '${lock}ms'; ${scope} statement_timeout = '${statement}ms'`;
}

const BLOCKERS_SQL = `
SELECT a.pid, coalesce(a.application_name, '') AS application_name, coalesce(a.state, '') AS state,
       coalesce(left(a.query, 1000), '') AS query, a.usename::text AS usename, host(a.client_addr) AS client_addr,
       to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS xact_start
  FROM pg_stat_activity a
 WHERE a.pid = ANY (pg_blocking_pids($1::int4))
 ORDER BY a.pid`;

/** A pg_stat_activity row as the session queries select it. */
export interface SessionRow {
  readonly pid: number;
  readonly application_name: string;
  readonly state: string;
  readonly query: string;
  readonly usename: string | null;
  readonly client_addr: string | null;
  readonly xact_start: string | null;
}

/**
 * Polls pg_blocking_pids while one statement runs: first after 25 ms, then at doubling
 * intervals up to 1 s. `stop()` returns the last non-empty answer.
 */
function startBlockerWatch(watch: ExecuteOptions['blockerWatch']): { stop(): Promise<readonly BlockingSession[]> } {
  if (watch === undefined) return { stop: async () => [] };
  let stopped = false;
  let found: BlockingSession[] = [];
  let delay = 25;
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    timer = undefined;
    inflight = watch.db
      .query<SessionRow>(BLOCKERS_SQL, [watch.pid])
      .then(({ rows }) => {
        if (rows.length > 0) found = rows.map(toBlocker);
      })
      .catch(() => undefined)
      .finally(() => {
        inflight = undefined;
        if (!stopped) {
          delay = Math.min(delay * 2, 1000);
          timer = setTimeout(tick, delay);
        }
      });
  };
  timer = setTimeout(tick, delay);
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await inflight;
      return found;
    },
  };
}

/** A session row as the BlockingSession that messages describe. */
export function toBlocker(r: SessionRow): BlockingSession {
  return {
    pid: r.pid,
    applicationName: r.application_name,
    state: r.state,
    query: r.query,
    ...(r.usename ? { user: r.usename } : {}),
    ...(r.client_addr ? { clientAddress: r.client_addr } : {}),
    ...(r.xact_start ? { transactionStart: r.xact_start } : {}),
  };
}

/** Runs one statement with the blocker watch on; the blockers seen are kept in `seen`. */
async function watched(db: Db, step: PlanStep, options: ExecuteOptions, seen: { blockers: readonly BlockingSession[] }): Promise<void> {
  const watch = startBlockerWatch(options.blockerWatch);
  try {
    // A password step's statement is built here, and its error carries only the step's placeholder SQL.
    await db.exec(statementOf(step)).catch((error: unknown) => {
      throw withoutSecret(step, error);
    });
  } finally {
    const blockers = await watch.stop();
    if (blockers.length > 0) seen.blockers = blockers;
  }
}

/**
 * Whether retrying a non-transactional step after a lock timeout is safe: a CREATE INDEX
 * CONCURRENTLY that timed out after it created its (invalid) index would fail on the name.
 */
async function leftInvalidIndex(db: Db, step: PlanStep): Promise<string | undefined> {
  const effect = step.effect;
  if (effect.kind !== 'build_index' || !effect.concurrently || effect.index.schema === undefined) return undefined;
  const name = qualify({ schema: effect.index.schema, name: effect.index.name });
  const { rows } = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return rows[0]?.present ? name : undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff before retry `attempt` (1-based): base × 2^(attempt-1), capped at 10 s, ±20 % jitter. */
export function retryDelay(attempt: number, baseMs: number): number {
  const raw = Math.min(baseMs * 2 ** (attempt - 1), 10_000);
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly step: PlanStep; readonly error: unknown; readonly blockers: readonly BlockingSession[] };

async function runNonTransactional(db: Db, step: PlanStep, options: ExecuteOptions): Promise<Outcome> {
  const seen = { blockers: [] as readonly BlockingSession[] };
  try {
    await options.beforeStep?.(step);
  } catch (error) {
    return { ok: false, step, error, blockers: [] };
  }
  try {
    await db.exec(timeoutSql(step, false, options));
    await options.beforeStatement?.(step, { inTransaction: false });
    await watched(db, step, options, seen);
  } catch (error) {
    return { ok: false, step, error, blockers: seen.blockers };
  } finally {
    await db.exec('RESET lock_timeout; RESET statement_timeout').catch(() => undefined);
  }
  await options.beforeCommit?.([step]);
  return { ok: true };
}

/**
 * A data change step: in one transaction, or in batches each in its own (src/data-changes/run.ts);
 * `beforeCommit` runs in the transaction of its last statement, as for a transactional group.
 */
async function runDataStep(db: Db, step: PlanStep, options: ExecuteOptions): Promise<Outcome> {
  try {
    await options.beforeStep?.(step);
    await runDataChange(db, step, {
      timeoutSql: timeoutSql(step, true, options),
      ...(options.dataChanges?.record !== undefined ? { record: options.dataChanges.record } : {}),
      beforeStatement: async () => options.beforeStatement?.(step, { inTransaction: true }),
      beforeCommit: async () => options.beforeCommit?.([step]),
      onBatch: (progress) => options.dataChanges?.onBatch?.(step, progress),
    });
  } catch (error) {
    return { ok: false, step, error: error instanceof CommitRefused ? error.cause : error, blockers: [] };
  }
  return { ok: true };
}

async function runTransactional(db: Db, group: readonly PlanStep[], options: ExecuteOptions): Promise<Outcome> {
  const seen = { blockers: [] as readonly BlockingSession[] };
  await db.exec('BEGIN');
  let current = group[0]!;
  try {
    for (const step of group) {
      current = step;
      await options.beforeStep?.(step);
      await db.exec(timeoutSql(step, true, options));
      await options.beforeStatement?.(step, { inTransaction: true });
      await watched(db, step, options, seen);
    }
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    return { ok: false, step: current, error, blockers: seen.blockers };
  }
  try {
    await options.beforeCommit?.(group);
    await db.exec('COMMIT');
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    // A hook refusing the commit (the deployment lock was lost) fails the group's last step.
    if (error instanceof CommitRefused) return { ok: false, step: current, error: error.cause, blockers: seen.blockers };
    throw error;
  }
  return { ok: true };
}

/**
 * Executes the steps in order (from step `fromStep`). A failing transactional group is rolled
 * back whole; on a lock timeout it is retried after a backoff, `options.retries` times, and then
 * fails with a `StepFailedError` naming the blocking sessions.
 *
 * @example
 * await executePlan(db, plan);
 * await executePlan(db, plan, { retries: 5, lockTimeoutMs: 2000, afterCommit: (steps) => log(steps) });
 */
export async function executePlan(db: Db, plan: Plan, options: ExecuteOptions = {}, fromStep = 1): Promise<void> {
  const retries = Math.max(0, Math.floor(options.retries ?? 0));
  const sleep = options.sleep ?? defaultSleep;
  checkPasswordEnvironment(plan.steps.filter((s) => s.n >= fromStep));
  await db.exec('SET check_function_bodies = false');
  for (const group of transactionGroups(plan.steps.filter((s) => s.n >= fromStep))) {
    const first = group[0]!;
    for (let attempt = 1; ; attempt++) {
      const outcome =
        first.effect.kind === 'data_change'
          ? await runDataStep(db, first, options)
          : first.transactional
            ? await runTransactional(db, group, options)
            : await runNonTransactional(db, first, options);
      if (outcome.ok) break;
      const lockTimeout = isDbError(outcome.error, '55P03');
      let note: string | undefined;
      if (lockTimeout && !first.transactional) {
        const leftover = await leftInvalidIndex(db, first).catch(() => undefined);
        if (leftover !== undefined)
          note = `the invalid index ${leftover} was left behind (the next plan repairs it), so the step is not retried`;
      }
      if (lockTimeout && attempt <= retries && note === undefined) {
        const delayMs = retryDelay(attempt, options.retryDelayMs ?? 500);
        await options.onRetry?.({ steps: group, step: outcome.step, attempt, delayMs, blockers: outcome.blockers });
        await sleep(delayMs);
        continue;
      }
      throw new StepFailedError(outcome.step, outcome.error, {
        attempts: attempt,
        blockers: outcome.blockers,
        ...(note !== undefined ? { note } : {}),
      });
    }
    await options.afterCommit?.(group);
  }
}
