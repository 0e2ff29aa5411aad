/** Functions in the model: the types, their order, their fingerprint form. */
import { compareQualified, compareText, expressionForm } from '../../model/canonical.js';
import { functionRef, refLabel, type ObjectRef } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ModelList } from '../kind.js';

export type Volatility = 'volatile' | 'stable' | 'immutable';
export type Security = 'invoker' | 'definer';
export type ParallelSafety = 'unsafe' | 'restricted' | 'safe';
export type ArgMode = 'in' | 'out' | 'inout' | 'variadic';

export interface FunctionArg {
  readonly name?: string;
  /** Canonical type. */
  readonly type: string;
  readonly mode: ArgMode;
  readonly default?: string;
}

export interface FunctionDef extends QualifiedName {
  /**
   * A procedure (CREATE PROCEDURE, prokind 'p'; the file's `procedures:` map): `returns` is '',
   * volatility, strictness, leakproof and parallel safety are their defaults. Absent on functions.
   */
  readonly procedure?: true;
  readonly arguments: readonly FunctionArg[];
  /** Canonical return type; `trigger`, `void`, `setof integer`, `table(id integer, name text)`. */
  readonly returns: string;
  readonly language: string;
  /** The body as PostgreSQL stores it (prosrc; '' with a SQL-standard body). */
  readonly body: string;
  /** A SQL-standard body instead (`RETURN a + b`, `BEGIN ATOMIC … END`), written after the attributes. */
  readonly sqlBody?: string;
  readonly volatility: Volatility;
  readonly strict: boolean;
  readonly security: Security;
  readonly leakproof: boolean;
  readonly parallel: ParallelSafety;
  /** `SET` clauses, e.g. `{ search_path: 'public' }`. */
  readonly config: Readonly<Record<string, string>>;
  readonly comment?: string;
  /**
   * Live side only: what a SQL-standard body uses as pg_depend records it (functions with their
   * input types, tables, columns, types), so that drops run in the order the server requires.
   * The desired side's are read from `sqlBody` (src/plan/references.ts).
   */
  readonly bodyUses?: readonly ObjectRef[];
}

/** The argument types that identify a function (IN, INOUT and VARIADIC arguments). */
export function functionIdentityArgs(fn: FunctionDef): string {
  return fn.arguments
    .filter((arg) => arg.mode !== 'out')
    .map((arg) => arg.type)
    .join(',');
}

/**
 * A function body without surrounding blank lines or trailing whitespace, the form bodies
 * are compared in.
 *
 * @example
 * normalizeFunctionBody('\n  BEGIN\n  END;\n\n')  // '  BEGIN\n  END;'
 */
export function normalizeFunctionBody(body: string): string {
  return body.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

export const functionModel: ModelList<'functions', FunctionDef> = {
  property: 'functions',
  inSchemas: true,
  emptyInFingerprint: 'kept',
  // By (schema, name, argument types): overloads share a name.
  normalize: (functions) =>
    [...functions].sort((a, b) => compareQualified(a, b) || compareText(functionIdentityArgs(a), functionIdentityArgs(b))),
  form: (fn) => {
    // What a body uses is known on the live side only (pg_depend): it is no part of the definition.
    const { bodyUses: _uses, ...rest } = fn;
    return {
      ...rest,
      body: normalizeFunctionBody(fn.body),
      arguments: fn.arguments.map((arg) => ({ ...arg, default: expressionForm(arg.default) })),
    };
  },
  label: (fn) => refLabel(functionRef(fn)),
};
