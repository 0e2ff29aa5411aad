/**
 * Pairing desired objects with live ones: by key first, then by a declared previous key
 * (`renamed_from`). A rename is only taken when the new key is absent live, the old key is
 * present live, and no desired object claims the old key as its own.
 */

/** One desired object and the live object it corresponds to. */
export interface Pair<D, L> {
  readonly desired: D;
  readonly live: L;
  /** True when matched through the previous key: the plan renames live → desired. */
  readonly renamed: boolean;
}

/** The outcome of matching two collections. */
export interface Matching<D, L> {
  readonly pairs: readonly Pair<D, L>[];
  /** Desired objects with no live counterpart: to create. */
  readonly added: readonly D[];
  /** Live objects no desired object claims: to drop. */
  readonly removed: readonly L[];
}

/** How to key the objects of one kind. */
export interface MatchKeys<D, L> {
  readonly desired: (object: D) => string;
  readonly live: (object: L) => string;
  /** The desired object's declared previous key, if any. */
  readonly previous?: (object: D) => string | undefined;
}

/**
 * Matches desired objects with live ones, linear in the sizes of both lists.
 *
 * @example
 * const m = matchObjects(desiredColumns, liveColumns, {
 *   desired: (c) => c.name, live: (c) => c.name, previous: (c) => c.renamedFrom,
 * });
 * // m.pairs: [{ desired: title, live: old_title, renamed: true }], m.added: [...], m.removed: [...]
 */
export function matchObjects<D, L>(desired: readonly D[], live: readonly L[], keys: MatchKeys<D, L>): Matching<D, L> {
  const aligned = alignedPairs(desired, live, keys);
  if (aligned !== undefined) return { pairs: aligned, added: [], removed: [] };

  const liveByKey = new Map<string, L>();
  for (const object of live) liveByKey.set(keys.live(object), object);
  const desiredKeys = new Set<string>();
  for (const object of desired) desiredKeys.add(keys.desired(object));

  const pairs: Pair<D, L>[] = [];
  const added: D[] = [];
  const claimed = new Set<string>();
  const unmatched: D[] = [];
  for (const object of desired) {
    const key = keys.desired(object);
    const counterpart = liveByKey.get(key);
    if (counterpart === undefined) {
      unmatched.push(object);
    } else {
      pairs.push({ desired: object, live: counterpart, renamed: false });
      claimed.add(key);
    }
  }
  for (const object of unmatched) {
    const previous = keys.previous?.(object);
    const counterpart = previous === undefined ? undefined : liveByKey.get(previous);
    if (previous !== undefined && counterpart !== undefined && !claimed.has(previous) && !desiredKeys.has(previous)) {
      pairs.push({ desired: object, live: counterpart, renamed: true });
      claimed.add(previous);
    } else {
      added.push(object);
    }
  }
  const removed: L[] = [];
  if (claimed.size < liveByKey.size) {
    for (const [key, object] of liveByKey) if (!claimed.has(key)) removed.push(object);
  }
  return { pairs, added, removed };
}

/**
 * The fast path for the common case (nothing changed, both lists normalised into the same
 * order): equal lengths and equal keys position by position pair up without any map.
 */
function alignedPairs<D, L>(desired: readonly D[], live: readonly L[], keys: MatchKeys<D, L>): Pair<D, L>[] | undefined {
  if (desired.length !== live.length) return undefined;
  const pairs: Pair<D, L>[] = new Array<Pair<D, L>>(desired.length);
  for (let i = 0; i < desired.length; i += 1) {
    const want = desired[i] as D;
    const have = live[i] as L;
    if (keys.desired(want) !== keys.live(have)) return undefined;
    pairs[i] = { desired: want, live: have, renamed: false };
  }
  return pairs;
}

/** The map key of a schema-qualified name: the one key encoding (../model/object-ref.ts). */
export { nameKey } from '../model/object-ref.js';
