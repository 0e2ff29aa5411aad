/** Sequences as written (`sequences:` of a schema) → the model, completed the way CREATE SEQUENCE completes them. */
import type { DocPath } from '../../desired/diagnostic.js';
import type { SequenceType } from '../../desired/sequence-defaults.js';
import { sequenceSettings } from '../../desired/sequence-defaults.js';
import type { Sequence } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, RawInteger, ToModelContext } from '../raw.js';
import { entries, optional } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly sequences?: Readonly<Record<string, RawSequence | null>>;
  }
}

export interface RawSequence {
  readonly type?: 'smallint' | 'integer' | 'bigint';
  readonly start?: RawInteger;
  readonly increment?: RawInteger;
  readonly min_value?: RawInteger;
  readonly max_value?: RawInteger;
  readonly cache?: RawInteger;
  readonly cycle?: boolean;
  readonly owned_by?: string;
  readonly comment?: string;
}

/** A sequence's options as written (also an identity column's). */
export interface SequenceOptionsAsWritten {
  readonly start?: RawInteger;
  readonly increment?: RawInteger;
  readonly min_value?: RawInteger;
  readonly max_value?: RawInteger;
  readonly cache?: RawInteger;
  readonly cycle?: boolean;
}

/** A sequence's (or an identity's) options as written, completed the way CREATE SEQUENCE completes them. */
export function settingsAsWritten(
  type: SequenceType,
  raw: SequenceOptionsAsWritten,
  path: DocPath,
  ctx: ToModelContext,
): ReturnType<typeof sequenceSettings> {
  const get = (key: 'start' | 'increment' | 'min_value' | 'max_value' | 'cache'): bigint | undefined => {
    const v = raw[key];
    return v === undefined ? undefined : ctx.integer(v, [...path, key]);
  };
  return sequenceSettings(type, {
    ...optional('start', get('start')),
    ...optional('increment', get('increment')),
    ...optional('minValue', get('min_value')),
    ...optional('maxValue', get('max_value')),
    ...optional('cache', get('cache')),
    ...optional('cycle', raw.cycle),
  });
}

function sequence(schema: string, name: string, raw: RawSequence, path: DocPath, ctx: ToModelContext): Sequence {
  const type: SequenceType = raw.type ?? 'bigint';
  const settings = settingsAsWritten(type, raw, path, ctx);
  let ownedBy: Sequence['ownedBy'];
  if (raw.owned_by !== undefined) {
    const dot = raw.owned_by.lastIndexOf('.');
    ownedBy = { schema, table: raw.owned_by.slice(0, dot), column: raw.owned_by.slice(dot + 1) };
  }
  return {
    schema,
    name,
    type,
    ...settings,
    ...(ownedBy !== undefined ? { ownedBy } : {}),
    ...commentOf(raw),
  };
}

function readSequences(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [name, value] of entries(body.sequences)) {
    ctx.model.sequences.push(sequence(schema, name, value ?? {}, ['schemas', schema, 'sequences', name], ctx));
  }
}

export const sequenceRaw = { in: 'schema', read: readSequences } as const satisfies KindRaw;
