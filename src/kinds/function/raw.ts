/**
 * Functions and procedures as written (`functions:` and `procedures:` of a schema, keyed `name` or
 * `name(type, …)`) → the model's functions (a procedure is one with `procedure: true`).
 */
import type { DocPath } from '../../desired/diagnostic.js';
import type { FunctionArg, FunctionDef } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { RawSchema } from '../schema/raw.js';
import { parseFunctionKey } from './resolve.js';

declare module '../schema/raw.js' {
  interface RawSchema {
    readonly functions?: Readonly<Record<string, RawFunction>>;
    readonly procedures?: Readonly<Record<string, RawProcedure>>;
  }
}

export interface RawFunctionArgument {
  readonly name?: string;
  readonly type: string;
  readonly mode?: 'in' | 'out' | 'inout' | 'variadic';
  readonly default?: string | number | boolean;
}

export interface RawFunction {
  readonly returns: string;
  readonly language: string;
  readonly arguments?: readonly RawFunctionArgument[];
  readonly volatility?: 'volatile' | 'stable' | 'immutable';
  readonly strict?: boolean;
  readonly security?: 'invoker' | 'definer';
  readonly leakproof?: boolean;
  readonly parallel?: 'unsafe' | 'restricted' | 'safe';
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  /** Exactly one of `body` and `sql_body`. */
  readonly body?: string;
  readonly sql_body?: string;
  readonly comment?: string;
}

/** A procedure as written: a function's fields without a result, volatility, strictness, leakproof or parallel safety. */
export interface RawProcedure {
  readonly language: string;
  readonly arguments?: readonly RawProcedureArgument[];
  readonly security?: 'invoker' | 'definer';
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  /** Exactly one of `body` and `sql_body`. */
  readonly body?: string;
  readonly sql_body?: string;
  readonly comment?: string;
}

export interface RawProcedureArgument {
  readonly name?: string;
  readonly type: string;
  readonly mode?: 'in' | 'inout' | 'variadic';
  readonly default?: string | number | boolean;
}

/** A procedure read as the function it is in the model. */
function procedureDef(schema: string, key: string, raw: RawProcedure, ctx: ToModelContext): FunctionDef {
  const { body, sql_body, ...rest } = raw;
  const asFunction: RawFunction = {
    ...rest,
    returns: 'void',
    ...(body !== undefined ? { body } : {}),
    ...(sql_body !== undefined ? { sql_body } : {}),
  };
  return { ...functionDef(schema, key, asFunction, ctx, 'procedures'), procedure: true, returns: '' };
}

function functionDef(
  schema: string,
  key: string,
  raw: RawFunction,
  ctx: ToModelContext,
  map: 'functions' | 'procedures' = 'functions',
): FunctionDef {
  const path: DocPath = ['schemas', schema, map, key];
  const parsedKey = parseFunctionKey(key);
  const name = 'name' in parsedKey ? parsedKey.name : key;
  const args: FunctionArg[] = (raw.arguments ?? []).map((arg, i) => ({
    ...(arg.name !== undefined ? { name: arg.name } : {}),
    type: withoutTypmods(ctx.type(arg.type, schema, 'argument', [...path, 'arguments', i, 'type']).canonical),
    mode: arg.mode ?? 'in',
    ...(arg.default !== undefined ? { default: ctx.sqlText(arg.default, [...path, 'arguments', i, 'default']) } : {}),
  }));
  const config: Record<string, string> = {};
  for (const [param, value] of entries(raw.set)) config[param.toLowerCase()] = ctx.sqlText(value, [...path, 'set', param]);
  return {
    schema,
    name,
    arguments: args,
    returns: withoutTypmods(ctx.type(raw.returns, schema, 'return', [...path, 'returns']).canonical),
    language: raw.language.toLowerCase(),
    body: raw.body ?? '',
    ...(raw.sql_body !== undefined ? { sqlBody: raw.sql_body.trim() } : {}),
    volatility: raw.volatility ?? 'volatile',
    strict: raw.strict ?? false,
    security: raw.security ?? 'invoker',
    leakproof: raw.leakproof ?? false,
    parallel: raw.parallel ?? 'unsafe',
    config,
    ...commentOf(raw),
  };
}

function readFunctions(schema: string, body: RawSchema, ctx: ToModelContext): void {
  for (const [key, value] of entries(body.functions)) ctx.model.functions.push(functionDef(schema, key, value, ctx));
  for (const [key, value] of entries(body.procedures)) ctx.model.functions.push(procedureDef(schema, key, value, ctx));
}

export const functionRaw = { in: 'schema', read: readFunctions } as const satisfies KindRaw;

/**
 * PostgreSQL drops type modifiers from function argument and result types (`varchar(10)` is
 * stored as `character varying`), so the model keeps them without.
 *
 * @example
 * withoutTypmods('character varying(10)[]')          // 'character varying[]'
 * withoutTypmods('timestamp(3) with time zone')      // 'timestamp with time zone'
 */
export function withoutTypmods(type: string): string {
  if (/^table\s*\(/i.test(type)) return type;
  return type
    .replace(/\([^()]*\)/g, '')
    .replace(/^interval .*?(\[\])?$/, 'interval$1')
    .replace(/\s+/g, ' ')
    .trim();
}
