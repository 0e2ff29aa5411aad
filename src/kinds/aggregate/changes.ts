/**
 * The changes of aggregates: plain data naming the object, with the model objects the plan
 * needs. src/diff/changes.ts joins every kind's into `Change`.
 */
import type { Aggregate } from './model.js';

export type AggregateChange =
  | { readonly kind: 'create_aggregate'; readonly aggregate: Aggregate }
  | { readonly kind: 'replace_aggregate'; readonly from: Aggregate; readonly to: Aggregate }
  | { readonly kind: 'drop_aggregate'; readonly aggregate: Aggregate };
