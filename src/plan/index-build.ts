/** Building and dropping an index: hazards and step effects, shared by the key constraints (which own an index) and indexes. */
import { displayIdent } from '../model/ident.js';
import type { QualifiedName } from '../model/types.js';
import { describeSize, existingRowsHazard, formatCount, percentText, rowsText, type Hazard } from './hazards.js';
import type { PlanContext } from './plan-context.js';
import type { StepEffect } from './step-draft.js';

/**
 * An index built on an existing table: one hazard, index_build. It is built CONCURRENTLY, which
 * is why it runs outside a transaction; that is part of what allowing an index build means, so
 * it is said here rather than as a second hazard (non_transactional) to allow (issue 13).
 */
export function buildHazards(ctx: PlanContext, table: QualifiedName, what: string): Hazard[] {
  const size = describeSize(ctx.tableStats(table));
  return [
    {
      kind: 'index_build',
      message: `${what} is built on ${ctx.display(table)} (${size}), CONCURRENTLY: outside a transaction, reads and writes go on; a failure leaves an invalid index that the next plan repairs`,
    },
  ];
}

/** The effect of a step that builds an index. */
export function buildIndex(table: QualifiedName, name: string, concurrently: boolean): StepEffect {
  return { kind: 'build_index', index: { kind: 'index', schema: table.schema, name }, concurrently };
}

/** The effect of a step that drops an index. */
export function dropIndex(table: QualifiedName, name: string, concurrently: boolean): StepEffect {
  return { kind: 'drop_index', index: { kind: 'index', schema: table.schema, name }, concurrently };
}

/**
 * `fails_on_existing_rows` when the statistics show duplicates in a one-column key (no
 * predicate): ANALYZE lists a most common value only when it appears more than once.
 */
export function duplicatesHazard(
  ctx: PlanContext,
  table: QualifiedName,
  columns: readonly string[],
  nullsNotDistinct: boolean,
  then: string,
): Hazard[] {
  if (columns.length !== 1) return [];
  const column = columns[0]!;
  const stats = ctx.columnStats(table, column);
  if (stats === undefined) return [];
  const rows = ctx.tableStats(table);
  const about = (fraction: number) =>
    rows !== undefined && rows.rows > 0
      ? `about ${formatCount(Math.max(2, fraction * rows.rows))} of ${rowsText(rows)}`
      : `${percentText(fraction)} of the rows`;
  const of = `${ctx.display(table)}.${displayIdent(column)}`;
  if (stats.topValueFraction !== undefined && stats.topValueFraction > 0) {
    return [
      existingRowsHazard(
        `the statistics of ${of} show duplicates (its most common value is in ${about(stats.topValueFraction)}, as of the last ANALYZE): ${then}`,
      ),
    ];
  }
  if (nullsNotDistinct && rows !== undefined && stats.nullFraction * rows.rows >= 2) {
    return [
      existingRowsHazard(
        `the statistics of ${of} show several NULLs (${about(stats.nullFraction)}, as of the last ANALYZE), which NULLS NOT DISTINCT makes duplicates: ${then}`,
      ),
    ];
  }
  return [];
}
