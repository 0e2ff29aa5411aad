/** Triggers in the model: the types, their order, their fingerprint form. */
import { byName, expressionForm, withoutRenamedFrom } from '../../model/canonical.js';
import type { QualifiedName } from '../../model/types.js';
import type { Deferral } from '../constraint/model.js';
import type { ModelMember } from '../kind.js';
import type { Table } from '../table/model.js';

declare module '../table/model.js' {
  interface Table {
    readonly triggers: readonly Trigger[];
  }
}

export type TriggerTiming = 'before' | 'after' | 'instead of';
export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';
export type TriggerLevel = 'row' | 'statement';
/** pg_trigger.tgenabled: O = origin (enabled), D = disabled, R = replica, A = always. */
export type TriggerEnabled = 'origin' | 'disabled' | 'replica' | 'always';

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

const eventOrder: Readonly<Record<TriggerEvent, number>> = { insert: 0, update: 1, delete: 2, truncate: 3 };

export const triggerModel: ModelMember<Table> = {
  within: 'table',
  // By name; a trigger's events as insert, update, delete, truncate.
  normalize: (table) => ({
    ...table,
    triggers: byName(table.triggers).map((trigger) => ({
      ...trigger,
      events: [...new Set(trigger.events)].sort((a, b) => eventOrder[a] - eventOrder[b]),
    })),
  }),
  form: (table) => ({
    triggers: table.triggers.map((trigger) => ({ ...withoutRenamedFrom(trigger), when: expressionForm(trigger.when) })),
  }),
};
