/** Steps for range types: create, rename (the range, its multirange), drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayQualified, parseQualifiedName, qualify, quoteIdent } from '../../model/ident.js';
import { qualifiedNameSql } from '../../model/sql-names.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key } from '../../plan/references.js';
import { typeSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { dropUserTypeStep, renameUserTypeStep } from '../composite-type/steps.js';
import type { RangeType } from './model.js';

/** The options of CREATE TYPE ... AS RANGE: every name quoted, the subtype a canonical type. */
export function rangeOptionsSql(t: RangeType): string {
  const options = [`SUBTYPE = ${typeSql(t.subtype)}`];
  if (t.subtypeOpclass !== undefined) options.push(`SUBTYPE_OPCLASS = ${qualifiedNameSql(t.subtypeOpclass)}`);
  if (t.collation !== undefined) options.push(`COLLATION = ${quoteIdent(t.collation)}`);
  if (t.canonical !== undefined) options.push(`CANONICAL = ${qualifiedNameSql(t.canonical)}`);
  if (t.subtypeDiff !== undefined) options.push(`SUBTYPE_DIFF = ${qualifiedNameSql(t.subtypeDiff)}`);
  if (t.multirangeTypeName !== undefined)
    options.push(`MULTIRANGE_TYPE_NAME = ${qualify({ schema: t.schema, name: t.multirangeTypeName })}`);
  return options.join(', ');
}

/** The keys a range type needs: its schema, a user subtype, a user collation, its functions. */
function rangeRequires(t: RangeType, ctx: PlanContext): string[] {
  const keys = [key.schema(t.schema)];
  const typeKey = ctx.refs.userTypeKey(t.subtype);
  if (typeKey !== undefined && typeKey !== key.type(t)) keys.push(typeKey);
  const collationKey = ctx.refs.collationKey(t.collation);
  if (collationKey !== undefined) keys.push(collationKey);
  for (const fn of [t.canonical, t.subtypeDiff]) {
    if (fn === undefined) continue;
    try {
      keys.push(key.functionName(parseQualifiedName(fn, 'public')));
    } catch {
      // A name that does not parse was reported by the checks.
    }
  }
  return keys;
}

export function createRangeTypeSteps(change: ChangeOf<'create_range_type'>, ctx: PlanContext): StepDraft[] {
  const t = change.type;
  return [
    draft({
      sql: `CREATE TYPE ${qualify(t)} AS RANGE (${rangeOptionsSql(t)})`,
      action: 'create',
      objectKind: 'range type' as const,
      object: displayQualified(t),
      change: change.kind,
      creates: [key.type(t)],
      requires: rangeRequires(t, ctx),
    }),
  ];
}

export function renameRangeTypeSteps(change: ChangeOf<'rename_range_type'>): StepDraft[] {
  return [renameUserTypeStep(change, 'range type')];
}

export function renameMultirangeTypeSteps(change: ChangeOf<'rename_multirange_type'>): StepDraft[] {
  const t = change.type;
  return [
    draft({
      sql: `ALTER TYPE ${qualify({ schema: t.schema, name: change.from })} RENAME TO ${quoteIdent(change.to)}`,
      action: 'alter',
      objectKind: 'range type' as const,
      object: displayQualified(t),
      detail: `multirange type renamed from ${change.from} to ${change.to}`,
      change: change.kind,
      requires: [key.type(t)],
    }),
  ];
}

export function dropRangeTypeSteps(change: ChangeOf<'drop_range_type'>, ctx: PlanContext): StepDraft[] {
  return [dropUserTypeStep(change, ctx, 'range type', rangeRequires(change.type, ctx))];
}
