/**
 * Steps for constraints, indexes and triggers. On tables that already exist: indexes built
 * CONCURRENTLY (outside a transaction), a changed index built under a temporary name and
 * swapped (never dropped first), FKs and checks added NOT VALID then validated, PK and UNIQUE
 * constraints attached to a concurrently built index.
 */
import type { ChangeOf, ConstraintKind } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import { clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import type { Index, QualifiedName } from '../../model/types.js';
import { describeSize, existingRowsHazard, formatCount, percentText, rowsText, type Hazard } from '../../plan/hazards.js';
import { nullsHazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { checkRequires, foreignKeyRequires, indexRequires, key, triggerRequires } from '../../plan/references.js';
import { checkSql, createIndexSql, createTriggerSql, deferralSql, foreignKeySql, triggerEnabledSql } from '../../plan/sql-text.js';
import { draft, type StepDraft, type StepEffect, type StepObjectKind } from '../../plan/step-draft.js';

/** A table member's display name; the summary shows it under its table. */
function member(_ctx: PlanContext, _table: QualifiedName, name: string): string {
  return displayIdent(name);
}

/**
 * An index built on an existing table: one hazard, index_build. It is built CONCURRENTLY, which
 * is why it runs outside a transaction; that is part of what allowing an index build means, so
 * it is said here rather than as a second hazard (non_transactional) to allow (issue 13).
 */
function buildHazards(ctx: PlanContext, table: QualifiedName, what: string): Hazard[] {
  const size = describeSize(ctx.tableStats(table));
  return [
    {
      kind: 'index_build',
      message: `${what} is built on ${ctx.display(table)} (${size}), CONCURRENTLY: outside a transaction, reads and writes go on; a failure leaves an invalid index that the next plan repairs`,
    },
  ];
}

/** An index dropped: one hazard, index_dropped (CONCURRENTLY, outside a transaction, is how). */
function dropIndexHazards(what: string): Hazard[] {
  return [
    { kind: 'index_dropped', message: `${what} is dropped CONCURRENTLY (outside a transaction); queries that use it may become slower` },
  ];
}

/** A name for the index built beside the one it replaces: `<name>_pgr_new`, within 63 bytes. */
export function temporaryIndexName(name: string): string {
  const suffix = '_pgr_new';
  return clipBytes(name, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
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

/** The effect of a step that builds an index. */
function buildIndex(table: QualifiedName, name: string, concurrently: boolean): StepEffect {
  return { kind: 'build_index', index: { kind: 'index', schema: table.schema, name }, concurrently };
}

/** The effect of a step that drops an index. */
function dropIndex(table: QualifiedName, name: string, concurrently: boolean): StepEffect {
  return { kind: 'drop_index', index: { kind: 'index', schema: table.schema, name }, concurrently };
}

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

// ---------------------------------------------------------------------------------------------
// indexes

function uniqueKeyOf(table: QualifiedName, index: Index): string[] {
  if (!index.unique || index.where !== undefined || index.keys.some((k) => k.column === undefined)) return [];
  return [key.uniqueKey(table, index.keys.map((k) => k.column ?? '').sort())];
}

/**
 * `fails_on_existing_rows` when the statistics show duplicates in a one-column key (no
 * predicate): ANALYZE lists a most common value only when it appears more than once.
 */
function duplicatesHazard(
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

/** The duplicates hazard of building a unique index without a predicate on an existing table. */
function uniqueDataHazards(ctx: PlanContext, table: QualifiedName, index: Index): Hazard[] {
  if (!index.unique || index.where !== undefined) return [];
  const plainColumns = index.keys.every((k) => k.column !== undefined) ? index.keys.map((k) => k.column!) : [];
  return duplicatesHazard(
    ctx,
    table,
    plainColumns,
    index.nullsNotDistinct,
    `building the unique index ${displayIdent(index.name)} fails until they are removed`,
  );
}

export function createIndexSteps(change: ChangeOf<'create_index'>, ctx: PlanContext): StepDraft[] {
  const { table, index } = change;
  const online = !(change.tableIsNew || ctx.isNewTable(table));
  const dataHazards = online ? uniqueDataHazards(ctx, table, index) : [];
  return [
    draft({
      sql: createIndexSql(table, index, index.name, online),
      effect: buildIndex(table, index.name, online),
      hazards: online ? [...buildHazards(ctx, table, `index ${displayIdent(index.name)}`), ...dataHazards] : [],
      transactional: !online,
      long: online,
      action: 'create',
      objectKind: 'index' as const,
      object: displayIdent(index.name),
      parent: ctx.display(table),
      detail: index.using === 'btree' ? undefined : `using ${index.using}`,
      change: change.kind,
      creates: [key.index(table.schema, index.name), ...uniqueKeyOf(table, index)],
      requires: indexRequires(table, index, ctx.refs),
    }),
  ];
}

export function dropIndexSteps(change: ChangeOf<'drop_index'>, ctx: PlanContext): StepDraft[] {
  const { table, index } = change;
  return [
    draft({
      sql: `DROP INDEX CONCURRENTLY ${qualify({ schema: table.schema, name: index.name })}`,
      effect: dropIndex(table, index.name, true),
      hazards: dropIndexHazards(`index ${displayIdent(index.name)}`),
      transactional: false,
      long: true,
      action: 'drop',
      objectKind: 'index' as const,
      object: displayIdent(index.name),
      parent: ctx.display(table),
      change: change.kind,
      drops: [key.index(table.schema, index.name), ...uniqueKeyOf(table, index)],
      liveRequires: indexRequires(table, index, ctx.refs),
    }),
  ];
}

export function replaceIndexSteps(change: ChangeOf<'replace_index'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to } = change;
  const name = displayIdent(to.name);
  const base = {
    action: 'alter' as const,
    objectKind: 'index' as const,
    object: name,
    parent: ctx.display(table),
    change: change.kind,
  };
  const oldName = qualify({ schema: table.schema, name: from.name });
  const requires = indexRequires(table, to, ctx.refs);
  if (from.invalid) {
    // A failed concurrent build left an invalid index that no query uses: drop it, build it again.
    return [
      draft({
        ...base,
        sql: `DROP INDEX CONCURRENTLY ${oldName}`,
        effect: dropIndex(table, from.name, true),
        detail: 'invalid index (a failed build) dropped',
        // No query uses an invalid index: dropping it loses nothing (its rebuild carries index_build).
        transactional: false,
        long: true,
        drops: [key.index(table.schema, from.name)],
      }),
      draft({
        ...base,
        sql: createIndexSql(table, to, to.name, true),
        effect: buildIndex(table, to.name, true),
        detail: 'built again',
        hazards: [...buildHazards(ctx, table, `index ${name}`), ...uniqueDataHazards(ctx, table, to)],
        transactional: false,
        long: true,
        creates: [key.index(table.schema, to.name), ...uniqueKeyOf(table, to)],
        requires,
      }),
    ];
  }
  const temp = temporaryIndexName(to.name);
  return [
    draft({
      ...base,
      sql: createIndexSql(table, to, temp, true),
      effect: buildIndex(table, temp, true),
      detail: `new definition built as ${displayIdent(temp)}`,
      hazards: [...buildHazards(ctx, table, `the new definition of index ${name}`), ...uniqueDataHazards(ctx, table, to)],
      transactional: false,
      long: true,
      creates: [key.index(table.schema, temp)],
      requires,
    }),
    draft({
      ...base,
      sql: `DROP INDEX CONCURRENTLY ${oldName}`,
      effect: dropIndex(table, from.name, true),
      detail: 'old definition dropped',
      hazards: dropIndexHazards(`the old definition of index ${name}`),
      transactional: false,
      long: true,
      // A foreign key that used the old definition is dropped before it (and added after the rename).
      drops: [key.index(table.schema, from.name), ...uniqueKeyOf(table, from)],
      liveRequires: indexRequires(table, from, ctx.refs),
    }),
    draft({
      ...base,
      sql: `ALTER INDEX ${qualify({ schema: table.schema, name: temp })} RENAME TO ${quoteIdent(to.name)}`,
      detail: `${displayIdent(temp)} renamed to ${name}`,
      creates: [key.index(table.schema, to.name), ...uniqueKeyOf(table, to)],
      drops: [key.index(table.schema, temp)],
    }),
  ];
}

export function renameIndexSteps(change: ChangeOf<'rename_index'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      sql: `ALTER INDEX ${qualify({ schema: table.schema, name: change.from })} RENAME TO ${quoteIdent(change.to)}`,
      action: 'alter',
      objectKind: 'index' as const,
      object: displayIdent(change.to),
      parent: ctx.display(table),
      detail: `renamed from ${change.from}`,
      change: change.kind,
      creates: [key.index(table.schema, change.to)],
      drops: [key.index(table.schema, change.from)],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// triggers

export function createTriggerSteps(change: ChangeOf<'create_trigger'>, ctx: PlanContext): StepDraft[] {
  const { table, trigger } = change;
  const base = {
    action: 'create' as const,
    objectKind: 'trigger' as const,
    object: displayIdent(trigger.name),
    parent: ctx.display(table),
    change: change.kind,
  };
  const steps = [
    draft({
      ...base,
      sql: createTriggerSql(table, trigger, false),
      creates: [key.trigger(table, trigger.name)],
      requires: triggerRequires(table, trigger, ctx.refs),
    }),
  ];
  if (trigger.enabled !== 'origin') {
    steps.push(
      draft({
        ...base,
        action: 'alter',
        sql: triggerEnabledSql(table, trigger.name, trigger.enabled),
        detail: trigger.enabled,
        requires: [key.trigger(table, trigger.name)],
      }),
    );
  }
  return steps;
}

export function dropTriggerSteps(change: ChangeOf<'drop_trigger'>, ctx: PlanContext): StepDraft[] {
  const { table, trigger } = change;
  return [
    draft({
      sql: `DROP TRIGGER ${quoteIdent(trigger.name)} ON ${qualify(table)}`,
      action: 'drop',
      objectKind: 'trigger' as const,
      object: displayIdent(trigger.name),
      parent: ctx.display(table),
      change: change.kind,
      drops: [key.trigger(table, trigger.name)],
      requires: [key.table(table)],
      liveRequires: triggerRequires(table, trigger, ctx.refs),
    }),
  ];
}

/** A changed trigger is replaced in one statement (or one transaction), so no moment exists without it. */
export function replaceTriggerSteps(change: ChangeOf<'replace_trigger'>, ctx: PlanContext): StepDraft[] {
  const { table, from, to } = change;
  const atomic = ctx.serverVersion >= 140000 && !to.constraint && !from.constraint && from.name === to.name;
  let sql = atomic
    ? createTriggerSql(table, to, true)
    : `DROP TRIGGER ${quoteIdent(from.name)} ON ${qualify(table)};\n${createTriggerSql(table, to, false)}`;
  if (to.enabled !== 'origin' || from.enabled !== 'origin') sql += `;\n${triggerEnabledSql(table, to.name, to.enabled)}`;
  return [
    draft({
      sql,
      action: 'alter',
      objectKind: 'trigger' as const,
      object: displayIdent(to.name),
      parent: ctx.display(table),
      detail: 'replaced',
      change: change.kind,
      creates: [key.trigger(table, to.name)],
      requires: triggerRequires(table, to, ctx.refs),
      liveRequires: triggerRequires(table, from, ctx.refs),
    }),
  ];
}

export function renameTriggerSteps(change: ChangeOf<'rename_trigger'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      sql: `ALTER TRIGGER ${quoteIdent(change.from)} ON ${qualify(table)} RENAME TO ${quoteIdent(change.to)}`,
      action: 'alter',
      objectKind: 'trigger' as const,
      object: displayIdent(change.to),
      parent: ctx.display(table),
      detail: `renamed from ${change.from}`,
      change: change.kind,
      creates: [key.trigger(table, change.to)],
      drops: [key.trigger(table, change.from)],
      requires: [key.table(table)],
    }),
  ];
}

export function setTriggerEnabledSteps(change: ChangeOf<'set_trigger_enabled'>, ctx: PlanContext): StepDraft[] {
  const { table } = change;
  return [
    draft({
      sql: triggerEnabledSql(table, change.trigger, change.enabled),
      action: 'alter',
      objectKind: 'trigger' as const,
      object: displayIdent(change.trigger),
      parent: ctx.display(table),
      detail: change.enabled === 'origin' ? 'enabled' : change.enabled,
      change: change.kind,
      requires: [key.trigger(table, change.trigger)],
    }),
  ];
}
