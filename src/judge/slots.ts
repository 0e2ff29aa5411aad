/**
 * Where a judged expression sits in a table, and the normal forms read back for a table.
 * A slot is (kind, object name, key position): the default of column `c` is
 * `('default', 'c', 0)`, the second key of index `i` is `('key', 'i', 2)`.
 */
import type { ViewForm } from '../kinds/view/judge.js';

/** What kind of expression (or type) a slot holds. */
export type SlotKind = 'type' | 'default' | 'generated' | 'check' | 'key' | 'where' | 'when' | 'exclude';

/** A partitioned table's slots (./partitions.ts), named by relation: its key and each partition's bounds and constraint. */
export type PartitionSlotKind = 'partition_by' | 'bound' | 'partition_check';

/** A policy's expressions (src/kinds/policy/judge.ts), named by policy. */
export type PolicySlotKind = 'policy_using' | 'policy_check';

/** The server's verdict on a desired expression against the live one. */
export type Verdict = 'same' | 'different' | 'unjudged';

/**
 * One read-back: the server's normal form (the temporary table's name replaced by `\u0000`), or
 * the error the server raised when the expression was created on the temporary table.
 */
export type SlotForm = string | { readonly error: string; readonly state: string };

/** Slot key → form, for one table. A missing slot is unjudged. */
export type TableForms = Readonly<Record<string, SlotForm>>;

/** The map key of a slot. */
export function slotKey(kind: SlotKind | PartitionSlotKind | PolicySlotKind, name: string, key = 0): string {
  return key === 0 ? `${kind}\u0000${name}` : `${kind}\u0000${name}\u0000${key}`;
}

/** The verdicts of one desired table against its live table, as the diff asks them. */
export interface TableJudge {
  /**
   * The verdict on slot (kind, name, key) against the live text; `unjudged` when the server
   * could not judge (the caller's own comparison decides then).
   */
  verdict(kind: SlotKind | PartitionSlotKind | PolicySlotKind, name: string, key: number, live: string | undefined): Verdict;
  /** The server's normal form of a partition slot, where one was read (a new partition's constraint). */
  form?(kind: PartitionSlotKind, name: string): string | undefined;
}

/** The verdicts of a whole plan: one `TableJudge` per desired table that was judged. */
export interface Judge {
  /** The judge of a desired table; undefined when none of its expressions were judged. */
  forTable(schema: string, name: string): TableJudge | undefined;
  /** The server's reading of a declared view's query (src/kinds/view/judge.ts); undefined when not judged. */
  forView?(schema: string, name: string): ViewForm | undefined;
  /** The judge of a desired domain's default (`default`, its name) and checks (`check`, the check's name). */
  forDomain?(schema: string, name: string): TableJudge | undefined;
}

/**
 * A comparison decided by the judge when it judged, else by `fallback` (today's comparison).
 *
 * @example
 * decide(scope.judge?.verdict('check', 'c', 0, live.expression), () => sameExpr(a, b))
 */
export function decide(verdict: Verdict | undefined, fallback: () => boolean): boolean {
  if (verdict === 'same') return true;
  if (verdict === 'different') return false;
  return fallback();
}
