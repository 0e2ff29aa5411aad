/**
 * Every exit code of the `pgreconcile` command, in one place: scripts rely on them, each
 * command's --help lists the ones it uses (src/cli/specs.ts), and the README documents them.
 * The same number means the same thing in every command: 0 done (nothing to change), 1 error,
 * 2 changes planned or pending, 3 refused or drifted, 4 no ledger yet, 64 usage error.
 *
 * This module imports nothing but types, so the drift report's `exit_code` (src/drift) reads
 * the same table as the CLI.
 */
import type { Health } from '../apply/status.js';

/**
 * The exit code of every usage error, in every command: 64, EX_USAGE of sysexits.h. Never 2 or
 * 3, which mean "changes planned" / "pending" and "refused" / "drifted".
 */
export const USAGE_EXIT_CODE = 64;

/** The codes every command shares. */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3, noLedger: 4, usage: USAGE_EXIT_CODE } as const;

/** `plan`: 0 in sync, 2 changes planned, 1 error (including a failed --rehearse, and unmanaged objects with --strict). */
export const PLAN_EXIT = { inSync: EXIT.ok, error: EXIT.error, changes: EXIT.changes, unmanaged: EXIT.error } as const;

/** `apply` (and `apply --resume`): 0 applied or nothing to do, 1 error, 3 refused before anything ran. */
export const APPLY_EXIT = { applied: EXIT.ok, error: EXIT.error, refused: EXIT.refused } as const;

/** `rollback`: those of `apply`, and 2 when `--out` wrote the plan file (like `plan`). */
export const ROLLBACK_EXIT = { ...APPLY_EXIT, written: EXIT.changes } as const;

/** `restore`: 0 restored, 1 error, 3 refused. */
export const RESTORE_EXIT = { restored: EXIT.ok, error: EXIT.error, refused: EXIT.refused } as const;

/** `approve`: 0 written, 1 error, 3 refused (the file changed after it was written). */
export const APPROVE_EXIT = { approved: EXIT.ok, error: EXIT.error, refused: EXIT.refused } as const;

/** `baseline`: 0 recorded, 1 error, 3 refused (the database differs and no --force). */
export const BASELINE_EXIT = { recorded: EXIT.ok, error: EXIT.error, refused: EXIT.refused } as const;

/** `validate`, `pull`, `import`, `history`, `diff`: 0 done, 1 error. */
export const DONE_EXIT = { done: EXIT.ok, error: EXIT.error } as const;

/** `status`, for health checks. */
export const STATUS_EXIT: Readonly<Record<Health, number>> = {
  up_to_date: EXIT.ok,
  pending: EXIT.changes,
  last_failed: EXIT.refused,
  running: EXIT.refused,
  last_mismatch: EXIT.refused,
  no_ledger: EXIT.noLedger,
};

/**
 * `drift`, per state of the report: 0 in sync, 2 pending only, 3 drifted (with or without
 * pending), 1 error. The report's JSON carries it as `exit_code`; src/drift/check-drift.ts checks
 * that every state has one.
 */
export const DRIFT_EXIT = {
  in_sync: EXIT.ok,
  pending: EXIT.changes,
  drifted: EXIT.refused,
  drifted_and_pending: EXIT.refused,
  error: EXIT.error,
} as const;
