/**
 * Hazards: named risks a step carries. Apply refuses a plan whose hazard kinds were not
 * explicitly allowed. Each kind has one fixed meaning; the message of a particular hazard
 * adds the specifics (which table, how many rows).
 */
import { displayIdent } from '../model/ident.js';
import type { QualifiedName } from '../model/types.js';
import type { PlanContext } from './plan-context.js';

export const HAZARD_KINDS = [
  'deletes_data',
  'table_rewrite',
  'access_exclusive_lock',
  'index_build',
  'index_dropped',
  'non_transactional',
  'validates_constraint',
  'has_untrackable_dependencies',
  'fails_on_existing_rows',
  'converts_values',
  'blocked_by_dependents',
  'revokes_privileges',
] as const;

export type HazardKind = (typeof HAZARD_KINDS)[number];

export interface Hazard {
  readonly kind: HazardKind;
  readonly message: string;
}

/** What each hazard kind means, for `--help`, the README and the plan summary legend. */
export const HAZARD_MEANING: Readonly<Record<HazardKind, string>> = {
  deletes_data: 'data is deleted: a table, a column, a sequence, a schema or enum values are dropped',
  table_rewrite: 'the table is rewritten: time and disk space grow with its size',
  access_exclusive_lock: 'reads and writes of the table wait while the step runs',
  index_build: 'an index is built on an existing table: time and I/O grow with its size',
  index_dropped: 'an index is dropped: queries that use it may become slower',
  non_transactional:
    'the step runs outside a transaction and is not rolled back with the others (an enum value added where a later step uses it); CONCURRENTLY index builds and drops carry index_build or index_dropped only',
  validates_constraint: 'existing rows are scanned to validate a constraint',
  has_untrackable_dependencies: 'objects pgreconcile cannot see (views, other functions, application code) may depend on this',
  fails_on_existing_rows:
    'the rows the table holds make the step fail (a NOT NULL column without a default added to a table with rows; NOT NULL, a primary key or a unique index over NULLs or duplicates the statistics show)',
  converts_values:
    'a type change without an automatic cast converts every value (USING col::type): a value that does not convert makes the step fail; plan --rehearse --rehearse-rows N tries it on a copy first',
  revokes_privileges:
    'roles lose privileges (REVOKE, the grant option taken, ALTER DEFAULT PRIVILEGES … REVOKE) or an owner loses an object (ALTER … OWNER TO): what they could read or change they no longer can; the message names who loses which right',
  blocked_by_dependents:
    'an object the format does not manage (a view, materialized view, rule or policy), or a column or function of the file, uses what the step changes the type of or drops (a composite type whose attribute is retyped, a range type re-created): PostgreSQL refuses the step while that object exists; drop it before apply (and create it again after), or change the step; allowing the hazard does not make the step succeed',
};

export function isHazardKind(value: string): value is HazardKind {
  return (HAZARD_KINDS as readonly string[]).includes(value);
}

/**
 * The hazards of a step that the rows of a table make fail, from what the data facts say
 * (plan-context.ts): a NOT NULL column without a default added to a table with rows; NOT NULL,
 * a primary key or a unique key over NULLs or duplicates the statistics show.
 */
export function existingRowsHazard(message: string): Hazard {
  return { kind: 'fails_on_existing_rows', message };
}

/**
 * The hazard of a step that PostgreSQL refuses while objects the format does not manage use
 * what it alters or drops (read from pg_depend by `gatherDataFacts`, plan-database.ts): one
 * hazard naming each of them, or none. `what` is the step's object (`column public.users.name`),
 * `action` what the step does to it, `error` what PostgreSQL says.
 *
 * @example
 * dependentsHazards(['view public.v'], 'column public.users.name', 'changes the type of', 'cannot alter type of a column used by a view or rule')
 * // [{ kind: 'blocked_by_dependents', message: 'view public.v uses column public.users.name, which the step changes the type of: …' }]
 */
export function dependentsHazards(dependents: readonly string[] | undefined, what: string, action: string, error: string): Hazard[] {
  if (dependents === undefined || dependents.length === 0) return [];
  const named = dependents.join(', ');
  const them = dependents.length === 1 ? 'it' : 'them';
  return [
    {
      kind: 'blocked_by_dependents',
      message: `${named} ${dependents.length === 1 ? 'uses' : 'use'} ${what}, which the step ${action}: apply will fail (${error}) unless ${them} ${dependents.length === 1 ? 'is' : 'are'} dropped first (and created again after), or the step changes; pgreconcile does not manage ${them}`,
    },
  ];
}

/** `about 100,000 rows`, or `rows (not counted yet: the table was never analysed)` when the statistics say 0. */
export function rowsText(stats: { readonly rows: number } | undefined): string {
  return stats !== undefined && stats.rows > 0
    ? `about ${formatCount(stats.rows)} rows`
    : 'rows (not counted yet: the table was never analysed)';
}

/** `12%` (`under 1%` for a small positive fraction). */
export function percentText(fraction: number): string {
  const p = Math.round(fraction * 100);
  return p === 0 && fraction > 0 ? 'under 1%' : `${p}%`;
}

/** Table size and row estimate, for messages that tell the reviewer the cost. */
export function describeSize(stats: { readonly rows: number; readonly bytes: number } | undefined): string {
  if (stats === undefined) return 'size unknown';
  return `about ${formatCount(stats.rows)} rows, ${formatBytes(stats.bytes)}`;
}

/** `1234567` → `1,234,567` (without Intl, which is slow to start). */
export function formatCount(n: number): string {
  return String(Math.max(0, Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Objects pgreconcile does not manage may depend on what the step changes (used by extensions, enums, functions). */
export const untrackable = (what: string): Hazard => ({
  kind: 'has_untrackable_dependencies',
  message: `${what}: objects pgreconcile does not manage (views, other functions, application code) may depend on it`,
});

/**
 * `fails_on_existing_rows` when the statistics show NULLs in `column` (live name) of `table`;
 * `then` says what fails. Shared with the key constraints (a primary key is NOT NULL).
 */
export function nullsHazard(ctx: PlanContext, table: QualifiedName, column: string, then: string): Hazard[] {
  const stats = ctx.columnStats(table, column);
  if (stats === undefined || stats.nullFraction <= 0) return [];
  const rows = ctx.tableStats(table);
  return [
    existingRowsHazard(
      `the statistics of ${ctx.display(table)}.${displayIdent(column)} show NULLs (${percentText(stats.nullFraction)} of ${rowsText(rows)}, as of the last ANALYZE): ${then}`,
    ),
  ];
}
