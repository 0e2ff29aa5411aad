/**
 * The result of a rehearsal (src/apply/rehearse.ts) as plain data: what `plan --rehearse --out`
 * writes into the plan file (covered by its checksum), what `--json` prints and what the ledger
 * row's `rehearsal` column holds. Kept here, beside the plan file, because the plan file reads
 * it back; the rehearsal itself runs in src/apply.
 */
import { PlanFileError } from './errors.js';

/** How long one step took on the scratch database. */
export interface RehearsalStepTiming {
  readonly n: number;
  /** Milliseconds, to 0.1 ms. */
  readonly ms: number;
}

/** Why a rehearsal did not succeed: the copy of the target's schema, a step, or the re-plan. */
export interface RehearsalFailure {
  readonly phase: 'copy' | 'step' | 'replan';
  /** The failing step's number (phase `step`). */
  readonly step?: number;
  /** The failing statement (phases `copy` and `step`), or the re-plan's first step (phase `replan`). */
  readonly sql?: string;
  readonly error: string;
  /** The database's SQLSTATE of a failed step: whether the fix is the data or the schema. */
  readonly sqlstate?: string;
}

/** How the scratch copy of the target was made, and what it holds. */
export interface RehearsalCopy {
  /**
   * `pg_dump`: pg_dump --schema-only of the target, every object managed or not; `catalog`: the
   * objects pgreconcile manages and the views, from the catalog (no usable pg_dump);
   * `pglite_clone`: the files of an embedded PGlite database, every object and every row.
   */
  readonly method: 'pg_dump' | 'catalog' | 'pglite_clone';
  /** The pg_dump that made it (`pg_dump (PostgreSQL) 15.20`). */
  readonly tool?: string;
  /**
   * The rows it holds: at most `limit` per table (null: every row), in `tables` tables, `rows`
   * in all; `sampled_tables` were larger than the limit; `orphans_removed` copied rows were
   * deleted again because a foreign key pointed at a row not copied. Absent: no rows.
   */
  readonly rows?: {
    readonly limit: number | null;
    readonly tables?: number;
    readonly rows?: number;
    readonly sampled_tables?: number;
    readonly orphans_removed?: number;
  };
  /** What the copy does not hold (a catalog copy: `2 domains`, `1 partition`, …). */
  readonly missing: readonly string[];
}

/** A rehearsal's outcome, in the snake_case form files and JSON output use. */
export interface Rehearsal {
  /** When it started (ISO 8601 UTC). */
  readonly at: string;
  /** Where: a scratch database on the target's server, or an in-memory PGlite database. */
  readonly scratch: 'server' | 'pglite';
  /** The scratch's server_version_num. */
  readonly server_version: number;
  /** The plan ran without error and the re-plan on the scratch was empty. */
  readonly ok: boolean;
  /** Every step that completed, with its duration. */
  readonly steps: readonly RehearsalStepTiming[];
  /** The plan's steps, start of the first to end of the last (ms, 0.1 ms). */
  readonly total_ms: number;
  /** Steps of the re-plan on the scratch against the desired state (0 = converged); absent when not reached. */
  readonly replan_steps?: number;
  readonly failed?: RehearsalFailure;
  /** What makes the rehearsal less faithful than it looks (a copy that differs from the target, …). */
  readonly warnings: readonly string[];
  /** How the copy was made (absent in records from before copies were described). */
  readonly copy?: RehearsalCopy;
  /** What a successful rehearsal showed, in sentences. */
  readonly checked?: readonly string[];
  /** What it could not show, in sentences: what can still fail on the target. */
  readonly not_checked?: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function field<T>(r: Record<string, unknown>, key: string, check: (v: unknown) => v is T, where: string): T {
  const value = r[key];
  if (!check(value))
    throw new PlanFileError(
      `${where}: rehearsal.${key} is missing or malformed; re-plan with \`pgreconcile plan --rehearse --out plans/\``,
    );
  return value;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0;

function parseCopy(raw: unknown, where: string): RehearsalCopy {
  if (!isRecord(raw)) throw new PlanFileError(`${where}: rehearsal.copy is malformed`);
  const method = field(raw, 'method', isString, where);
  if (method !== 'pg_dump' && method !== 'catalog' && method !== 'pglite_clone')
    throw new PlanFileError(`${where}: rehearsal.copy.method "${method}" is unknown`);
  let rows: RehearsalCopy['rows'];
  if (raw['rows'] !== undefined && raw['rows'] !== null) {
    if (!isRecord(raw['rows'])) throw new PlanFileError(`${where}: rehearsal.copy.rows is malformed`);
    const r = raw['rows'];
    const limit = r['limit'];
    if (limit !== null && !isCount(limit)) throw new PlanFileError(`${where}: rehearsal.copy.rows.limit is malformed`);
    const counts: Record<string, number> = {};
    for (const key of ['tables', 'rows', 'sampled_tables', 'orphans_removed'] as const)
      if (r[key] !== undefined) counts[key] = field(r, key, isCount, where);
    rows = { limit, ...counts };
  }
  return {
    method,
    ...(raw['tool'] !== undefined ? { tool: field(raw, 'tool', isString, where) } : {}),
    ...(rows !== undefined ? { rows } : {}),
    missing: raw['missing'] === undefined ? [] : field(raw, 'missing', isStringList, where),
  };
}

function parseFailure(raw: unknown, where: string): RehearsalFailure {
  if (!isRecord(raw)) throw new PlanFileError(`${where}: rehearsal.failed is malformed`);
  const phase = field(raw, 'phase', isString, where);
  if (phase !== 'copy' && phase !== 'step' && phase !== 'replan')
    throw new PlanFileError(`${where}: rehearsal.failed.phase "${phase}" is unknown`);
  return {
    phase,
    ...(raw['step'] !== undefined ? { step: field(raw, 'step', isNumber, where) } : {}),
    ...(raw['sql'] !== undefined ? { sql: field(raw, 'sql', isString, where) } : {}),
    error: field(raw, 'error', isString, where),
    ...(raw['sqlstate'] !== undefined ? { sqlstate: field(raw, 'sqlstate', isString, where) } : {}),
  };
}

/**
 * A rehearsal read back from a plan file or the ledger, checked field by field. `where` names
 * the source in errors.
 *
 * @example
 * parseRehearsal(raw.rehearsal, 'plans/20261121T201500Z_create-table-users.plan.yaml').ok
 */
export function parseRehearsal(raw: unknown, where: string): Rehearsal {
  if (!isRecord(raw)) throw new PlanFileError(`${where}: rehearsal is malformed`);
  const scratch = field(raw, 'scratch', isString, where);
  if (scratch !== 'server' && scratch !== 'pglite') throw new PlanFileError(`${where}: rehearsal.scratch "${scratch}" is unknown`);
  const steps = field(raw, 'steps', Array.isArray, where).map((s, i) => {
    if (!isRecord(s)) throw new PlanFileError(`${where}: rehearsal.steps[${i}] is malformed`);
    return { n: field(s, 'n', isNumber, where), ms: field(s, 'ms', isNumber, where) };
  });
  const ok = raw['ok'];
  if (typeof ok !== 'boolean') throw new PlanFileError(`${where}: rehearsal.ok is missing or malformed`);
  return {
    at: field(raw, 'at', isString, where),
    scratch,
    server_version: field(raw, 'server_version', isNumber, where),
    ok,
    steps,
    total_ms: field(raw, 'total_ms', isNumber, where),
    ...(raw['replan_steps'] !== undefined ? { replan_steps: field(raw, 'replan_steps', isNumber, where) } : {}),
    ...(raw['failed'] !== undefined ? { failed: parseFailure(raw['failed'], where) } : {}),
    warnings: field(raw, 'warnings', Array.isArray, where).map((w) => {
      if (!isString(w)) throw new PlanFileError(`${where}: rehearsal.warnings holds a non-text entry`);
      return w;
    }),
    ...(raw['copy'] !== undefined ? { copy: parseCopy(raw['copy'], where) } : {}),
    ...(raw['checked'] !== undefined ? { checked: field(raw, 'checked', isStringList, where) } : {}),
    ...(raw['not_checked'] !== undefined ? { not_checked: field(raw, 'not_checked', isStringList, where) } : {}),
  };
}
