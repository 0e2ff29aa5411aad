/** Steps for triggers: create, drop, replace, rename, enable/disable. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent, qualify } from '../../model/ident.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, triggerRequires } from '../../plan/references.js';
import { createTriggerSql, triggerEnabledSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';

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
