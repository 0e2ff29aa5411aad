/**
 * One plan, three renderings: a summary people read (grouped by object, `+` create, `~` alter,
 * `-` drop, hazards highlighted), plain SQL, and JSON for machines.
 */
import { leftUnmanagedLine, type UnmanagedObject } from '../introspect/unmanaged.js';
import { printable } from '../model/sql-names.js';
import type { Plan, PlanStep } from './build-plan.js';
import { planHazardKinds } from './build-plan.js';
import { deletesToFile, type StepAction } from './step-draft.js';

const SYMBOL: Readonly<Record<StepAction, string>> = { create: '+', alter: '~', drop: '-' };

interface Entry {
  readonly label: string;
  action: StepAction;
  readonly steps: PlanStep[];
  readonly children: Map<string, Entry>;
}

interface Style {
  readonly create: (s: string) => string;
  readonly alter: (s: string) => string;
  readonly drop: (s: string) => string;
  readonly hazard: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const plain: Style = { create: (s) => s, alter: (s) => s, drop: (s) => s, hazard: (s) => s, dim: (s) => s, bold: (s) => s };
const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const colored: Style = { create: ansi('32'), alter: ansi('33'), drop: ansi('31'), hazard: ansi('1;31'), dim: ansi('2'), bold: ansi('1') };

function entryFor(map: Map<string, Entry>, label: string, action: StepAction): Entry {
  let entry = map.get(label);
  if (!entry) {
    entry = { label, action, steps: [], children: new Map() };
    map.set(label, entry);
  }
  return entry;
}

/** Groups steps by object: a table's columns, indexes, constraints and triggers under the table. */
function group(plan: Plan): Map<string, Entry> {
  const top = new Map<string, Entry>();
  for (const step of plan.steps) {
    if (step.parent === undefined) {
      const entry = entryFor(top, `${step.objectKind} ${step.object}`, step.action);
      entry.steps.push(step);
      if (entry.steps.length === 1) entry.action = step.action;
    } else {
      const parent = entryFor(top, `table ${step.parent}`, 'alter');
      const child = entryFor(parent.children, `${step.objectKind} ${step.object}`, step.action);
      child.steps.push(step);
    }
  }
  return top;
}

/**
 * Objects to create, alter and drop. A created or dropped object counts once, with what is
 * created or dropped with it (a new table's indexes, a dropped table's foreign keys). A table
 * that is only altered counts for its own changes (a comment, a rename), and each of its columns,
 * indexes, constraints and triggers counts by what happens to it: dropping a column is one drop.
 */
function count(entries: Map<string, Entry>): Record<StepAction, number> {
  const counts: Record<StepAction, number> = { create: 0, alter: 0, drop: 0 };
  for (const e of entries.values()) {
    if (e.label.startsWith('data ') && e.steps.every((s) => s.effect.kind === 'data_change')) continue;
    if (e.action !== 'alter' || e.children.size === 0) {
      counts[e.action] += 1;
      continue;
    }
    if (e.steps.length > 0) counts.alter += 1;
    for (const child of e.children.values()) counts[child.action] += objectsOf(child);
  }
  return counts;
}

/** How many objects an entry names: one, or each column of a merged `columns a, b` step. */
function objectsOf(entry: Entry): number {
  if (!entry.label.startsWith('columns ')) return 1;
  // Names are display identifiers: a name holding ", " is double-quoted.
  let n = 1;
  let quoted = false;
  const names = entry.label.slice('columns '.length);
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '"') quoted = !quoted;
    else if (!quoted && names.startsWith(', ', i)) n += 1;
  }
  return n;
}

/** SQL as the summary shows it (it shows, never reads it): line by line, each line printable. */
function shownLines(text: string): string[] {
  return text.split('\n').map(printable);
}

/** The data changes a plan runs (src/data-changes/): one step each. */
export function dataChangeCount(plan: Plan): number {
  return plan.steps.filter((s) => s.effect.kind === 'data_change').length;
}

/** Counts of objects to create, alter and drop, as the summary's first line gives them. */
export function planCounts(plan: Plan): Record<StepAction, number> {
  return count(group(plan));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Transactions the plan's transactional steps run in (a non-transactional step runs in none). */
function transactionCount(plan: Plan): number {
  return new Set(plan.steps.filter((s) => s.transactional).map((s) => s.group)).size;
}

/** `74 steps in 1 transaction`, `1 step, outside a transaction`, `3 steps: 2 in 2 transactions, 1 outside a transaction`. */
export function describeStepGroups(plan: Plan): string {
  const total = plural(plan.steps.length, 'step');
  const outside = plan.steps.filter((s) => !s.transactional).length;
  const inside = plan.steps.length - outside;
  const transactions = plural(transactionCount(plan), 'transaction');
  if (outside === 0) return `${total} in ${transactions}`;
  if (inside === 0) return `${total}, ${outside === 1 ? '' : 'each '}outside a transaction`;
  return `${total}: ${inside} in ${transactions}, ${outside} outside a transaction`;
}

function details(steps: readonly PlanStep[]): string {
  const parts = [...new Set(steps.map((s) => s.detail).filter((d): d is string => d !== undefined))];
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

function hazardTag(steps: readonly PlanStep[], style: Style): string {
  const kinds = [...new Set(steps.flatMap((s) => s.hazards.map((h) => h.kind)))];
  return kinds.length > 0 ? `  ${style.hazard(`⚠ ${kinds.join(', ')}`)}` : '';
}

export interface SummaryOptions {
  readonly color?: boolean;
  /** The first line of an empty plan. */
  readonly noChanges?: string;
  /** What the plan leaves unmanaged (`LiveSchema.unmanaged`): counted in a last line when there is any. */
  readonly unmanaged?: readonly UnmanagedObject[];
}

/**
 * The summary people read before approving.
 *
 * @example
 * console.log(renderSummary(plan, { color: process.stdout.isTTY }));
 */
export function renderSummary(plan: Plan, options: SummaryOptions = {}): string {
  const line = leftUnmanagedLine(options.unmanaged ?? []);
  const summary = summaryOf(plan, options);
  return line === undefined ? summary : `${summary}\n${line}\n`;
}

function summaryOf(plan: Plan, options: SummaryOptions): string {
  const style = options.color ? colored : plain;
  if (plan.steps.length === 0) return `${options.noChanges ?? 'No changes. The database matches the desired state.'}\n`;
  const entries = group(plan);
  const counts = count(entries);
  const lines: string[] = [];
  const data = dataChangeCount(plan);
  const dataText = data > 0 ? `, ${plural(data, 'data change')} to run once` : '';
  lines.push(
    style.bold(
      `Plan: ${counts.create} to create, ${counts.alter} to alter, ${counts.drop} to drop${dataText} (${describeStepGroups(plan)})`,
    ),
    '',
  );
  const paint = (action: StepAction, text: string): string => style[action](text);
  for (const entry of entries.values()) {
    lines.push(paint(entry.action, `${SYMBOL[entry.action]} ${entry.label}`) + details(entry.steps) + hazardTag(entry.steps, style));
    // A data change's SQL is the user's: shown in full, as it will run.
    for (const s of entry.steps) if (s.effect.kind === 'data_change') lines.push(...shownLines(s.sql).map((l) => style.dim(`      ${l}`)));
    for (const child of entry.children.values()) {
      lines.push(
        `    ${paint(child.action, `${SYMBOL[child.action]} ${child.label}`)}${details(child.steps)}${hazardTag(child.steps, style)}`,
      );
    }
  }
  const hazards = plan.steps.flatMap((s) => s.hazards.map((h) => ({ step: s.n, ...h })));
  if (hazards.length > 0) {
    lines.push('', style.hazard(`Hazards (${planHazardKinds(plan).join(', ')}):`));
    for (const h of hazards) lines.push(`  ${style.hazard('⚠')} step ${h.step} ${h.kind}: ${h.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The plan as plain SQL, each step headed by a comment; readable as written in a pull request.
 */
export function renderSql(plan: Plan): string {
  if (plan.steps.length === 0) return '-- No changes.\n';
  const total = plan.steps.length;
  // Transactions numbered 1, 2, … among transactional steps; a CONCURRENTLY step is in none.
  const transactionOf = new Map<number, number>();
  for (const s of plan.steps) if (s.transactional && !transactionOf.has(s.group)) transactionOf.set(s.group, transactionOf.size + 1);
  const blocks = plan.steps.map((s) => {
    const notes: string[] = [];
    if (s.hazards.length > 0) notes.push(`hazards: ${[...new Set(s.hazards.map((h) => h.kind))].join(', ')}`);
    const where = s.transactional ? `transaction ${transactionOf.get(s.group)}` : 'outside a transaction';
    const head = `-- step ${s.n}/${total} (${where}): ${s.action} ${s.objectKind} ${s.parent !== undefined ? `${s.parent}.` : ''}${s.object}${
      notes.length > 0 ? ` [${notes.join('; ')}]` : ''
    }`;
    // The header is a `--` comment: a line break in a name would end it, and the rest run as SQL.
    return `${printable(head)}\n${s.sql};\n`;
  });
  return blocks.join('\n');
}

/** The plan for machines: stable keys, every step with its SQL, hazards, group and timeouts. */
export function renderJson(plan: Plan, extra: Record<string, unknown> = {}): string {
  const counts = planCounts(plan);
  return `${JSON.stringify(
    {
      ...extra,
      format_version: plan.formatVersion,
      changes: plan.steps.length > 0,
      summary: {
        ...counts,
        steps: plan.steps.length,
        transactions: transactionCount(plan),
        outside_transaction: plan.steps.filter((s) => !s.transactional).length,
        ...(dataChangeCount(plan) > 0 ? { data_changes: dataChangeCount(plan) } : {}),
      },
      hazards: planHazardKinds(plan),
      desired_hash: plan.desiredHash,
      live_fingerprint: plan.liveFingerprint,
      steps: plan.steps.map((s) => ({
        n: s.n,
        action: s.action,
        object_kind: s.objectKind,
        object: s.parent !== undefined ? `${s.parent}.${s.object}` : s.object,
        change: s.change,
        ...(s.detail !== undefined ? { detail: s.detail } : {}),
        sql: s.sql,
        transactional: s.transactional,
        group: s.group,
        lock_timeout_ms: s.lockTimeoutMs,
        statement_timeout_ms: s.statementTimeoutMs,
        hazards: s.hazards,
        ...(s.deletes !== undefined ? { deletes: deletesToFile(s.deletes) } : {}),
        ...(s.effect.kind === 'data_change'
          ? {
              data_change: {
                id: s.effect.id,
                checksum: s.effect.checksum,
                ...(s.effect.batch !== undefined
                  ? {
                      batch: {
                        table: `${s.effect.batch.table.schema}.${s.effect.batch.table.name}`,
                        key: s.effect.batch.key,
                        size: s.effect.batch.size,
                      },
                    }
                  : {}),
              },
            }
          : {}),
      })),
    },
    null,
    2,
  )}\n`;
}
