/** Functions read from the catalog: ./functions.sql → the model's functions. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { argMode, IntrospectError, keyValueOptions, parallelSafety, volatility } from '../../introspect/catalog-codes.js';
import { comment, label, type KindIntrospect } from '../../introspect/model-draft.js';
import { indexOfTopLevel, splitTopLevel } from '../../introspect/sql-text.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { FunctionArg, FunctionDef } from '../../model/types.js';

export interface BodyUseRow {
  readonly kind: 'function' | 'table' | 'column' | 'type';
  readonly schema: string;
  readonly name: string;
  readonly sub?: string;
  readonly signature?: readonly string[];
}

export interface FunctionRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** prokind 'p' (pg_get_function_result is NULL: no `returns`). */
  readonly procedure: boolean;
  readonly arg_types?: readonly string[];
  /** pg_proc.proargmodes: i, o, b (inout), v (variadic), t (table); absent = all `in`. */
  readonly arg_modes?: readonly string[];
  readonly arg_names?: readonly string[];
  readonly arguments_text: string;
  readonly returns?: string;
  readonly language: string;
  readonly body: string;
  /** A SQL-standard body (`RETURN …`, `BEGIN ATOMIC … END`) as pg_get_functiondef prints it. */
  readonly sql_body?: string;
  /** What a SQL-standard body uses (pg_depend): functions by input types, tables, columns, types. */
  readonly body_uses?: readonly BodyUseRow[];
  readonly volatility: string;
  readonly strict: boolean;
  readonly security_definer: boolean;
  readonly leakproof: boolean;
  readonly parallel: string;
  readonly config?: readonly string[];
  readonly comment?: string;
}

export const functionsQuery = catalogQuery<FunctionRow>('functions', new URL('./functions.sql', import.meta.url), 'first');

export const functionIntrospect: KindIntrospect = {
  queries: [functionsQuery],
  build: (rows, draft) => {
    for (const f of rows.of(functionsQuery)) if (draft.managed(f.schema, f.name)) draft.model.functions.push(toFunction(f));
  },
};

/**
 * The DEFAULT expressions of each argument, from pg_get_function_arguments' text. Arguments
 * of mode `t` (RETURNS TABLE columns) are not in that text.
 */
function argumentDefaults(text: string): (string | undefined)[] {
  return splitTopLevel(text).map((piece) => {
    const at = indexOfTopLevel(piece, ' DEFAULT ');
    return at < 0 ? undefined : piece.slice(at + ' DEFAULT '.length).trim();
  });
}

/** `SETOF x` → `setof x`, `TABLE(...)` → `table(...)`, as the model spells return types. */
function returnType(text: string): string {
  if (text.startsWith('SETOF ')) return `setof ${text.slice('SETOF '.length)}`;
  if (text.startsWith('TABLE(')) return `table(${text.slice('TABLE('.length)}`;
  return text;
}

/** A pg_depend row of a SQL-standard body as an `ObjectRef`. */
function bodyUse(u: BodyUseRow): ObjectRef {
  switch (u.kind) {
    case 'function':
      return { kind: 'function', schema: u.schema, name: u.name, signature: u.signature ?? [] };
    case 'column':
      return { kind: 'column', schema: u.schema, name: u.name, sub: u.sub ?? '' };
    default:
      return { kind: u.kind, schema: u.schema, name: u.name };
  }
}

function toFunction(f: FunctionRow): FunctionDef {
  const owner = (): string => `${f.procedure ? 'procedure' : 'function'} ${label(f.schema, f.name)}`;
  const types = f.arg_types ?? [];
  const defaults = argumentDefaults(f.arguments_text);
  const args: FunctionArg[] = [];
  let listed = 0;
  types.forEach((type, n) => {
    const mode = argMode(f.arg_modes?.[n] ?? 'i', owner);
    if (mode === undefined) return;
    const name = f.arg_names?.[n] ?? '';
    const dflt = defaults[listed];
    listed++;
    args.push({
      ...(name !== '' ? { name } : {}),
      type,
      mode,
      ...(dflt !== undefined ? { default: dflt } : {}),
    });
  });
  if (listed !== defaults.length) {
    throw new IntrospectError(`${owner()}: ${listed} arguments in the catalog but ${defaults.length} in "${f.arguments_text}"`);
  }
  return {
    schema: f.schema,
    name: f.name,
    ...(f.procedure ? { procedure: true as const } : {}),
    arguments: args,
    returns: f.procedure ? '' : returnType(f.returns ?? ''),
    language: f.language,
    body: f.body,
    ...(f.sql_body !== undefined && f.sql_body !== null ? { sqlBody: f.sql_body } : {}),
    ...(f.body_uses !== undefined && f.body_uses !== null && f.body_uses.length > 0 ? { bodyUses: f.body_uses.map(bodyUse) } : {}),
    volatility: volatility(f.volatility, owner),
    strict: f.strict,
    security: f.security_definer ? 'definer' : 'invoker',
    leakproof: f.leakproof,
    parallel: parallelSafety(f.parallel, owner),
    config: keyValueOptions(f.config),
    ...comment(f.comment),
  };
}
