/**
 * Tiny builders for literal models in diff tests: every builder takes the fields that
 * matter to a test and fills the rest with PostgreSQL's defaults.
 */
import type { Change, ChangeKind } from '../../src/diff/changes.js';
import type {
  CheckConstraint,
  Column,
  DesiredState,
  EnumType,
  Extension,
  ForeignKey,
  FunctionDef,
  Index,
  IndexKey,
  PrimaryKey,
  SchemaModel,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
} from '../../src/model/types.js';

type Extra<T> = Partial<T>;

export function col(name: string, type = 'integer', extra: Extra<Column> = {}): Column {
  return { name, type, nullable: true, ...extra };
}

export function table(name: string, columns: readonly Column[], extra: Extra<Table> = {}): Table {
  return {
    schema: 'public',
    name,
    columns,
    uniques: [],
    checks: [],
    foreignKeys: [],
    indexes: [],
    triggers: [],
    ...extra,
  };
}

export function pk(name: string, columns: readonly string[], extra: Extra<PrimaryKey> = {}): PrimaryKey {
  return { name, columns, ...extra };
}

export function unique(name: string, columns: readonly string[], extra: Extra<UniqueConstraint> = {}): UniqueConstraint {
  return { name, columns, nullsNotDistinct: false, deferrable: false, initiallyDeferred: false, ...extra };
}

export function check(name: string, expression: string, extra: Extra<CheckConstraint> = {}): CheckConstraint {
  return { name, expression, noInherit: false, notValid: false, ...extra };
}

export function fk(
  name: string,
  columns: readonly string[],
  references: { table: string; columns: readonly string[]; schema?: string },
  extra: Extra<ForeignKey> = {},
): ForeignKey {
  return {
    name,
    columns,
    references: { schema: references.schema ?? 'public', table: references.table, columns: references.columns },
    onDelete: 'no action',
    onUpdate: 'no action',
    match: 'simple',
    deferrable: false,
    initiallyDeferred: false,
    notValid: false,
    ...extra,
  };
}

export function key(column: string, extra: Extra<IndexKey> = {}): IndexKey {
  return { column, order: 'asc', nulls: 'last', ...extra };
}

export function exprKey(expression: string, extra: Extra<IndexKey> = {}): IndexKey {
  return { expression, order: 'asc', nulls: 'last', ...extra };
}

export function index(name: string, columns: readonly string[], extra: Extra<Index> = {}): Index {
  return {
    name,
    unique: false,
    nullsNotDistinct: false,
    using: 'btree',
    keys: columns.map((c) => key(c)),
    include: [],
    with: {},
    ...extra,
  };
}

export function trigger(name: string, fn: string, extra: Extra<Trigger> = {}): Trigger {
  return {
    name,
    timing: 'before',
    events: ['update'],
    updateOf: [],
    level: 'row',
    function: { schema: 'public', name: fn },
    arguments: [],
    enabled: 'origin',
    ...extra,
  };
}

export function fn(name: string, body: string, extra: Extra<FunctionDef> = {}): FunctionDef {
  return {
    schema: 'public',
    name,
    arguments: [],
    returns: 'trigger',
    language: 'plpgsql',
    body,
    volatility: 'volatile',
    strict: false,
    security: 'invoker',
    leakproof: false,
    parallel: 'unsafe',
    config: {},
    ...extra,
  };
}

export function seq(name: string, extra: Extra<Sequence> = {}): Sequence {
  return {
    schema: 'public',
    name,
    type: 'bigint',
    start: '1',
    increment: '1',
    minValue: '1',
    maxValue: '9223372036854775807',
    cache: '1',
    cycle: false,
    ...extra,
  };
}

export function enumType(name: string, values: readonly string[], extra: Extra<EnumType> = {}): EnumType {
  return { schema: 'public', name, values, ...extra };
}

export function ext(name: string, extra: Extra<Extension> = {}): Extension {
  return { name, ...extra };
}

/** A model; `public` is listed as a schema unless `schemas` is given. */
export function model(parts: Extra<SchemaModel> = {}): SchemaModel {
  return {
    roles: [],
    extensions: [],
    schemas: [{ name: 'public' }],
    enums: [],
    collations: [],
    rangeTypes: [],
    compositeTypes: [],
    domains: [],
    sequences: [],
    functions: [],
    aggregates: [],
    tables: [],
    views: [],
    acls: [],
    ...parts,
  };
}

export function desired(m: SchemaModel, extra: Extra<DesiredState> = {}): DesiredState {
  return { model: m, ignore: [], external: [], ...extra };
}

export function kinds(changes: readonly Change[]): ChangeKind[] {
  return changes.map((c) => c.kind);
}

/** The changes of one kind, narrowed. */
export function ofKind<K extends ChangeKind>(changes: readonly Change[], kind: K): Extract<Change, { kind: K }>[] {
  return changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
}

/** Deterministic shuffle (a seeded LCG), for order-independence tests. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
