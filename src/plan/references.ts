/**
 * Graph keys for model objects and what each object requires: its schema, the enum types and
 * sequences and functions its columns, defaults, checks and index expressions use, the tables
 * and keys its foreign keys reference. The ordering (./order.ts) turns these into edges.
 */
import { parseTypeName, TypeNameError } from '../model/type-names.js';
import { checkReferencedColumns } from '../model/default-names.js';
import { parseSql } from '../sql/parser.js';
import { functionKey, nameKey, refKey, type RefKey } from '../model/object-ref.js';
import type { KeyFunctions } from '../kinds/registry.js';
import { multirangeName } from '../kinds/range-type/diff.js';
import type {
  CheckConstraint,
  Column,
  ForeignKey,
  FunctionDef,
  Index,
  QualifiedName,
  SchemaModel,
  Table,
  Trigger,
} from '../model/types.js';

/**
 * Graph keys: `refKey` of the object each names (../model/object-ref.ts), the one key function;
 * its encoding keeps them unambiguous whatever the names hold. Each kind declares its own
 * (`keys` in src/kinds/<kind>/refs.ts); src/kinds/registry.ts puts every registered kind's here
 * when it loads (this module cannot import the registry: the kinds' steps import it), before
 * anything plans.
 */
export const key = {} as KeyFunctions;

/**
 * What the models know about names: which types are enums, which function names are user
 * functions. Built once per plan from both models.
 */
export class ReferenceResolver {
  private readonly enums = new Set<string>();
  /** Composite and range types (and multirange types, under their range's name), `nameKey` → the type. */
  private readonly userTypes = new Map<string, QualifiedName>();
  private readonly domains = new Set<string>();
  /** User collations (a column's `collation` is one name, looked up in `public`). */
  private readonly collations = new Set<string>();
  /** Tables, whose row types functions and columns may use. */
  private readonly tables = new Set<string>();
  private readonly functionNames = new Set<string>();
  /** The overloads of each user function name (`nameKey`), from both models. */
  private readonly overloads = new Map<string, FunctionDef[]>();
  private readonly functionPattern: RegExp | undefined;
  private readonly typeCache = new Map<string, QualifiedName | undefined>();
  private readonly exprCache = new Map<string, readonly QualifiedName[]>();

  constructor(models: readonly SchemaModel[]) {
    const bareNames = new Set<string>();
    for (const model of models) {
      for (const e of model.enums) this.enums.add(nameKey(e.schema, e.name));
      for (const d of model.domains) this.domains.add(nameKey(d.schema, d.name));
      for (const c of model.collations) this.collations.add(nameKey(c.schema, c.name));
      for (const t of [...model.compositeTypes, ...model.rangeTypes]) this.userTypes.set(nameKey(t.schema, t.name), t);
      for (const r of model.rangeTypes) this.userTypes.set(nameKey(r.schema, multirangeName(r)), r);
      for (const t of model.tables) this.tables.add(nameKey(t.schema, t.name));
      for (const f of model.functions) {
        const name = nameKey(f.schema, f.name);
        this.functionNames.add(name);
        bareNames.add(f.name);
        const list = this.overloads.get(name) ?? [];
        if (!list.some((g) => functionKey(g) === functionKey(f))) list.push(f);
        this.overloads.set(name, list);
      }
    }
    if (bareNames.size > 0) {
      const alternatives = [...bareNames].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      this.functionPattern = new RegExp(`(${alternatives})"?\\s*\\(`);
    }
  }

  /**
   * The key of the user type a type names — an enum (`app.mood[]` → the enum app.mood) or a
   * table's row type (`SETOF orders`, `customers[]` → the table) — or undefined for other types.
   */
  userTypeKey(type: string): string | undefined {
    const enumType = this.enumOfType(type) ?? this.#domainOfType(type);
    if (enumType) return key.type(enumType);
    const userType = this.#userTypeOf(type);
    if (userType) return key.type(userType);
    const table = this.tableOfType(type.replace(/^\s*setof\s+/i, ''));
    return table ? key.table(table) : undefined;
  }

  /** The composite or range type a type names (`addr[]`, a range's multirange type), or undefined. */
  #userTypeOf(type: string): QualifiedName | undefined {
    if (this.userTypes.size === 0) return undefined;
    try {
      const parsed = parseTypeName(type.replace(/^\s*setof\s+/i, ''));
      const found = parsed.builtin ? undefined : this.userTypes.get(nameKey(parsed.schema ?? 'public', parsed.name));
      return found === undefined ? undefined : { schema: found.schema, name: found.name };
    } catch (error) {
      if (error instanceof TypeNameError) return undefined;
      throw error;
    }
  }

  /** The table whose row type a type names (`public.orders`, `orders[]`), or undefined. */
  tableOfType(type: string): QualifiedName | undefined {
    if (this.tables.size === 0) return undefined;
    try {
      const parsed = parseTypeName(type);
      if (parsed.builtin) return undefined;
      const schema = parsed.schema ?? 'public';
      return this.tables.has(nameKey(schema, parsed.name)) ? { schema, name: parsed.name } : undefined;
    } catch (error) {
      if (error instanceof TypeNameError) return undefined;
      throw error;
    }
  }

  /** The key of the user collation a column's `collation` names (an unqualified name: `public`'s), if any. */
  collationKey(collation: string | undefined): string | undefined {
    if (collation === undefined || !this.collations.has(nameKey('public', collation))) return undefined;
    return key.collation({ schema: 'public', name: collation });
  }

  /** The enum a column type uses (`app.mood[]` → app.mood), or undefined for other types. */
  enumOfType(type: string): QualifiedName | undefined {
    let cached = this.typeCache.get(type);
    if (!this.typeCache.has(type)) {
      cached = undefined;
      try {
        const parsed = parseTypeName(type);
        if (!parsed.builtin) {
          const schema = parsed.schema ?? 'public';
          if (this.enums.has(nameKey(schema, parsed.name))) cached = { schema, name: parsed.name };
        }
      } catch (error) {
        if (!(error instanceof TypeNameError)) throw error;
      }
      this.typeCache.set(type, cached);
    }
    return cached;
  }

  /** The domain a type names (`app.amount[]` → app.amount), or undefined. */
  #domainOfType(type: string): QualifiedName | undefined {
    if (this.domains.size === 0) return undefined;
    try {
      const parsed = parseTypeName(type);
      const schema = parsed.schema ?? 'public';
      return !parsed.builtin && this.domains.has(nameKey(schema, parsed.name)) ? { schema, name: parsed.name } : undefined;
    } catch (error) {
      if (error instanceof TypeNameError) return undefined;
      throw error;
    }
  }

  /** User functions an expression calls (only names both models know as user functions). */
  functionsIn(expression: string | undefined): readonly QualifiedName[] {
    if (expression === undefined || this.functionPattern === undefined) return [];
    if (!this.functionPattern.test(expression)) return [];
    const cached = this.exprCache.get(expression);
    if (cached) return cached;
    const found: QualifiedName[] = [];
    try {
      walk(parseSql(`SELECT (${expression})`), (node) => {
        const call = (node as { FuncCall?: { funcname?: { String?: { sval?: string } }[] } }).FuncCall;
        if (!call?.funcname) return;
        const parts = call.funcname.map((p) => p.String?.sval ?? '');
        const name = parts[parts.length - 1] ?? '';
        const schema = parts.length > 1 ? (parts[0] ?? 'public') : 'public';
        if (this.functionNames.has(nameKey(schema, name))) found.push({ schema, name });
      });
    } catch {
      // An expression the parser rejects was reported by validation; it requires nothing here.
    }
    this.exprCache.set(expression, found);
    return found;
  }

  /**
   * The keys of the user functions an expression calls: each overload of the name the call's
   * argument count fits (`key.function`), or every overload (`key.functionName`) when none does.
   * Unqualified names resolve as the pinned search_path `public` does.
   */
  callKeysIn(expression: string | undefined): RefKey[] {
    if (expression === undefined || this.functionPattern === undefined) return [];
    if (!this.functionPattern.test(expression)) return [];
    const found = new Set<RefKey>();
    try {
      walk(parseSql(`SELECT (${expression})`), (node) => this.#visitCall(node, found));
    } catch {
      // An expression the parser rejects was reported by validation; it requires nothing here.
    }
    return [...found];
  }

  /**
   * What a function's SQL-standard body (`RETURN …`, `BEGIN ATOMIC … END`) needs to exist before
   * it is created, and so must outlive it: the user functions it calls, the tables it reads or
   * writes, the enum types it casts to. A live function's come from pg_depend (`bodyUses`); a
   * declared one's from its parsed body. A body in a string is not checked at creation (apply runs
   * with check_function_bodies off): it needs nothing.
   */
  bodyKeys(fn: FunctionDef): RefKey[] {
    const found = new Set<RefKey>();
    if (fn.bodyUses !== undefined) {
      for (const ref of fn.bodyUses) {
        if (ref.kind === 'type' && ref.schema !== undefined) {
          const q = { schema: ref.schema, name: ref.name };
          if (this.enums.has(nameKey(q.schema, q.name))) found.add(key.type(q));
          else if (this.tables.has(nameKey(q.schema, q.name))) found.add(key.table(q));
        } else found.add(refKey(ref));
      }
      return [...found];
    }
    if (fn.sqlBody === undefined) return [];
    try {
      walk(parseSql(`CREATE FUNCTION pgr_body() RETURNS void LANGUAGE sql ${fn.sqlBody}`), (node) => {
        this.#visitCall(node, found);
        // A FROM item is a wrapped RangeVar; the target of INSERT, UPDATE, DELETE is a bare one (`relation`).
        const wrapped = node as {
          RangeVar?: { schemaname?: string; relname?: string };
          relation?: { schemaname?: string; relname?: string };
        };
        const range = wrapped.RangeVar ?? wrapped.relation;
        if (range?.relname !== undefined) {
          const q = { schema: range.schemaname ?? 'public', name: range.relname };
          if (this.tables.has(nameKey(q.schema, q.name))) found.add(key.table(q));
        }
        const cast = (node as { TypeCast?: { typeName?: { names?: { String?: { sval?: string } }[] } } }).TypeCast;
        const names = cast?.typeName?.names?.map((n) => n.String?.sval ?? '');
        if (names !== undefined && names.length > 0) {
          const q = { schema: names.length > 1 ? (names[0] ?? 'public') : 'public', name: names[names.length - 1] ?? '' };
          if (this.enums.has(nameKey(q.schema, q.name))) found.add(key.type(q));
        }
      });
    } catch {
      // A body the parser rejects was reported by validation; it requires nothing here.
    }
    found.delete(key.function(fn));
    return [...found];
  }

  #visitCall(node: object, found: Set<RefKey>): void {
    const call = (node as { FuncCall?: { funcname?: { String?: { sval?: string } }[]; args?: unknown[]; func_variadic?: boolean } })
      .FuncCall;
    if (!call?.funcname) return;
    const parts = call.funcname.map((p) => p.String?.sval ?? '');
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? (parts[0] ?? 'public') : 'public';
    const overloads = this.overloads.get(nameKey(schema, name));
    if (overloads === undefined) return;
    const count = call.args?.length ?? 0;
    const fitting = overloads.filter((f) => fitsArgumentCount(f, count));
    if (fitting.length === 0) found.add(key.functionName({ schema, name }));
    for (const f of fitting) found.add(key.function(f));
  }
}

/** Whether a call with `count` arguments may resolve to `fn` (its defaults and VARIADIC considered). */
function fitsArgumentCount(fn: FunctionDef, count: number): boolean {
  const inputs = fn.arguments.filter((a) => a.mode !== 'out');
  const required = inputs.filter((a) => a.default === undefined).length;
  const variadic = inputs.some((a) => a.mode === 'variadic');
  return (count >= required - (variadic ? 1 : 0) && count <= inputs.length) || (variadic && count >= inputs.length - 1);
}

function walk(node: unknown, visit: (node: object) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (node !== null && typeof node === 'object') {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

const NEXTVAL = /nextval\('((?:[^']|'')+)'(?:::regclass)?\)/g;

/** Sequences a default uses through `nextval('name'::regclass)`. */
export function sequencesIn(expression: string | undefined): QualifiedName[] {
  if (expression === undefined || !expression.includes('nextval')) return [];
  const found: QualifiedName[] = [];
  for (const match of expression.matchAll(NEXTVAL)) {
    const text = (match[1] ?? '').replaceAll("''", "'");
    found.push(splitRegclass(text));
  }
  return found;
}

/** `public.x`, `x`, `"My Schema"."x"` as regclass text → a qualified name (public by default). */
function splitRegclass(text: string): QualifiedName {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else part += text[j++];
      }
      parts.push(part);
      i = j + 2;
    } else {
      const dot = text.indexOf('.', i);
      const end = dot === -1 ? text.length : dot;
      parts.push(text.slice(i, end).toLowerCase());
      i = end + 1;
    }
  }
  return parts.length > 1 ? { schema: parts[0] ?? 'public', name: parts[1] ?? '' } : { schema: 'public', name: parts[0] ?? '' };
}

/** What a column needs: its table, enum type, collation, sequences and functions in its default or expression. */
export function columnRequires(table: QualifiedName, column: Column, refs: ReferenceResolver): string[] {
  const keys = [key.schema(table.schema)];
  const typeKey = refs.userTypeKey(column.type);
  if (typeKey !== undefined && typeKey !== key.table(table)) keys.push(typeKey);
  const collationKey = refs.collationKey(column.collation);
  if (collationKey !== undefined) keys.push(collationKey);
  for (const seq of sequencesIn(column.default)) keys.push(key.sequence(seq));
  keys.push(...refs.callKeysIn(column.default));
  keys.push(...refs.callKeysIn(column.generated));
  return keys;
}

export function checkRequires(table: QualifiedName, check: CheckConstraint, refs: ReferenceResolver): string[] {
  const keys = [key.table(table)];
  for (const column of safeColumns(check.expression)) keys.push(key.column(table, column));
  keys.push(...refs.callKeysIn(check.expression));
  return keys;
}

function safeColumns(expression: string): string[] {
  try {
    return checkReferencedColumns(expression);
  } catch {
    return [];
  }
}

/** Everything a whole table needs (for create_table and, from the live side, drop_table). */
export function tableRequires(table: Table, refs: ReferenceResolver): string[] {
  const keys = [key.schema(table.schema)];
  for (const column of table.columns) keys.push(...columnRequires(table, column, refs));
  for (const check of table.checks) keys.push(...refs.callKeysIn(check.expression));
  return keys;
}

export function indexRequires(table: QualifiedName, index: Index, refs: ReferenceResolver): string[] {
  const keys = [key.table(table)];
  for (const k of index.keys) {
    if (k.column !== undefined) keys.push(key.column(table, k.column));
    if (k.expression !== undefined) {
      for (const column of safeColumns(k.expression)) keys.push(key.column(table, column));
      keys.push(...refs.callKeysIn(k.expression));
    }
  }
  for (const column of index.include) keys.push(key.column(table, column));
  if (index.where !== undefined) {
    for (const column of safeColumns(index.where)) keys.push(key.column(table, column));
    keys.push(...refs.callKeysIn(index.where));
  }
  return keys;
}

export function foreignKeyRequires(table: QualifiedName, fk: ForeignKey): string[] {
  const ref = { schema: fk.references.schema, name: fk.references.table };
  return [
    key.table(table),
    ...fk.columns.map((c) => key.column(table, c)),
    key.table(ref),
    ...fk.references.columns.map((c) => key.column(ref, c)),
    key.uniqueKey(ref, [...fk.references.columns].sort()),
  ];
}

export function triggerRequires(table: QualifiedName, trigger: Trigger, refs: ReferenceResolver): string[] {
  const keys = [key.table(table), key.functionName(trigger.function)];
  for (const column of trigger.updateOf) keys.push(key.column(table, column));
  keys.push(...refs.callKeysIn(trigger.when));
  return keys;
}

export function functionRequires(fn: FunctionDef, refs: ReferenceResolver): string[] {
  // Enum types and table row types in its signature must exist before it (`RETURNS SETOF orders`,
  // an argument of type `customers`), and it is dropped before them; so must what a SQL-standard
  // body uses (`bodyKeys`). A body in a string is not checked at creation (apply runs with
  // check_function_bodies off), so what it uses is no dependency.
  const keys = [key.schema(fn.schema)];
  for (const type of [...fn.arguments.map((a) => a.type), fn.returns]) {
    const typeKey = refs.userTypeKey(type);
    if (typeKey !== undefined) keys.push(typeKey);
  }
  keys.push(...refs.bodyKeys(fn));
  return keys;
}

/** The keys a table's unique constraints and unique indexes provide (what FKs may reference). */
export function uniqueKeysOf(table: Table): string[] {
  const keys: string[] = [];
  if (table.primaryKey) keys.push(key.uniqueKey(table, [...table.primaryKey.columns].sort()));
  for (const u of table.uniques) keys.push(key.uniqueKey(table, [...u.columns].sort()));
  for (const i of table.indexes) {
    if (i.unique && i.where === undefined && i.keys.every((k) => k.column !== undefined)) {
      keys.push(key.uniqueKey(table, i.keys.map((k) => k.column ?? '').sort()));
    }
  }
  return keys;
}
