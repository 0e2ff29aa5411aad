/** Indexes: create (CONCURRENTLY on existing tables), replace (built under a temporary name, then swapped), rename, drop. */
import { createIndexSteps, dropIndexSteps, renameIndexSteps, replaceIndexSteps } from './steps.js';
import { added, changed, dropped, on, renamed } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { indexFormat } from './format-schema.js';
import { indexIntrospect } from './introspect.js';
import { indexModel } from './model.js';
import { indexRef, sortPath } from '../shared.js';
import { indexRaw } from './raw.js';
import { indexChecks } from './checks.js';

export const indexKind: ObjectKind<'rename_index' | 'create_index' | 'replace_index' | 'drop_index', typeof indexModel> = {
  name: 'index',
  format: indexFormat,
  introspect: indexIntrospect,
  model: indexModel,
  raw: indexRaw,
  checks: indexChecks,
  phase: { create: 8, drop: 14 },
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
