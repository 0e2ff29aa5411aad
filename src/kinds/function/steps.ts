/** Steps for functions: create, replace (`CREATE OR REPLACE`), drop (with the callers it takes along). */
import type { ChangeOf } from '../../diff/changes.js';
import { expressionSql } from '../../model/sql-names.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import { dependentsHazards } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { functionRequires, key } from '../../plan/references.js';
import { createFunctionSql, functionSignatureSql, routineKeyword } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { untrackable } from '../../plan/hazards.js';
import { functionKey } from '../../model/object-ref.js';

/** The word a step names a function or procedure with. */
export function routineWord(fn: ChangeOf<'create_function'>['fn']): 'function' | 'procedure' {
  return fn.procedure === true ? 'procedure' : 'function';
}

/** A function as the plan names it: its name and IN argument types (the comment kind names functions so too). */
export function functionDisplay(fn: ChangeOf<'create_function'>['fn']): string {
  return `${displayQualified(fn)}(${fn.arguments
    .filter((a) => a.mode !== 'out')
    .map((a) => a.type)
    .join(', ')})`;
}

export function createFunctionSteps(change: ChangeOf<'create_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.fn;
  return [
    draft({
      sql: createFunctionSql(fn, false),
      action: 'create',
      objectKind: routineWord(fn),
      object: functionDisplay(fn),
      change: change.kind,
      creates: [key.function(fn), key.functionName(fn)],
      requires: functionRequires(fn, ctx.refs),
    }),
  ];
}

export function replaceFunctionSteps(change: ChangeOf<'replace_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.to;
  return [
    draft({
      sql: createFunctionSql(fn, true),
      hazards: [untrackable(`${routineWord(fn)} ${functionDisplay(fn)} is replaced`)],
      action: 'alter',
      objectKind: routineWord(fn),
      object: functionDisplay(fn),
      detail: 'replaced (CREATE OR REPLACE)',
      change: change.kind,
      creates: [key.function(fn), key.functionName(fn)],
      requires: functionRequires(fn, ctx.refs),
    }),
  ];
}

export function dropFunctionSteps(change: ChangeOf<'drop_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.fn;
  const overloadKept = ctx.desired.functions.some((f) => f.schema === fn.schema && f.name === fn.name);
  const base = { action: 'drop' as const, objectKind: routineWord(fn), object: functionDisplay(fn), change: change.kind };
  // Column defaults that call the function keep it from being dropped: take them off first, and
  // put the declared ones back once the new definition exists.
  const before: StepDraft[] = [];
  const after: StepDraft[] = [];
  if (overloadKept) {
    for (const table of ctx.live.tables) {
      for (const column of table.columns) {
        if (!ctx.refs.functionsIn(column.default).some((f) => f.schema === fn.schema && f.name === fn.name)) continue;
        const wanted = ctx.desiredTable(table)?.columns.find((c) => c.name === column.name);
        const where = `ALTER TABLE ${qualify(table)} ALTER COLUMN ${quoteIdent(column.name)}`;
        before.push(
          draft({
            ...base,
            action: 'alter',
            sql: `${where} DROP DEFAULT`,
            detail: `default of ${ctx.display(table)}.${displayIdent(column.name)} dropped while the function is re-created`,
          }),
        );
        if (wanted?.default !== undefined) {
          after.push(
            draft({
              ...base,
              action: 'alter',
              sql: `${where} SET DEFAULT ${expressionSql(wanted.default)}`,
              detail: `default of ${ctx.display(table)}.${displayIdent(column.name)} set again`,
              requires: [key.functionName(fn), key.column(table, column.name)],
            }),
          );
        }
      }
    }
  }
  return [
    ...before,
    draft({
      ...base,
      sql: `DROP ${routineKeyword(fn)} ${functionSignatureSql(fn)}`,
      hazards: [
        untrackable(
          change.calls !== undefined
            ? `${routineWord(fn)} ${functionDisplay(fn)} is dropped and created again: its body uses ${functionDisplay(change.calls)}, which is re-created`
            : `${routineWord(fn)} ${functionDisplay(fn)} is dropped`,
        ),
        ...dependentsHazards(
          ctx.dataFacts.dependents?.get(functionKey(fn)),
          `${routineWord(fn)} ${functionDisplay(fn)}`,
          'drops',
          'cannot drop function because other objects depend on it',
        ),
      ],
      ...(change.calls !== undefined ? { detail: `created again after ${functionDisplay(change.calls)}, which its body uses` } : {}),
      drops: [key.function(fn), ...(overloadKept ? [] : [key.functionName(fn)])],
      liveRequires: functionRequires(fn, ctx.refs),
    }),
    ...after,
  ];
}
