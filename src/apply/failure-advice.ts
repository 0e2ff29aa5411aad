/**
 * What to do about a step that failed, from the database's SQLSTATE: whether running the same
 * statement again can succeed (`apply --resume` runs the recorded plan again from the failed
 * step), or whether the fix is an edit to schema.yaml and a new plan. A resume is suggested only
 * where it can succeed.
 */

/** The kind of fix a failure calls for. */
export type FailureFix =
  /** Passing trouble (a lock timeout, a lost connection, a full disk): the same step can succeed later. */
  | 'retry'
  /** The rows do not fit the change (NULLs, duplicates, a value that does not cast): fix them, or the schema. */
  | 'data'
  /** The role lacks a privilege: grant it. */
  | 'privilege'
  /** The statement cannot run on this schema (a view in the way, a type without an operator class): edit the schema. */
  | 'schema'
  /** Not known. */
  | 'unknown';

/**
 * The fix a SQLSTATE calls for.
 *
 * @example
 * classifyFailure('23502') // 'data'     (not_null_violation: "column … contains null values")
 * classifyFailure('0A000') // 'schema'   (e.g. "cannot alter type of a column used by a view or rule")
 * classifyFailure('55P03') // 'retry'    (lock_not_available)
 */
export function classifyFailure(sqlstate: string | undefined): FailureFix {
  if (sqlstate === undefined || !/^[0-9A-Z]{5}$/.test(sqlstate)) return 'unknown';
  const cls = sqlstate.slice(0, 2);
  if (sqlstate === '42501') return 'privilege';
  if (['55P03', '57014', '40001', '40P01', '57P01', '57P02', '57P03', '55006'].includes(sqlstate)) return 'retry';
  if (cls === '08' || cls === '53' || cls === '58') return 'retry';
  if (cls === '23' || cls === '22') return 'data';
  if (cls === '42' || cls === '2B' || cls === '0A' || cls === '2F' || cls === '39' || cls === '55' || cls === '25') return 'schema';
  return 'unknown';
}

/**
 * The advice after a failed apply, in one sentence: `step` is the failed step's number.
 *
 * @example
 * failureAdvice('23502', { step: 3, resumable: true, planPath: 'plans/x.plan.yaml' })
 * // 'The rows do not fit the change: fix them (…), then `pgreconcile apply --resume plans/x.plan.yaml` continues from step 3; or change schema.yaml and plan again.'
 */
export function failureAdvice(
  sqlstate: string | undefined,
  where: { readonly step: number; readonly resumable: boolean; readonly planPath?: string },
): string {
  const resume = `\`pgreconcile apply --resume ${where.planPath ?? 'PLANFILE'}\` continues from step ${where.step}`;
  const replan = 'edit schema.yaml, then plan again (`pgreconcile plan --out plans/`)';
  const fix = classifyFailure(sqlstate);
  switch (fix) {
    case 'retry':
      return where.resumable
        ? `This can pass on its own (a lock, a timeout, a lost connection, resources): once it has, ${resume}.`
        : 'This can pass on its own (a lock, a timeout, a lost connection, resources): run it again once it has.';
    case 'data':
      return where.resumable
        ? `The rows do not fit the change (a NULL, a duplicate, a value that does not convert): fix those rows, then ${resume}; or ${replan} (a default, a nullable column, a USING cast).`
        : `The rows do not fit the change (a NULL, a duplicate, a value that does not convert): fix those rows, or ${replan} (a default, a nullable column, a USING cast).`;
    case 'privilege':
      return where.resumable
        ? `Grant the privilege the role lacks, then ${resume}.`
        : 'Grant the privilege the role lacks, then run it again.';
    case 'schema':
      return `The statement cannot run on this database's schema as it stands, so running it again (--resume) fails the same way: ${replan}, or change the objects in its way (a view, a rule, a dependent object) first.`;
    case 'unknown':
      return where.resumable ? `Once the cause is fixed, ${resume}; or re-plan.` : 'Once the cause is fixed, run it again; or re-plan.';
    default: {
      const unknown: never = fix;
      return unknown;
    }
  }
}
