/**
 * Functions, keyed by (schema, name, IN/INOUT/VARIADIC argument types) as PostgreSQL keys
 * them. A difference `CREATE OR REPLACE` can make is a `replace_function`; one it cannot
 * (return type, argument names or modes, a removed default) is a drop + create, and every
 * kept trigger that calls the function is then re-created too (see ../trigger/diff.ts), and so are
 * the kept checks and indexes that call it (../constraint/diff.ts, ../index/diff.ts) and the kept
 * functions whose SQL-standard bodies use it (`recreatedCallers`).
 */
import type { FunctionArg, FunctionDef, QualifiedName, SchemaModel } from '../../model/types.js';
import type { Change } from '../../diff/changes.js';
import type { ModelKindDiff } from '../../diff/kind-diff.js';
import { diffComment } from '../comment/diff.js';
import { bodyText, sameConfig, sameExpr } from '../../diff/compare.js';
import { matchObjects, nameKey } from '../../diff/match.js';

/** The function diff's changes and the functions it drops and re-creates. */
export interface FunctionDiff {
  readonly changes: readonly Change[];
  /** `nameKey(schema, name)` of every function dropped and created again. */
  readonly recreated: ReadonlySet<string>;
}

/** The identity PostgreSQL gives a function (name and input argument types): its `refKey`. */
import { functionKey, refKey } from '../../model/object-ref.js';
export { functionKey };

/** The function kind's diff (`ObjectKind.diff`): the driver ran it first (`functionsInUse`), the table diff needs what it re-creates. */
export const functionDiff: ModelKindDiff = { scope: 'model', run: (d) => d.functions.changes };

/**
 * @param inUse `nameKey(schema, name)` of functions kept triggers call: never dropped
 * @example
 * diffFunctions([setUpdatedAtV2], [setUpdatedAtV1], new Set())
 * // { changes: [{ kind: 'replace_function', from: setUpdatedAtV1, to: setUpdatedAtV2 }], recreated: Set {} }
 */
export function diffFunctions(desired: readonly FunctionDef[], live: readonly FunctionDef[], inUse: ReadonlySet<string>): FunctionDiff {
  const matching = matchObjects(desired, live, { desired: functionKey, live: functionKey });
  const changes: Change[] = [];
  const recreated = new Set<string>();
  const calling = recreatedCallers(matching.pairs);
  for (const fn of matching.added) {
    changes.push({ kind: 'create_function', fn });
    changes.push(...diffComment({ on: 'function', fn }, fn.comment, undefined));
  }
  for (const { desired: to, live: from } of matching.pairs) {
    const calls = calling.get(functionKey(from));
    if (!replaceable(to, from) || calls !== undefined) {
      changes.push({ kind: 'drop_function', fn: from, ...(calls !== undefined ? { calls } : {}) }, { kind: 'create_function', fn: to });
      changes.push(...diffComment({ on: 'function', fn: to }, to.comment, undefined));
      recreated.add(nameKey(to.schema, to.name));
      continue;
    }
    if (!sameDefinition(to, from)) changes.push({ kind: 'replace_function', from, to });
    changes.push(...diffComment({ on: 'function', fn: to }, to.comment, from.comment));
  }
  for (const fn of matching.removed) {
    if (!inUse.has(nameKey(fn.schema, fn.name))) changes.push({ kind: 'drop_function', fn });
  }
  return { changes, recreated };
}

/**
 * Kept functions whose SQL-standard body uses a function that is dropped and created again (its
 * result type or argument names change): PostgreSQL refuses the drop while such a body depends
 * on it (pg_depend, the live side's `bodyUses`), so they are dropped first and created again
 * after it — and so, in turn, the functions whose bodies use them. Maps each caller's key to the
 * re-created function it uses.
 */
function recreatedCallers(pairs: readonly { readonly desired: FunctionDef; readonly live: FunctionDef }[]): Map<string, FunctionDef> {
  const byKey = new Map(pairs.map((p) => [functionKey(p.live), p.live] as const));
  const recreated = new Set(pairs.filter((p) => !replaceable(p.desired, p.live)).map((p) => functionKey(p.live)));
  const callers = new Map<string, FunctionDef>();
  for (let grew = true; grew;) {
    grew = false;
    for (const { live: fn } of pairs) {
      const key = functionKey(fn);
      if (recreated.has(key)) continue;
      const used = fn.bodyUses?.find((ref) => ref.kind === 'function' && recreated.has(refKey(ref)));
      if (used === undefined) continue;
      const callee = byKey.get(refKey(used));
      if (callee === undefined) continue;
      callers.set(key, callee);
      recreated.add(key);
      grew = true;
    }
  }
  return callers;
}

/** What `CREATE OR REPLACE FUNCTION` (`… PROCEDURE`) can turn `live` into: same kind, result, argument names and modes, no default removed. */
function replaceable(desired: FunctionDef, live: FunctionDef): boolean {
  // A function does not become a procedure, nor one a function, by CREATE OR REPLACE.
  if (desired.returns !== live.returns || desired.procedure !== live.procedure) return false;
  if (desired.arguments.length !== live.arguments.length) return false;
  return desired.arguments.every((want, i) => {
    const have = live.arguments[i];
    return (
      have !== undefined &&
      want.mode === have.mode &&
      want.type === have.type &&
      (want.name ?? '') === (have.name ?? '') &&
      !(have.default !== undefined && want.default === undefined)
    );
  });
}

function sameDefinition(desired: FunctionDef, live: FunctionDef): boolean {
  return (
    bodyText(desired.body) === bodyText(live.body) &&
    sameSqlBody(desired.sqlBody, live.sqlBody) &&
    desired.language.toLowerCase() === live.language.toLowerCase() &&
    desired.volatility === live.volatility &&
    desired.strict === live.strict &&
    desired.security === live.security &&
    desired.leakproof === live.leakproof &&
    desired.parallel === live.parallel &&
    sameConfig(desired.config, live.config) &&
    sameDefaults(desired.arguments, live.arguments)
  );
}

/**
 * Two SQL-standard bodies: `RETURN e` by the expressions (the server prints `RETURN (a + b)` for
 * `RETURN a + b`), `BEGIN ATOMIC … END` by its text with runs of blanks as one (write it as pull
 * does: the server qualifies the names it prints).
 */
function sameSqlBody(desired: string | undefined, live: string | undefined): boolean {
  if (desired === live) return true;
  if (desired === undefined || live === undefined) return false;
  const ret = /^RETURN\s+/i;
  if (ret.test(desired) && ret.test(live)) {
    try {
      return sameExpr(desired.replace(ret, ''), live.replace(ret, ''));
    } catch {
      return false;
    }
  }
  return desired.replace(/\s+/g, ' ').trim() === live.replace(/\s+/g, ' ').trim();
}

function sameDefaults(desired: readonly FunctionArg[], live: readonly FunctionArg[]): boolean {
  return desired.every((want, i) => sameExpr(want.default, live[i]?.default));
}

/**
 * The key trigger references use to find their function.
 *
 * @example
 * triggerFunctionKey({ schema: 'public', name: 'set_updated_at' })  // nameKey('public', 'set_updated_at')
 */
export function triggerFunctionKey(fn: QualifiedName): string {
  return nameKey(fn.schema, fn.name);
}

/** Functions the diff must not drop: those declared triggers call, and those of unmanaged tables' triggers. */
export function functionsInUse(want: SchemaModel, live: SchemaModel, isIgnored: (schema: string, name: string) => boolean): Set<string> {
  const inUse = new Set<string>();
  for (const table of want.tables) for (const trigger of table.triggers) inUse.add(triggerFunctionKey(trigger.function));
  for (const table of live.tables) {
    if (!isIgnored(table.schema, table.name)) continue;
    for (const trigger of table.triggers) inUse.add(triggerFunctionKey(trigger.function));
  }
  return inUse;
}
