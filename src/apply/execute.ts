/**
 * Runs a plan's steps: each transaction group in one transaction, each non-transactional step
 * alone, every step under its own lock_timeout and statement_timeout. This is the bare
 * executor; `apply` (ledger, deployment lock, retries) is built on it.
 */
import type { Db } from '../db/db.js';
import type { Plan, PlanStep } from '../plan/build-plan.js';

export interface ExecuteHooks {
  /** Called before a step runs. */
  readonly beforeStep?: (step: PlanStep) => void | Promise<void>;
  /** Called after a step's transaction committed (for a transactional step: when its group committed). */
  readonly afterCommit?: (steps: readonly PlanStep[]) => void | Promise<void>;
}

/** A step failed: which one, and the database's error. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    readonly step: PlanStep,
    override readonly cause: unknown,
  ) {
    super(`step ${step.n} (${step.action} ${step.objectKind} ${step.parent ? `${step.parent}.` : ''}${step.object}) failed: ${(cause as Error).message ?? String(cause)}`);
  }
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

function timeoutSql(step: PlanStep, local: boolean): string {
  const scope = local ? 'SET LOCAL' : 'SET';
  return `${scope} lock_timeout = '${step.lockTimeoutMs}ms'; ${scope} statement_timeout = '${step.statementTimeoutMs}ms'`;
}

/**
 * Executes the steps in order. A failing transactional group is rolled back whole.
 *
 * @example
 * await executePlan(db, plan);
 */
export async function executePlan(db: Db, plan: Plan, hooks: ExecuteHooks = {}, fromStep = 1): Promise<void> {
  await db.exec('SET check_function_bodies = false');
  for (const group of transactionGroups(plan.steps.filter((s) => s.n >= fromStep))) {
    const first = group[0]!;
    if (!first.transactional) {
      await hooks.beforeStep?.(first);
      try {
        await db.exec(timeoutSql(first, false));
        await db.exec(first.sql);
      } catch (error) {
        throw new StepFailedError(first, error);
      } finally {
        await db.exec('RESET lock_timeout; RESET statement_timeout').catch(() => undefined);
      }
      await hooks.afterCommit?.(group);
      continue;
    }
    await db.exec('BEGIN');
    let current = first;
    try {
      for (const step of group) {
        current = step;
        await hooks.beforeStep?.(step);
        await db.exec(timeoutSql(step, true));
        await db.exec(step.sql);
      }
      await db.exec('COMMIT');
    } catch (error) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw new StepFailedError(current, error);
    }
    await hooks.afterCommit?.(group);
  }
}
