/** Indexes: create (CONCURRENTLY on existing tables), replace (built under a temporary name, then swapped), rename, drop. */
import { createIndexSteps, dropIndexSteps, renameIndexSteps, replaceIndexSteps } from './steps.js';
import { added, changed, dropped, on, renamed } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { indexCommentOn } from './comment-on.js';
import type { IndexChange } from './changes.js';
import { indexRefs } from './refs.js';
import { indexDiff } from './diff.js';
import { indexFormat } from './format-schema.js';
import { indexRef, sortPath } from '../shared.js';
import { indexModel } from './model.js';
import { indexRaw } from './raw.js';
import { indexChecks } from './checks.js';
import { indexPull } from './pull.js';
import { indexIntrospect } from './introspect.js';

export const indexKind: ObjectKind<IndexChange, typeof indexModel, typeof indexRefs, 'index'> = {
  name: 'index',
  format: indexFormat,
  model: indexModel,
  raw: indexRaw,
  checks: indexChecks,
  pull: indexPull,
  refs: indexRefs,
  diff: indexDiff,
  introspect: indexIntrospect,
  phase: { create: 8, drop: 14 },
  commentOn: indexCommentOn,
  changes: {
    rename_index: {
      steps: renameIndexSteps,
      target: (c) => indexRef(c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => renamed(on(c.table, c.to), 'index', c.from, c.to),
      renames: true,
    },
    create_index: {
      steps: createIndexSteps,
      target: (c) => indexRef(c.table, c.index.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.index.name),
      describe: (c) => added(on(c.table, c.index.name), 'index', c.index),
    },
    replace_index: {
      steps: replaceIndexSteps,
      target: (c) => indexRef(c.table, c.to.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to.name),
      describe: (c) => changed(on(c.table, c.to.name), 'index', c.from, c.to),
    },
    drop_index: {
      steps: dropIndexSteps,
      target: (c) => indexRef(c.table, c.index.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.index.name),
      describe: (c) => dropped(on(c.table, c.index.name), 'index', c.index),
    },
  },
  drops: ['drop_index'],
};
