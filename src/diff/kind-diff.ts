/**
 * What a kind's diff (`ObjectKind.diff`, src/kinds/kind.ts) is given. The driver (./index.ts)
 * calls the top-level kinds' diffs (`scope: 'model'`) with the managed models, in registry order;
 * the table kind's diff calls the diffs of the kinds under a table (`scope: 'table'`) with each
 * table both sides have, and with each new table, in registry order; comments (`scope: 'owners'`) are diffed by the diffs
 * of what they are on. Types only: no module is loaded.
 */
import type { FunctionDiff } from '../kinds/function/diff.js';
import type { TableMatching, TablePair } from '../kinds/table/diff.js';
import type { QualifiedName, SchemaModel, Sequence, Table } from '../model/types.js';
import type { Judge } from '../judge/slots.js';
import type { Change } from './changes.js';
import type { DiffContext } from './context.js';
import type { Matching } from './match.js';

/** What a top-level kind's diff is given: both models, and what the driver matched and decided first. */
export interface ModelDiffInput {
  /** The desired model without unmanaged objects (ignored, or in the ledger schema). */
  readonly want: SchemaModel;
  /** The live model without unmanaged objects. */
  readonly have: SchemaModel;
  /** The whole live model, unmanaged objects included. */
  readonly live: SchemaModel;
  /** The names live objects have after the plan's renames, and what it drops. */
  readonly ctx: DiffContext;
  /** Schemas the file uses without declaring them: where its objects and extensions live. */
  readonly impliedSchemas: ReadonlySet<string>;
  /** An undeclared live schema that must not be dropped (it holds unmanaged objects). */
  readonly keptSchema: (schema: string) => boolean;
  readonly tables: TableMatching;
  readonly sequences: Matching<Sequence, Sequence>;
  /** The function diff, run first: the table diff re-creates what calls a re-created function. */
  readonly functions: FunctionDiff;
  /** PostgreSQL's verdicts on the file's expressions and view queries (src/judge), when it judged. */
  readonly judge?: Judge;
  /** The changes of the top-level kinds before this one in the registry (a view is taken off around them). */
  readonly earlier: readonly Change[];
  /** Types the file lists under `external_types`: managed elsewhere. */
  readonly externalTypes?: readonly QualifiedName[];
  /** The diffs of the kinds under a table, in registry order (the table kind's diff calls them). */
  readonly underTable: readonly TableKindDiff[];
}

/** What the diff of a kind under a table is given: one table both sides have. */
export interface TableDiffInput {
  readonly pair: TablePair;
  readonly ctx: DiffContext;
  /** Functions the plan drops and creates again: the triggers, checks and indexes that call them follow. */
  readonly recreatedFunctions: ReadonlySet<string>;
  /** The changes of the kinds before this one on the same table (a policy is taken off around a column type change). */
  readonly earlier: readonly Change[];
}

/** A top-level kind's diff: its changes between the two models. */
export interface ModelKindDiff {
  readonly scope: 'model';
  readonly run: (input: ModelDiffInput) => readonly Change[];
}

/** The diff of a kind whose objects are under a table: its changes on one table both sides have. */
export interface TableKindDiff {
  readonly scope: 'table';
  readonly run: (input: TableDiffInput) => readonly Change[];
  /** A new table's objects of the kind that its `create_table` does not carry: they follow it. */
  readonly created: (table: Table) => readonly Change[];
  /** The comments of a new table's objects of the kind (after the table's own comment). */
  readonly comments: (table: Table) => readonly Change[];
}

/** A kind diffed by the diffs of the objects it is on (comments: every kind's diff calls `diffComment`). */
export interface OwnedKindDiff {
  readonly scope: 'owners';
}

export type KindDiff = ModelKindDiff | TableKindDiff | OwnedKindDiff;
