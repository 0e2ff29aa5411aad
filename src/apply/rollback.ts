/**
 * `rollback`: the way back to the desired state an earlier version recorded in the ledger. The
 * rollback is planned like any change (live schema → that state) and applied like any plan
 * (`applyPlanDocument`: hazard gate, deployment lock, stale check, verification). The ledger
 * stays append-only: the rollback is a new version, of kind `rollback`, naming the version it
 * returns to. The default target is the applied version before the newest one, so a second
 * rollback undoes the first (like `git revert` of a revert).
 */
import type { Db } from '../db/db.js';
import { isCompleted, listVersions, readDesiredSnapshot, type LedgerVersion } from '../ledger/ledger-store.js';
import { objectFingerprints } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/build-plan.js';
import { newPlanDocument, type PlanDocument } from '../plan/plan-file.js';
import type { LiveReadOptions } from './live-schema.js';
import { planDatabase } from '../plan-database.js';

/** No version can be rolled back to as asked: the message says why and what to do. */
export class RollbackError extends Error {
  override readonly name = 'RollbackError';
}

/** What a rollback returns to, and the plan that gets there. */
export interface RollbackPlan {
  /** The applied ledger row whose desired state is the target. */
  readonly target: LedgerVersion;
  /** That row's desired state (the ledger's snapshot). */
  readonly desired: DesiredState;
  /** The plan from the live schema to that state (empty: the database already matches it). */
  readonly plan: Plan;
  /** The plan as a document, id `<UTC>_rollback-to-<version>`, recording `rollback_to`. */
  readonly doc: PlanDocument;
}

export interface RollbackOptions extends LiveReadOptions {
  /** The version to return to: a plan id, or a unique prefix of one (default: the one before the newest applied). */
  readonly to?: string;
  /** The plan's creation time (its id's timestamp). */
  readonly now?: Date;
}

/**
 * A version's kind in words; a rollback names the version it returned to.
 *
 * @example
 * describeVersionKind(row) // 'apply', 'baseline', or 'rollback → 20261121T201500Z_add-column-users-email'
 */
export function describeVersionKind(v: Pick<LedgerVersion, 'kind' | 'rollbackTo'>): string {
  return v.kind === 'rollback' && v.rollbackTo !== undefined ? `rollback → ${v.rollbackTo}` : v.kind;
}

const LISTED = 20;

/** Versions as an indented list for error messages, newest first, capped. */
function listCandidates(versions: readonly LedgerVersion[]): string {
  const lines = versions.slice(0, LISTED).map((v) => `  ${v.version} (${describeVersionKind(v)}, ${v.finishedAt ?? v.startedAt})`);
  if (versions.length > LISTED) lines.push(`  … and ${versions.length - LISTED} more (pgreconcile history lists them all)`);
  return lines.join('\n');
}

/** The applied version `to` names: exactly, or as the unique prefix of one. */
function matchVersion(applied: readonly LedgerVersion[], all: readonly LedgerVersion[], to: string): LedgerVersion {
  const exact = applied.find((v) => v.version === to);
  if (exact) return exact;
  const attempts = all.filter((v) => v.version === to);
  if (attempts.length > 0) {
    throw new RollbackError(
      `version ${to} was never applied (its newest attempt is ${attempts[0]!.status}), so there is no state of it to return to. ` +
        `Applied versions, newest first:\n${listCandidates(applied)}`,
    );
  }
  const matches = applied.filter((v) => v.version.startsWith(to));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new RollbackError(`--to ${to} matches ${matches.length} applied versions; give more of the id:\n${listCandidates(matches)}`);
  }
  throw new RollbackError(`no applied version ${to} in the ledger. Applied versions, newest first:\n${listCandidates(applied)}`);
}

/**
 * The version a rollback returns to, from the ledger's rows (newest first, as `listVersions`
 * returns them): the applied one `to` names (a plan id or a unique prefix), or by default the
 * applied version before the newest applied one. Throws a `RollbackError` naming the candidates
 * when there is none.
 *
 * @example
 * chooseRollbackTarget(await listVersions(db))                      // the version before the current one
 * chooseRollbackTarget(await listVersions(db), '20261121T201500Z')  // that version
 */
export function chooseRollbackTarget(versions: readonly LedgerVersion[], to?: string): LedgerVersion {
  const applied = versions.filter((v) => isCompleted(v.status));
  if (applied.length === 0) {
    throw new RollbackError(
      'the ledger records no applied version in this database, so there is nothing to roll back to (pgreconcile history shows the ledger)',
    );
  }
  if (to !== undefined) return matchVersion(applied, versions, to);
  const previous = applied[1];
  if (previous === undefined) {
    throw new RollbackError(
      `only one version was applied (${applied[0]!.version}); there is no earlier version to roll back to. ` +
        'To change the database, edit the schema file and apply it (pgreconcile plan, pgreconcile apply).',
    );
  }
  return previous;
}

/**
 * The desired state a version recorded; a `RollbackError` when it recorded none.
 *
 * @example
 * const desired = await rollbackTargetState(db, target);
 */
export async function rollbackTargetState(db: Db, target: LedgerVersion): Promise<DesiredState> {
  const desired = await readDesiredSnapshot(db, target.id);
  if (desired === undefined) {
    throw new RollbackError(
      `version ${target.version} (${describeVersionKind(target)}) recorded no desired state in the ledger, so it cannot be rolled back to. ` +
        'Plan against its schema file instead: pgreconcile plan --schema FILE, then pgreconcile apply.',
    );
  }
  return desired;
}

/**
 * Plans a rollback: finds the target version in the ledger, reads the desired state it recorded,
 * and plans the way from the live schema to it. Run it under the deployment lock when the plan
 * is to be applied right away (as the CLI does); `applyPlanDocument` checks again that the live
 * schema did not change since.
 *
 * @example
 * const r = await planRollback(db, { to: '20261121T201500Z_create-table-users' });
 * if (r.plan.steps.length > 0) await applyPlanDocument(db, r.doc, { desired: r.desired, ...ledgerKindOf(r.doc), allowHazards: 'all' });
 */
export async function planRollback(db: Db, options: RollbackOptions = {}): Promise<RollbackPlan> {
  const { to, now, ...readOptions } = options;
  const target = chooseRollbackTarget(await listVersions(db), to);
  const desired = await rollbackTargetState(db, target);
  const { plan, live } = await planDatabase(db, desired, { liveRead: readOptions });
  const doc = newPlanDocument(plan, db.description, now ?? new Date(), {
    objectFingerprints: objectFingerprints(live.model),
    desired,
    rollbackTo: target.version,
  });
  return { target, desired, plan, doc };
}

/**
 * The ledger kind a plan document is recorded as: `rollback` with the version it returns to
 * when the document is a rollback plan, else nothing (the default, `apply`). Spread it into the
 * options of `applyPlanDocument`.
 *
 * @example
 * await applyPlanDocument(db, doc, { desired, ...ledgerKindOf(doc) });
 */
export function ledgerKindOf(doc: Pick<PlanDocument, 'rollbackTo'>): { readonly kind?: 'rollback'; readonly rollbackTo?: string } {
  return doc.rollbackTo !== undefined ? { kind: 'rollback', rollbackTo: doc.rollbackTo } : {};
}
