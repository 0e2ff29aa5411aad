/** Aggregates as written (`aggregates:` of a schema, keyed `name` or `name(type, …)`) → the model. */
import type { QualifiedName } from '../../model/types.js';
import { withoutTypmods } from '../function/raw.js';
import { parseFunctionKey } from '../function/resolve.js';
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly aggregates?: Readonly<Record<string, RawAggregate>>;
  }
}

export interface RawAggregate {
  readonly arguments?: readonly string[];
  readonly sfunc: string;
  readonly stype: string;
  readonly finalfunc?: string;
  readonly finalfunc_extra?: boolean;
  readonly combinefunc?: string;
  readonly initcond?: string | number | boolean;
  readonly parallel?: 'unsafe' | 'restricted' | 'safe';
}

/**
 * A support function's name as written: `schema.name`, or `name` — the schema's own function
 * when the file declares one of that name there, else pg_catalog's (`int4pl`, `array_append`).
 *
 * @example supportFunction('_group_concat', 'public', new Set(['_group_concat']))   // { schema: 'public', name: '_group_concat' }
 * @example supportFunction('int4pl', 'public', new Set())                          // { schema: 'pg_catalog', name: 'int4pl' }
 */
export function supportFunction(text: string, schema: string, declared: ReadonlySet<string>): QualifiedName {
  const dot = text.indexOf('.');
  if (dot > 0) return { schema: text.slice(0, dot), name: text.slice(dot + 1) };
  return { schema: declared.has(text) ? schema : 'pg_catalog', name: text };
}

/** The names of the functions a schema body declares. */
export function declaredFunctionNames(body: RawSchema): Set<string> {
  const names = new Set<string>();
  for (const [key] of entries(body.functions)) {
    const parsed = parseFunctionKey(key);
    names.add('name' in parsed ? parsed.name : key);
  }
  return names;
}

function readAggregates(schema: string, body: RawSchema, ctx: ToModelContext): void {
  const declared = declaredFunctionNames(body);
  for (const [key, raw] of entries(body.aggregates)) {
    const path = ['schemas', schema, 'aggregates', key];
    const parsed = parseFunctionKey(key);
    const fn = (text: string): QualifiedName => supportFunction(text, schema, declared);
    ctx.model.aggregates.push({
      schema,
      name: 'name' in parsed ? parsed.name : key,
      arguments: (raw.arguments ?? []).map((t, i) => withoutTypmods(ctx.type(t, schema, 'argument', [...path, 'arguments', i]).canonical)),
      sfunc: fn(raw.sfunc),
      stype: withoutTypmods(ctx.type(raw.stype, schema, 'argument', [...path, 'stype']).canonical),
      ...(raw.finalfunc !== undefined ? { finalfunc: fn(raw.finalfunc) } : {}),
      ...(raw.finalfunc_extra === true ? { finalfuncExtra: true as const } : {}),
      ...(raw.combinefunc !== undefined ? { combinefunc: fn(raw.combinefunc) } : {}),
      ...(raw.initcond !== undefined ? { initcond: ctx.sqlText(raw.initcond, [...path, 'initcond']) } : {}),
      parallel: raw.parallel ?? 'unsafe',
    });
  }
}

export const aggregateRaw = { in: 'schema', read: readAggregates } as const satisfies KindRaw;
