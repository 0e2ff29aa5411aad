/** Triggers read from the catalog: ./triggers.sql → their tables' triggers. */
import { catalogQuery } from '../../introspect/catalog-query.js';
import { IntrospectError, triggerArguments, triggerEnabled, triggerType } from '../../introspect/catalog-codes.js';
import type { Owner } from '../../introspect/catalog-codes.js';
import { label, type Draft, type KindIntrospect } from '../../introspect/model-draft.js';
import { closingParen, indexOfTopLevel, upcaseRowQualifiers } from '../../introspect/sql-text.js';
import type { Trigger } from '../../model/types.js';
import type { TableRow } from '../table/introspect.js';

declare module '../../introspect/model-draft.js' {
  interface TableParts {
    readonly triggers: Trigger[];
  }
}

export interface TriggerRow {
  readonly table_oid: number;
  readonly name: string;
  readonly type: number;
  readonly enabled: string;
  readonly function_schema: string;
  readonly function_name: string;
  readonly arg_count: number;
  readonly args_hex: string;
  readonly update_of?: readonly string[];
  readonly is_constraint: boolean;
  readonly deferrable: boolean;
  readonly initially_deferred: boolean;
  /** pg_get_triggerdef(oid, true), only for triggers with a WHEN clause. */
  readonly definition?: string;
  readonly comment?: string;
}

export const triggersQuery = catalogQuery<TriggerRow>('triggers', new URL('./triggers.sql', import.meta.url), 'first');

export const triggerIntrospect: KindIntrospect = {
  queries: [triggersQuery],
  build: (rows, draft) => {
    for (const t of rows.of(triggersQuery)) {
      const parts = draft.tableParts.get(t.table_oid);
      if (parts !== undefined) parts.triggers.push(toTrigger(t, parts.row));
    }
  },
};

/**
 * The WHEN condition inside a trigger definition printed by pg_get_triggerdef:
 * `... FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a) EXECUTE FUNCTION f()` →
 * `OLD.a IS DISTINCT FROM NEW.a`.
 */
export function triggerWhen(definition: string, owner: Owner): string {
  const at = indexOfTopLevel(definition, ' WHEN (');
  const open = at < 0 ? -1 : at + ' WHEN '.length;
  const close = open < 0 ? -1 : closingParen(definition, open);
  if (close < 0) throw new IntrospectError(`${owner()}: cannot find the WHEN condition in "${definition}"`);
  return upcaseRowQualifiers(definition.slice(open + 1, close).trim());
}

function toTrigger(t: TriggerRow, table: TableRow): Trigger {
  const owner = (): string => `trigger ${t.name} on ${label(table.schema, table.name)}`;
  const { timing, events, level } = triggerType(t.type);
  const trigger: Draft<Trigger> = {
    name: t.name,
    timing,
    events,
    updateOf: t.update_of ?? [],
    level,
    function: { schema: t.function_schema, name: t.function_name },
    arguments: t.arg_count === 0 ? [] : triggerArguments(t.args_hex, t.arg_count),
    enabled: triggerEnabled(t.enabled, owner),
  };
  if (t.definition !== undefined) trigger.when = triggerWhen(t.definition, owner);
  if (t.is_constraint) trigger.constraint = { deferrable: t.deferrable, initiallyDeferred: t.initially_deferred };
  if (t.comment !== undefined) trigger.comment = t.comment;
  return trigger;
}
