/**
 * Constraints as written (a table's `primary_key`, `unique`, `checks`, `foreign_keys`, `exclude`)
 * → the model, with the names PostgreSQL would generate for those the file leaves unnamed.
 */
import {
  checkReferencedColumns,
  defaultCheckName,
  defaultForeignKeyName,
  defaultPrimaryKeyName,
  defaultUniqueName,
} from '../../model/default-names.js';
import { parseQualifiedName } from '../../model/ident.js';
import type { CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, UniqueConstraint } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, TableSource } from '../raw.js';
import { entries } from '../raw.js';
import type { RawTable } from '../table/raw.js';

declare module '../table/raw.js' {
  interface RawTable {
    readonly primary_key?: RawPrimaryKey;
    readonly unique?: readonly RawUnique[];
    readonly checks?: readonly RawCheck[];
    readonly exclude?: Readonly<Record<string, RawExclusion>>;
    readonly foreign_keys?: readonly RawForeignKey[];
  }
}

export type RawPrimaryKey =
  | readonly string[]
  | { readonly name?: string; readonly columns: readonly string[]; readonly comment?: string; readonly renamed_from?: string };

export interface RawUnique {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly nulls_not_distinct?: boolean;
  readonly deferrable?: boolean;
  readonly initially_deferred?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

export interface RawCheck {
  readonly name?: string;
  readonly expression: string;
  readonly no_inherit?: boolean;
  readonly validated?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

export interface RawExclusionElement {
  readonly column?: string;
  readonly expression?: string;
  readonly with: string;
}

export interface RawExclusion {
  readonly using?: string;
  readonly elements: readonly RawExclusionElement[];
  readonly where?: string;
  readonly include?: readonly string[];
  readonly deferrable?: boolean;
  readonly initially_deferred?: boolean;
  readonly comment?: string;
}

export type RawFkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface RawForeignKey {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly references: { readonly schema?: string; readonly table: string; readonly columns: readonly string[] };
  readonly on_delete?: RawFkAction;
  readonly on_update?: RawFkAction;
  readonly match?: 'simple' | 'full';
  readonly deferrable?: boolean;
  readonly initially_deferred?: boolean;
  readonly validated?: boolean;
  /** The older spelling of `validated: false`. */
  readonly not_valid?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

/** The columns of a primary key, in either of its two spellings. */
export function primaryKeyColumns(pk: RawPrimaryKey): readonly string[] {
  return isColumnList(pk) ? pk : pk.columns;
}

/** True for the short `primary_key: [a, b]` form. */
export function isColumnList(pk: RawPrimaryKey): pk is readonly string[] {
  return Array.isArray(pk);
}

/** The constraints of a table (the table's conversion puts them in their places). */
function readConstraints(table: TableSource): {
  primaryKey?: PrimaryKey;
  uniques: UniqueConstraint[];
  checks: CheckConstraint[];
  foreignKeys: ForeignKey[];
  exclusions?: ExclusionConstraint[];
} {
  const { schema, name, raw } = table;
  const names = constraintNames(name, raw);
  let primaryKey: PrimaryKey | undefined;
  if (raw.primary_key !== undefined) {
    const pk = raw.primary_key;
    const explicit = isColumnList(pk) ? undefined : pk.name;
    primaryKey = {
      name: explicit ?? names.primaryKey ?? defaultPrimaryKeyName(name),
      columns: [...primaryKeyColumns(pk)],
      ...(isColumnList(pk) ? {} : commentOf(pk)),
      ...(!isColumnList(pk) && pk.renamed_from !== undefined ? { renamedFrom: pk.renamed_from } : {}),
    };
  }
  const uniques: UniqueConstraint[] = (raw.unique ?? []).map((u, i) => ({
    name: names.uniques[i] ?? u.name ?? defaultUniqueName(name, u.columns),
    columns: [...u.columns],
    nullsNotDistinct: u.nulls_not_distinct ?? false,
    deferrable: u.deferrable ?? false,
    initiallyDeferred: u.initially_deferred ?? false,
    ...commentOf(u),
    ...(u.renamed_from !== undefined ? { renamedFrom: u.renamed_from } : {}),
  }));
  const checks: CheckConstraint[] = (raw.checks ?? []).map((c, i) => ({
    name: names.checks[i] ?? c.name ?? defaultCheckName(name, checkReferencedColumns(c.expression)),
    expression: c.expression,
    noInherit: c.no_inherit ?? false,
    notValid: c.validated === false,
    ...commentOf(c),
    ...(c.renamed_from !== undefined ? { renamedFrom: c.renamed_from } : {}),
  }));
  const foreignKeys: ForeignKey[] = (raw.foreign_keys ?? []).map((f, i) => {
    const target =
      f.references.schema !== undefined
        ? { schema: f.references.schema, name: f.references.table }
        : parseQualifiedName(f.references.table, schema);
    return {
      name: names.foreignKeys[i] ?? f.name ?? defaultForeignKeyName(name, f.columns),
      columns: [...f.columns],
      references: { schema: target.schema, table: target.name, columns: [...f.references.columns] },
      onDelete: f.on_delete ?? 'no action',
      onUpdate: f.on_update ?? 'no action',
      match: f.match ?? 'simple',
      deferrable: f.deferrable ?? false,
      initiallyDeferred: f.initially_deferred ?? false,
      notValid: f.validated === false || f.not_valid === true,
      ...commentOf(f),
      ...(f.renamed_from !== undefined ? { renamedFrom: f.renamed_from } : {}),
    };
  });
  const exclusions = entries(raw.exclude).map(([constraint, value]) => exclusionDef(constraint, value));
  return {
    ...(primaryKey !== undefined ? { primaryKey } : {}),
    uniques,
    checks,
    foreignKeys,
    ...(exclusions.length > 0 ? { exclusions } : {}),
  };
}

export const constraintRaw = { in: 'table', read: readConstraints } as const satisfies KindRaw;

/** The names of a table's constraints: as written, or as PostgreSQL would generate them. */
export interface ConstraintNames {
  readonly primaryKey?: string;
  readonly uniques: readonly string[];
  readonly checks: readonly string[];
  readonly foreignKeys: readonly string[];
}

/**
 * The name of every constraint of a table, in file order: the explicit name, else the one
 * PostgreSQL generates (cut to 63 bytes, numbered past names already taken on the table:
 * explicit names are reserved first). Needs `initParser()` (check names read the expression).
 *
 * @example
 * constraintNames('users', { columns: { id: { type: 'integer' } }, primary_key: ['id'] }).primaryKey  // 'users_pkey'
 */
export function constraintNames(name: string, raw: RawTable): ConstraintNames {
  // The checks and the model both ask, for the same table objects of one loaded document.
  const cached = namesCache.get(raw);
  if (cached !== undefined && cached.name === name) return cached.names;
  const names = chooseConstraintNames(name, raw);
  namesCache.set(raw, { name, names });
  return names;
}

const namesCache = new WeakMap<RawTable, { readonly name: string; readonly names: ConstraintNames }>();

function chooseConstraintNames(name: string, raw: RawTable): ConstraintNames {
  const takenConstraints = new Set<string>();
  const takenRelations = new Set<string>([name]);
  if (raw.primary_key !== undefined && !isColumnList(raw.primary_key) && raw.primary_key.name !== undefined) {
    takenConstraints.add(raw.primary_key.name);
    takenRelations.add(raw.primary_key.name);
  }
  for (const u of raw.unique ?? []) {
    if (u.name === undefined) continue;
    takenConstraints.add(u.name);
    takenRelations.add(u.name);
  }
  for (const c of raw.checks ?? []) if (c.name !== undefined) takenConstraints.add(c.name);
  for (const f of raw.foreign_keys ?? []) if (f.name !== undefined) takenConstraints.add(f.name);
  for (const index of Object.keys(raw.indexes ?? {})) takenRelations.add(index);
  const take = (chosen: string): string => {
    takenConstraints.add(chosen);
    takenRelations.add(chosen);
    return chosen;
  };
  const pk = raw.primary_key;
  const primaryKey =
    pk === undefined ? undefined : ((isColumnList(pk) ? undefined : pk.name) ?? take(defaultPrimaryKeyName(name, takenRelations)));
  return {
    ...(primaryKey !== undefined ? { primaryKey } : {}),
    uniques: (raw.unique ?? []).map((u) => u.name ?? take(defaultUniqueName(name, u.columns, takenRelations))),
    checks: (raw.checks ?? []).map((c) => c.name ?? take(defaultCheckName(name, checkReferencedColumns(c.expression), takenConstraints))),
    foreignKeys: (raw.foreign_keys ?? []).map((f) => f.name ?? take(defaultForeignKeyName(name, f.columns, takenConstraints))),
  };
}

/** An `exclude:` entry → the model (gist by default; names and operators are checked by check-semantics). */
function exclusionDef(name: string, raw: RawExclusion): ExclusionConstraint {
  return {
    name,
    using: (raw.using ?? 'gist').toLowerCase(),
    elements: raw.elements.map((e) => ({
      ...(e.column !== undefined ? { column: e.column } : {}),
      ...(e.expression !== undefined ? { expression: e.expression } : {}),
      operator: e.with,
    })),
    include: [...(raw.include ?? [])],
    ...(raw.where !== undefined ? { where: raw.where } : {}),
    deferrable: raw.deferrable ?? false,
    initiallyDeferred: raw.initially_deferred ?? false,
    ...commentOf(raw),
  };
}
