/**
 * Sequence options as PostgreSQL's CREATE SEQUENCE defaults them, as decimal strings
 * (bigint limits do not fit a JavaScript number).
 */

export type SequenceType = 'smallint' | 'integer' | 'bigint';

/** The value range of a sequence's data type. */
export function sequenceBounds(type: SequenceType): { readonly min: bigint; readonly max: bigint } {
  switch (type) {
    case 'smallint':
      return { min: -32768n, max: 32767n };
    case 'integer':
      return { min: -2147483648n, max: 2147483647n };
    case 'bigint':
      return { min: -9223372036854775808n, max: 9223372036854775807n };
  }
}

/** Options as given; undefined means "PostgreSQL's default". */
export interface SequenceOptions {
  readonly start?: bigint;
  readonly increment?: bigint;
  readonly minValue?: bigint;
  readonly maxValue?: bigint;
  readonly cache?: bigint;
  readonly cycle?: boolean;
}

export interface SequenceSettings {
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
}

/**
 * Fills in PostgreSQL's defaults: increment 1; ascending: min 1, max the type's maximum,
 * start = min; descending: min the type's minimum, max -1, start = max; cache 1; no cycle.
 *
 * @example
 * sequenceSettings('integer', {})  // { start: '1', increment: '1', minValue: '1', maxValue: '2147483647', cache: '1', cycle: false }
 */
export function sequenceSettings(type: SequenceType, options: SequenceOptions): SequenceSettings {
  const bounds = sequenceBounds(type);
  const increment = options.increment ?? 1n;
  const ascending = increment > 0n;
  const minValue = options.minValue ?? (ascending ? 1n : bounds.min);
  const maxValue = options.maxValue ?? (ascending ? bounds.max : -1n);
  const start = options.start ?? (ascending ? minValue : maxValue);
  return {
    start: String(start),
    increment: String(increment),
    minValue: String(minValue),
    maxValue: String(maxValue),
    cache: String(options.cache ?? 1n),
    cycle: options.cycle ?? false,
  };
}
