/**
 * Constraints of a kept table: the primary key, unique, check and foreign-key constraints.
 * Matched by name, else by `renamed_from` (or, on a renamed table, by the name PostgreSQL
 * generated from the old table name). A definition that differs is a drop + add; a live
 * NOT VALID constraint the file wants valid is only validated. A check or key the file declares
 * `validated: false` (`notValid`) is satisfied by a NOT VALID and by a valid live one alike:
 * PostgreSQL cannot un-validate a constraint.
 */
import type {
  CheckConstraint,
  ExclusionConstraint,
  ForeignKey,
  PrimaryKey,
  QualifiedName,
  Table,
  UniqueConstraint,
} from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { TableKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { sameExpr, sameList } from '../../diff/compare.js';
import { columnAfterRenames, tableAfterRenames, type DiffContext, type TableScope } from '../../diff/context.js';
import { matchObjects } from '../../diff/match.js';
import { decide } from '../../judge/slots.js';
import { callsAnyOf } from '../../model/expression.js';

/** The constraint kind's diff (`ObjectKind.diff`), on one table both sides have. */
export const constraintDiff: TableKindDiff = {
  scope: 'table',
  run: ({ pair, ctx, recreatedFunctions }) => diffConstraints(pair.scope, pair.desired, pair.live, ctx, recreatedFunctions),
  created: (table) => {
    const name: QualifiedName = { schema: table.schema, name: table.name };
    const changes: Change[] = [];
    for (const check of table.checks) if (check.notValid) changes.push({ kind: 'add_check', table: name, check });
    for (const exclusion of table.exclusions ?? []) changes.push({ kind: 'add_exclusion', table: name, exclusion });
    for (const foreignKey of table.foreignKeys) changes.push({ kind: 'add_foreign_key', table: name, foreignKey, tableIsNew: true });
    return changes;
  },
  comments: (table) => {
    const name: QualifiedName = { schema: table.schema, name: table.name };
    const constraints = [
      ...(table.primaryKey === undefined ? [] : [table.primaryKey]),
      ...table.uniques,
      ...table.checks,
      ...table.foreignKeys,
      ...(table.exclusions ?? []),
    ];
    return constraints.flatMap((c) => diffComment({ on: 'constraint', table: name, constraint: c.name }, c.comment, undefined));
  },
};

/**
 * All constraint changes of one kept table.
 *
 * @example
 * diffConstraints(scope, desiredTable, liveTable, ctx)
 * // [{ kind: 'drop_unique', ... }, { kind: 'add_unique', ... }] when the unique's columns changed
 */
export function diffConstraints(
  scope: TableScope,
  desired: Table,
  live: Table,
  ctx: DiffContext,
  recreatedFunctions: ReadonlySet<string> = new Set(),
): Change[] {
  return [
    ...diffPrimaryKey(scope, desired.primaryKey, live.primaryKey),
    ...diffUniques(scope, desired.uniques, live.uniques),
    ...diffChecks(scope, desired.checks, live.checks, recreatedFunctions),
    ...diffForeignKeys(scope, desired.foreignKeys, live.foreignKeys, ctx),
    ...diffExclusions(scope, desired.exclusions ?? [], live.exclusions ?? []),
  ];
}

function constraintComment(
  table: QualifiedName,
  constraint: string,
  desired: string | undefined,
  live: string | undefined,
): readonly Change[] {
  return diffComment({ on: 'constraint', table, constraint }, desired, live);
}

function mapColumns(scope: TableScope, columns: readonly string[]): string[] {
  return columns.map(scope.column);
}

/**
 * A table has at most one primary key: same columns under another name is a rename (never a
 * drop, which would fail under referencing foreign keys); other columns are a drop + add.
 */
export function diffPrimaryKey(scope: TableScope, desired: PrimaryKey | undefined, live: PrimaryKey | undefined): Change[] {
  const table = scope.table;
  if (desired === undefined && live === undefined) return [];
  if (live === undefined) {
    return desired === undefined
      ? []
      : [{ kind: 'add_primary_key', table, primaryKey: desired }, ...constraintComment(table, desired.name, desired.comment, undefined)];
  }
  if (desired === undefined) return [{ kind: 'drop_primary_key', table, primaryKey: live }];
  if (!sameList(desired.columns, mapColumns(scope, live.columns))) {
    return [
      { kind: 'drop_primary_key', table, primaryKey: live },
      { kind: 'add_primary_key', table, primaryKey: desired },
      ...constraintComment(table, desired.name, desired.comment, undefined),
    ];
  }
  const changes: Change[] = [];
  if (desired.name !== live.name) {
    changes.push({ kind: 'rename_constraint', table, constraintKind: 'primary_key', from: live.name, to: desired.name });
  }
  changes.push(...constraintComment(table, desired.name, desired.comment, live.comment));
  return changes;
}

function matchConstraints<C extends { readonly name: string; readonly renamedFrom?: string }>(
  scope: TableScope,
  desired: readonly C[],
  live: readonly C[],
) {
  return matchObjects(desired, live, {
    desired: (c) => c.name,
    live: (c) => c.name,
    previous: (c) => scope.previousName(c.name, c.renamedFrom),
  });
}

function sameDeferral(
  a: { deferrable: boolean; initiallyDeferred: boolean },
  b: { deferrable: boolean; initiallyDeferred: boolean },
): boolean {
  return a.deferrable === b.deferrable && a.initiallyDeferred === b.initiallyDeferred;
}

/** Unique constraints: columns, NULLS NOT DISTINCT and deferral. */
export function diffUniques(scope: TableScope, desired: readonly UniqueConstraint[], live: readonly UniqueConstraint[]): Change[] {
  const table = scope.table;
  const matching = matchConstraints(scope, desired, live);
  const changes: Change[] = [];
  for (const unique of matching.added) {
    changes.push({ kind: 'add_unique', table, unique }, ...constraintComment(table, unique.name, unique.comment, undefined));
  }
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    const same =
      sameList(want.columns, mapColumns(scope, have.columns)) &&
      want.nullsNotDistinct === have.nullsNotDistinct &&
      sameDeferral(want, have);
    if (!same) {
      changes.push(
        { kind: 'drop_unique', table, unique: have },
        { kind: 'add_unique', table, unique: want },
        ...constraintComment(table, want.name, want.comment, undefined),
      );
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_constraint', table, constraintKind: 'unique', from: have.name, to: want.name });
    changes.push(...constraintComment(table, want.name, want.comment, have.comment));
  }
  for (const unique of matching.removed) changes.push({ kind: 'drop_unique', table, unique });
  return changes;
}

/**
 * Check constraints: expression and NO INHERIT; a live NOT VALID check is validated.
 *
 * @param recreatedFunctions `nameKey` of functions the plan drops and creates again: a kept check
 * that calls one is dropped before and added again after (PostgreSQL refuses the function's drop
 * while the check depends on it).
 */
export function diffChecks(
  scope: TableScope,
  desired: readonly CheckConstraint[],
  live: readonly CheckConstraint[],
  recreatedFunctions: ReadonlySet<string> = new Set(),
): Change[] {
  const table = scope.table;
  const matching = matchConstraints(scope, desired, live);
  const changes: Change[] = [];
  for (const check of matching.added) {
    changes.push({ kind: 'add_check', table, check }, ...constraintComment(table, check.name, check.comment, undefined));
  }
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    if (
      want.noInherit !== have.noInherit ||
      callsAnyOf(have.expression, recreatedFunctions) ||
      !decide(scope.judge?.verdict('check', want.name, 0, have.expression), () => sameExpr(want.expression, have.expression))
    ) {
      changes.push(
        { kind: 'drop_check', table, check: have },
        { kind: 'add_check', table, check: want },
        ...constraintComment(table, want.name, want.comment, undefined),
      );
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_constraint', table, constraintKind: 'check', from: have.name, to: want.name });
    if (have.notValid && !want.notValid) {
      changes.push({ kind: 'validate_constraint', table, constraint: want.name, constraintKind: 'check' });
    }
    changes.push(...constraintComment(table, want.name, want.comment, have.comment));
  }
  for (const check of matching.removed) changes.push({ kind: 'drop_check', table, check });
  return changes;
}

/**
 * Foreign keys: columns, referenced table and columns (the live reference read through the
 * plan's table and column renames), actions, match and deferral; a live NOT VALID key is validated.
 */
export function diffForeignKeys(
  scope: TableScope,
  desired: readonly ForeignKey[],
  live: readonly ForeignKey[],
  ctx: DiffContext,
): Change[] {
  const table = scope.table;
  const matching = matchConstraints(scope, desired, live);
  const changes: Change[] = [];
  for (const foreignKey of matching.added) {
    changes.push(
      { kind: 'add_foreign_key', table, foreignKey, tableIsNew: false },
      ...constraintComment(table, foreignKey.name, foreignKey.comment, undefined),
    );
  }
  for (const { desired: want, live: have, renamed } of matching.pairs) {
    if (!sameForeignKey(scope, want, have, ctx)) {
      changes.push(
        { kind: 'drop_foreign_key', table, foreignKey: have },
        { kind: 'add_foreign_key', table, foreignKey: want, tableIsNew: false },
        ...constraintComment(table, want.name, want.comment, undefined),
      );
      continue;
    }
    if (renamed) changes.push({ kind: 'rename_constraint', table, constraintKind: 'foreign_key', from: have.name, to: want.name });
    if (have.notValid && !want.notValid) {
      changes.push({ kind: 'validate_constraint', table, constraint: want.name, constraintKind: 'foreign_key' });
    }
    changes.push(...constraintComment(table, want.name, want.comment, have.comment));
  }
  for (const foreignKey of matching.removed) changes.push({ kind: 'drop_foreign_key', table, foreignKey });
  return changes;
}

function sameForeignKey(scope: TableScope, desired: ForeignKey, live: ForeignKey, ctx: DiffContext): boolean {
  const liveTarget = { schema: live.references.schema, name: live.references.table };
  const target = tableAfterRenames(ctx, liveTarget);
  return (
    sameList(desired.columns, mapColumns(scope, live.columns)) &&
    desired.references.schema === target.schema &&
    desired.references.table === target.name &&
    sameList(
      desired.references.columns,
      live.references.columns.map((c) => columnAfterRenames(ctx, liveTarget, c)),
    ) &&
    desired.onDelete === live.onDelete &&
    desired.onUpdate === live.onUpdate &&
    desired.match === live.match &&
    sameDeferral(desired, live)
  );
}

/**
 * Exclusion constraints, matched by name: the server's normal form of the desired one (the
 * judge: created on a temporary table, read back with pg_get_constraintdef) against the live
 * one's; where the server did not judge, element by element. A changed one is a drop + add.
 */
export function diffExclusions(scope: TableScope, desired: readonly ExclusionConstraint[], live: readonly ExclusionConstraint[]): Change[] {
  const table = scope.table;
  const matching = matchConstraints(scope, desired, live);
  const changes: Change[] = [];
  for (const exclusion of matching.added) {
    changes.push({ kind: 'add_exclusion', table, exclusion }, ...constraintComment(table, exclusion.name, exclusion.comment, undefined));
  }
  for (const { desired: want, live: have } of matching.pairs) {
    const same =
      sameDeferral(want, have) &&
      decide(scope.judge?.verdict('exclude', want.name, 0, have.definition), () => sameExclusionElements(scope, want, have));
    if (!same) {
      changes.push(
        { kind: 'drop_exclusion', table, exclusion: have },
        { kind: 'add_exclusion', table, exclusion: want },
        ...constraintComment(table, want.name, want.comment, undefined),
      );
      continue;
    }
    changes.push(...constraintComment(table, want.name, want.comment, have.comment));
  }
  for (const exclusion of matching.removed) changes.push({ kind: 'drop_exclusion', table, exclusion });
  return changes;
}

/** pgreconcile's own reading, where the server did not judge: method, elements, INCLUDE and predicate. */
function sameExclusionElements(scope: TableScope, want: ExclusionConstraint, have: ExclusionConstraint): boolean {
  const sameOptional = (a: string | undefined, b: string | undefined): boolean =>
    a === undefined || b === undefined ? a === b : sameExpr(a, b);
  return (
    want.using.toLowerCase() === have.using &&
    want.elements.length === have.elements.length &&
    want.elements.every((e, i) => {
      const other = have.elements[i]!;
      if (e.operator !== other.operator) return false;
      if (e.column !== undefined) return other.column !== undefined && e.column === scope.column(other.column);
      return other.expression !== undefined && sameOptional(e.expression, other.expression);
    }) &&
    sameList(want.include, mapColumns(scope, have.include)) &&
    sameOptional(want.where, have.where)
  );
}
