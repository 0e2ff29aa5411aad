/**
 * One deployer at a time (docs/architecture.md rule 7): a session-level advisory lock held on a dedicated
 * connection for the whole apply, taken with `pg_try_advisory_lock` and a backoff up to a wait
 * limit — never the blocking `pg_advisory_lock`, which can deadlock with concurrent index
 * builds. A timeout names the holder. On a database with one session (PGlite) the lock is taken
 * on the only connection, where it still keeps the ledger's bookkeeping honest.
 */
import { hostname } from 'node:os';
import type { Db } from '../db/db.js';
import { ADVISORY_KEY } from '../ledger/ledger-schema.js';

/** The second half of the deployment lock's key: `pg_try_advisory_lock(1885827683, 1)`. */
export const DEPLOYMENT_LOCK = 1;

/** A session holding the deployment lock (from pg_locks joined with pg_stat_activity). */
export interface LockHolder {
  readonly pid: number;
  readonly applicationName: string;
  readonly clientAddress?: string;
  /** When its connection started (ISO 8601 UTC). */
  readonly backendStart?: string;
  readonly state: string;
  readonly user?: string;
}

/** The deployment lock, held until `release()`. */
export interface DeploymentLock {
  /** The connection holding it: dedicated, or the main one on a one-session database. */
  readonly connection: Db;
  /** True when `connection` is a connection of its own (free for side queries while steps run). */
  readonly dedicated: boolean;
  /** How long acquiring it waited. */
  readonly waitedMs: number;
  /**
   * Throws a `DeploymentLockLostError` when the lock's own connection is known to be gone (the
   * server ended it, the network failed): answered by the client, without a round trip. Call it
   * before every step.
   */
  check(): void;
  /**
   * Asks the server, on `via` (another connection: the lock's own may be gone), whether the
   * lock's session still holds it; throws a `DeploymentLockLostError` when not. Call it before a
   * transaction commits and before a step that runs outside one.
   */
  verify(via: Db): Promise<void>;
  release(): Promise<void>;
}

/**
 * The deployment lock is no longer held: its connection ended (pg_terminate_backend, a restart, a
 * network failure), so another deployer may hold it now. The apply stops at the step it was about to
 * run (or rolls back the transaction it was about to commit).
 */
export class DeploymentLockLostError extends Error {
  override readonly name = 'DeploymentLockLostError';
  constructor(why: string) {
    super(
      `the deployment lock was lost (${why}); another deployer may hold it now, so this apply stops here ` +
        '(the steps committed before are kept and recorded; the transaction under way was rolled back)',
    );
  }
}

/** The lock was not free within the wait limit. */
export class DeploymentLockTimeoutError extends Error {
  override readonly name = 'DeploymentLockTimeoutError';
  constructor(
    readonly holders: readonly LockHolder[],
    readonly waitedMs: number,
  ) {
    const who = holders.length > 0 ? holders.map(describeHolder).join('; ') : 'a session that ended or that this role cannot see';
    super(
      `the deployment lock is held by another deployer: ${who}; gave up after waiting ${(waitedMs / 1000).toFixed(1)} s. ` +
        'Try again when it has finished, or wait longer with --lock-wait SECONDS.',
    );
  }
}

/**
 * A lock holder in one line.
 *
 * @example
 * describeHolder(h) // 'pid 4242 (application "pgreconcile apply (pid 77 on ci-3)", client 10.0.0.5, connected since 2026-11-21T20:15:00Z, state "idle")'
 */
export function describeHolder(h: LockHolder): string {
  const parts = [
    `application ${JSON.stringify(h.applicationName)}`,
    ...(h.user ? [`user ${JSON.stringify(h.user)}`] : []),
    ...(h.clientAddress ? [`client ${h.clientAddress}`] : []),
    ...(h.backendStart ? [`connected since ${h.backendStart}`] : []),
    `state ${JSON.stringify(h.state)}`,
  ];
  return `pid ${h.pid} (${parts.join(', ')})`;
}

/** Whether the session (pid, started at) still holds the deployment lock: a pid alone could be reused. */
const STILL_HELD_SQL = `
SELECT EXISTS (
  SELECT 1 FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'advisory' AND l.granted AND l.pid = $3::int4 AND a.backend_start = $4::timestamptz
     AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
     AND l.classid = $1::int8::oid AND l.objid = $2::int8::oid AND l.objsubid = 2) AS held`;

const HOLDERS_SQL = `
SELECT l.pid, coalesce(a.application_name, '') AS application_name, host(a.client_addr) AS client_addr,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS backend_start,
       coalesce(a.state, '') AS state, a.usename::text AS usename
  FROM pg_locks l
  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.classid = $1::int8::oid AND l.objid = $2::int8::oid AND l.objsubid = 2
   AND l.pid <> pg_backend_pid()
 ORDER BY l.pid`;

interface HolderRow {
  readonly pid: number;
  readonly application_name: string;
  readonly client_addr: string | null;
  readonly backend_start: string | null;
  readonly state: string;
  readonly usename: string | null;
}

/**
 * Who holds the deployment lock now (empty when nobody else does).
 *
 * @example
 * (await deploymentLockHolders(db)).map(describeHolder)
 */
export async function deploymentLockHolders(db: Db): Promise<LockHolder[]> {
  const { rows } = await db.query<HolderRow>(HOLDERS_SQL, [ADVISORY_KEY, DEPLOYMENT_LOCK]);
  return rows.map((r) => ({
    pid: r.pid,
    applicationName: r.application_name,
    state: r.state,
    ...(r.client_addr ? { clientAddress: r.client_addr } : {}),
    ...(r.backend_start ? { backendStart: r.backend_start } : {}),
    ...(r.usename ? { user: r.usename } : {}),
  }));
}

/**
 * Whether the database has only one session (PGlite, in process or served over a socket):
 * there a second connection shares the first one's session, locks and transactions.
 */
export async function isSingleSession(db: Db): Promise<boolean> {
  if (db.kind === 'pglite' || db.fork === undefined) return true;
  const { rows } = await db.query<{ single: boolean }>(`SELECT version() LIKE '%PGlite%' AS single`);
  return rows[0]?.single === true;
}

export interface AcquireOptions {
  /** How long to keep trying (default 60 s). */
  readonly waitMs?: number;
  /** Called once when the lock is busy, with who holds it, before waiting. */
  readonly onWait?: (holders: readonly LockHolder[]) => void;
  /** What the lock's connection calls itself in pg_stat_activity (default `pgreconcile (pid N on HOST)`). */
  readonly applicationName?: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the deployment lock: `pg_try_advisory_lock` on a dedicated connection, retried with a
 * backoff (100 ms growing to 2 s) until `waitMs`; then a `DeploymentLockTimeoutError` naming the
 * holder. Release it with `lock.release()` (closing the connection releases it too).
 *
 * @example
 * const lock = await acquireDeploymentLock(db, { waitMs: 60_000 });
 * try { … } finally { await lock.release(); }
 */
export async function acquireDeploymentLock(db: Db, options: AcquireOptions = {}): Promise<DeploymentLock> {
  const waitMs = Math.max(0, options.waitMs ?? 60_000);
  const sleep = options.sleep ?? defaultSleep;
  const single = await isSingleSession(db);
  const connection = single ? db : await db.fork!();
  const dedicated = !single;
  try {
    if (dedicated) {
      const name = (options.applicationName ?? `pgreconcile (pid ${process.pid} on ${hostname()})`).slice(0, 63);
      await connection.query('SELECT set_config($1, $2, false)', ['application_name', name]);
    }
    const started = Date.now();
    let delay = 100;
    let told = false;
    for (;;) {
      const { rows } = await connection.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int4, $2::int4) AS ok', [
        ADVISORY_KEY,
        DEPLOYMENT_LOCK,
      ]);
      const waited = Date.now() - started;
      if (rows[0]?.ok) {
        const check = (): void => {
          const why = dedicated ? connection.broken?.() : undefined;
          if (why !== undefined) throw new DeploymentLockLostError(`its connection ended: ${why}`);
        };
        const session = dedicated
          ? (
              await connection.query<{ pid: number; started: string }>(
                'SELECT pid, backend_start::text AS started FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()',
              )
            ).rows[0]
          : undefined;
        return {
          connection,
          dedicated,
          waitedMs: waited,
          check,
          async verify(via: Db) {
            check();
            if (session === undefined) return;
            const { rows: held } = await via.query<{ held: boolean }>(STILL_HELD_SQL, [
              ADVISORY_KEY,
              DEPLOYMENT_LOCK,
              session.pid,
              session.started,
            ]);
            if (held[0]?.held !== true)
              throw new DeploymentLockLostError(`the session that took it, pid ${session.pid}, no longer holds it`);
          },
          async release() {
            try {
              await connection.query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [ADVISORY_KEY, DEPLOYMENT_LOCK]);
            } finally {
              if (dedicated) await connection.close();
            }
          },
        };
      }
      if (waited >= waitMs) throw new DeploymentLockTimeoutError(await deploymentLockHolders(connection).catch(() => []), waited);
      if (!told) {
        told = true;
        options.onWait?.(await deploymentLockHolders(connection).catch(() => []));
      }
      await sleep(Math.min(delay, Math.max(0, waitMs - waited)));
      delay = Math.min(Math.round(delay * 1.5), 2000);
    }
  } catch (error) {
    if (dedicated) await connection.close().catch(() => undefined);
    throw error;
  }
}
