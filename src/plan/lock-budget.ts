/**
 * How many locks one transaction of a plan may take. PostgreSQL's shared lock table holds about
 * `max_locks_per_transaction × (max_connections + max_prepared_transactions)` locked objects for
 * all sessions together; a transaction that needs more fails with `out of shared memory`
 * (SQLSTATE 53200) — a 5,000-table plan from an empty database in one transaction does. The
 * planner cuts its transaction groups so that each one's estimate stays within a quarter of the
 * table, leaving the rest to everybody else.
 */
import type { StepDraft } from './step-draft.js';
import { REF_LOCKS } from '../kinds/registry.js';
import { keyKind } from '../model/object-ref.js';

/** The server settings the lock table is sized by. */
export interface LockSettings {
  readonly maxLocksPerTransaction: number;
  readonly maxConnections: number;
  readonly maxPreparedTransactions: number;
}

/** Locks every transaction takes besides its objects': its ids and the system catalogs it writes. */
export const TRANSACTION_BASE_LOCKS = 24;

/** The smallest budget: a group always has room for a few statements. */
const MIN_BUDGET = 64;

/**
 * The locks one transaction group may take on a server with these settings.
 *
 * @example
 * lockBudget({ maxLocksPerTransaction: 64, maxConnections: 100, maxPreparedTransactions: 0 })  // 1600
 */
export function lockBudget(settings: LockSettings): number {
  const table = settings.maxLocksPerTransaction * (settings.maxConnections + settings.maxPreparedTransactions);
  return Math.max(MIN_BUDGET, Math.floor(table / 4));
}

/**
 * Locks per object a step creates, drops or needs, by the kind of its graph key (./references.ts),
 * as each kind declares them (`refKinds` in src/kinds/<kind>/refs.ts): a table is the table, its
 * TOAST table and the TOAST table's index; an index or a sequence one relation; a type, a
 * function, a schema or an extension one object lock. Columns, constraints and triggers lock
 * their table, counted already.
 */
const WEIGHTS: Readonly<Record<string, number>> = REF_LOCKS;

/**
 * The objects a step locks, with how many locks each costs (its graph keys; unknown kinds cost 1).
 *
 * @example
 * stepLocks(createTableDraft)  // Map { 'table:["public","users"]' => 3, 'index:["public","users_pkey"]' => 1, … }
 */
export function stepLocks(step: Pick<StepDraft, 'creates' | 'drops' | 'requires' | 'liveRequires'>): Map<string, number> {
  const locks = new Map<string, number>();
  for (const key of [...step.creates, ...step.drops, ...step.requires, ...step.liveRequires]) {
    const weight = WEIGHTS[keyKind(key)] ?? 1;
    if (weight > 0) locks.set(key, weight);
  }
  return locks;
}
