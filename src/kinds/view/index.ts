/**
 * Views and materialized views: create, drop, replace in place (CREATE OR REPLACE VIEW), options,
 * rename, comments; rebuilt (dropped and created again, with the views on them) where a query
 * cannot be replaced or what they use changes under them. Views drop first and come back after
 * the changes around them (their phases, and the keys of ./steps.ts).
 */
import {
  alterViewOptionsSteps,
  commentViewSteps,
  createViewSteps,
  dropViewSteps,
  renameViewSteps,
  replaceViewSteps,
  createViewIndexSteps,
  dropViewIndexSteps,
} from './steps.js';
import { added, changed, displayQualified, dropped, renamed } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import type { ViewChange } from './changes.js';
import { viewRefs } from './refs.js';
import { viewDiff } from './diff.js';
import { viewFormat } from './format-schema.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import { sortPath } from '../shared.js';
import { viewModel, type View } from './model.js';
import { viewRaw } from './raw.js';
import { viewChecks } from './checks.js';
import { viewPull } from './pull.js';
import { viewIntrospect } from './introspect.js';

const viewRef = (q: QualifiedName): ObjectRef => ({ kind: 'view', schema: q.schema, name: q.name });
const report = (v: View): 'view' | 'materialized view' => (v.materialized ? 'materialized view' : 'view');
const sortKey = (v: QualifiedName): string => sortPath(v.schema, v.name);

export const viewKind: ObjectKind<ViewChange, typeof viewModel, typeof viewRefs, 'view'> = {
  name: 'view',
  format: viewFormat,
  covers: ['view', 'materialized view'],
  model: viewModel,
  raw: viewRaw,
  checks: viewChecks,
  pull: viewPull,
  refs: viewRefs,
  diff: viewDiff,
  introspect: viewIntrospect,
  // Drops first (a view is off before anything changes under it); creates after the columns and
  // constraints, before the index builds (a CONCURRENTLY build would end the transaction a
  // re-created view shares with its drop). The graph's edges decide where they can.
  phase: { create: 7.5, drop: 0 },
  changes: {
    create_view: {
      steps: (c, ctx) => createViewSteps(c, ctx),
      target: (c) => viewRef(c.view),
      sortKey: (c) => sortKey(c.view),
      describe: (c) => (c.rebuild === true ? [] : added(displayQualified(c.view), report(c.view), c.view)),
    },
    replace_view: {
      steps: (c, ctx) => replaceViewSteps(c, ctx),
      target: (c) => viewRef(c.to),
      sortKey: (c) => sortKey(c.to),
      describe: (c) => changed(displayQualified(c.to), report(c.to), { query: c.from.query }, { query: c.to.query }),
    },
    alter_view_options: {
      steps: (c) => alterViewOptionsSteps(c),
      target: (c) => viewRef(c.to),
      sortKey: (c) => sortKey(c.to),
      describe: (c) => changed(displayQualified(c.to), report(c.to), c.from, c.to),
    },
    rename_view: {
      steps: (c) => renameViewSteps(c),
      target: (c) => viewRef(c.to),
      sortKey: (c) => sortKey(c.to),
      describe: (c) => renamed(displayQualified(c.to), report(c.to), c.from.name, c.to.name),
      renames: true,
    },
    comment_view: {
      steps: (c) => commentViewSteps(c),
      target: (c) => viewRef(c.view),
      sortKey: (c) => sortKey(c.view),
      describe: (c) =>
        changed(displayQualified(c.view), report(c.view), { comment: c.from?.comment ?? null }, { comment: c.view.comment ?? null }),
    },
    create_view_index: {
      steps: (c) => createViewIndexSteps(c),
      target: (c) => viewRef(c.view),
      sortKey: (c) => sortPath(c.view.schema, c.view.name, c.index.name),
      describe: (c) => changed(displayQualified(c.view), report(c.view), null, { index: c.index.name }),
    },
    drop_view_index: {
      steps: (c) => dropViewIndexSteps(c),
      target: (c) => viewRef(c.view),
      sortKey: (c) => sortPath(c.view.schema, c.view.name, c.index.name),
      describe: (c) => changed(displayQualified(c.view), report(c.view), { index: c.index.name }, null),
    },
    drop_view: {
      steps: (c, ctx) => dropViewSteps(c, ctx),
      target: (c) => viewRef(c.view),
      sortKey: (c) => sortKey(c.view),
      describe: (c) =>
        c.rebuild === true
          ? changed(displayQualified(c.view), report(c.view), { query: c.view.query }, { query: '(re-created)' })
          : dropped(displayQualified(c.view), report(c.view), c.view),
    },
  },
  drops: ['drop_view', 'drop_view_index'],
};
