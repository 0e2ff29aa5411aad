/** Triggers as written (`triggers:` of a table) → the model. */
import { parseQualifiedName } from '../../model/ident.js';
import type { Trigger, TriggerEnabled, TriggerEvent } from '../../model/types.js';
import { commentOf } from '../comment/raw.js';
import type { KindRaw, TableSource } from '../raw.js';
import { entries } from '../raw.js';

declare module '../table/raw.js' {
  interface RawTable {
    readonly triggers?: Readonly<Record<string, RawTrigger>>;
  }
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

const eventOrder: readonly TriggerEvent[] = ['insert', 'update', 'delete', 'truncate'];

function trigger(schema: string, name: string, raw: RawTrigger): Trigger {
  const fn = parseQualifiedName(raw.function, schema);
  return {
    name,
    timing: raw.timing,
    events: eventOrder.filter((e) => raw.events.includes(e)),
    updateOf: [...(raw.update_of ?? [])],
    level: raw.for_each ?? 'statement',
    ...(raw.when !== undefined ? { when: raw.when } : {}),
    function: { schema: fn.schema, name: fn.name },
    arguments: (raw.arguments ?? []).map((a) => String(a)),
    enabled: triggerEnabled(raw.enabled),
    ...(raw.constraint === true
      ? { constraint: { deferrable: raw.deferrable ?? false, initiallyDeferred: raw.initially_deferred ?? false } }
      : {}),
    ...commentOf(raw),
    ...(raw.renamed_from !== undefined ? { renamedFrom: raw.renamed_from } : {}),
  };
}

function triggerEnabled(value: RawTrigger['enabled']): TriggerEnabled {
  switch (value) {
    case undefined:
    case true:
      return 'origin';
    case false:
      return 'disabled';
    case 'replica':
      return 'replica';
    case 'always':
      return 'always';
  }
}

/** The triggers of a table, in file order. */
function readTriggers(table: TableSource): { triggers: Trigger[] } {
  return { triggers: entries(table.raw.triggers).map(([name, value]) => trigger(table.schema, name, value)) };
}

export const triggerRaw = { in: 'table', read: readTriggers } as const satisfies KindRaw;
