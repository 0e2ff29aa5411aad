/** Steps for sequences: create, alter (with a range clamp where the range narrows ahead of it), rename, drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import type { Sequence } from '../../model/types.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key } from '../../plan/references.js';
import { literal, sequenceOptionsSql } from '../../plan/sql-text.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import { clampBound, rangeClampHazard, rangeClampSql } from '../../plan/range-clamp.js';

function ownedBySql(seq: Sequence): string {
  const o = seq.ownedBy;
  return o === undefined ? 'NONE' : `${qualify({ schema: o.schema, name: o.table })}.${quoteIdent(o.column)}`;
}

export function createSequenceSteps(change: ChangeOf<'create_sequence'>): StepDraft[] {
  const s = change.sequence;
  const owner = s.ownedBy ? { parent: displayQualified({ schema: s.ownedBy.schema, name: s.ownedBy.table }) } : {};
  const steps = [
    draft({
      ...owner,
      sql: `CREATE SEQUENCE ${qualify(s)} ${sequenceOptionsSql(s)}`,
      action: 'create',
      objectKind: 'sequence' as const,
      object: displayQualified(s),
      change: change.kind,
      creates: [key.sequence(s)],
      requires: [key.schema(s.schema)],
    }),
  ];
  if (s.ownedBy) {
    const o = s.ownedBy;
    steps.push(
      draft({
        ...owner,
        sql: `ALTER SEQUENCE ${qualify(s)} OWNED BY ${ownedBySql(s)}`,
        action: 'alter',
        objectKind: 'sequence' as const,
        object: displayQualified(s),
        detail: `owned by column ${displayIdent(o.column)}`,
        change: change.kind,
        requires: [key.sequence(s), key.column({ schema: o.schema, name: o.table }, o.column)],
      }),
    );
  }
  return steps;
}

export function alterSequenceSteps(change: ChangeOf<'alter_sequence'>): StepDraft[] {
  const { from, to } = change;
  const opts: string[] = [];
  if (from.type !== to.type) opts.push(`AS ${to.type}`);
  if (from.increment !== to.increment) opts.push(`INCREMENT BY ${to.increment}`);
  if (from.minValue !== to.minValue) opts.push(`MINVALUE ${to.minValue}`);
  if (from.maxValue !== to.maxValue) opts.push(`MAXVALUE ${to.maxValue}`);
  if (from.start !== to.start) opts.push(`START WITH ${to.start}`);
  if (from.cache !== to.cache) opts.push(`CACHE ${to.cache}`);
  if (from.cycle !== to.cycle) opts.push(to.cycle ? 'CYCLE' : 'NO CYCLE');
  const ownerChanged = JSON.stringify(from.ownedBy) !== JSON.stringify(to.ownedBy);
  const steps: StepDraft[] = [];
  const base = { action: 'alter' as const, objectKind: 'sequence' as const, object: displayQualified(to), change: change.kind };
  if (opts.length > 0) {
    const bound = clampBound(from, to);
    if (bound !== undefined) {
      const ascending = BigInt(to.increment) > 0n;
      steps.push(
        draft({
          ...base,
          sql: rangeClampSql(literal(qualify(to)), 'last_value', qualify(to), bound, ascending),
          detail: `current value moved on to ${bound} where it lies outside the new range`,
          hazards: [rangeClampHazard(`sequence ${displayQualified(to)}`, bound, ascending, true)],
          deletes: { kind: 'sequence', schema: to.schema, name: to.name },
          requires: [key.sequence(to)],
        }),
      );
    }
    steps.push(
      draft({
        ...base,
        sql: `ALTER SEQUENCE ${qualify(to)} ${opts.join(' ')}`,
        detail: opts.join(' '),
        requires: [key.sequence(to)],
      }),
    );
  }
  if (ownerChanged) {
    const o = to.ownedBy;
    steps.push(
      draft({
        ...base,
        sql: `ALTER SEQUENCE ${qualify(to)} OWNED BY ${ownedBySql(to)}`,
        detail: o ? `owned by ${o.table}.${o.column}` : 'owned by nothing',
        requires: [key.sequence(to), ...(o ? [key.column({ schema: o.schema, name: o.table }, o.column)] : [])],
      }),
    );
  }
  return steps;
}

export function renameSequenceSteps(change: ChangeOf<'rename_sequence'>): StepDraft[] {
  return [
    draft({
      sql: `ALTER SEQUENCE ${qualify(change.from)} RENAME TO ${quoteIdent(change.to.name)}`,
      action: 'alter',
      objectKind: 'sequence' as const,
      object: displayQualified(change.to),
      detail: `renamed from ${displayQualified(change.from)}`,
      change: change.kind,
      creates: [key.sequence(change.to)],
      drops: [key.sequence(change.from)],
    }),
  ];
}

export function dropSequenceSteps(change: ChangeOf<'drop_sequence'>, ctx: PlanContext): StepDraft[] {
  const s = change.sequence;
  // A sequence owned by a table or column the plan drops goes with it: no DROP SEQUENCE of its own.
  if (ctx.isDroppedWithOwner(s)) return [];
  return [
    draft({
      sql: `DROP SEQUENCE ${qualify(s)}`,
      hazards: [{ kind: 'deletes_data', message: `sequence ${displayQualified(s)} is dropped with its current value` }],
      deletes: { kind: 'sequence', schema: s.schema, name: s.name },
      action: 'drop',
      objectKind: 'sequence' as const,
      object: displayQualified(s),
      change: change.kind,
      drops: [key.sequence(s)],
      liveRequires: [key.schema(s.schema)],
    }),
  ];
}
