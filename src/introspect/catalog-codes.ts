/**
 * Decoders for the one-letter codes, bit sets and packed values of the system catalogs.
 * An unknown code is an error naming the object, never a silent default.
 */
import type { SequenceSettings } from '../desired/sequence-defaults.js';
import type {
  ArgMode,
  FkAction,
  FkMatch,
  Identity,
  IdentityKind,
  ParallelSafety,
  TriggerEnabled,
  TriggerEvent,
  TriggerTiming,
  Volatility,
} from '../model/types.js';

/** A catalog value pgreconcile does not know how to represent. */
export class IntrospectError extends Error {
  override readonly name = 'IntrospectError';
}

/** Names the object a value belongs to, for messages; computed only when one is needed. */
export type Owner = () => string;

function unknownCode(what: string, code: string, owner: Owner): never {
  throw new IntrospectError(`${owner()}: unknown ${what} code '${code}' in the catalog`);
}

/**
 * pg_constraint.confupdtype / confdeltype.
 *
 * @example fkAction('c', () => 'constraint orders_user_id_fkey') // 'cascade'
 */
export function fkAction(code: string, owner: Owner): FkAction {
  switch (code) {
    case 'a':
      return 'no action';
    case 'r':
      return 'restrict';
    case 'c':
      return 'cascade';
    case 'n':
      return 'set null';
    case 'd':
      return 'set default';
    default:
      return unknownCode('foreign-key action', code, owner);
  }
}

/** pg_constraint.confmatchtype (`p`, MATCH PARTIAL, is not implemented by PostgreSQL). */
export function fkMatch(code: string, owner: Owner): FkMatch {
  switch (code) {
    case 's':
      return 'simple';
    case 'f':
      return 'full';
    default:
      return unknownCode('foreign-key match', code, owner);
  }
}

/** pg_proc.provolatile. */
export function volatility(code: string, owner: Owner): Volatility {
  switch (code) {
    case 'v':
      return 'volatile';
    case 's':
      return 'stable';
    case 'i':
      return 'immutable';
    default:
      return unknownCode('volatility', code, owner);
  }
}

/** pg_proc.proparallel. */
export function parallelSafety(code: string, owner: Owner): ParallelSafety {
  switch (code) {
    case 'u':
      return 'unsafe';
    case 'r':
      return 'restricted';
    case 's':
      return 'safe';
    default:
      return unknownCode('parallel safety', code, owner);
  }
}

/** pg_proc.proargmodes entry; `t` (a RETURNS TABLE column) is not an argument and gives undefined. */
export function argMode(code: string, owner: Owner): ArgMode | undefined {
  switch (code) {
    case 'i':
      return 'in';
    case 'o':
      return 'out';
    case 'b':
      return 'inout';
    case 'v':
      return 'variadic';
    case 't':
      return undefined;
    default:
      return unknownCode('argument mode', code, owner);
  }
}

/** pg_attribute.attidentity; '' means not an identity column. */
export function identityKind(code: string, owner: Owner): IdentityKind | undefined {
  switch (code) {
    case '':
      return undefined;
    case 'a':
      return 'always';
    case 'd':
      return 'by default';
    default:
      return unknownCode('identity', code, owner);
  }
}

/** pg_trigger.tgenabled. */
export function triggerEnabled(code: string, owner: Owner): TriggerEnabled {
  switch (code) {
    case 'O':
      return 'origin';
    case 'D':
      return 'disabled';
    case 'R':
      return 'replica';
    case 'A':
      return 'always';
    default:
      return unknownCode('trigger enabled', code, owner);
  }
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const TRIGGER_TYPE_ROW = 1 << 0;
const TRIGGER_TYPE_BEFORE = 1 << 1;
const TRIGGER_TYPE_INSERT = 1 << 2;
const TRIGGER_TYPE_DELETE = 1 << 3;
const TRIGGER_TYPE_UPDATE = 1 << 4;
const TRIGGER_TYPE_TRUNCATE = 1 << 5;
const TRIGGER_TYPE_INSTEAD = 1 << 6;

/**
 * Timing, events (in the order insert, update, delete, truncate) and level of a tgtype.
 *
 * @example triggerType(19) // { timing: 'before', events: ['update'], level: 'row' }
 */
export function triggerType(tgtype: number): {
  timing: TriggerTiming;
  events: TriggerEvent[];
  level: 'row' | 'statement';
} {
  const timing: TriggerTiming = tgtype & TRIGGER_TYPE_INSTEAD ? 'instead of' : tgtype & TRIGGER_TYPE_BEFORE ? 'before' : 'after';
  const events: TriggerEvent[] = [];
  if (tgtype & TRIGGER_TYPE_INSERT) events.push('insert');
  if (tgtype & TRIGGER_TYPE_UPDATE) events.push('update');
  if (tgtype & TRIGGER_TYPE_DELETE) events.push('delete');
  if (tgtype & TRIGGER_TYPE_TRUNCATE) events.push('truncate');
  return { timing, events, level: tgtype & TRIGGER_TYPE_ROW ? 'row' : 'statement' };
}

/**
 * The trigger arguments packed in pg_trigger.tgargs (each one NUL-terminated), from hex.
 *
 * @example triggerArguments('610062630000', 3) // ['a', 'bc', '']
 */
export function triggerArguments(hex: string, count: number): string[] {
  const bytes = Buffer.from(hex, 'hex');
  const args: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length && args.length < count; i++) {
    if (bytes[i] === 0) {
      args.push(bytes.subarray(start, i).toString('utf8'));
      start = i + 1;
    }
  }
  return args;
}

/**
 * `key=value` option lists (reloptions, proconfig, attoptions) as a record; values stay text.
 *
 * @example keyValueOptions(['lists=100']) // { lists: '100' }
 */
export function keyValueOptions(options: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of options ?? []) {
    const eq = option.indexOf('=');
    if (eq < 0) out[option] = '';
    else out[option.slice(0, eq)] = option.slice(eq + 1);
  }
  return out;
}

const TYPE_RANGE: Readonly<Record<string, { min: string; max: string }>> = {
  smallint: { min: '-32768', max: '32767' },
  integer: { min: '-2147483648', max: '2147483647' },
  bigint: { min: '-9223372036854775808', max: '9223372036854775807' },
};

/**
 * Identity options that differ from what PostgreSQL would choose given the others, the way
 * CREATE SEQUENCE defaults them: min/max from the type and the sign of the increment, start
 * from min (ascending) or max (descending). So `{ start: 100 }` round-trips as `{ start: '100' }`
 * and `{ increment: -1 }` as `{ increment: '-1' }`.
 *
 * @example
 * const seq = { start: '1', increment: '1', minValue: '1', maxValue: '2147483647', cache: '1', cycle: false };
 * identityOptions('always', 'integer', seq);                  // { kind: 'always' }
 * identityOptions('always', 'integer', { ...seq, start: '5' }); // { kind: 'always', start: '5' }
 */
export function identityOptions(kind: IdentityKind, type: string, seq: SequenceSettings): Identity {
  const range = TYPE_RANGE[type] ?? TYPE_RANGE['bigint'];
  const descending = seq.increment.startsWith('-');
  const defaultMin = descending ? range?.min : '1';
  const defaultMax = descending ? '-1' : range?.max;
  const defaultStart = descending ? seq.maxValue : seq.minValue;
  return {
    kind,
    ...(seq.start !== defaultStart ? { start: seq.start } : {}),
    ...(seq.increment !== '1' ? { increment: seq.increment } : {}),
    ...(seq.minValue !== defaultMin ? { minValue: seq.minValue } : {}),
    ...(seq.maxValue !== defaultMax ? { maxValue: seq.maxValue } : {}),
    ...(seq.cache !== '1' ? { cache: seq.cache } : {}),
    ...(seq.cycle ? { cycle: true } : {}),
  };
}
