/**
 * What step generators may look at besides the change itself: both models, table stats, the
 * server version, and which tables this plan creates or renames.
 */
import type { FunctionDef, SchemaModel, Table, QualifiedName, Sequence } from '../model/types.js';
import type { Change } from '../diff/changes.js';
import { columnKey, functionKey, nameKey, refKey } from '../model/object-ref.js';
import { displayQualified } from '../model/ident.js';
import { ReferenceResolver } from './references.js';

import type { TableStats } from '../model/types.js';

export type { TableStats };

/** A column's statistics as of the last ANALYZE (pg_stats). */
export interface ColumnStats {
  /** Fraction of rows that are NULL. */
  readonly nullFraction: number;
  /**
   * Fraction of rows holding the most common value, when ANALYZE found a value more common
   * than the others (a most-common-values list): the column holds duplicates.
   */
  readonly topValueFraction?: number;
}

/**
 * What the data says about the steps that depend on it: read by the caller for the tables and
 * columns a plan touches that way (see `gatherDataFacts` in plan-database.ts).
 */
export interface DataFacts {
  /** Live tables (`nameKey(schema, table)`) that hold at least one row, among those asked about. */
  readonly tablesWithRows: ReadonlySet<string>;
  /** Column statistics, keyed `columnKey(table, column)` (live names). */
  readonly columns: ReadonlyMap<string, ColumnStats>;
  /**
   * How the server converts a column's values from one type to another (`castKey(from, to)`), for
   * the type changes without `using:`: `assignment` (ALTER COLUMN TYPE converts by itself),
   * `explicit` (only `col::type` converts), `none` (no cast: through the text form).
   */
  readonly casts?: ReadonlyMap<string, CastLevel>;
  /** Constraints of managed tables of a kind the format cannot declare (a contype other than p, u, c, f, x, t, n): never dropped by a step of their own. */
  readonly unmanagedConstraints?: readonly UnmanagedConstraint[];
  /**
   * Objects the format does not manage (views, materialized views, rules, policies) that depend on
   * what a step changes the type of or drops, labelled for messages (`view public.v`), keyed by the
   * `refKey` of what they use, named as the step generators name it: `columnKey(table, column)`
   * (the desired table, the live column name), `refKey` of a table, of a type (`kind: 'type'`),
   * `functionKey` of a function. Read only for what the changes alter that way.
   */
  readonly dependents?: ReadonlyMap<string, readonly string[]>;
}

/** A live constraint of a managed table that the format cannot declare (a pg_constraint.contype it does not manage). */
export interface UnmanagedConstraint {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** `constraint (contype …)` */
  readonly kind: string;
  /** pg_get_constraintdef */
  readonly definition: string;
  /** The table's columns it uses (live names). */
  readonly columns: readonly string[];
}

/** See `DataFacts.casts`. */
export type CastLevel = 'assignment' | 'explicit' | 'none';

/** The key of a (from, to) type pair in `DataFacts.casts`. */
export const castKey = (from: string, to: string): string => `${from}\u0000${to}`;

/** Statement and lock timeouts, in milliseconds. */
export interface PlanTimeouts {
  readonly lockTimeoutMs: number;
  /** For steps that only touch the catalog. */
  readonly statementTimeoutMs: number;
  /** For steps that scan or rewrite data (index builds, validation, rewrites). */
  readonly longStatementTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: PlanTimeouts = {
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 60_000,
  longStatementTimeoutMs: 6 * 60 * 60 * 1000,
};

import { PlanError } from './errors.js';
import { partitionMemberTables } from '../kinds/table/partition-members.js';

export { PlanError };

const tableKey = (q: QualifiedName): string => nameKey(q.schema, q.name);

export class PlanContext {
  readonly refs: ReferenceResolver;
  private readonly desiredTables = new Map<string, Table>();
  private readonly liveTables = new Map<string, Table>();
  /** Desired table key → live table (after following a declared rename). */
  private readonly liveByDesired = new Map<string, Table>();
  private readonly newTables = new Set<string>();
  /** A declared partition's key → the table it is declared under. */
  private readonly partitionRoots = new Map<string, Table>();
  private readonly liveSequences: readonly Sequence[];
  private readonly droppedTables = new Set<string>();
  /** Objects other changes of the plan drop or replace (checks, indexes, functions), by `refKey`. */
  private readonly touched = new Set<string>();

  /**
   * The columns (`columnKey`) a pending data change fills before their NOT NULL
   * (`before: { not_null: … }`): added nullable and set NOT NULL after it.
   */
  fills: ReadonlySet<string> = new Set();

  constructor(
    readonly desired: SchemaModel,
    readonly live: SchemaModel,
    readonly stats: ReadonlyMap<string, TableStats>,
    readonly serverVersion: number,
    readonly timeouts: PlanTimeouts,
    readonly changes: readonly Change[] = [],
    readonly removedEnumValueRows: ReadonlyMap<string, number> = new Map(),
    readonly dataFacts: DataFacts = { tablesWithRows: new Set(), columns: new Map() },
  ) {
    for (const c of changes) {
      switch (c.kind) {
        case 'drop_table':
          this.droppedTables.add(tableKey(c.table));
          break;
        case 'drop_check':
          this.touched.add(refKey({ kind: 'constraint', schema: c.table.schema, name: c.table.name, sub: c.check.name }));
          break;
        case 'drop_index':
        case 'replace_index':
          this.touched.add(refKey({ kind: 'index', schema: c.table.schema, name: c.kind === 'drop_index' ? c.index.name : c.from.name }));
          break;
        case 'drop_function':
          this.touched.add(functionKey(c.fn));
          break;
        case 'replace_function':
          this.touched.add(functionKey(c.from));
          break;
        default:
          break;
      }
    }
    this.refs = new ReferenceResolver([desired, live]);
    for (const t of live.tables) {
      this.liveTables.set(tableKey(t), t);
      // A partition is a table for its own indexes and constraints (src/kinds/table/partition-members.ts).
      for (const m of partitionMemberTables(t))
        if (!this.liveTables.has(tableKey(m.table))) this.liveTables.set(tableKey(m.table), m.table);
    }
    for (const t of desired.tables) {
      this.desiredTables.set(tableKey(t), t);
      const same = this.liveTables.get(tableKey(t));
      const renamed = t.renamedFrom !== undefined ? this.liveTables.get(nameKey(t.schema, t.renamedFrom)) : undefined;
      const liveTable = same ?? renamed;
      if (liveTable) this.liveByDesired.set(tableKey(t), liveTable);
      else this.newTables.add(tableKey(t));
      for (const m of partitionMemberTables(t)) {
        const k = tableKey(m.table);
        if (this.desiredTables.has(k)) continue;
        this.desiredTables.set(k, m.table);
        this.partitionRoots.set(k, t);
        const liveOne = this.liveTables.get(k);
        if (liveOne !== undefined) this.liveByDesired.set(k, liveOne);
        else this.newTables.add(k);
      }
    }
    this.liveSequences = live.sequences;
  }

  desiredTable(q: QualifiedName): Table | undefined {
    return this.desiredTables.get(tableKey(q));
  }

  /** The live table a desired table name corresponds to (following a declared rename). */
  liveTable(q: QualifiedName): Table | undefined {
    return this.liveByDesired.get(tableKey(q)) ?? this.liveTables.get(tableKey(q));
  }

  /** The declared table a partition of the file is declared under (undefined for any other name). */
  partitionRoot(q: QualifiedName): Table | undefined {
    return this.partitionRoots.get(tableKey(q));
  }

  isNewTable(q: QualifiedName): boolean {
    return this.newTables.has(tableKey(q));
  }

  /** Another change of this plan drops or replaces this check, index or function. */
  isCheckTouched(table: QualifiedName, name: string): boolean {
    return this.touched.has(refKey({ kind: 'constraint', schema: table.schema, name: table.name, sub: name }));
  }

  isIndexTouched(schema: string, name: string): boolean {
    return this.touched.has(refKey({ kind: 'index', schema, name }));
  }

  isFunctionTouched(fn: FunctionDef): boolean {
    return this.touched.has(functionKey(fn));
  }

  /** The plan drops this (live) table. */
  isDroppedTable(q: QualifiedName): boolean {
    return this.droppedTables.has(tableKey(q));
  }

  /** Whether the live table behind `q` holds rows (known only for the tables the caller checked). */
  tableHasRows(q: QualifiedName): boolean {
    const live = this.liveTable(q);
    return live !== undefined && this.dataFacts.tablesWithRows.has(tableKey(live));
  }

  /** The statistics of a column of the live table behind `q`, when read. */
  columnStats(q: QualifiedName, column: string): ColumnStats | undefined {
    const live = this.liveTable(q);
    return live ? this.dataFacts.columns.get(columnKey(live, column)) : undefined;
  }

  /** How the server converts `from` to `to`, when it was asked (see `DataFacts.casts`). */
  castLevel(from: string, to: string): CastLevel | undefined {
    return this.dataFacts.casts?.get(castKey(from, to));
  }

  tableStats(q: QualifiedName): TableStats | undefined {
    const live = this.liveTable(q);
    return live ? this.stats.get(tableKey(live)) : undefined;
  }

  /** Live sequences owned by a column of this live table (serial columns). */
  /** The live sequence belongs to a table or column the plan drops, and goes with it. */
  isDroppedWithOwner(sequence: QualifiedName): boolean {
    if (this.#droppedWithOwner === undefined) {
      const dropped = new Set<string>();
      for (const c of this.changes) {
        const owned =
          c.kind === 'drop_table'
            ? this.ownedSequences(c.table)
            : c.kind === 'drop_column'
              ? this.ownedSequences(this.liveTable(c.table) ?? c.table, c.column.name)
              : [];
        for (const s of owned) dropped.add(nameKey(s.schema, s.name));
      }
      this.#droppedWithOwner = dropped;
    }
    return this.#droppedWithOwner.has(nameKey(sequence.schema, sequence.name));
  }

  #droppedWithOwner: Set<string> | undefined;

  ownedSequences(table: QualifiedName, column?: string): Sequence[] {
    return this.liveSequences.filter(
      (s) =>
        s.ownedBy !== undefined &&
        s.ownedBy.schema === table.schema &&
        s.ownedBy.table === table.name &&
        (column === undefined || s.ownedBy.column === column),
    );
  }

  display(q: QualifiedName): string {
    return displayQualified(q);
  }
}
