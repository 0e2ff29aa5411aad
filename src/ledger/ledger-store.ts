/**
 * Reads and writes of the ledger's versions (docs/architecture.md rule 6). A row is written before the
 * first step (`running`), updated as steps commit (their count and a sha256 per step), and
 * finished as `applied` or `failed`; a crash leaves an honest `running` row with what was done.
 * `baseline` rows record an existing database without executing anything.
 */
import { userInfo, hostname } from 'node:os';
import type { Db } from '../db/db.js';
import { sha256 } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import { emptyModel } from '../kinds/models.js';
import { toolVersion } from '../version.js';
import { ledgerFormatVersion } from './ledger-schema.js';

export type VersionKind = 'apply' | 'baseline' | 'rollback';
/**
 * `running` (under way, or interrupted), `applied` (every step ran and a re-plan was empty),
 * `mismatch` (every step ran but the verifying re-plan still found differences), `failed`.
 */
export type VersionStatus = 'running' | 'applied' | 'failed' | 'mismatch';

/**
 * Whether every step of the version ran (`applied`, or `mismatch`): its plan is done and cannot
 * be applied again.
 *
 * @example isCompleted('mismatch') // true
 */
export function isCompleted(status: VersionStatus): boolean {
  return status === 'applied' || status === 'mismatch';
}

/** One applied step: its number in the plan and the sha256 of its SQL. */
export interface StepHash {
  readonly n: number;
  readonly sha256: string;
}

/** One `apply --resume` of a version: when, by whom, and what it resumed from. */
export interface ResumeEntry {
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly by: string;
  /** The row's status when it was resumed (`failed`, or `running` after a crash). */
  readonly fromStatus: VersionStatus;
  readonly stepsApplied: number;
  readonly error?: string;
  readonly failedStep?: number;
}

/** One file of a backup of deleted data (see src/apply/backup.ts for the manifest). */
export interface BackupRecord {
  /** The folder the files are in (as given: relative to the working folder, or absolute). */
  readonly dir: string;
  /** The manifest's file name inside `dir`. */
  readonly manifest: string;
  /** One entry per file: the step it was taken before, what it holds, its rows and bytes. */
  readonly files: readonly {
    readonly step: number;
    readonly object: string;
    readonly file: string;
    readonly rows: number;
    readonly bytes: number;
  }[];
}

/** A ledger row as read back. Times are ISO 8601 UTC. */
export interface LedgerVersion {
  /** The row's own number (attempts of one plan share `version`). */
  readonly id: number;
  /** The plan's id, e.g. `20261121T201500Z_add-column-users-email`. */
  readonly version: string;
  readonly kind: VersionKind;
  readonly status: VersionStatus;
  readonly planChecksum?: string;
  readonly desiredHash: string;
  readonly fingerprintBefore: string;
  readonly fingerprintAfter?: string;
  readonly stepsTotal: number;
  readonly stepsApplied: number;
  readonly stepHashes: readonly StepHash[];
  readonly failedStep?: number;
  readonly failedStatement?: string;
  readonly error?: string;
  /** Steps a plan against the desired state still had afterwards (0 = verified in sync). */
  readonly replanSteps?: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** The database role (current_user). */
  readonly dbUser: string;
  readonly osUser?: string;
  readonly host?: string;
  readonly toolVersion: string;
  readonly allowedHazards: readonly string[];
  readonly approvedBy?: string;
  /** The target, password redacted. */
  readonly database: string;
  /** kind `rollback`: the version whose desired state it returned to. */
  readonly rollbackTo?: string;
  /** Backups of the data its deletes_data steps removed. */
  readonly backups?: BackupRecord;
  /** The rehearsal on a scratch database that preceded it (as the plan file records it). */
  readonly rehearsal?: unknown;
  /** Every `apply --resume` of this row, oldest first. */
  readonly resumes: readonly ResumeEntry[];
}

/** What a new row records; the rest (who, when, tool version) is filled in. */
export interface NewVersion {
  readonly version: string;
  readonly kind: VersionKind;
  readonly planChecksum?: string;
  readonly desiredHash: string;
  readonly fingerprintBefore: string;
  readonly stepsTotal: number;
  readonly allowedHazards?: readonly string[];
  readonly approvedBy?: string;
  readonly desired?: DesiredState;
  /** Password already redacted (`Db.description`). */
  readonly database: string;
  /** kind `rollback`: the version returned to. */
  readonly rollbackTo?: string;
  /** The plan document as applied (plan-file JSON form), so that a resume can go on without the file. */
  readonly planDocument?: unknown;
  /** The rehearsal result, when the apply was rehearsed first. */
  readonly rehearsal?: unknown;
}

/** The operating-system side of "who": the OS user and the host name. */
export function whoAmI(): { readonly osUser: string; readonly host: string } {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
  return { osUser, host: hostname() };
}

/** The desired state as stored in the ledger: the model and what the file says about managing it. */
function snapshotJson(desired: DesiredState | undefined): string | null {
  if (desired === undefined) return null;
  const { model, ignore, external, externalTypes, dataChanges, source } = desired;
  return JSON.stringify({
    model,
    ignore,
    external,
    ...(externalTypes ? { externalTypes } : {}),
    ...(dataChanges && dataChanges.length > 0 ? { dataChanges } : {}),
    ...(source ? { source } : {}),
  });
}

const INSERT = `
INSERT INTO pgreconcile.versions
  (version, kind, status, plan_checksum, desired_hash, fingerprint_before, fingerprint_after, steps_total,
   os_user, host, tool_version, allowed_hazards, approved_by, desired_snapshot, database, finished_at, duration_ms, replan_steps,
   rollback_to, plan_document, rehearsal)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14::jsonb, $15, $16, $17, $18, $19, $20::jsonb, $21::jsonb)
RETURNING id::text AS id`;

async function insert(db: Db, v: NewVersion, finished: { fingerprintAfter: string; replanSteps: number } | undefined): Promise<number> {
  const who = whoAmI();
  const { rows } = await db.query<{ id: string }>(INSERT, [
    v.version,
    v.kind,
    finished ? 'applied' : 'running',
    v.planChecksum ?? null,
    v.desiredHash,
    v.fingerprintBefore,
    finished?.fingerprintAfter ?? null,
    v.stepsTotal,
    who.osUser,
    who.host,
    toolVersion(),
    JSON.stringify(v.allowedHazards ?? []),
    v.approvedBy ?? null,
    snapshotJson(v.desired),
    v.database,
    finished ? new Date().toISOString() : null,
    finished ? 0 : null,
    finished?.replanSteps ?? null,
    v.rollbackTo ?? null,
    v.planDocument === undefined ? null : JSON.stringify(v.planDocument),
    v.rehearsal === undefined ? null : JSON.stringify(v.rehearsal),
  ]);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('the ledger did not return the new row');
  return Number(id);
}

/**
 * Writes the `running` row of an apply, before its first step. Returns the row's id.
 *
 * @example
 * const id = await recordVersionStart(db, { version: doc.id, kind: 'apply', planChecksum: doc.checksum, … });
 */
export function recordVersionStart(db: Db, v: NewVersion): Promise<number> {
  return insert(db, v, undefined);
}

/**
 * Records steps as applied: the count and the sha256 of each step's SQL. Called inside the
 * transaction that ran them, so the ledger and the schema commit together.
 */
export async function recordStepsApplied(
  db: Db,
  id: number,
  steps: readonly { readonly n: number; readonly sql: string }[],
): Promise<void> {
  const hashes: StepHash[] = steps.map((s) => ({ n: s.n, sha256: sha256(s.sql) }));
  await db.query(
    'UPDATE pgreconcile.versions SET steps_applied = steps_applied + $2, step_hashes = step_hashes || $3::jsonb WHERE id = $1',
    [id, steps.length, JSON.stringify(hashes)],
  );
}

/** Finishes an apply as failed: which step, its statement, the error (already redacted). */
export async function recordVersionFailed(
  db: Db,
  id: number,
  failure: { readonly step?: number; readonly statement?: string; readonly error: string },
): Promise<void> {
  await db.query(
    `UPDATE pgreconcile.versions
        SET status = 'failed', failed_step = $2, failed_statement = $3, error = $4,
            finished_at = clock_timestamp(), duration_ms = round(extract(epoch FROM clock_timestamp() - started_at) * 1000)
      WHERE id = $1`,
    [id, failure.step ?? null, failure.statement ?? null, failure.error],
  );
}

/**
 * Finishes an apply whose steps all ran: `applied` when the verifying re-plan was empty, else
 * `mismatch`; with the live fingerprint afterwards and the size of the re-plan. `error` says what
 * the verification found when the re-plan was not empty.
 */
export async function recordVersionApplied(
  db: Db,
  id: number,
  result: { readonly fingerprintAfter: string; readonly replanSteps: number; readonly error?: string },
): Promise<void> {
  await db.query(
    `UPDATE pgreconcile.versions
        SET status = CASE WHEN $3::int > 0 THEN 'mismatch' ELSE 'applied' END, fingerprint_after = $2, replan_steps = $3, error = $4,
            finished_at = clock_timestamp(), duration_ms = round(extract(epoch FROM clock_timestamp() - started_at) * 1000)
      WHERE id = $1`,
    [id, result.fingerprintAfter, result.replanSteps, result.error ?? null],
  );
}

/**
 * Names the backups taken before this version's deletes_data steps (replaces the record: call
 * it with the whole record after each new file).
 */
export async function recordBackups(db: Db, id: number, backups: BackupRecord): Promise<void> {
  await db.query('UPDATE pgreconcile.versions SET backups = $2::jsonb WHERE id = $1', [id, JSON.stringify(backups)]);
}

/**
 * Marks a failed or interrupted row as running again for `apply --resume`, appending to its
 * `resumes` log what it was resumed from (its status, count and error), and clearing the
 * failure columns. Returns the entry written.
 */
export async function recordResume(db: Db, row: LedgerVersion): Promise<ResumeEntry> {
  const who = whoAmI();
  const entry: ResumeEntry = {
    at: new Date().toISOString(),
    by: `${who.osUser}@${who.host}`,
    fromStatus: row.status,
    stepsApplied: row.stepsApplied,
    ...(row.error !== undefined ? { error: row.error } : {}),
    ...(row.failedStep !== undefined ? { failedStep: row.failedStep } : {}),
  };
  await db.query(
    `UPDATE pgreconcile.versions
        SET status = 'running', failed_step = NULL, failed_statement = NULL, error = NULL, finished_at = NULL, duration_ms = NULL,
            resumes = resumes || $2::jsonb
      WHERE id = $1`,
    [row.id, JSON.stringify([entry])],
  );
  return entry;
}

/** The plan document a version recorded (plan-file JSON form), if it recorded one. */
export async function readPlanDocumentJson(db: Db, id: number): Promise<unknown> {
  if ((await ledgerFormatVersion(db)) === undefined) return undefined;
  const { rows } = await db.query<{ plan_document: unknown }>('SELECT plan_document FROM pgreconcile.versions WHERE id = $1', [id]);
  const value = rows[0]?.plan_document;
  return value === null || value === undefined ? undefined : json(value);
}

/**
 * Records a baseline: the live database as it is, as an applied version with no steps.
 * `replanSteps` is the size of the plan against the desired state at that moment (0 unless forced).
 */
export function recordBaseline(db: Db, v: Omit<NewVersion, 'kind' | 'stepsTotal'>, replanSteps: number): Promise<number> {
  return insert(db, { ...v, kind: 'baseline', stepsTotal: 0 }, { fingerprintAfter: v.fingerprintBefore, replanSteps });
}

const ISO = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SELECT = `
SELECT id::text AS id, version, kind, status, plan_checksum, desired_hash, fingerprint_before, fingerprint_after,
       steps_total, steps_applied, step_hashes, failed_step, failed_statement, error, replan_steps,
       ${ISO('started_at')} AS started_at, ${ISO('finished_at')} AS finished_at, duration_ms::text AS duration_ms,
       db_user, os_user, host, tool_version, allowed_hazards, approved_by, database,
       rollback_to, backups, rehearsal, resumes
  FROM pgreconcile.versions`;

interface VersionRow {
  readonly id: string;
  readonly version: string;
  readonly kind: VersionKind;
  readonly status: VersionStatus;
  readonly plan_checksum: string | null;
  readonly desired_hash: string;
  readonly fingerprint_before: string;
  readonly fingerprint_after: string | null;
  readonly steps_total: number;
  readonly steps_applied: number;
  readonly step_hashes: unknown;
  readonly failed_step: number | null;
  readonly failed_statement: string | null;
  readonly error: string | null;
  readonly replan_steps: number | null;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly duration_ms: string | null;
  readonly db_user: string;
  readonly os_user: string | null;
  readonly host: string | null;
  readonly tool_version: string;
  readonly allowed_hazards: unknown;
  readonly approved_by: string | null;
  readonly database: string;
  readonly rollback_to: string | null;
  readonly backups: unknown;
  readonly rehearsal: unknown;
  readonly resumes: unknown;
}

/** jsonb comes back parsed from both adapters; text when something in between did not parse it. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function fromRow(r: VersionRow): LedgerVersion {
  const opt = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
    (value === null ? {} : { [key]: value }) as { [P in K]?: V };
  return {
    id: Number(r.id),
    version: r.version,
    kind: r.kind,
    status: r.status,
    ...opt('planChecksum', r.plan_checksum),
    desiredHash: r.desired_hash,
    fingerprintBefore: r.fingerprint_before,
    ...opt('fingerprintAfter', r.fingerprint_after),
    stepsTotal: r.steps_total,
    stepsApplied: r.steps_applied,
    stepHashes: json(r.step_hashes) as StepHash[],
    ...opt('failedStep', r.failed_step),
    ...opt('failedStatement', r.failed_statement),
    ...opt('error', r.error),
    ...opt('replanSteps', r.replan_steps),
    startedAt: r.started_at,
    ...opt('finishedAt', r.finished_at),
    ...opt('durationMs', r.duration_ms === null ? null : Number(r.duration_ms)),
    dbUser: r.db_user,
    ...opt('osUser', r.os_user),
    ...opt('host', r.host),
    toolVersion: r.tool_version,
    allowedHazards: json(r.allowed_hazards) as string[],
    ...opt('approvedBy', r.approved_by),
    database: r.database,
    ...opt('rollbackTo', r.rollback_to),
    ...opt('backups', r.backups === null ? null : (json(r.backups) as BackupRecord)),
    ...opt('rehearsal', r.rehearsal === null ? null : json(r.rehearsal)),
    resumes: r.resumes === null || r.resumes === undefined ? [] : (json(r.resumes) as ResumeEntry[]),
  };
}

/**
 * Every version, newest first (`limit` caps the count). Empty when there is no ledger yet.
 *
 * @example
 * for (const v of await listVersions(db)) console.log(v.version, v.status);
 */
export async function listVersions(db: Db, options: { readonly limit?: number } = {}): Promise<LedgerVersion[]> {
  if ((await ledgerFormatVersion(db)) === undefined) return [];
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  const { rows } = await db.query<VersionRow>(`${SELECT} ORDER BY started_at DESC, id DESC${limit}`);
  return rows.map(fromRow);
}

/**
 * The rows recording one plan id, newest first (a failed attempt and a later success share it).
 *
 * @example
 * (await readVersion(db, doc.id)).some((v) => v.status === 'applied')
 */
export async function readVersion(db: Db, version: string): Promise<LedgerVersion[]> {
  if ((await ledgerFormatVersion(db)) === undefined) return [];
  const { rows } = await db.query<VersionRow>(`${SELECT} WHERE version = $1 ORDER BY started_at DESC, id DESC`, [version]);
  return rows.map(fromRow);
}

/** The completed row (`applied` or `mismatch`) of a plan id, if that plan was applied. */
export async function findAppliedVersion(db: Db, version: string): Promise<LedgerVersion | undefined> {
  return (await readVersion(db, version)).find((v) => isCompleted(v.status));
}

/**
 * The desired state a version recorded (for drift and rollback), if it recorded one.
 *
 * @example
 * const desired = await readDesiredSnapshot(db, latest.id);
 */
export async function readDesiredSnapshot(db: Db, id: number): Promise<DesiredState | undefined> {
  if ((await ledgerFormatVersion(db)) === undefined) return undefined;
  const { rows } = await db.query<{ desired_snapshot: unknown }>('SELECT desired_snapshot FROM pgreconcile.versions WHERE id = $1', [id]);
  const value = rows[0]?.desired_snapshot;
  if (value === null || value === undefined) return undefined;
  const state = json(value) as DesiredState;
  // A state recorded before a kind existed has no list for it.
  return { ...state, model: { ...emptyModel(), ...state.model } };
}

/**
 * A version as machine-readable JSON (snake_case keys, every field), as `history --json` and
 * `status --json` print it.
 *
 * @example
 * JSON.stringify((await listVersions(db)).map(versionToJson))
 */
export function versionToJson(v: LedgerVersion): Record<string, unknown> {
  return {
    id: v.id,
    version: v.version,
    kind: v.kind,
    status: v.status,
    plan_checksum: v.planChecksum ?? null,
    desired_hash: v.desiredHash,
    fingerprint_before: v.fingerprintBefore,
    fingerprint_after: v.fingerprintAfter ?? null,
    steps_applied: v.stepsApplied,
    steps_total: v.stepsTotal,
    step_hashes: v.stepHashes,
    failed_step: v.failedStep ?? null,
    failed_statement: v.failedStatement ?? null,
    error: v.error ?? null,
    replan_steps: v.replanSteps ?? null,
    started_at: v.startedAt,
    finished_at: v.finishedAt ?? null,
    duration_ms: v.durationMs ?? null,
    who: { db_user: v.dbUser, os_user: v.osUser ?? null, host: v.host ?? null },
    tool_version: v.toolVersion,
    allowed_hazards: v.allowedHazards,
    approved_by: v.approvedBy ?? null,
    database: v.database,
    rollback_to: v.rollbackTo ?? null,
    backups: v.backups ?? null,
    rehearsal: v.rehearsal ?? null,
    resumes: v.resumes,
  };
}

/**
 * Who recorded a version, in one phrase: `postgres (alice@ci-3)`.
 */
export function describeWho(v: LedgerVersion): string {
  const os = v.osUser !== undefined ? `${v.osUser}${v.host !== undefined ? `@${v.host}` : ''}` : v.host;
  return os !== undefined ? `${v.dbUser} (${os})` : v.dbUser;
}
