/**
 * A drift report as text: the JSON shape (stable, documented in docs/drift.md), a human
 * summary, Markdown for a ticket, and the one line a scheduled check prints.
 */
import { DRIFT_EXIT, type DriftReport } from './check-drift.js';
import type { DriftItem } from './describe-change.js';

/** The report's format version in `--json` output. */
export const DRIFT_JSON_FORMAT = 1;

/**
 * The report as the documented JSON object (snake_case keys).
 *
 * @example JSON.stringify(driftReportJson(report))
 * // {"format":1,"state":"drifted","exit_code":3,"checked_at":"…","database":"postgres://app:***@db/app",…}
 */
export function driftReportJson(report: DriftReport): Record<string, unknown> {
  return {
    format: DRIFT_JSON_FORMAT,
    state: report.state,
    exit_code: DRIFT_EXIT[report.state],
    checked_at: report.checkedAt,
    database: report.database,
    schema: report.schema ?? null,
    last_version: report.lastVersion
      ? { version: report.lastVersion.version, kind: report.lastVersion.kind, applied_at: report.lastVersion.appliedAt }
      : null,
    note: report.note ?? null,
    counts: { pending: report.pending.length, drifted: report.drifted.length },
    pending: report.pending.map(itemJson),
    drifted: report.drifted.map(itemJson),
    digest: report.digest,
    error: report.error ?? null,
  };
}

function itemJson(item: DriftItem): Record<string, unknown> {
  return { object: item.object, kind: item.kind, change: item.change, before: item.before, after: item.after };
}

/** A value shown on one line: strings bare, objects as compact JSON. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function itemLine(item: DriftItem): string {
  const values = item.before === null ? `: ${show(item.after)}` : item.after === null ? '' : `: ${show(item.before)} → ${show(item.after)}`;
  return `  ${item.kind} ${item.object}: ${item.change}${values}`;
}

const HEADLINE: Readonly<Record<DriftReport['state'], string>> = {
  in_sync: 'In sync: the database matches the last applied state',
  pending: 'Pending: the schema file declares changes not applied yet',
  drifted: 'Drifted: the database was changed outside pgreconcile since the last apply',
  drifted_and_pending:
    'Drifted, and changes pending: the database was changed outside pgreconcile, and the schema file declares changes not applied yet',
  error: 'Error: the check could not run',
};

/**
 * The human summary `pgreconcile drift` prints.
 *
 * @example renderDriftSummary(report)
 * // Drifted: the database was changed outside pgreconcile since the last apply
 * // Last version: 20261121T…_init (apply, 2026-11-21T…)
 * // Drifted (1):
 * //   column public.users.nickname: added: {"name":"nickname","type":"text","nullable":true}
 */
export function renderDriftSummary(report: DriftReport): string {
  const lines = [HEADLINE[report.state]];
  if (report.error !== undefined) lines.push(`  ${report.error}`);
  if (report.lastVersion)
    lines.push(`Last version: ${report.lastVersion.version} (${report.lastVersion.kind}, ${report.lastVersion.appliedAt})`);
  if (report.note !== undefined) lines.push(`Note: ${report.note}`);
  if (report.drifted.length > 0) lines.push(`Drifted (${report.drifted.length}), recorded → live:`, ...report.drifted.map(itemLine));
  if (report.pending.length > 0)
    lines.push(
      `Pending (${report.pending.length}), ${report.lastVersion ? 'last applied' : 'live'} → schema file:`,
      ...report.pending.map(itemLine),
    );
  return `${lines.join('\n')}\n`;
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(items: readonly DriftItem[]): string[] {
  return [
    '| object | kind | change | before | after |',
    '|---|---|---|---|---|',
    ...items.map((i) => `| \`${cell(i.object)}\` | ${i.kind} | ${cell(i.change)} | ${cell(show(i.before))} | ${cell(show(i.after))} |`),
  ];
}

/**
 * The report as Markdown, for a ticket.
 *
 * @example renderDriftMarkdown(report) // '## Drift check: drifted\n…'
 */
export function renderDriftMarkdown(report: DriftReport): string {
  const lines = [
    `## Drift check: ${report.state}`,
    '',
    `- Database: \`${report.database}\``,
    `- Checked at: ${report.checkedAt}`,
    `- Last version: ${report.lastVersion ? `\`${report.lastVersion.version}\` (${report.lastVersion.kind}, ${report.lastVersion.appliedAt})` : 'none'}`,
  ];
  if (report.note !== undefined) lines.push(`- Note: ${report.note}`);
  if (report.error !== undefined) lines.push(`- Error: ${cell(report.error)}`);
  if (report.drifted.length > 0) lines.push('', `### Drifted (${report.drifted.length})`, '', ...table(report.drifted));
  if (report.pending.length > 0) lines.push('', `### Pending (${report.pending.length})`, '', ...table(report.pending));
  if (report.state === 'in_sync') lines.push('', 'The database matches the last applied state.');
  return `${lines.join('\n')}\n`;
}

/**
 * The one line a scheduled check prints.
 *
 * @example checkLine(report) // '2026-11-21T21:30:00.000Z drifted: 1 drifted, 0 pending (digest 3f2a9c1b)'
 */
export function checkLine(report: DriftReport): string {
  if (report.state === 'error') return `${report.checkedAt} error: ${report.error ?? 'unknown error'}`;
  return `${report.checkedAt} ${report.state}: ${report.drifted.length} drifted, ${report.pending.length} pending (digest ${report.digest.slice(0, 8)})`;
}
