/**
 * The shape of a desired-state document once it has passed the JSON Schema
 * (schema/pgreconcile.schema.json): plain data exactly as written in the YAML file,
 * before any defaulting or canonicalisation.
 */

/** A whole number as written: a YAML integer, or a string of digits for values beyond 2^53. */
export type RawInteger = number | string;

export interface RawDocument {
  readonly version: 1;
  readonly extensions?: Readonly<Record<string, RawExtension | null>>;
  readonly ignore?: readonly string[];
  readonly external?: readonly string[];
  readonly external_types?: readonly string[];
  readonly schemas?: Readonly<Record<string, RawSchema | null>>;
}

export interface RawExtension {
  readonly schema?: string;
  readonly version?: string;
}

export interface RawSchema {
  readonly comment?: string;
  readonly enums?: Readonly<Record<string, RawEnum>>;
  readonly sequences?: Readonly<Record<string, RawSequence | null>>;
  readonly functions?: Readonly<Record<string, RawFunction>>;
  readonly tables?: Readonly<Record<string, RawTable>>;
}

export type RawEnumValue = string | { readonly name: string; readonly renamed_from?: string };

export interface RawEnum {
  readonly values: readonly RawEnumValue[];
  readonly comment?: string;
}

export interface RawSequence {
  readonly type?: 'smallint' | 'integer' | 'bigint';
  readonly start?: RawInteger;
  readonly increment?: RawInteger;
  readonly min_value?: RawInteger;
  readonly max_value?: RawInteger;
  readonly cache?: RawInteger;
  readonly cycle?: boolean;
  readonly owned_by?: string;
  readonly comment?: string;
}

export interface RawFunctionArgument {
  readonly name?: string;
  readonly type: string;
  readonly mode?: 'in' | 'out' | 'inout' | 'variadic';
  readonly default?: string | number | boolean;
}

export interface RawFunction {
  readonly returns: string;
  readonly language: string;
  readonly arguments?: readonly RawFunctionArgument[];
  readonly volatility?: 'volatile' | 'stable' | 'immutable';
  readonly strict?: boolean;
  readonly security?: 'invoker' | 'definer';
  readonly leakproof?: boolean;
  readonly parallel?: 'unsafe' | 'restricted' | 'safe';
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  /** Exactly one of `body` and `sql_body`. */
  readonly body?: string;
  readonly sql_body?: string;
  readonly comment?: string;
}

export type RawIdentity =
  | 'always'
  | 'by default'
  | {
      readonly kind: 'always' | 'by default';
      readonly start?: RawInteger;
      readonly increment?: RawInteger;
      readonly min_value?: RawInteger;
      readonly max_value?: RawInteger;
      readonly cache?: RawInteger;
      readonly cycle?: boolean;
    };

export interface RawColumn {
  readonly type: string;
  readonly nullable?: boolean;
  readonly default?: string | number | boolean;
  readonly identity?: RawIdentity;
  readonly generated?: string;
  readonly collation?: string;
  readonly comment?: string;
  readonly renamed_from?: string;
  readonly using?: string;
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

export type RawIndexKey =
  | string
  | {
      readonly column?: string;
      readonly expression?: string;
      readonly order?: 'asc' | 'desc';
      readonly nulls?: 'first' | 'last';
      readonly opclass?: string;
      readonly collation?: string;
    };

export interface RawIndex {
  readonly columns: readonly RawIndexKey[];
  readonly unique?: boolean;
  readonly using?: string;
  readonly include?: readonly string[];
  readonly where?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly nulls_not_distinct?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

export type RawTriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface RawTrigger {
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly RawTriggerEvent[];
  readonly update_of?: readonly string[];
  readonly for_each?: 'row' | 'statement';
  readonly when?: string;
  readonly function: string;
  readonly arguments?: readonly (string | number)[];
  readonly enabled?: boolean | 'replica' | 'always';
  /** A constraint trigger (CREATE CONSTRAINT TRIGGER): AFTER, FOR EACH ROW. */
  readonly constraint?: boolean;
  readonly deferrable?: boolean;
  readonly initially_deferred?: boolean;
  readonly comment?: string;
  readonly renamed_from?: string;
}

export interface RawTable {
  readonly comment?: string;
  readonly renamed_from?: string;
  readonly columns: Readonly<Record<string, RawColumn>>;
  readonly primary_key?: RawPrimaryKey;
  readonly unique?: readonly RawUnique[];
  readonly checks?: readonly RawCheck[];
  readonly exclude?: Readonly<Record<string, RawExclusion>>;
  readonly foreign_keys?: readonly RawForeignKey[];
  readonly indexes?: Readonly<Record<string, RawIndex>>;
  readonly triggers?: Readonly<Record<string, RawTrigger>>;
}

/** The columns of a primary key, in either of its two spellings. */
export function primaryKeyColumns(pk: RawPrimaryKey): readonly string[] {
  return isColumnList(pk) ? pk : pk.columns;
}

/** True for the short `primary_key: [a, b]` form. */
export function isColumnList(pk: RawPrimaryKey): pk is readonly string[] {
  return Array.isArray(pk);
}

/** Entries of an optional map, in file order. */
export function entries<T>(map: Readonly<Record<string, T>> | undefined | null): [string, T][] {
  return map === undefined || map === null ? [] : Object.entries(map);
}
