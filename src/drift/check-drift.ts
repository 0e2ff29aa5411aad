/**
 * Drift: where the live database stands against the state the last successful apply (or
 * baseline) recorded in the ledger (`drifted`: changed outside pgreconcile), and where the
 * declared file stands against that same state (`pending`: declared, not applied yet).
 */
import type { Db } from '../db/db.js';
import { openDatabase } from '../db/open.js';
import { loadDesiredState } from '../desired/index.js';
import { diffSchemas } from '../diff/index.js';
import { judgeDesired } from '../judge/index.js';
import { introspect } from '../introspect/index.js';
import { ledgerFormatVersion } from '../ledger/ledger-schema.js';
import { isCompleted, listVersions, readDesiredSnapshot } from '../ledger/ledger-store.js';
import { sha256 } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import { canonicalDesired } from '../plan-database.js';
import { initParser } from '../sql/parser.js';
import { listDataChanges } from '../data-changes/ledger.js';
import { DRIFT_EXIT as DRIFT_EXIT_CODES } from '../cli/exit-codes.js';
import { describeChanges, describeDrift, type DriftItem } from './describe-change.js';

/** The verdict of one check. `error`: the check could not run (see `error`). */
export type DriftState = 'in_sync' | 'pending' | 'drifted' | 'drifted_and_pending' | 'error';

/** Exit codes of `pgreconcile drift` per state (defined with every other exit code in src/cli/exit-codes.ts). */
export const DRIFT_EXIT: Readonly<Record<DriftState, number>> = DRIFT_EXIT_CODES;

/** The version whose recorded state the live database is compared with. */
export interface DriftBaseline {
  readonly version: string;
  readonly kind: 'apply' | 'baseline' | 'rollback';
  readonly appliedAt: string;
}

/** One check's result: what `drift --json` prints and `checkDrift` returns. */
export interface DriftReport {
  readonly state: DriftState;
  /** ISO 8601 UTC. */
  readonly checkedAt: string;
  /** The database, password redacted. */
  readonly database: string;
  /** The last applied version; undefined when there is no ledger (or no version with a recorded state). */
  readonly lastVersion?: DriftBaseline;
  /** Why there is nothing to compare the live database with, when so. */
  readonly note?: string;
  /** The schema file compared, when one was. */
  readonly schema?: string;
  readonly pending: readonly DriftItem[];
  readonly drifted: readonly DriftItem[];
  /** sha256 over state, pending and drifted: equal digests, equal findings. */
  readonly digest: string;
  readonly error?: string;
}

function stateOf(pending: number, drifted: number): DriftState {
  if (drifted > 0) return pending > 0 ? 'drifted_and_pending' : 'drifted';
  return pending > 0 ? 'pending' : 'in_sync';
}

function digestOf(state: DriftState, pending: readonly DriftItem[], drifted: readonly DriftItem[], error?: string): string {
  return sha256(JSON.stringify({ state, pending, drifted, error: error ?? null }));
}

/**
 * Compares the live database with the ledger's last recorded state and, when given, with the
 * declared state. With no ledger, the declared state is compared with the live database and
 * every difference is pending.
 *
 * @example
 * const report = await driftOfDatabase(db, await loadDesiredState('schema.yaml'));
 * report.state // 'in_sync' | 'pending' | 'drifted' | 'drifted_and_pending'
 */
export async function driftOfDatabase(
  db: Db,
  desired?: DesiredState,
  options: {
    readonly schema?: string;
    readonly now?: () => Date;
    /** The judge's cache folder (`.pgreconcile/cache`, as `plan` uses): a check on a schedule then creates no temporary tables while nothing changed. */
    readonly cacheDir?: string;
  } = {},
): Promise<DriftReport> {
  const parser = initParser();
  parser.catch(() => undefined);
  let snapshot: DesiredState | undefined;
  let lastVersion: DriftBaseline | undefined;
  let note: string | undefined;
  if ((await ledgerFormatVersion(db)) === undefined)
    note = 'no ledger yet: nothing was applied or baselined in this database; the schema file is compared with the live database';
  else {
    const last = (await listVersions(db)).find((v) => isCompleted(v.status));
    if (last === undefined) note = 'no version applied yet: the schema file is compared with the live database';
    else {
      snapshot = await readDesiredSnapshot(db, last.id);
      if (snapshot === undefined)
        note = `version ${last.version} recorded no desired state: the schema file is compared with the live database`;
      else lastVersion = { version: last.version, kind: last.kind, appliedAt: last.finishedAt ?? last.startedAt };
    }
  }
  const ignore = [...new Set([...(desired?.ignore ?? []), ...(snapshot?.ignore ?? [])])];
  const live = await introspect(db, { ignore });
  await parser;
  let pending: DriftItem[] = [];
  let drifted: DriftItem[] = [];
  // Against the live schema, PostgreSQL judges the expressions (src/judge), as `plan` does.
  const judgeOptions = options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {};
  const judged = async (state: DesiredState) => (await judgeDesired(db, state, live, judgeOptions)).judge;
  if (snapshot !== undefined) {
    const recorded = canonicalDesired({ ...snapshot, ignore }, live);
    drifted = describeDrift(diffSchemas(recorded, live.model, await judged(recorded)), live.model);
    if (desired !== undefined)
      pending = describeChanges(diffSchemas(canonicalDesired({ ...desired, ignore }, live), recorded.model), recorded.model);
  } else if (desired !== undefined) {
    const target = canonicalDesired({ ...desired, ignore }, live);
    pending = describeChanges(diffSchemas(target, live.model, await judged(target)), live.model);
  }
  if (desired !== undefined) pending = [...pending, ...(await pendingDataItems(db, desired))];
  const state = stateOf(pending.length, drifted.length);
  return {
    state,
    checkedAt: (options.now?.() ?? new Date()).toISOString(),
    database: db.description,
    ...(lastVersion ? { lastVersion } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    pending,
    drifted,
    digest: digestOf(state, pending, drifted),
  };
}

/**
 * The desired state's data changes that the ledger does not record as applied (pending: the next
 * apply runs them), and those recorded with other SQL (edited since: the next plan refuses them).
 */
async function pendingDataItems(db: Db, desired: DesiredState): Promise<DriftItem[]> {
  const declared = desired.dataChanges ?? [];
  if (declared.length === 0) return [];
  const recorded = new Map((await listDataChanges(db)).map((r) => [r.id, r]));
  const items: DriftItem[] = [];
  for (const d of declared) {
    const r = recorded.get(d.id);
    if (r !== undefined && r.checksum !== d.checksum)
      items.push({
        object: d.id,
        kind: 'data change',
        change: 'its SQL was edited after it ran: the next plan refuses it',
        before: { checksum: r.checksum },
        after: { checksum: d.checksum },
      });
    else if (r?.status !== 'applied')
      items.push({
        object: d.id,
        kind: 'data change',
        change: r === undefined ? 'to run once' : `begun, ${r.batches} batches committed: the next apply goes on`,
        before: null,
        after: { checksum: d.checksum },
      });
  }
  return items;
}

/**
 * The report of a check that could not run.
 *
 * @example errorReport('postgres://app:***@db/app', new Error('connection terminated'))
 */
export function errorReport(database: string, error: unknown, now: Date = new Date()): DriftReport {
  const message = error instanceof Error ? error.message : String(error);
  return {
    state: 'error',
    checkedAt: now.toISOString(),
    database,
    pending: [],
    drifted: [],
    digest: digestOf('error', [], [], message),
    error: message,
  };
}

export interface CheckDriftOptions {
  /** A postgres:// URL or pglite:DIR; default $DATABASE_URL, else the embedded PGlite database under `cwd`. */
  readonly databaseUrl?: string;
  /** The declared state; omitted: only drift against the ledger is checked. */
  readonly schemaPath?: string;
  readonly cwd?: string;
  /** The judge's cache folder (as `plan` keeps it: `.pgreconcile/cache`); without it nothing is written. */
  readonly cacheDir?: string;
}

/**
 * One drift check, for an application's health endpoint: opens the database, compares, closes.
 * Throws when the database cannot be reached or the file is invalid.
 *
 * @example
 * const report = await checkDrift({ databaseUrl: process.env.DATABASE_URL, schemaPath: 'schema.yaml' });
 * res.status(report.state === 'in_sync' ? 200 : 503).json(driftReportJson(report));
 */
export async function checkDrift(options: CheckDriftOptions): Promise<DriftReport> {
  const cwd = options.cwd ?? process.cwd();
  const desired = options.schemaPath !== undefined ? await loadDesiredState(options.schemaPath) : undefined;
  const db = await openDatabase({ ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}), cwd });
  try {
    return await driftOfDatabase(db, desired, {
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(options.schemaPath !== undefined ? { schema: options.schemaPath } : {}),
    });
  } finally {
    await db.close();
  }
}
