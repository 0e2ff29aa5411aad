/**
 * One plan, three renderings: a summary people read (grouped by object, `+` create, `~` alter,
 * `-` drop, hazards highlighted), plain SQL, and JSON for machines.
 */
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

function count(entries: Map<string, Entry>): Record<StepAction, number> {
  const counts: Record<StepAction, number> = { create: 0, alter: 0, drop: 0 };
  for (const e of entries.values()) counts[e.action] += 1;
  return counts;
}

/** Counts of objects to create, alter and drop, as the summary's first line gives them. */
export function planCounts(plan: Plan): Record<StepAction, number> {
  return count(group(plan));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function transactionCount(plan: Plan): number {
  return new Set(plan.steps.map((s) => s.group)).size;
}

function details(steps: readonly PlanStep[]): string {
  const parts = [...new Set(steps.map((s) => s.detail).filter((d): d is string => d !== undefined))];
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

function hazardTag(steps: readonly PlanStep[], style: Style): string {
  const kinds = [...new Set(steps.flatMap((s) => s.hazards.map((h) => h.kind)))];
  return kinds.length > 0 ? `  ${style.hazard(`⚠ ${kinds.join(', ')}`)}` : '';
}

/**
 * The summary people read before approving.
 *
 * @example
 * console.log(renderSummary(plan, { color: process.stdout.isTTY }));
 */
export function renderSummary(plan: Plan, options: { readonly color?: boolean } = {}): string {
  const style = options.color ? colored : plain;
  if (plan.steps.length === 0) return 'No changes. The database matches the desired state.\n';
  const entries = group(plan);
  const counts = count(entries);
  const lines: string[] = [];
  lines.push(
    style.bold(
      `Plan: ${counts.create} to create, ${counts.alter} to alter, ${counts.drop} to drop (${plural(plan.steps.length, 'step')} in ${plural(transactionCount(plan), 'transaction')})`,
    ),
    '',
  );
  const paint = (action: StepAction, text: string): string => style[action](text);
  for (const entry of entries.values()) {
    lines.push(paint(entry.action, `${SYMBOL[entry.action]} ${entry.label}`) + details(entry.steps) + hazardTag(entry.steps, style));
    for (const child of entry.children.values()) {
      lines.push(`    ${paint(child.action, `${SYMBOL[child.action]} ${child.label}`)}${details(child.steps)}${hazardTag(child.steps, style)}`);
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
  const blocks = plan.steps.map((s) => {
    const notes: string[] = [];
    if (!s.transactional) notes.push('outside a transaction');
    if (s.hazards.length > 0) notes.push(`hazards: ${[...new Set(s.hazards.map((h) => h.kind))].join(', ')}`);
    const head = `-- step ${s.n}/${total} (transaction ${s.group}): ${s.action} ${s.objectKind} ${s.parent !== undefined ? `${s.parent}.` : ''}${s.object}${
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
      summary: { ...counts, steps: plan.steps.length, transactions: transactionCount(plan) },
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
      })),
    },
    null,
    2,
  )}\n`;
}
