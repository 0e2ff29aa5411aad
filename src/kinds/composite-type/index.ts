/** Composite types: create, rename, alter attributes (add, drop, rename, retype), drop (and drop + create for a new attribute order). */
import { compositeTypeCommentOn } from './comment-on.js';
import { alterCompositeTypeSteps, createCompositeTypeSteps, dropCompositeTypeSteps, renameCompositeTypeSteps } from './steps.js';
import { added, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import type { CompositeTypeChange } from './changes.js';
import { compositeTypeRefs } from './refs.js';
import { compositeTypeDiff } from './diff.js';
import { compositeTypeFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { compositeTypeModel } from './model.js';
import { compositeTypeRaw } from './raw.js';
import { compositeTypeChecks } from './checks.js';
import { compositeTypePull } from './pull.js';
import { compositeTypeIntrospect } from './introspect.js';

export const compositeTypeKind: ObjectKind<CompositeTypeChange, typeof compositeTypeModel, typeof compositeTypeRefs, 'composite-type'> = {
  name: 'composite-type',
  format: compositeTypeFormat,
  commentOn: compositeTypeCommentOn,
  covers: ['composite type'],
  model: compositeTypeModel,
  raw: compositeTypeRaw,
  checks: compositeTypeChecks,
  pull: compositeTypePull,
  refs: compositeTypeRefs,
  diff: compositeTypeDiff,
  introspect: compositeTypeIntrospect,
  phase: { create: 2, drop: 18 },
  changes: {
    create_composite_type: {
      steps: createCompositeTypeSteps,
      target: (c) => objectRef('type', c.type),
      sortKey: (c) => sortPath(c.type.schema, c.type.name),
      describe: (c) => added(displayQualified(c.type), 'composite type', c.type),
    },
    rename_composite_type: {
      steps: (c) => renameCompositeTypeSteps(c),
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'composite type',
          action: 'renamed',
          before: displayQualified(c.from),
          after: displayQualified(c.to),
        },
      ],
      renames: true,
    },
    alter_composite_type: {
      steps: alterCompositeTypeSteps,
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'composite type',
          action: 'changed',
          what: ['attributes'],
          before: { attributes: c.from.attributes.map(({ comment: _c, ...a }) => a) },
          after: { attributes: c.to.attributes.map(({ comment: _c, renamedFrom: _r, ...a }) => a) },
        },
      ],
    },
    drop_composite_type: {
      steps: dropCompositeTypeSteps,
      target: (c) => objectRef('type', c.type),
      sortKey: (c) => sortPath(c.type.schema, c.type.name),
      describe: (c) => dropped(displayQualified(c.type), 'composite type', c.type),
    },
  },
  drops: ['drop_composite_type'],
};
