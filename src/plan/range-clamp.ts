/** The range clamp of a sequence whose range narrows ahead of it: shared by sequences and identity columns. */
import type { Hazard } from './hazards.js';

/**
 * A sequence's range narrowed ahead of it (an ascending one's minimum raised, a descending one's
 * maximum lowered): PostgreSQL refuses the ALTER while the current value lies outside the new
 * range (`RESTART value (1) cannot be less than MINVALUE (100)`). What a user wants then is the
 * sequence to go on from the new bound: the statement moves the current value (`value`, read
 * `from`) to the bound only when it is outside. A range narrowed behind the sequence (an
 * ascending one's maximum lowered) is never clamped: moving it back would hand out values again,
 * so PostgreSQL's refusal stands when the current value is past the new bound.
 */
export function rangeClampSql(sequence: string, value: string, from: string, bound: string, ascending: boolean): string {
  const b = String(BigInt(bound));
  return `SELECT setval(${sequence}, ${b}, false) FROM ${from} WHERE ${value} ${ascending ? '<' : '>'} ${b}`;
}

/** The bound to clamp to when the range narrows ahead of the sequence (see `rangeClampSql`), else undefined. */
export function clampBound(
  from: { minValue: string; maxValue: string; increment: string },
  to: { minValue: string; maxValue: string; increment: string },
): string | undefined {
  const ascending = BigInt(to.increment) > 0n;
  if (ascending) return BigInt(to.minValue) > BigInt(from.minValue) ? to.minValue : undefined;
  return BigInt(to.maxValue) < BigInt(from.maxValue) ? to.maxValue : undefined;
}

/** The hazard of a range clamp: the sequence's position may move (apply backs it up first). */
export function rangeClampHazard(what: string, bound: string, ascending: boolean, backedUp: boolean): Hazard {
  return {
    kind: 'deletes_data',
    message: `if its current value is ${ascending ? 'below' : 'above'} the new ${ascending ? 'minimum' : 'maximum'} ${bound}, ${what} moves on to ${bound}${backedUp ? ' (its old position is backed up)' : ''}`,
  };
}
