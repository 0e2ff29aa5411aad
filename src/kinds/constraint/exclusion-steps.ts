/**
 * Steps for exclusion constraints. PostgreSQL cannot attach an exclusion constraint to an index
 * built beforehand, so adding one to an existing table builds its index and checks every row
 * under the ALTER TABLE's ACCESS EXCLUSIVE lock; rows that conflict make the step fail.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, qualify, quoteIdent } from '../../model/ident.js';
import type { ExclusionConstraint, Index, QualifiedName } from '../../model/types.js';
import { describeSize, existingRowsHazard, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { indexRequires, key, type ReferenceResolver } from '../../plan/references.js';
import { exclusionSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';

/** The columns, expressions and predicate an exclusion constraint uses, as the index it builds would. */
function exclusionRequires(table: QualifiedName, x: ExclusionConstraint, refs: ReferenceResolver): string[] {
  const index: Index = {
    name: x.name,
    unique: false,
    nullsNotDistinct: false,
    using: x.using,
    keys: x.elements.map((e) => ({
      ...(e.column !== undefined ? { column: e.column } : {}),
      ...(e.expression !== undefined ? { expression: e.expression } : {}),
      order: 'asc' as const,
      nulls: 'last' as const,
    })),
    include: x.include,
    ...(x.where !== undefined ? { where: x.where } : {}),
    with: {},
  };
  return indexRequires(table, index, refs);
}

export function addExclusionSteps(change: ChangeOf<'add_exclusion'>, ctx: PlanContext): StepDraft[] {
  const { table, exclusion: x } = change;
  const hazards: Hazard[] = [];
  if (!ctx.isNewTable(table)) {
    const size = describeSize(ctx.tableStats(table));
    hazards.push(
      {
        kind: 'access_exclusive_lock',
        message: `adding exclusion constraint ${displayIdent(x.name)} builds its index and checks every row of ${ctx.display(table)} (${size}) under an ACCESS EXCLUSIVE lock: reads and writes of the table wait until it is done`,
      },
      existingRowsHazard(
        `rows of ${ctx.display(table)} that conflict under exclusion constraint ${displayIdent(x.name)} make the step fail`,
      ),
    );
  }
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(x.name)} ${exclusionSql(x)}`,
      hazards,
      long: !ctx.isNewTable(table),
      action: 'create',
      objectKind: 'constraint',
      object: displayIdent(x.name),
      parent: ctx.display(table),
      detail: `exclusion (USING ${x.using})`,
      change: change.kind,
      creates: [key.constraint(table, x.name), key.index(table.schema, x.name)],
      requires: exclusionRequires(table, x, ctx.refs),
    }),
  ];
}

export function dropExclusionSteps(change: ChangeOf<'drop_exclusion'>, ctx: PlanContext): StepDraft[] {
  const { table, exclusion: x } = change;
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} DROP CONSTRAINT ${quoteIdent(x.name)}`,
      hazards: [{ kind: 'index_dropped', message: `the index behind exclusion constraint ${displayIdent(x.name)} is dropped with it` }],
      action: 'drop',
      objectKind: 'constraint',
      object: displayIdent(x.name),
      parent: ctx.display(table),
      detail: 'exclusion',
      change: change.kind,
      drops: [key.constraint(table, x.name), key.index(table.schema, x.name)],
      requires: [key.table(table)],
      liveRequires: exclusionRequires(table, x, ctx.refs),
    }),
  ];
}
