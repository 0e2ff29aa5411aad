/**
 * Reading the live schema during apply, under a lock_timeout: a catalog function
 * (`pg_get_expr` on a column default) opens its table, so a session holding an ACCESS EXCLUSIVE
 * lock on a table would make introspection wait without end while we hold the deployment lock.
 * Here it waits at most the lock timeout, is retried with backoff, and then fails naming the
 * sessions holding such locks.
 */
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import { introspect, type LiveSchema } from '../introspect/index.js';
import { DEFAULT_TIMEOUTS } from '../plan/plan-context.js';
import { describeBlocker, retryDelay, toBlocker, type BlockingSession, type SessionRow } from './execute.js';

export interface LiveReadOptions {
  /** How long one catalog read may wait for a lock (default 5 s). */
  readonly lockTimeoutMs?: number;
  /** Retries after a lock timeout (default 5). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly onRetry?: (attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Reading the catalog kept timing out on a lock another session holds. */
export class CatalogLockedError extends Error {
  override readonly name = 'CatalogLockedError';
  constructor(
    readonly holders: readonly BlockingSession[],
    readonly attempts: number,
  ) {
    const who = holders.length > 0 ? holders.map(describeBlocker).join('; ') : 'a session that has ended';
    super(
      `reading the live schema timed out waiting for a lock ${attempts} time(s): a table is locked ACCESS EXCLUSIVE by ${who}. ` +
        'Nothing was run; try again when that transaction has ended.',
    );
  }
}

const EXCLUSIVE_HOLDERS_SQL = `
SELECT DISTINCT a.pid, coalesce(a.application_name, '') AS application_name, coalesce(a.state, '') AS state,
       coalesce(left(a.query, 1000), '') AS query, a.usename::text AS usename, host(a.client_addr) AS client_addr,
       to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS xact_start
  FROM pg_locks l
  JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'AccessExclusiveLock'
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.pid <> pg_backend_pid()
 ORDER BY a.pid`;

async function exclusiveHolders(db: Db): Promise<BlockingSession[]> {
  const { rows } = await db.query<SessionRow>(EXCLUSIVE_HOLDERS_SQL);
  return rows.map(toBlocker);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Introspects on the one connection (whose session lock_timeout it sets and resets), retrying
 * after lock timeouts; a `CatalogLockedError` naming the lock holders when they persist.
 *
 * @example
 * const live = await readLiveSchema(db, desired.ignore, { lockTimeoutMs: 5000, retries: 5 });
 */
export async function readLiveSchema(db: Db, ignore: readonly string[], options: LiveReadOptions = {}): Promise<LiveSchema> {
  const lockTimeout = Math.max(1, Math.floor(options.lockTimeoutMs ?? DEFAULT_TIMEOUTS.lockTimeoutMs));
  const retries = Math.max(0, Math.floor(options.retries ?? 5));
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    await db.exec(`SET lock_timeout = '${lockTimeout}ms'`);
    try {
      return await introspect(db, { ignore, parallel: false });
    } catch (error) {
      if (!isDbError(error, '55P03')) throw error;
      if (attempt > retries) throw new CatalogLockedError(await exclusiveHolders(db).catch(() => []), attempt);
      const delayMs = retryDelay(attempt, options.retryDelayMs ?? 500);
      options.onRetry?.(attempt, delayMs);
      await sleep(delayMs);
    } finally {
      await db.exec('RESET lock_timeout').catch(() => undefined);
    }
  }
}
