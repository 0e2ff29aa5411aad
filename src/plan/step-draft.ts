/**
 * A step before ordering: its SQL and hazards, plus what the dependency graph needs —
 * the object keys it creates, drops and requires. Keys are `refKey`s (../model/object-ref.ts)
 * such as `table:["public","users"]` or `column:["public","users","email"]` (see ./references.ts).
 */
import type { ChangeKind } from '../diff/changes.js';
import type { StepObjectKind } from '../kinds/registry.js';
import type { ObjectRef } from '../model/object-ref.js';
import type { Hazard } from './hazards.js';

export type StepAction = 'create' | 'alter' | 'drop';

/**
 * The word a step's summary and header name its object with: those the registered kinds declare
 * (`words` in src/kinds/<kind>/refs.ts; `STEP_OBJECT_KINDS` in src/kinds/registry.ts lists them).
 */
export type { StepObjectKind };

/** What a step names its object with: a kind's word, or `data` for a data change (src/data-changes/). */
export type StepWord = StepObjectKind | 'data';

/** The change a step comes from: a kind's change, or a data change. */
export type StepChange = ChangeKind | 'data_change';

/** A data change's run (src/data-changes/): its id and checksum, and its batches when it runs in batches. */
export interface DataChangeEffect {
  readonly kind: 'data_change';
  readonly id: string;
  readonly checksum: string;
  /** Several statements (run as a script, rows not counted); absent: one statement. */
  readonly script?: true;
  readonly batch?: { readonly table: { readonly schema: string; readonly name: string }; readonly key: string; readonly size: number };
}

/**
 * What running a step does, where later code must know it (never read back from the SQL): an
 * index built or dropped (CONCURRENTLY or not), an enum value added; `ddl` for every other step.
 * `apply` and `--resume` act on it: a concurrent build that left an invalid index, a step whose
 * work is already done.
 */
export type StepEffect =
  | { readonly kind: 'ddl' }
  | { readonly kind: 'build_index'; readonly index: ObjectRef; readonly concurrently: boolean }
  | { readonly kind: 'drop_index'; readonly index: ObjectRef; readonly concurrently: boolean }
  | { readonly kind: 'add_enum_value'; readonly type: ObjectRef; readonly value: string }
  /**
   * A role's password, read from the environment variable `env` when the step runs: the step's SQL
   * is a placeholder; apply builds the statement (src/apply/role-password.ts).
   */
  | { readonly kind: 'role_password'; readonly role: string; readonly env: string }
  | DataChangeEffect;

export const DDL: StepEffect = { kind: 'ddl' };

export interface StepDraft {
  readonly sql: string;
  readonly hazards: readonly Hazard[];
  readonly transactional: boolean;
  readonly action: StepAction;
  /** `table`, `column`, `index`, … and its display name, for the summary. */
  readonly objectKind: StepWord;
  readonly object: string;
  /** The display name of the table the object belongs to, for grouping in the summary. */
  readonly parent?: string;
  readonly change: StepChange;
  /** The object the step acts on; absent: its change's object (./step-target.ts). */
  readonly target?: ObjectRef;
  /** What the step does where apply must know it; absent: `ddl`. */
  readonly effect?: StepEffect;
  /** A short description of what changes: `type integer → bigint`. */
  readonly detail?: string;
  readonly creates: readonly string[];
  readonly drops: readonly string[];
  /** Keys that must exist when the step runs (desired side). */
  readonly requires: readonly string[];
  /** Keys the object depended on in the live database: the step must run before those are dropped. */
  readonly liveRequires: readonly string[];
  /** Scans or rewrites data: gets the long statement timeout. */
  readonly long: boolean;
  /** An object taken off (`opens`) to be put back (`closes`): the steps between share one transaction, long ones too. */
  readonly span?: 'opens' | 'closes';
  /** What data the step deletes (set with every `deletes_data` hazard that loses data): what apply backs up first. */
  readonly deletes?: DeletedData;
  /**
   * A single ALTER TABLE … ALTER COLUMN that rewrites the table: why, and the table's size in
   * words. Several of them on one table are merged into one statement, one rewrite (build-plan.ts).
   */
  readonly rewrite?: {
    readonly column: string;
    readonly why: string;
    readonly table: string;
    readonly size: string;
    /** The statement is `ALTER TABLE <tableSql> <clause>`: what a merge joins. */
    readonly tableSql: string;
    readonly clause: string;
  };
}

/** A column whose rows hold enum values that a `replace_enum` step removes. */
export interface EnumRowsColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** The column is an array of the enum: the values are taken out of the arrays. */
  readonly array: boolean;
  /** NOT NULL without a default: the rows holding a removed value are deleted (else the value becomes NULL or the default). */
  readonly deletesRows: boolean;
}

/**
 * The data a step deletes, as data (never guessed from its SQL): a whole table, one column's
 * values, the rows holding enum values that are removed, or a sequence's position.
 */
export type DeletedData =
  | { readonly kind: 'table'; readonly schema: string; readonly table: string }
  | { readonly kind: 'column'; readonly schema: string; readonly table: string; readonly column: string }
  | {
      readonly kind: 'enum_rows';
      readonly type: { readonly schema: string; readonly name: string };
      readonly values: readonly string[];
      readonly columns: readonly EnumRowsColumn[];
    }
  | { readonly kind: 'sequence'; readonly schema: string; readonly name: string };

/**
 * A step's `deletes` as the plan file (and `plan --json`) writes it: snake_case keys.
 *
 * @example
 * deletesToFile({ kind: 'column', schema: 'public', table: 'users', column: 'legacy' })  // the same keys and values
 */
export function deletesToFile(d: DeletedData): Record<string, unknown> {
  if (d.kind !== 'enum_rows') return { ...d };
  return {
    kind: d.kind,
    type: { schema: d.type.schema, name: d.type.name },
    values: [...d.values],
    columns: d.columns.map((c) => ({ schema: c.schema, table: c.table, column: c.column, array: c.array, deletes_rows: c.deletesRows })),
  };
}

export type DraftInput = Omit<StepDraft, 'hazards' | 'transactional' | 'creates' | 'drops' | 'requires' | 'liveRequires' | 'long'> &
  Partial<Pick<StepDraft, 'hazards' | 'transactional' | 'creates' | 'drops' | 'requires' | 'liveRequires' | 'long'>>;

/** Fills the defaults: transactional, no hazards, no keys, short timeout. */
export function draft(input: DraftInput): StepDraft {
  return {
    hazards: [],
    transactional: true,
    creates: [],
    drops: [],
    requires: [],
    liveRequires: [],
    long: false,
    ...input,
  };
}
