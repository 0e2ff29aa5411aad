/**
 * changes → ordered steps with hazards, transaction groups and timeouts. Pure: no database.
 */
import type { Change, ChangeKind, ChangeOf } from '../diff/changes.js';
import { fingerprintModel, liveFingerprint } from '../model/fingerprint.js';
import type { DesiredState, SchemaModel } from '../model/types.js';
import type { Hazard, HazardKind } from './hazards.js';
import { lockBudget, stepLocks, TRANSACTION_BASE_LOCKS, type LockSettings } from './lock-budget.js';
import { orderSteps } from './order.js';
import { keyKind, type ObjectRef, type RefKey } from '../model/object-ref.js';
import { literal } from './sql-text.js';
import { changeTarget } from './step-target.js';
import { DEFAULT_TIMEOUTS, PlanContext, PlanError, type DataFacts, type PlanTimeouts, type TableStats } from './plan-context.js';
import * as schemaSteps from './schema-steps.js';
import * as tableSteps from './table-steps.js';
import * as constraintSteps from './constraint-steps.js';
import { DDL, type DeletedData, type StepAction, type StepDraft, type StepEffect, type StepObjectKind } from './step-draft.js';

/**
 * The plan format this version writes. 2: each step carries its target, the keys it creates,
 * drops and requires, and its effect (format 1, before issue 14, had none of them; it still reads,
 * see ./format-1.ts).
 */
export const PLAN_FORMAT_VERSION = 2;

/** One statement (or, where atomicity needs it, a few) with everything needed to run and review it. */
export interface PlanStep {
  /** 1-based position in the plan. */
  readonly n: number;
  readonly action: StepAction;
  readonly objectKind: StepObjectKind;
  readonly object: string;
  readonly parent?: string;
  readonly detail?: string;
  readonly change: ChangeKind;
  /** The object the step acts on (absent only in a step read from a format-1 plan file). */
  readonly target?: ObjectRef;
  /** The graph keys (`refKey`) the step creates, drops, and needs to exist: what ordered it. */
  readonly creates: readonly RefKey[];
  readonly drops: readonly RefKey[];
  readonly requires: readonly RefKey[];
  /** What the step does where apply and resume must know it: never read back from `sql`. */
  readonly effect: StepEffect;
  readonly sql: string;
  readonly hazards: readonly Hazard[];
  /** False for CONCURRENTLY and the like: runs alone, outside a transaction. */
  readonly transactional: boolean;
  /** Steps with the same group run in one transaction. */
  readonly group: number;
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
  /** The data the step deletes (a step with a `deletes_data` hazard): apply backs it up before the step runs. */
  readonly deletes?: DeletedData;
}

export interface Plan {
  readonly formatVersion: number;
  /** sha256 of the desired file (or of its model when there is no file). */
  readonly desiredHash: string;
  /** Fingerprint of the live schema the plan was computed against (liveFingerprint). */
  readonly liveFingerprint: string;
  readonly steps: readonly PlanStep[];
}

export interface LiveInput {
  readonly model: SchemaModel;
  readonly stats?: ReadonlyMap<string, TableStats>;
  readonly serverVersion?: number;
  /**
   * Rows holding enum values the plan removes, keyed `columnKey(table, column)` (see
   * `countRemovedEnumValues`): the hazard says how many, and the conversion knows what to do.
   */
  readonly removedEnumValueRows?: ReadonlyMap<string, number>;
  /**
   * The server's lock table settings: transaction groups are cut to fit (see ./lock-budget.ts).
   * Absent (a plan between two files): groups are not cut.
   */
  readonly lockSettings?: LockSettings;
  /** Which tables hold rows and what the statistics say of some columns (see `gatherDataFacts`): hazards of steps that fail on existing rows. */
  readonly dataFacts?: DataFacts;
}

export interface PlanOptions {
  readonly timeouts?: Partial<PlanTimeouts>;
}

type Handler<K extends ChangeKind> = (change: ChangeOf<K>, ctx: PlanContext) => StepDraft[];

/** One handler per change kind: a missing kind fails to compile. */
const HANDLERS: { readonly [K in ChangeKind]: Handler<K> } = {
  create_extension: (c) => schemaSteps.createExtensionSteps(c),
  drop_extension: (c) => schemaSteps.dropExtensionSteps(c),
  alter_extension: (c) => schemaSteps.alterExtensionSteps(c),
  create_schema: (c) => schemaSteps.createSchemaSteps(c),
  drop_schema: (c) => schemaSteps.dropSchemaSteps(c),
  create_enum: (c) => schemaSteps.createEnumSteps(c),
  drop_enum: schemaSteps.dropEnumSteps,
  add_enum_value: (c) => schemaSteps.addEnumValueSteps(c),
  rename_enum_value: (c) => schemaSteps.renameEnumValueSteps(c),
  replace_enum: schemaSteps.replaceEnumSteps,
  create_sequence: (c) => schemaSteps.createSequenceSteps(c),
  drop_sequence: (c) => schemaSteps.dropSequenceSteps(c),
  alter_sequence: (c) => schemaSteps.alterSequenceSteps(c),
  rename_sequence: (c) => schemaSteps.renameSequenceSteps(c),
  create_function: schemaSteps.createFunctionSteps,
  replace_function: schemaSteps.replaceFunctionSteps,
  drop_function: schemaSteps.dropFunctionSteps,
  create_table: tableSteps.createTableSteps,
  drop_table: tableSteps.dropTableSteps,
  rename_table: tableSteps.renameTableSteps,
  add_column: tableSteps.addColumnSteps,
  drop_column: tableSteps.dropColumnSteps,
  rename_column: tableSteps.renameColumnSteps,
  alter_column: tableSteps.alterColumnSteps,
  add_primary_key: constraintSteps.addPrimaryKeySteps,
  drop_primary_key: constraintSteps.dropKeyConstraintSteps,
  add_unique: constraintSteps.addUniqueSteps,
  drop_unique: constraintSteps.dropKeyConstraintSteps,
  add_check: constraintSteps.addCheckSteps,
  drop_check: constraintSteps.dropConstraintSteps,
  validate_constraint: constraintSteps.validateConstraintSteps,
  add_foreign_key: constraintSteps.addForeignKeySteps,
  drop_foreign_key: constraintSteps.dropConstraintSteps,
  rename_constraint: constraintSteps.renameConstraintSteps,
  create_index: constraintSteps.createIndexSteps,
  drop_index: constraintSteps.dropIndexSteps,
  replace_index: constraintSteps.replaceIndexSteps,
  rename_index: constraintSteps.renameIndexSteps,
  create_trigger: constraintSteps.createTriggerSteps,
  drop_trigger: constraintSteps.dropTriggerSteps,
  replace_trigger: constraintSteps.replaceTriggerSteps,
  rename_trigger: constraintSteps.renameTriggerSteps,
  set_trigger_enabled: constraintSteps.setTriggerEnabledSteps,
  set_comment: (c) => schemaSteps.setCommentSteps(c),
};

function stepsFor(change: Change, ctx: PlanContext): StepDraft[] {
  const handler = HANDLERS[change.kind] as Handler<ChangeKind>;
  const drafts = handler(change, ctx);
  if (drafts.every((d) => d.target !== undefined)) return drafts;
  const target = changeTarget(change);
  return drafts.map((d) => (d.target !== undefined ? d : { ...d, target }));
}

/**
 * Turns the diff's changes into an ordered, grouped plan.
 *
 * @example
 * const plan = buildPlan(desired, { model: live.model, stats: live.stats, serverVersion: 150000 }, diffSchemas(desired, live.model));
 * for (const step of plan.steps) console.log(step.sql);
 */
export function buildPlan(desired: DesiredState, live: LiveInput, changes: readonly Change[], options: PlanOptions = {}): Plan {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const ctx = new PlanContext(
    desired.model,
    live.model,
    live.stats ?? new Map(),
    live.serverVersion ?? 150000,
    timeouts,
    changes,
    live.removedEnumValueRows,
    live.dataFacts,
  );

  const drafts: StepDraft[] = [];
  const changeOf: number[] = [];
  changes.forEach((change, i) => {
    for (const d of stepsFor(change, ctx)) {
      drafts.push(d);
      changeOf.push(i);
    }
  });
  const withoutImplied = dropImpliedSequenceDrops(drafts, changeOf);
  const ordered = orderMergingRewrites(withoutImplied.drafts, withoutImplied.changeOf);
  const budget = live.lockSettings !== undefined ? lockBudget(live.lockSettings) : undefined;
  const steps = groupSteps(markEnumValuesUsedLater(ordered), timeouts, budget);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    desiredHash: desired.source?.hash ?? fingerprintModel(desired.model),
    liveFingerprint: liveFingerprint(live.model),
    steps,
  };
}

/**
 * The steps in order, with the column changes that each rewrite the same table merged into one
 * ALTER TABLE: PostgreSQL then rewrites the table once, under one ACCESS EXCLUSIVE lock, instead of
 * once per column. Only changes that are a single statement are merged; if merging would make
 * the steps impossible to order, they stay apart.
 */
function orderMergingRewrites(drafts: StepDraft[], changeOf: number[]): StepDraft[] {
  const merged = mergeTableRewrites(drafts, changeOf);
  if (merged === undefined) return orderSteps(drafts, changeOf);
  try {
    return orderSteps(merged.drafts, merged.changeOf);
  } catch (error) {
    if (error instanceof PlanError) return orderSteps(drafts, changeOf);
    throw error;
  }
}

function mergeTableRewrites(drafts: StepDraft[], changeOf: number[]): { drafts: StepDraft[]; changeOf: number[] } | undefined {
  const stepsOfChange = new Map<number, number>();
  for (const c of changeOf) stepsOfChange.set(c, (stepsOfChange.get(c) ?? 0) + 1);
  const byTable = new Map<string, number[]>();
  drafts.forEach((d, i) => {
    if (d.change !== 'alter_column' || d.rewrite === undefined || stepsOfChange.get(changeOf[i]!) !== 1) return;
    const table = d.rewrite.tableSql;
    byTable.set(table, [...(byTable.get(table) ?? []), i]);
  });
  const groups = [...byTable.entries()].filter(([, members]) => members.length > 1);
  if (groups.length === 0) return undefined;
  const replaced = new Map<number, StepDraft>();
  const removed = new Set<number>();
  for (const [table, members] of groups) {
    const parts = members.map((i) => drafts[i]!);
    const first = parts[0]!;
    const rewrite = first.rewrite!;
    const names = parts.map((p) => p.rewrite!.column);
    const union = (pick: (d: StepDraft) => readonly string[]): string[] => [...new Set(parts.flatMap(pick))];
    const why = `${parts.map((p) => p.rewrite!.why).join('; ')}`;
    const hazards = [
      { kind: 'table_rewrite' as const, message: `${why}: table ${rewrite.table} is rewritten once, in one statement (${rewrite.size})` },
      {
        kind: 'access_exclusive_lock' as const,
        message: `table ${rewrite.table} is locked against reads and writes while it is rewritten (${rewrite.size})`,
      },
      ...parts.flatMap((p) => p.hazards.filter((h) => h.kind !== 'table_rewrite' && h.kind !== 'access_exclusive_lock')),
    ];
    const details = parts.map((p) => `${p.rewrite!.column} ${p.detail ?? ''}`.trim());
    replaced.set(members[0]!, {
      ...first,
      sql: `ALTER TABLE ${table} ${parts.map((p) => p.rewrite!.clause).join(', ')}`,
      objectKind: 'columns',
      object: names.join(', '),
      ...(first.target?.schema !== undefined
        ? { target: { kind: 'table' as const, schema: first.target.schema, name: first.target.name } }
        : {}),
      detail: `${details.join('; ')} (one rewrite of the table)`,
      hazards,
      long: true,
      creates: union((d) => d.creates),
      drops: union((d) => d.drops),
      requires: union((d) => d.requires),
      liveRequires: union((d) => d.liveRequires),
      rewrite: { ...rewrite, column: names.join(', '), why, clause: parts.map((p) => p.rewrite!.clause).join(', ') },
    });
    for (const i of members.slice(1)) removed.add(i);
  }
  const out: StepDraft[] = [];
  const outChange: number[] = [];
  drafts.forEach((d, i) => {
    if (removed.has(i)) return;
    out.push(replaced.get(i) ?? d);
    outChange.push(changeOf[i]!);
  });
  return { drafts: out, changeOf: outChange };
}

/** A sequence owned by a dropped table or column goes with it: no DROP SEQUENCE of its own. */
function dropImpliedSequenceDrops(drafts: StepDraft[], changeOf: number[]): { drafts: StepDraft[]; changeOf: number[] } {
  const droppedWithOwner = new Set<string>();
  for (const d of drafts)
    if (d.change === 'drop_table' || d.change === 'drop_column')
      for (const k of d.drops) if (keyKind(k) === 'sequence') droppedWithOwner.add(k);
  if (droppedWithOwner.size === 0) return { drafts, changeOf };
  const keep = drafts.map((d) => !(d.change === 'drop_sequence' && d.drops.some((k) => droppedWithOwner.has(k))));
  return { drafts: drafts.filter((_, i) => keep[i]), changeOf: changeOf.filter((_, i) => keep[i]) };
}

/**
 * A value added to an enum cannot be used in the transaction that added it: when a later step
 * mentions the value, the ADD VALUE runs on its own, outside a transaction.
 */
function markEnumValuesUsedLater(steps: StepDraft[]): StepDraft[] {
  return steps.map((step, i) => {
    if (step.effect?.kind !== 'add_enum_value') return step;
    const value = literal(step.effect.value);
    const usedLater = steps.slice(i + 1).some((s) => s.sql.includes(value));
    if (!usedLater) return step;
    const hazard: Hazard = {
      kind: 'non_transactional',
      message: `enum value ${value} is added outside a transaction because a later step uses it`,
    };
    return { ...step, transactional: false, hazards: [...step.hazards, hazard] };
  });
}

/**
 * Consecutive transactional steps share a transaction. A non-transactional step runs alone, and
 * so does a long transactional step (a VALIDATE, a rewrite): the locks earlier statements took
 * are released before it starts, and the ones it takes are released when it ends — that is the
 * point of adding a constraint NOT VALID and validating it afterwards. With a lock `budget`, a
 * transaction also ends before the step that would take it past the budget (each group commits
 * with its ledger update, so a later one that fails leaves the earlier ones applied and resumable).
 */
function groupSteps(steps: readonly StepDraft[], timeouts: PlanTimeouts, budget?: number): PlanStep[] {
  let group = 0;
  let open = false;
  let held = new Set<string>();
  let locks = 0;
  return steps.map((s, i) => {
    const alone = !s.transactional || s.long;
    let extra = 0;
    const wanted = budget === undefined ? undefined : stepLocks(s);
    for (const [key, weight] of wanted ?? []) if (!held.has(key)) extra += weight;
    const full = budget !== undefined && open && locks + extra > budget;
    if (alone || !open || full) {
      group += 1;
      held = new Set();
      locks = TRANSACTION_BASE_LOCKS;
      extra = 0;
      for (const [, weight] of wanted ?? []) extra += weight;
    }
    for (const key of wanted?.keys() ?? []) held.add(key);
    locks += extra;
    open = !alone;
    const step: PlanStep = {
      n: i + 1,
      action: s.action,
      objectKind: s.objectKind,
      object: s.object,
      ...(s.parent !== undefined ? { parent: s.parent } : {}),
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
      change: s.change,
      ...(s.target !== undefined ? { target: s.target } : {}),
      creates: s.creates,
      drops: s.drops,
      requires: s.requires,
      effect: s.effect ?? DDL,
      sql: s.sql,
      hazards: s.hazards,
      transactional: s.transactional,
      group,
      lockTimeoutMs: timeouts.lockTimeoutMs,
      statementTimeoutMs: s.long ? timeouts.longStatementTimeoutMs : timeouts.statementTimeoutMs,
      ...(s.deletes !== undefined ? { deletes: s.deletes } : {}),
    };
    return step;
  });
}

/** The distinct hazard kinds of a plan, in the fixed order of HAZARD_KINDS. */
export function planHazardKinds(plan: Plan): HazardKind[] {
  const kinds = new Set<HazardKind>();
  for (const s of plan.steps) for (const h of s.hazards) kinds.add(h.kind);
  return [...kinds].sort();
}
