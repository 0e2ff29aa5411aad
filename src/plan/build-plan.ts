/**
 * changes → ordered steps with hazards, transaction groups and timeouts. Pure: no database.
 */
import type { Change } from '../diff/changes.js';
import { fingerprintModel, liveFingerprint } from '../model/fingerprint.js';
import type { DesiredState, SchemaModel } from '../model/types.js';
import type { Hazard, HazardKind } from './hazards.js';
import { lockBudget, stepLocks, TRANSACTION_BASE_LOCKS, type LockSettings } from './lock-budget.js';
import { orderSteps } from './order.js';
import { columnKey, keyKind, type ObjectRef, type RefKey } from '../model/object-ref.js';
import type { DataChange } from '../data-changes/model.js';
import { dataChangeSteps } from '../data-changes/steps.js';
import { literal } from './sql-text.js';
import { key } from './references.js';
import { changeSteps, changeTarget, kindOfChange } from '../kinds/registry.js';
import { DEFAULT_TIMEOUTS, PlanContext, PlanError, type DataFacts, type PlanTimeouts, type TableStats } from './plan-context.js';
import { DDL, type DeletedData, type StepAction, type StepDraft, type StepChange, type StepEffect, type StepWord } from './step-draft.js';

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
  readonly objectKind: StepWord;
  readonly object: string;
  readonly parent?: string;
  readonly detail?: string;
  readonly change: StepChange;
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
  /**
   * The data changes of the desired state the ledger does not record as applied
   * (`pendingDataChanges`, src/data-changes/ledger.ts): each becomes a step. Absent: none.
   */
  readonly pendingDataChanges?: readonly DataChange[];
}

export interface PlanOptions {
  readonly timeouts?: Partial<PlanTimeouts>;
}

/**
 * The enum labels a change's expressions use among those the plan adds, as the keys the ADD VALUE
 * steps create: the steps of the change require them. Read from the change's model objects
 * (defaults, checks, generated columns, USING casts, index keys and predicates, trigger WHEN and
 * arguments, function bodies and argument defaults), never from step SQL.
 */
function enumValueUses(changes: readonly Change[]): (change: Change) => string[] {
  const added = new Map<string, string[]>();
  for (const c of changes) {
    if (c.kind !== 'add_enum_value') continue;
    added.set(c.value, [...(added.get(c.value) ?? []), key.enumValue(c.enum, c.value)]);
  }
  if (added.size === 0) return () => [];
  return (change) => {
    const uses = new Set<string>();
    for (const label of labelsIn(change)) for (const k of added.get(label) ?? []) uses.add(k);
    return [...uses];
  };
}

/** Fields of model objects that hold SQL which may spell an enum label as a string literal. */
const EXPRESSION_FIELDS: ReadonlySet<string> = new Set(['default', 'generated', 'using', 'expression', 'where', 'when', 'body', 'sqlBody']);

/** The string literals of the expressions a change creates or keeps (and its trigger arguments, which are literals). */
function labelsIn(change: Change): Set<string> {
  const labels = new Set<string>();
  const walk = (value: unknown, field?: string): void => {
    if (typeof value === 'string') {
      if (field === 'arguments') labels.add(value);
      else if (field !== undefined && EXPRESSION_FIELDS.has(field))
        for (const m of value.matchAll(/'((?:[^']|'')*)'/g)) labels.add(m[1]!.replace(/''/g, "'"));
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) walk(v, field);
      return;
    }
    if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) if (k !== 'kind' && k !== 'from') walk(v, k);
  };
  // What the desired side uses: a drop, or the `from` side of a change, uses nothing.
  if (!kindOfChange(change.kind).drops.includes(change.kind)) walk(change);
  return labels;
}

function stepsFor(change: Change, ctx: PlanContext): StepDraft[] {
  const drafts = changeSteps(change, ctx);
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
  const pending = live.pendingDataChanges ?? [];
  ctx.fills = new Set(pending.flatMap((d) => d.before.flatMap((a) => (a.kind === 'not_null' ? [columnKey(a.table, a.column)] : []))));

  const drafts: StepDraft[] = [];
  const changeOf: number[] = [];
  const usesOf = enumValueUses(changes);
  changes.forEach((change, i) => {
    const uses = usesOf(change);
    for (const d of stepsFor(change, ctx)) {
      drafts.push(uses.length > 0 && d.change !== 'add_enum_value' ? { ...d, requires: [...d.requires, ...uses] } : d);
      changeOf.push(i);
    }
  });
  dataChangeSteps(pending).forEach((d, i) => {
    drafts.push(d);
    changeOf.push(changes.length + i);
  });
  const ordered = orderMergingRewrites(drafts, changeOf);
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

/**
 * A value added to an enum cannot be used in the transaction that added it: an ADD VALUE whose
 * label a later step requires (`key.enumValue`, see `enumValueUses`) runs on its own, outside a
 * transaction.
 */
function markEnumValuesUsedLater(steps: StepDraft[]): StepDraft[] {
  const required = new Set<string>();
  for (const s of steps) for (const k of s.requires) if (keyKind(k) === 'enum_value') required.add(k);
  if (required.size === 0) return steps;
  return steps.map((step) => {
    if (step.effect?.kind !== 'add_enum_value' || !step.creates.some((k) => required.has(k))) return step;
    const hazard: Hazard = {
      kind: 'non_transactional',
      message: `enum value ${literal(step.effect.value)} is added outside a transaction because a later step uses it`,
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
  // Open spans (a view taken off and not yet put back): readers never see it missing.
  let spans = 0;
  return steps.map((s, i) => {
    // A data change runs alone: its own transaction, or one per batch (src/data-changes/run.ts).
    const data = s.effect?.kind === 'data_change';
    const alone = !s.transactional || (s.long && spans === 0) || data;
    let extra = 0;
    const wanted = budget === undefined ? undefined : stepLocks(s);
    for (const [key, weight] of wanted ?? []) if (!held.has(key)) extra += weight;
    const full = budget !== undefined && open && spans === 0 && locks + extra > budget;
    if (alone || !open || full) {
      group += 1;
      held = new Set();
      locks = TRANSACTION_BASE_LOCKS;
      extra = 0;
      for (const [, weight] of wanted ?? []) extra += weight;
    }
    for (const key of wanted?.keys() ?? []) held.add(key);
    locks += extra;
    if (s.span === 'opens') spans += 1;
    else if (s.span === 'closes') spans = Math.max(0, spans - 1);
    open = !alone && !(s.long && spans === 0) && !data;
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
