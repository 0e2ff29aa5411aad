/**
 * The graph keys of data changes (src/plan/order.ts orders by keys): a data change `creates` its
 * own key (what `after: { data_change: id }` requires) and, for each `before: { not_null: … }`,
 * the column's `column_filled` key, which the steps that set that column NOT NULL require.
 */
import type { RefKey } from '../model/object-ref.js';
import type { QualifiedName } from '../model/types.js';

export const dataKey = {
  dataChange: (id: string): RefKey => `data_change:${JSON.stringify([id])}`,
  columnFilled: (table: QualifiedName, column: string): RefKey => `column_filled:${JSON.stringify([table.schema, table.name, column])}`,
};
