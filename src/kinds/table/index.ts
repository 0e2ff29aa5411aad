/** Tables: create (with their columns, keys, checks, indexes and triggers), rename, their options (logged, storage parameters, replica identity), drop. */
import { alterTableSteps, createTableSteps, dropTableSteps, renameTableSteps } from './steps.js';
import { differing, displayQualified } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { tableCommentOn } from './comment-on.js';
import type { TableChange } from './changes.js';
import { tableRefs } from './refs.js';
import { tableDiff } from './diff.js';
import { tableFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { tableModel } from './model.js';
import { tableRaw } from './raw.js';
import { tableChecks } from './checks.js';
import { tablePull } from './pull.js';
import { tableIntrospect } from './introspect.js';
import { createPartitionSteps, dropPartitionSteps, reboundPartitionSteps } from './partition-steps.js';

const partitionRef = (c: { parent: { schema: string }; partition: { name: string } }) =>
  objectRef('table', { schema: c.parent.schema, name: c.partition.name });

export const tableKind: ObjectKind<TableChange, typeof tableModel, typeof tableRefs, 'table'> = {
  name: 'table',
  format: tableFormat,
  model: tableModel,
  raw: tableRaw,
  checks: tableChecks,
  pull: tablePull,
  refs: tableRefs,
  diff: tableDiff,
  introspect: tableIntrospect,
  phase: { create: 5, drop: 16 },
  commentOn: tableCommentOn,
  covers: ['unlogged table', 'table storage parameters'],
  changes: {
    rename_table: {
      steps: renameTableSteps,
      target: (c) => objectRef('table', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'table',
          action: 'renamed',
          before: displayQualified(c.from),
          after: displayQualified(c.to),
        },
      ],
      renames: true,
    },
    create_table: {
      steps: createTableSteps,
      target: (c) => objectRef('table', c.table),
      sortKey: (c) => sortPath(c.table.schema, c.table.name),
      describe: (c) => [
        {
          object: displayQualified(c.table),
          kind: 'table',
          action: 'added',
          before: null,
          after: { columns: c.table.columns.map((col) => col.name) },
        },
      ],
    },
    alter_table: {
      steps: alterTableSteps,
      target: (c) => objectRef('table', c.table),
      sortKey: (c) => sortPath(c.table.schema, c.table.name),
      describe: (c) => [
        { object: displayQualified(c.table), kind: 'table', action: 'changed', ...differing(c.from, c.to), what: [...c.attributes] },
      ],
    },
    create_partition: {
      steps: createPartitionSteps,
      target: partitionRef,
      sortKey: (c) => sortPath(c.parent.schema, c.partition.name),
      describe: (c) => [
        {
          object: displayQualified({ schema: c.parent.schema, name: c.partition.name }),
          kind: 'table',
          action: 'added',
          before: null,
          after: { partition_of: displayQualified(c.parent), bounds: c.partition.bound },
        },
      ],
    },
    drop_partition: {
      steps: dropPartitionSteps,
      target: partitionRef,
      sortKey: (c) => sortPath(c.parent.schema, c.partition.name),
      describe: (c) => [
        {
          object: displayQualified({ schema: c.parent.schema, name: c.partition.name }),
          kind: 'table',
          action: 'dropped',
          before: { partition_of: displayQualified(c.parent), bounds: c.partition.bound },
          after: null,
        },
      ],
    },
    rebound_partition: {
      steps: reboundPartitionSteps,
      target: (c) => objectRef('table', { schema: c.parent.schema, name: c.to.name }),
      sortKey: (c) => sortPath(c.parent.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified({ schema: c.parent.schema, name: c.to.name }),
          kind: 'table',
          action: 'changed',
          before: { bounds: c.from.bound },
          after: { bounds: c.to.bound },
        },
      ],
    },
    drop_table: {
      steps: dropTableSteps,
      target: (c) => objectRef('table', c.table),
      sortKey: (c) => sortPath(c.table.schema, c.table.name),
      describe: (c) => [
        {
          object: displayQualified(c.table),
          kind: 'table',
          action: 'dropped',
          before: { columns: c.table.columns.map((col) => col.name) },
          after: null,
        },
      ],
    },
  },
  drops: ['drop_table', 'drop_partition'],
};
