/**
 * The schema model: one set of readonly types that both the desired state (schema.yaml)
 * and the live database (introspection) load into. Everything in here is plain data,
 * JSON-serialisable, and in canonical form:
 *
 * - identifiers are stored raw (as PostgreSQL stores them, case preserved, unquoted);
 * - type names are canonical (see `canonicalType` in ./type-names.ts), i.e. the text
 *   PostgreSQL's `format_type()` prints with `search_path = public, pg_catalog`;
 * - SQL expressions (defaults, checks, predicates, WHEN) are kept as SQL text; they are
 *   compared through `sameExpression` (./expression.ts), never as strings;
 * - lists whose order carries no meaning are sorted by name (see ./normalize.ts).
 *
 * Both sides of a diff are `SchemaModel`s; the diff never sees YAML or catalog rows.
 */
import type { ObjectRef } from './object-ref.js';

/** A schema-qualified name. `schema` is always set in the model. */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';
export type FkMatch = 'simple' | 'full';
export type IdentityKind = 'always' | 'by default';
export type Volatility = 'volatile' | 'stable' | 'immutable';
export type Security = 'invoker' | 'definer';
export type TriggerTiming = 'before' | 'after' | 'instead of';
export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';
export type TriggerLevel = 'row' | 'statement';
/** pg_trigger.tgenabled: O = origin (enabled), D = disabled, R = replica, A = always. */
export type TriggerEnabled = 'origin' | 'disabled' | 'replica' | 'always';
export type SortOrder = 'asc' | 'desc';
export type NullsOrder = 'first' | 'last';
export type ParallelSafety = 'unsafe' | 'restricted' | 'safe';

export interface Extension {
  readonly name: string;
  /** Schema the extension's objects live in; undefined = PostgreSQL's default (first of search_path). */
  readonly schema?: string;
  /** Requested version; undefined = the default version. */
  readonly version?: string;
  /** Live side only, and only when false: `ALTER EXTENSION … SET SCHEMA` is refused (pg_extension.extrelocatable). */
  readonly relocatable?: false;
}

export interface SchemaDef {
  readonly name: string;
  readonly comment?: string;
}

export interface EnumType extends QualifiedName {
  /** Labels in sort order. */
  readonly values: readonly string[];
  /** Desired side only: value renames declared in the file, new label → old label. */
  readonly renamedValues?: Readonly<Record<string, string>>;
  readonly comment?: string;
}

export interface Sequence extends QualifiedName {
  /** Canonical type: smallint, integer or bigint. */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** Column that owns the sequence (serial / OWNED BY). */
  readonly ownedBy?: { readonly schema: string; readonly table: string; readonly column: string };
  readonly comment?: string;
}

export interface Identity {
  readonly kind: IdentityKind;
  /** Sequence options; only those differing from the defaults are set. */
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
}

export interface Column {
  readonly name: string;
  /** Canonical type, e.g. `integer`, `character varying(255)`, `timestamp with time zone`, `vector(1024)`, `public.status[]`. */
  readonly type: string;
  readonly nullable: boolean;
  /** Default expression as SQL text. */
  readonly default?: string;
  readonly identity?: Identity;
  /** Expression of a `GENERATED ALWAYS AS (...) STORED` column. */
  readonly generated?: string;
  readonly collation?: string;
  readonly comment?: string;
  /** Desired side only: the column's previous name. */
  readonly renamedFrom?: string;
  /** Desired side only: the USING expression of a type change (a custom conversion; without it, `"col"::type` where no assignment cast exists). */
  readonly using?: string;
}

export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly comment?: string;
  readonly renamedFrom?: string;
}

export interface Deferral {
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface UniqueConstraint extends Deferral {
  readonly name: string;
  readonly columns: readonly string[];
  readonly nullsNotDistinct: boolean;
  readonly comment?: string;
  readonly renamedFrom?: string;
}

export interface CheckConstraint {
  readonly name: string;
  readonly expression: string;
  readonly noInherit: boolean;
  /**
   * Live side: the constraint exists but is NOT VALID. Desired side: the file says
   * `validated: false` (added NOT VALID and left so; a valid live check satisfies it too).
   */
  readonly notValid: boolean;
  readonly comment?: string;
  readonly renamedFrom?: string;
}

export interface ForeignKey extends Deferral {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly schema: string; readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match: FkMatch;
  /**
   * Live side: NOT VALID. Desired side: the file says `validated: false` (or the older
   * `not_valid: true`): added NOT VALID and left so; a valid live key satisfies it too.
   */
  readonly notValid: boolean;
  readonly comment?: string;
  readonly renamedFrom?: string;
}

/** One element of an exclusion constraint: a column or an expression, and the operator it is compared WITH. */
export interface ExclusionElement {
  readonly column?: string;
  readonly expression?: string;
  /** An operator symbol (`&&`, `=`) or `OPERATOR(schema.symbol)`; validated by EXCLUSION_OPERATOR. */
  readonly operator: string;
}

/** An exclusion constraint (`EXCLUDE USING gist (room WITH =, during WITH &&)`). */
export interface ExclusionConstraint extends Deferral {
  readonly name: string;
  /** Index access method (default gist). */
  readonly using: string;
  readonly elements: readonly ExclusionElement[];
  readonly include: readonly string[];
  /** Predicate (WHERE) as SQL text. */
  readonly where?: string;
  readonly comment?: string;
  /** Live side only: pg_get_constraintdef(oid, true), the server's normal form. */
  readonly definition?: string;
}

/** One key of an index: a column or an expression, with its own opclass, order, nulls. */
export interface IndexKey {
  readonly column?: string;
  readonly expression?: string;
  readonly collation?: string;
  /** Operator class; undefined = the type's default opclass. */
  readonly opclass?: string;
  /** Operator class parameters, e.g. `siglen` for gist opclasses. */
  readonly opclassParams?: Readonly<Record<string, string>>;
  readonly order: SortOrder;
  /** Nulls placement; canonical: `last` for asc, `first` for desc are PostgreSQL's defaults. */
  readonly nulls: NullsOrder;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  readonly nullsNotDistinct: boolean;
  /** Access method: btree, hash, gin, gist, spgist, brin, ivfflat, hnsw, … */
  readonly using: string;
  readonly keys: readonly IndexKey[];
  readonly include: readonly string[];
  /** Partial index predicate as SQL text. */
  readonly where?: string;
  /** Storage parameters, values as text: `{ lists: '100' }`. */
  readonly with: Readonly<Record<string, string>>;
  readonly tablespace?: string;
  readonly comment?: string;
  readonly renamedFrom?: string;
  /** Live side only: the index is INVALID (a failed concurrent build). */
  readonly invalid?: boolean;
}

export interface Trigger {
  readonly name: string;
  readonly timing: TriggerTiming;
  /** Sorted in the order insert, update, delete, truncate. */
  readonly events: readonly TriggerEvent[];
  /** `UPDATE OF` columns, in the declared order. */
  readonly updateOf: readonly string[];
  readonly level: TriggerLevel;
  readonly when?: string;
  readonly function: QualifiedName;
  readonly arguments: readonly string[];
  readonly enabled: TriggerEnabled;
  /** Constraint trigger options (CREATE CONSTRAINT TRIGGER). */
  readonly constraint?: Deferral;
  readonly comment?: string;
  readonly renamedFrom?: string;
}

export interface Table extends QualifiedName {
  readonly columns: readonly Column[];
  readonly primaryKey?: PrimaryKey;
  readonly uniques: readonly UniqueConstraint[];
  /** Exclusion constraints (absent = none). */
  readonly exclusions?: readonly ExclusionConstraint[];
  readonly checks: readonly CheckConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly indexes: readonly Index[];
  readonly triggers: readonly Trigger[];
  readonly comment?: string;
  /** Desired side only: previous name, within the same schema. */
  readonly renamedFrom?: string;
}

export type ArgMode = 'in' | 'out' | 'inout' | 'variadic';

export interface FunctionArg {
  readonly name?: string;
  /** Canonical type. */
  readonly type: string;
  readonly mode: ArgMode;
  readonly default?: string;
}

export interface FunctionDef extends QualifiedName {
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

/** The whole managed schema. Lists are sorted (see normalizeModel). */
export interface SchemaModel {
  readonly extensions: readonly Extension[];
  readonly schemas: readonly SchemaDef[];
  readonly enums: readonly EnumType[];
  readonly sequences: readonly Sequence[];
  readonly functions: readonly FunctionDef[];
  readonly tables: readonly Table[];
}

/** Tables outside the file that FKs may reference (declared `external` in the file). */
export interface ExternalTable extends QualifiedName {
  readonly columns?: readonly string[];
}

/**
 * The desired state: the model plus what the file says about managing it.
 */
export interface DesiredState {
  readonly model: SchemaModel;
  /** Glob patterns (`schema.name`, `*` and `?`) of objects left unmanaged. */
  readonly ignore: readonly string[];
  readonly external: readonly ExternalTable[];
  /**
   * Types managed outside the file (`external_types`: domains, composite and range types) that
   * columns and functions may use: a plan checks they exist and never touches them.
   */
  readonly externalTypes?: readonly QualifiedName[];
  /** The file's path and sha256 of its canonical content. */
  readonly source?: { readonly path: string; readonly hash: string };
}

export const emptyModel = (): SchemaModel => ({
  extensions: [],
  schemas: [],
  enums: [],
  sequences: [],
  functions: [],
  tables: [],
});

/** Size of a table: reltuples (0 when never analysed) and pg_total_relation_size. */
export interface TableStats {
  readonly rows: number;
  readonly bytes: number;
}
