/**
 * Steps for constraints. On tables that already exist: FKs and checks added NOT VALID then
 * validated, PK and UNIQUE constraints attached to a concurrently built index.
 */
import type { ChangeOf, ConstraintKind } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import type { Index, QualifiedName } from '../../model/types.js';
import { describeSize } from '../../plan/hazards.js';
import { nullsHazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { checkRequires, foreignKeyRequires, key } from '../../plan/references.js';
import { checkSql, createIndexSql, deferralSql, foreignKeySql } from '../../plan/sql-text.js';
import { draft, type StepDraft, type StepObjectKind } from '../../plan/step-draft.js';
import { buildHazards, buildIndex, duplicatesHazard } from '../../plan/index-build.js';

/** A table member's display name; the summary shows it under its table. */
function member(_ctx: PlanContext, _table: QualifiedName, name: string): string {
  return displayIdent(name);
}

// ---------------------------------------------------------------------------------------------
// primary keys and unique constraints

function keyConstraintSteps(
  ctx: PlanContext,
  change: ChangeOf<'add_primary_key'> | ChangeOf<'add_unique'>,
  name: string,
  columns: readonly string[],
  constraintSql: string,
  nullsNotDistinct: boolean,
): StepDraft[] {
  const { table } = change;
  const object = member(ctx, table, name);
  const base = {
    action: 'create' as const,
    objectKind: change.kind === 'add_primary_key' ? ('primary key' as const) : ('unique' as const),
    object,
    parent: ctx.display(table),
    change: change.kind,
  };
  const index: Index = {
    name,
    unique: true,
    nullsNotDistinct,
    using: 'btree',
    keys: columns.map((column) => ({ column, order: 'asc', nulls: 'last' })),
    include: [],
    with: {},
  };
  const what = change.kind === 'add_primary_key' ? 'the primary key' : 'the unique constraint';
  const dataHazards = [
    ...duplicatesHazard(ctx, table, columns, nullsNotDistinct, `building the unique index of ${what} fails until they are removed`),
    ...(change.kind === 'add_primary_key' ? columns.flatMap((c) => nullsHazard(ctx, table, c, `${what} fails until they are filled`)) : []),
  ];
  return [
    draft({
      ...base,
      sql: createIndexSql(table, index, name, true),
      effect: buildIndex(table, name, true),
      detail: `unique index for the constraint, built concurrently`,
      hazards: [...buildHazards(ctx, table, `the unique index ${displayIdent(name)}`), ...dataHazards],
      transactional: false,
      long: true,
      creates: [key.index(table.schema, name)],
      requires: [key.table(table), ...columns.map((c) => key.column(table, c))],
    }),
    draft({
      ...base,
      sql: `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(name)} ${constraintSql} USING INDEX ${quoteIdent(name)}${
        change.kind === 'add_unique' ? deferralSql(change.unique) : ''
      }`,
      detail: `(${columns.join(', ')})`,
      creates: [key.constraint(table, name), key.uniqueKey(table, [...columns].sort())],
      requires: [key.table(table), ...columns.map((c) => key.column(table, c))],
    }),
  ];
}

export function addPrimaryKeySteps(change: ChangeOf<'add_primary_key'>, ctx: PlanContext): StepDraft[] {
  const pk = change.primaryKey;
  return keyConstraintSteps(ctx, change, pk.name, pk.columns, 'PRIMARY KEY', false);
}

export function addUniqueSteps(change: ChangeOf<'add_unique'>, ctx: PlanContext): StepDraft[] {
  const u = change.unique;
  return keyConstraintSteps(ctx, change, u.name, u.columns, 'UNIQUE', u.nullsNotDistinct);
}

export function dropKeyConstraintSteps(change: ChangeOf<'drop_primary_key'> | ChangeOf<'drop_unique'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  const c = change.kind === 'drop_primary_key' ? change.primaryKey : change.unique;
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} DROP CONSTRAINT ${quoteIdent(c.name)}`,
      hazards: [{ kind: 'index_dropped', message: `the index behind ${member(ctx, table, c.name)} is dropped with it` }],
      action: 'drop',
      objectKind: change.kind === 'drop_primary_key' ? ('primary key' as const) : ('unique' as const),
      object: member(ctx, table, c.name),
      parent: ctx.display(table),
      change: change.kind,
      drops: [
        key.constraint(table, c.name),
        key.index(table.schema, c.name),
        key.uniqueKey(table, [...c.columns].sort()),
        ...(change.kind === 'drop_primary_key' ? c.columns.map((col) => key.keyColumn(table, col)) : []),
      ],
      requires: [key.table(table)],
      liveRequires: [key.table(table), ...c.columns.map((col) => key.column(table, col))],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// checks and foreign keys

/**
 * `ADD CONSTRAINT ... NOT VALID` then `VALIDATE CONSTRAINT` on an existing table; one plain ADD on
 * a new one. A constraint the file declares `validated: false` (`notValid`) is one
 * `ADD ... NOT VALID`, on a new table too (so that it reads back NOT VALID), and never validated.
 */
function addValidatedSteps(
  ctx: PlanContext,
  change: ChangeOf<'add_check'> | ChangeOf<'add_foreign_key'>,
  name: string,
  definition: string,
  requires: string[],
  tableIsNew: boolean,
  objectKind: StepObjectKind,
  notValid: boolean,
): StepDraft[] {
  const { table } = change;
  const base = {
    action: 'create' as const,
    objectKind,
    object: member(ctx, table, name),
    parent: ctx.display(table),
    change: change.kind,
    requires,
  };
  const add = `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(name)} ${definition}`;
  if (notValid) {
    return [
      draft({
        ...base,
        sql: `${add} NOT VALID`,
        detail: 'added NOT VALID and left so (validated: false: rows already there are not checked)',
        creates: [key.constraint(table, name)],
      }),
    ];
  }
  if (tableIsNew) return [draft({ ...base, sql: add, creates: [key.constraint(table, name)] })];
  const size = describeSize(ctx.tableStats(table));
  return [
    draft({
      ...base,
      sql: `${add} NOT VALID`,
      detail: 'added NOT VALID (new rows checked at once)',
      creates: [key.constraint(table, name)],
    }),
    draft({
      ...base,
      sql: `ALTER TABLE ${qualify(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`,
      detail: 'existing rows validated',
      hazards: [
        {
          kind: 'validates_constraint',
          message: `existing rows of ${ctx.display(table)} are scanned to validate ${displayIdent(name)} (${size})`,
        },
      ],
      long: true,
    }),
  ];
}

export function addCheckSteps(change: ChangeOf<'add_check'>, ctx: PlanContext): StepDraft[] {
  const c = change.check;
  return addValidatedSteps(
    ctx,
    change,
    c.name,
    checkSql(c),
    checkRequires(change.table, c, ctx.refs),
    ctx.isNewTable(change.table),
    'check',
    c.notValid,
  );
}

export function addForeignKeySteps(change: ChangeOf<'add_foreign_key'>, ctx: PlanContext): StepDraft[] {
  const fk = change.foreignKey;
  const isNew = change.tableIsNew || ctx.isNewTable(change.table);
  if (!isNew && !fk.notValid && ctx.liveTable(change.table)?.partitionBy !== undefined) return partitionedForeignKeySteps(change, ctx);
  const steps = addValidatedSteps(
    ctx,
    change,
    fk.name,
    foreignKeySql(fk),
    foreignKeyRequires(change.table, fk),
    change.tableIsNew || ctx.isNewTable(change.table),
    'foreign key',
    fk.notValid,
  );
  return steps.map((s) => ({ ...s, detail: s.detail ?? `→ ${ctx.display({ schema: fk.references.schema, name: fk.references.table })}` }));
}

/**
 * A foreign key added to a live partitioned table: PostgreSQL (before 18) refuses NOT VALID
 * there, so it is added and validated in one statement, the lock said in the hazard.
 */
function partitionedForeignKeySteps(change: ChangeOf<'add_foreign_key'>, ctx: PlanContext): StepDraft[] {
  const { table, foreignKey: fk } = change;
  const target = ctx.display({ schema: fk.references.schema, name: fk.references.table });
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${foreignKeySql(fk)}`,
      action: 'create',
      objectKind: 'foreign key',
      object: member(ctx, table, fk.name),
      parent: ctx.display(table),
      change: change.kind,
      detail: `→ ${target}, validated at once (NOT VALID is refused on a partitioned table)`,
      hazards: [
        {
          kind: 'validates_constraint',
          message: `the rows of every partition of ${ctx.display(table)} (${describeSize(ctx.tableStats(table))}) are scanned to validate ${displayIdent(fk.name)} in the statement that adds it (PostgreSQL refuses NOT VALID on a partitioned table): writes to it and to ${target} wait meanwhile`,
        },
      ],
      long: true,
      creates: [key.constraint(table, fk.name)],
      requires: foreignKeyRequires(table, fk),
    }),
  ];
}

export function dropConstraintSteps(change: ChangeOf<'drop_check'> | ChangeOf<'drop_foreign_key'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  const name = change.kind === 'drop_check' ? change.check.name : change.foreignKey.name;
  const liveRequires =
    change.kind === 'drop_check' ? checkRequires(table, change.check, ctx.refs) : foreignKeyRequires(table, change.foreignKey);
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} DROP CONSTRAINT ${quoteIdent(name)}`,
      action: 'drop',
      objectKind: change.kind === 'drop_check' ? 'check' : 'foreign key',
      object: member(ctx, table, name),
      parent: ctx.display(table),
      change: change.kind,
      drops: [key.constraint(table, name)],
      requires: [key.table(table)],
      liveRequires,
    }),
  ];
}

export function validateConstraintSteps(change: ChangeOf<'validate_constraint'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} VALIDATE CONSTRAINT ${quoteIdent(change.constraint)}`,
      hazards: [
        {
          kind: 'validates_constraint',
          message: `existing rows of ${ctx.display(table)} are scanned to validate ${displayIdent(change.constraint)} (${describeSize(ctx.tableStats(table))})`,
        },
      ],
      long: true,
      action: 'alter',
      objectKind: change.constraintKind === 'check' ? 'check' : 'foreign key',
      object: member(ctx, table, change.constraint),
      parent: ctx.display(table),
      detail: 'validated',
      change: change.kind,
      requires: [key.constraint(table, change.constraint)],
    }),
  ];
}

const CONSTRAINT_WORD: Readonly<Record<ConstraintKind, StepObjectKind>> = {
  primary_key: 'primary key',
  unique: 'unique',
  check: 'check',
  foreign_key: 'foreign key',
};

export function renameConstraintSteps(change: ChangeOf<'rename_constraint'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  const ownsIndex = change.constraintKind === 'primary_key' || change.constraintKind === 'unique';
  return [
    draft({
      sql: `ALTER TABLE ${qualify(table)} RENAME CONSTRAINT ${quoteIdent(change.from)} TO ${quoteIdent(change.to)}`,
      action: 'alter',
      objectKind: CONSTRAINT_WORD[change.constraintKind],
      object: member(ctx, table, change.to),
      parent: ctx.display(table),
      detail: `renamed from ${change.from}`,
      change: change.kind,
      creates: [key.constraint(table, change.to), ...(ownsIndex ? [key.index(table.schema, change.to)] : [])],
      drops: [key.constraint(table, change.from), ...(ownsIndex ? [key.index(table.schema, change.from)] : [])],
      requires: [key.table(table)],
    }),
  ];
}
