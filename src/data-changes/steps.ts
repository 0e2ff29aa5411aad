/**
 * The plan steps of the data changes the ledger does not record as applied: one step each, its
 * SQL the user's, ordered by keys (./keys.ts) between the schema steps its anchors name. A data
 * change runs alone: in one transaction of its own, or, in batches, each batch its own short
 * transaction (src/data-changes/run.ts).
 */
import { displayQualified, quoteIdent } from '../model/ident.js';
import { columnKey, refKey } from '../model/object-ref.js';
import { draft, type StepDraft } from '../plan/step-draft.js';
import { dataKey } from './keys.js';
import type { DataChange, DataChangeAnchor } from './model.js';

/** The key an `after:` anchor requires. */
function requiredKey(a: DataChangeAnchor): string {
  switch (a.kind) {
    case 'table':
      return refKey({ kind: 'table', schema: a.table.schema, name: a.table.name });
    case 'column':
    case 'not_null':
      return columnKey(a.table, a.column);
    case 'data_change':
      return dataKey.dataChange(a.id);
  }
}

/** What a data change step says of itself in the summary. */
function detail(change: DataChange): string {
  const parts: string[] = [];
  if (change.batch !== undefined)
    parts.push(`in batches of ${change.batch.size} rows of ${displayQualified(change.batch.table)} by ${quoteIdent(change.batch.key)}`);
  if (change.file !== undefined) parts.push(`from ${change.file}`);
  parts.push('runs once');
  return parts.join(', ');
}

/**
 * The steps of the pending data changes (`pending`: those the ledger has not recorded as applied).
 *
 * @example
 * dataChangeSteps([{ id: 'fill_email', sql: 'UPDATE …', checksum: 'sha256:…', after: [], before: [] }])[0].objectKind  // 'data'
 */
export function dataChangeSteps(pending: readonly DataChange[]): StepDraft[] {
  return pending.map((change) => {
    const requires = change.after.map(requiredKey);
    const liveRequires = change.before.filter((a) => a.kind === 'table' || a.kind === 'column').map(requiredKey);
    const fills = change.before.flatMap((a) => (a.kind === 'not_null' ? [dataKey.columnFilled(a.table, a.column)] : []));
    return draft({
      sql: change.sql,
      action: 'alter',
      objectKind: 'data',
      object: change.id,
      detail: detail(change),
      change: 'data_change',
      effect: {
        kind: 'data_change',
        id: change.id,
        checksum: change.checksum,
        ...(change.script === true ? { script: true as const } : {}),
        ...(change.batch !== undefined ? { batch: change.batch } : {}),
      },
      creates: [dataKey.dataChange(change.id), ...fills],
      requires,
      liveRequires,
      // Without batches it is one statement over what it touches: the long timeout. Each batch gets the short one.
      long: change.batch === undefined,
    });
  });
}
