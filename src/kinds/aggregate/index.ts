/** Aggregates: create, replace (`CREATE OR REPLACE AGGREGATE` while the result type stays), drop. */
import { added, changed, dropped } from '../../drift/items.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { ObjectKind } from '../kind.js';
import { sortPath } from '../shared.js';
import type { AggregateChange } from './changes.js';
import { aggregateChecks } from './checks.js';
import { aggregateDiff } from './diff.js';
import { aggregateFormat } from './format-schema.js';
import { aggregateIntrospect } from './introspect.js';
import { aggregateModel, type Aggregate } from './model.js';
import { aggregatePull } from './pull.js';
import { aggregateRaw } from './raw.js';
import { aggregateRefs } from './refs.js';
import { aggregateDisplay, createAggregateSteps, dropAggregateSteps, replaceAggregateSteps } from './steps.js';

const aggregateRef = (a: Aggregate): ObjectRef => ({ kind: 'aggregate', schema: a.schema, name: a.name, signature: [...a.arguments] });
const sortKey = (a: Aggregate): string => sortPath(a.schema, a.name, ...a.arguments);

export const aggregateKind: ObjectKind<AggregateChange, typeof aggregateModel, typeof aggregateRefs, 'aggregate'> = {
  name: 'aggregate',
  format: aggregateFormat,
  model: aggregateModel,
  raw: aggregateRaw,
  checks: aggregateChecks,
  pull: aggregatePull,
  refs: aggregateRefs,
  diff: aggregateDiff,
  introspect: aggregateIntrospect,
  // After the functions it calls (3), before the tables that might use it in defaults; dropped before them.
  phase: { create: 4, drop: 16 },
  changes: {
    create_aggregate: {
      steps: createAggregateSteps,
      target: (c) => aggregateRef(c.aggregate),
      sortKey: (c) => sortKey(c.aggregate),
      describe: (c) => added(aggregateDisplay(c.aggregate), 'aggregate', c.aggregate),
    },
    replace_aggregate: {
      steps: replaceAggregateSteps,
      target: (c) => aggregateRef(c.to),
      sortKey: (c) => sortKey(c.to),
      describe: (c) => changed(aggregateDisplay(c.to), 'aggregate', c.from, c.to),
    },
    drop_aggregate: {
      steps: dropAggregateSteps,
      target: (c) => aggregateRef(c.aggregate),
      sortKey: (c) => sortKey(c.aggregate),
      describe: (c) => dropped(aggregateDisplay(c.aggregate), 'aggregate', c.aggregate),
    },
  },
  drops: ['drop_aggregate'],
  covers: ['aggregate'],
};
