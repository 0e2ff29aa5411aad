/**
 * Constraints in the model: the types of a table's primary key, unique, check, foreign-key and
 * exclusion constraints, their order and their fingerprint form.
 */
import { byName, expressionForm, withoutRenamedFrom } from '../../model/canonical.js';
import type { ModelMember } from '../kind.js';
import type { Table } from '../table/model.js';

declare module '../table/model.js' {
  interface Table {
    readonly primaryKey?: PrimaryKey;
    readonly uniques: readonly UniqueConstraint[];
    /** Exclusion constraints (absent = none). */
    readonly exclusions?: readonly ExclusionConstraint[];
    readonly checks: readonly CheckConstraint[];
    readonly foreignKeys: readonly ForeignKey[];
  }
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';
export type FkMatch = 'simple' | 'full';

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

export const constraintModel: ModelMember<Table> = {
  within: 'table',
  // By name; the primary key is one.
  normalize: (table) => ({
    ...table,
    uniques: byName(table.uniques),
    checks: byName(table.checks),
    foreignKeys: byName(table.foreignKeys),
    ...(table.exclusions !== undefined && table.exclusions.length > 0 ? { exclusions: byName(table.exclusions) } : {}),
  }),
  form: (table) => ({
    primaryKey: table.primaryKey === undefined ? undefined : withoutRenamedFrom(table.primaryKey),
    uniques: table.uniques.map(withoutRenamedFrom),
    checks: table.checks.map((check) => ({ ...withoutRenamedFrom(check), expression: expressionForm(check.expression) })),
    foreignKeys: table.foreignKeys.map(withoutRenamedFrom),
    // The live side's server text (`definition`) is no part of the form: both sides give the same one.
    exclusions: table.exclusions?.map(({ definition: _definition, ...x }) => ({
      ...x,
      where: expressionForm(x.where),
      elements: x.elements.map((e) => ({ ...e, expression: expressionForm(e.expression) })),
    })),
  }),
};
