/**
 * Sequences, keyed by (schema, name): create, drop, alter when any option or the owning
 * column differs. A declared sequence missing live whose owning column owns an undeclared live
 * sequence (a `serial` of a renamed table or column) is that sequence renamed. A sequence owned
 * by a column that goes away (its table or the column is dropped) goes with it, so no drop is
 * emitted for it; nor for one an unmanaged table owns.
 */
import type { Sequence } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { sameNumber } from '../../diff/compare.js';
import { columnAfterRenames, tableAfterRenames, type DiffContext } from '../../diff/context.js';
import { matchObjects, nameKey, type Matching, type Pair } from '../../diff/match.js';

/** Where a sequence's owning column will be once the plan's table and column renames ran. */
function ownerKey(sequence: Sequence, ctx: DiffContext | undefined): string | undefined {
  const owner = sequence.ownedBy;
  if (owner === undefined) return undefined;
  if (ctx === undefined) return nameKey(nameKey(owner.schema, owner.table), owner.column);
  const liveTable = { schema: owner.schema, name: owner.table };
  const table = tableAfterRenames(ctx, liveTable);
  return nameKey(nameKey(table.schema, table.name), columnAfterRenames(ctx, liveTable, owner.column));
}

/** The sequence kind's diff (`ObjectKind.diff`): the driver matched the sequences (the rename context needs them). */
export const sequenceDiff: ModelKindDiff = { scope: 'model', run: (d) => diffSequences(d.sequences, d.ctx) };

/**
 * Pairs desired sequences with live ones: by name, then by owning column (read through the
 * plan's table and column renames) within one schema — a pair found that way is renamed.
 * `ctx` needs the table renames only.
 *
 * @example
 * matchSequences([seq('users_id_seq', owned by users.id)], [seq('people_id_seq', owned by people.id)], ctx)
 * // pairs: [{ desired: users_id_seq, live: people_id_seq, renamed: true }] when people → users
 */
export function matchSequences(desired: readonly Sequence[], live: readonly Sequence[], ctx: DiffContext): Matching<Sequence, Sequence> {
  const key = (s: Sequence): string => nameKey(s.schema, s.name);
  const byName = matchObjects(desired, live, { desired: key, live: key });
  if (byName.added.length === 0 || byName.removed.length === 0) return byName;

  const liveByOwner = new Map<string, Sequence[]>();
  for (const sequence of byName.removed) {
    const owner = ownerKey(sequence, ctx);
    if (owner === undefined) continue;
    const list = liveByOwner.get(owner) ?? [];
    list.push(sequence);
    liveByOwner.set(owner, list);
  }
  const renamed: Pair<Sequence, Sequence>[] = [];
  const claimed = new Set<Sequence>();
  const added: Sequence[] = [];
  for (const sequence of byName.added) {
    const owner = ownerKey(sequence, undefined);
    const candidates = owner === undefined ? undefined : liveByOwner.get(owner);
    const candidate = candidates?.length === 1 ? candidates[0] : undefined;
    if (candidate !== undefined && candidate.schema === sequence.schema && !claimed.has(candidate)) {
      renamed.push({ desired: sequence, live: candidate, renamed: true });
      claimed.add(candidate);
    } else {
      added.push(sequence);
    }
  }
  if (renamed.length === 0) return byName;
  return {
    pairs: [...byName.pairs, ...renamed],
    added,
    removed: byName.removed.filter((s) => !claimed.has(s)),
  };
}

/**
 * @example
 * diffSequences(matchSequences([{ ...seq, cache: '10' }], [{ ...seq, cache: '1' }], ctx), ctx)
 * // [{ kind: 'alter_sequence', from: { ... cache: '1' }, to: { ... cache: '10' } }]
 */
export function diffSequences(matching: Matching<Sequence, Sequence>, ctx: DiffContext): Change[] {
  const changes: Change[] = [];
  const target = (s: Sequence) => ({ on: 'sequence', sequence: { schema: s.schema, name: s.name } }) as const;
  for (const sequence of matching.added) {
    changes.push({ kind: 'create_sequence', sequence });
    changes.push(...diffComment(target(sequence), sequence.comment, undefined));
  }
  for (const { desired: to, live: from, renamed } of matching.pairs) {
    if (renamed) {
      changes.push({ kind: 'rename_sequence', from: { schema: from.schema, name: from.name }, to: { schema: to.schema, name: to.name } });
    }
    if (!sameSequence(to, from, ctx)) changes.push({ kind: 'alter_sequence', from, to });
    changes.push(...diffComment(target(to), to.comment, from.comment));
  }
  for (const sequence of matching.removed) {
    if (!ownerDecides(sequence, ctx)) changes.push({ kind: 'drop_sequence', sequence });
  }
  return changes;
}

function sameSequence(desired: Sequence, live: Sequence, ctx: DiffContext): boolean {
  return (
    desired.type === live.type &&
    sameNumber(desired.start, live.start) &&
    sameNumber(desired.increment, live.increment) &&
    sameNumber(desired.minValue, live.minValue) &&
    sameNumber(desired.maxValue, live.maxValue) &&
    sameNumber(desired.cache, live.cache) &&
    desired.cycle === live.cycle &&
    sameOwner(desired.ownedBy, live.ownedBy, ctx)
  );
}

/** `ownerKey(desired, undefined) === ownerKey(live, ctx)`, field by field (no keys built: it runs for every sequence). */
function sameOwner(desired: Sequence['ownedBy'], live: Sequence['ownedBy'], ctx: DiffContext): boolean {
  if (desired === undefined || live === undefined) return desired === live;
  const liveTable = { schema: live.schema, name: live.table };
  const table = tableAfterRenames(ctx, liveTable);
  return (
    desired.schema === table.schema && desired.table === table.name && desired.column === columnAfterRenames(ctx, liveTable, live.column)
  );
}

/**
 * An undeclared sequence the diff leaves to its owning column: PostgreSQL drops it with a
 * dropped table or column, and an unmanaged (ignored) owner keeps it.
 */
function ownerDecides(sequence: Sequence, ctx: DiffContext): boolean {
  const owner = sequence.ownedBy;
  if (owner === undefined) return false;
  const tableKey = nameKey(owner.schema, owner.table);
  return (
    ctx.droppedTables.has(tableKey) || ctx.droppedColumns.has(nameKey(tableKey, owner.column)) || ctx.isIgnored(owner.schema, owner.table)
  );
}
