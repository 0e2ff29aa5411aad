/** The planner's errors, in a module of their own so that catching them loads nothing else. */

/** A plan that cannot be made as declared: says what and where. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** A plan file that cannot be used: unreadable, edited after it was written, or of another format. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';
}
