/** Columns of existing tables: add, rename, alter (type, nullability, default, identity, generated, collation, storage, compression, statistics), drop. */
import { addColumnSteps, alterColumnSteps, dropColumnSteps, renameColumnSteps } from '../column/steps.js';
import { added, differing, dropped, on, renamed } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { columnCommentOn } from './comment-on.js';
import type { ColumnChange } from './changes.js';
import type { Column } from './model.js';
import { columnRefs } from './refs.js';
import { columnDiff } from './diff.js';
import { columnFormat } from './format-schema.js';
import { sortPath, tableMemberRef } from '../shared.js';
import { columnModel } from './model.js';
import { columnRaw } from './raw.js';
import { columnChecks } from './checks.js';
import { columnPull } from './pull.js';
import { columnIntrospect } from './introspect.js';

/** A column as the file could declare it: without its type's storage (live side only). */
const declared = ({ typeStorage: _typeStorage, ...column }: Column): Column => column;

export const columnKind: ObjectKind<ColumnChange, typeof columnModel, typeof columnRefs, 'column'> = {
  name: 'column',
  format: columnFormat,
  model: columnModel,
  raw: columnRaw,
  checks: columnChecks,
  pull: columnPull,
  refs: columnRefs,
  diff: columnDiff,
  introspect: columnIntrospect,
  phase: { create: 6, drop: 15 },
  commentOn: columnCommentOn,
  changes: {
    rename_column: {
      steps: renameColumnSteps,
      target: (c) => tableMemberRef('column', c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => renamed(on(c.table, c.to), 'column', c.from, c.to),
      renames: true,
    },
    add_column: {
      steps: addColumnSteps,
      target: (c) => tableMemberRef('column', c.table, c.column.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.column.name),
      describe: (c) => added(on(c.table, c.column.name), 'column', c.column),
    },
    alter_column: {
      steps: alterColumnSteps,
      target: (c) => tableMemberRef('column', c.table, c.to.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to.name),
      describe: (c) => [
        {
          object: on(c.table, c.to.name),
          kind: 'column',
          action: 'changed',
          ...differing(declared(c.from), declared(c.to)),
          what: [...c.attributes],
        },
      ],
    },
    drop_column: {
      steps: dropColumnSteps,
      target: (c) => tableMemberRef('column', c.table, c.column.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.column.name),
      describe: (c) => dropped(on(c.table, c.column.name), 'column', declared(c.column)),
    },
  },
  drops: ['drop_column'],
};
