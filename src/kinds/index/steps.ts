/**
 * Steps for indexes. On tables that already exist: built CONCURRENTLY (outside a transaction), a
 * changed index built under a temporary name and swapped (never dropped first).
 */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import { clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import type { Index, QualifiedName } from '../../model/types.js';
import { type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { indexRequires, key } from '../../plan/references.js';
import { createIndexSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { buildHazards, buildIndex, dropIndex, duplicatesHazard } from '../../plan/index-build.js';

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

function uniqueKeyOf(table: QualifiedName, index: Index): string[] {
  if (!index.unique || index.where !== undefined || index.keys.some((k) => k.column === undefined)) return [];
  return [key.uniqueKey(table, index.keys.map((k) => k.column ?? '').sort())];
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

/**
 * A live partitioned table: PostgreSQL refuses CREATE and DROP INDEX CONCURRENTLY on it, so its
 * indexes are built and dropped plainly, the lock said in the hazard.
 */
function isPartitioned(ctx: PlanContext, table: QualifiedName): boolean {
  return ctx.liveTable(table)?.partitionBy !== undefined;
}

function partitionedBuildHazards(ctx: PlanContext, table: QualifiedName, what: string): Hazard[] {
  return [
    {
      kind: 'index_build',
      message: `${what} is built on the partitioned table ${ctx.display(table)} and each of its partitions without CONCURRENTLY (PostgreSQL refuses it on a partitioned table): a SHARE lock blocks writes (not reads) while it builds`,
    },
  ];
}

function partitionedDropHazards(ctx: PlanContext, table: QualifiedName, what: string): Hazard[] {
  return [
    ...dropIndexHazards(what).map((h) => ({
      ...h,
      message: `${what} is dropped without CONCURRENTLY (PostgreSQL refuses it on a partitioned table)`,
    })),
    {
      kind: 'access_exclusive_lock',
      message: `DROP INDEX locks the partitioned table ${ctx.display(table)} and its partitions: reads and writes wait`,
    },
  ];
}

export function createIndexSteps(change: ChangeOf<'create_index'>, ctx: PlanContext): StepDraft[] {
  const { table, index } = change;
  const online = !(change.tableIsNew || ctx.isNewTable(table));
  if (online && isPartitioned(ctx, table)) {
    return [
      draft({
        sql: createIndexSql(table, index, index.name, false),
        effect: buildIndex(table, index.name, false),
        hazards: [...partitionedBuildHazards(ctx, table, `index ${displayIdent(index.name)}`), ...uniqueDataHazards(ctx, table, index)],
        long: true,
        action: 'create',
        objectKind: 'index' as const,
        object: displayIdent(index.name),
        parent: ctx.display(table),
        change: change.kind,
        creates: [key.index(table.schema, index.name), ...uniqueKeyOf(table, index)],
        requires: indexRequires(table, index, ctx.refs),
      }),
    ];
  }
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
  const plain = isPartitioned(ctx, table);
  return [
    draft({
      sql: `DROP INDEX${plain ? '' : ' CONCURRENTLY'} ${qualify({ schema: table.schema, name: index.name })}`,
      effect: dropIndex(table, index.name, !plain),
      hazards: plain
        ? partitionedDropHazards(ctx, table, `index ${displayIdent(index.name)}`)
        : dropIndexHazards(`index ${displayIdent(index.name)}`),
      transactional: plain,
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
  if (isPartitioned(ctx, table)) {
    return [
      draft({
        ...base,
        sql: createIndexSql(table, to, temp, false),
        effect: buildIndex(table, temp, false),
        detail: `new definition built as ${displayIdent(temp)}`,
        hazards: [...partitionedBuildHazards(ctx, table, `the new definition of index ${name}`), ...uniqueDataHazards(ctx, table, to)],
        long: true,
        creates: [key.index(table.schema, temp)],
        requires,
      }),
      draft({
        ...base,
        sql: `DROP INDEX ${oldName}`,
        effect: dropIndex(table, from.name, false),
        detail: 'old definition dropped',
        hazards: partitionedDropHazards(ctx, table, `the old definition of index ${name}`),
        long: true,
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
