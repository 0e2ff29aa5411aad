/** Steps for aggregates: create, replace (`CREATE OR REPLACE AGGREGATE`), drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayQualified, qualify } from '../../model/ident.js';
import type { QualifiedName } from '../../model/types.js';
import { untrackable } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key, type ReferenceResolver } from '../../plan/references.js';
import { literal, typeSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import type { Aggregate } from './model.js';

/** An aggregate as the plan names it: `public.group_concat(text)`. */
export function aggregateDisplay(a: Aggregate): string {
  return `${displayQualified(a)}(${a.arguments.join(', ')})`;
}

/** `"public"."group_concat"(text)`: the name DROP AGGREGATE takes. */
export function aggregateSignatureSql(a: Aggregate): string {
  return `${qualify(a)}(${a.arguments.length > 0 ? a.arguments.map(typeSql).join(', ') : '*'})`;
}

/** `CREATE [OR REPLACE] AGGREGATE …` with every option spelled out (a replace resets the rest). */
export function createAggregateSql(a: Aggregate, orReplace: boolean): string {
  const options = [`SFUNC = ${qualify(a.sfunc)}`, `STYPE = ${typeSql(a.stype)}`];
  if (a.finalfunc !== undefined) options.push(`FINALFUNC = ${qualify(a.finalfunc)}`);
  if (a.finalfuncExtra === true) options.push('FINALFUNC_EXTRA');
  if (a.combinefunc !== undefined) options.push(`COMBINEFUNC = ${qualify(a.combinefunc)}`);
  if (a.initcond !== undefined) options.push(`INITCOND = ${literal(a.initcond)}`);
  if (a.parallel !== 'unsafe') options.push(`PARALLEL = ${a.parallel.toUpperCase()}`);
  return `CREATE ${orReplace ? 'OR REPLACE ' : ''}AGGREGATE ${aggregateSignatureSql(a)} (\n  ${options.join(',\n  ')}\n)`;
}

/** Its schema, the user types of its inputs and state, and the support functions not in pg_catalog. */
function aggregateRequires(a: Aggregate, refs: ReferenceResolver): string[] {
  const keys = [key.schema(a.schema)];
  for (const type of [...a.arguments, a.stype]) {
    const typeKey = refs.userTypeKey(type);
    if (typeKey !== undefined) keys.push(typeKey);
  }
  const functions = [a.sfunc, a.finalfunc, a.combinefunc].filter((f): f is QualifiedName => f !== undefined && f.schema !== 'pg_catalog');
  for (const f of functions) keys.push(key.functionName(f));
  return keys;
}

export function createAggregateSteps(change: ChangeOf<'create_aggregate'>, ctx: PlanContext): StepDraft[] {
  const a = change.aggregate;
  return [
    draft({
      sql: createAggregateSql(a, false),
      action: 'create',
      objectKind: 'aggregate' as const,
      object: aggregateDisplay(a),
      change: change.kind,
      creates: [key.aggregate(a)],
      requires: aggregateRequires(a, ctx.refs),
    }),
  ];
}

export function replaceAggregateSteps(change: ChangeOf<'replace_aggregate'>, ctx: PlanContext): StepDraft[] {
  const a = change.to;
  return [
    draft({
      sql: createAggregateSql(a, true),
      action: 'alter',
      objectKind: 'aggregate' as const,
      object: aggregateDisplay(a),
      detail: 'replaced (CREATE OR REPLACE)',
      change: change.kind,
      creates: [key.aggregate(a)],
      requires: aggregateRequires(a, ctx.refs),
      liveRequires: aggregateRequires(change.from, ctx.refs),
    }),
  ];
}

export function dropAggregateSteps(change: ChangeOf<'drop_aggregate'>, ctx: PlanContext): StepDraft[] {
  const a = change.aggregate;
  return [
    draft({
      sql: `DROP AGGREGATE ${aggregateSignatureSql(a)}`,
      hazards: [untrackable(`aggregate ${aggregateDisplay(a)} is dropped; views and functions may use it`)],
      action: 'drop',
      objectKind: 'aggregate' as const,
      object: aggregateDisplay(a),
      change: change.kind,
      drops: [key.aggregate(a)],
      liveRequires: aggregateRequires(a, ctx.refs),
    }),
  ];
}
