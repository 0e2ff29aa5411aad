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
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function field<T>(r: Record<string, unknown>, key: string, check: (v: unknown) => v is T, where: string): T {
  const value = r[key];
  if (!check(value)) throw new PlanFileError(`${where}: rehearsal.${key} is missing or malformed; re-plan with \`pgreconcile plan --rehearse --out plans/\``);
  return value;
}

function parseFailure(raw: unknown, where: string): RehearsalFailure {
  if (!isRecord(raw)) throw new PlanFileError(`${where}: rehearsal.failed is malformed`);
  const phase = field(raw, 'phase', isString, where);
  if (phase !== 'copy' && phase !== 'step' && phase !== 'replan') throw new PlanFileError(`${where}: rehearsal.failed.phase "${phase}" is unknown`);
  return {
    phase,
    ...(raw['step'] !== undefined ? { step: field(raw, 'step', isNumber, where) } : {}),
    ...(raw['sql'] !== undefined ? { sql: field(raw, 'sql', isString, where) } : {}),
    error: field(raw, 'error', isString, where),
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
  };
}
