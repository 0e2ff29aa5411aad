/** Steps for composite types: create, rename, alter attributes (rename, drop, retype, add), drop. */
import type { RefKey } from '../../model/object-ref.js';
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, displayQualified, qualify, quoteIdent } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { dependentsHazards, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key } from '../../plan/references.js';
import { functionSignatureSql, typeSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { refKey } from '../../model/object-ref.js';
import type { CompositeAttribute, CompositeType } from './model.js';

/** `"name" type [COLLATE "c"]`: an attribute as CREATE TYPE and ADD ATTRIBUTE write it. */
function attributeSql(a: CompositeAttribute): string {
  return `${quoteIdent(a.name)} ${typeSql(a.type)}${a.collation !== undefined ? ` COLLATE ${quoteIdent(a.collation)}` : ''}`;
}

/** The keys an attribute needs: the user type it is of, its collation. */
function attributeRequires(a: CompositeAttribute, ctx: PlanContext): string[] {
  const keys: string[] = [];
  const typeKey = ctx.refs.userTypeKey(a.type);
  if (typeKey !== undefined) keys.push(typeKey);
  const collationKey = ctx.refs.collationKey(a.collation);
  if (collationKey !== undefined) keys.push(collationKey);
  return keys;
}

/**
 * The live columns and functions that use the type `type` (or an array of it) and that the plan
 * keeps: what makes PostgreSQL refuse to drop the type, or to change an attribute's type.
 */
export function typeUsers(ctx: PlanContext, type: QualifiedName): { columns: string[]; functions: string[] } {
  const wanted = key.type(type);
  const uses = (t: string): boolean => ctx.refs.userTypeKey(t.replace(/^\s*setof\s+/i, '')) === wanted;
  const columns: string[] = [];
  for (const table of ctx.live.tables) {
    const kept = ctx.desiredTable(table);
    if (kept === undefined || ctx.isDroppedTable(table)) continue;
    for (const column of table.columns)
      if (uses(column.type) && kept.columns.some((c) => c.name === column.name && uses(c.type)))
        columns.push(`column ${ctx.display(table)}.${displayIdent(column.name)}`);
  }
  const functions: string[] = [];
  for (const fn of ctx.live.functions) {
    if (![...fn.arguments.map((a) => a.type), fn.returns].some(uses)) continue;
    const signature = functionSignatureSql(fn);
    if (ctx.desired.functions.some((d) => functionSignatureSql(d) === signature)) functions.push(`function ${signature}`);
  }
  return { columns, functions };
}

/** `blocked_by_dependents` for a step PostgreSQL refuses while `users` (managed objects the plan keeps) use the type. */
export function usedTypeHazards(users: readonly string[], what: string, action: string, error: string): Hazard[] {
  if (users.length === 0) return [];
  return [
    {
      kind: 'blocked_by_dependents',
      message: `${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} ${what}, which the step ${action}: apply will fail (${error}) unless the file drops or changes ${users.length === 1 ? 'it' : 'them'} first`,
    },
  ];
}

/** `blocked_by_dependents` for the unmanaged objects (views, rules, policies) that use a type the step drops. */
export function unmanagedTypeHazards(ctx: PlanContext, type: QualifiedName, what: string): Hazard[] {
  return dependentsHazards(
    ctx.dataFacts.dependents?.get(refKey({ kind: 'type', schema: type.schema, name: type.name })),
    `${what} ${displayQualified(type)}`,
    'drops',
    'cannot drop type because other objects depend on it',
  );
}

export function createCompositeTypeSteps(change: ChangeOf<'create_composite_type'>, ctx: PlanContext): StepDraft[] {
  const t = change.type;
  return [
    draft({
      sql: `CREATE TYPE ${qualify(t)} AS (${t.attributes.map(attributeSql).join(', ')})`,
      action: 'create',
      objectKind: 'composite type' as const,
      object: displayQualified(t),
      change: change.kind,
      creates: [key.type(t)],
      requires: [key.schema(t.schema), ...t.attributes.flatMap((a) => attributeRequires(a, ctx))].filter((k) => k !== key.type(t)),
    }),
  ];
}

/** `ALTER TYPE … RENAME TO` of a composite or range type: the type's key moves to the new name. */
export function renameUserTypeStep(
  change: ChangeOf<'rename_composite_type' | 'rename_range_type'>,
  objectKind: 'composite type' | 'range type',
): StepDraft {
  return draft({
    sql: `ALTER TYPE ${qualify(change.from)} RENAME TO ${quoteIdent(change.to.name)}`,
    action: 'alter',
    objectKind,
    object: displayQualified(change.to),
    detail: `renamed from ${displayQualified(change.from)}`,
    change: change.kind,
    creates: [key.type(change.to)],
    drops: [key.type(change.from)],
    requires: [],
  });
}

export function renameCompositeTypeSteps(change: ChangeOf<'rename_composite_type'>): StepDraft[] {
  return [renameUserTypeStep(change, 'composite type')];
}

/** One step per attribute change, in the order the diff gives them (renames, drops, retypes, adds). */
export function alterCompositeTypeSteps(change: ChangeOf<'alter_composite_type'>, ctx: PlanContext): StepDraft[] {
  const t = change.to;
  const q = qualify(t);
  const users = typeUsers(ctx, change.from).columns;
  const step = (sql: string, detail: string, hazards: Hazard[], requires: string[] = []): StepDraft =>
    draft({
      sql,
      ...(hazards.length > 0 ? { hazards } : {}),
      action: 'alter',
      objectKind: 'composite type' as const,
      object: displayQualified(t),
      detail,
      change: change.kind,
      requires: [key.type(t), ...requires],
    });
  return change.actions.map((a) => {
    switch (a.action) {
      case 'rename':
        return step(
          `ALTER TYPE ${q} RENAME ATTRIBUTE ${quoteIdent(a.from)} TO ${quoteIdent(a.to)}`,
          `attribute ${displayIdent(a.from)} renamed to ${displayIdent(a.to)}`,
          [],
        );
      case 'drop':
        return step(
          `ALTER TYPE ${q} DROP ATTRIBUTE ${quoteIdent(a.attribute.name)}`,
          `attribute ${displayIdent(a.attribute.name)} dropped`,
          users.length > 0
            ? [
                {
                  kind: 'deletes_data',
                  message: `attribute ${displayIdent(a.attribute.name)} of ${displayQualified(t)} is dropped from the values of ${users.join(', ')}`,
                },
              ]
            : [],
        );
      case 'retype':
        return step(
          `ALTER TYPE ${q} ALTER ATTRIBUTE ${quoteIdent(a.to.name)} TYPE ${typeSql(a.to.type)}${a.to.collation !== undefined ? ` COLLATE ${quoteIdent(a.to.collation)}` : ''}`,
          `attribute ${displayIdent(a.to.name)} changes type from ${a.from.type} to ${a.to.type}`,
          usedTypeHazards(
            users,
            `type ${displayQualified(t)}`,
            `changes an attribute type of`,
            `cannot alter type "${t.name}" because a column uses it`,
          ),
          attributeRequires(a.to, ctx),
        );
      case 'add':
        return step(
          `ALTER TYPE ${q} ADD ATTRIBUTE ${attributeSql(a.attribute)}`,
          `attribute ${displayIdent(a.attribute.name)} added`,
          [],
          attributeRequires(a.attribute, ctx),
        );
    }
  });
}

/**
 * The `DROP TYPE` of a composite or range type: hazards for the objects outside the file that use
 * it and for the file's columns and functions PostgreSQL would refuse the drop over.
 */
export function dropUserTypeStep(
  change: ChangeOf<'drop_composite_type' | 'drop_range_type'>,
  ctx: PlanContext,
  objectKind: 'composite type' | 'range type',
  liveRequires: readonly RefKey[],
): StepDraft {
  const t = change.type;
  const users = typeUsers(ctx, t);
  const hazards = [
    ...unmanagedTypeHazards(ctx, t, 'type'),
    ...usedTypeHazards(
      [...users.columns, ...users.functions],
      `type ${displayQualified(t)}`,
      'drops (to create it again)',
      'cannot drop type because other objects depend on it',
    ),
  ];
  return draft({
    sql: `DROP TYPE ${qualify(t)}`,
    ...(hazards.length > 0 ? { hazards } : {}),
    action: 'drop',
    objectKind,
    object: displayQualified(t),
    change: change.kind,
    drops: [key.type(t)],
    liveRequires: [...liveRequires],
  });
}

export function dropCompositeTypeSteps(change: ChangeOf<'drop_composite_type'>, ctx: PlanContext): StepDraft[] {
  const t: CompositeType = change.type;
  const requires = [key.schema(t.schema), ...t.attributes.flatMap((a) => attributeRequires(a, ctx))].filter((k) => k !== key.type(t));
  return [dropUserTypeStep(change, ctx, 'composite type', requires)];
}
