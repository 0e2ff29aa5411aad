/** Range types: create, rename (with the multirange type), drop; any other change drops and creates the type. */
import { rangeTypeCommentOn } from './comment-on.js';
import { createRangeTypeSteps, dropRangeTypeSteps, renameMultirangeTypeSteps, renameRangeTypeSteps } from './steps.js';
import { added, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import type { RangeTypeChange } from './changes.js';
import { rangeTypeRefs } from './refs.js';
import { rangeTypeDiff } from './diff.js';
import { rangeTypeFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { rangeTypeModel } from './model.js';
import { rangeTypeRaw } from './raw.js';
import { rangeTypeChecks } from './checks.js';
import { rangeTypePull } from './pull.js';
import { rangeTypeIntrospect } from './introspect.js';

export const rangeTypeKind: ObjectKind<RangeTypeChange, typeof rangeTypeModel, typeof rangeTypeRefs, 'range-type'> = {
  name: 'range-type',
  format: rangeTypeFormat,
  commentOn: rangeTypeCommentOn,
  covers: ['range type'],
  model: rangeTypeModel,
  raw: rangeTypeRaw,
  checks: rangeTypeChecks,
  pull: rangeTypePull,
  refs: rangeTypeRefs,
  diff: rangeTypeDiff,
  introspect: rangeTypeIntrospect,
  phase: { create: 2, drop: 18 },
  changes: {
    create_range_type: {
      steps: createRangeTypeSteps,
      target: (c) => objectRef('type', c.type),
      sortKey: (c) => sortPath(c.type.schema, c.type.name),
      describe: (c) => added(displayQualified(c.type), 'range type', c.type),
    },
    rename_range_type: {
      steps: (c) => renameRangeTypeSteps(c),
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'range type',
          action: 'renamed',
          before: displayQualified(c.from),
          after: displayQualified(c.to),
        },
      ],
      renames: true,
    },
    rename_multirange_type: {
      steps: (c) => renameMultirangeTypeSteps(c),
      target: (c) => objectRef('type', c.type),
      sortKey: (c) => sortPath(c.type.schema, c.type.name),
      describe: (c) => [
        {
          object: displayQualified(c.type),
          kind: 'range type',
          action: 'changed',
          what: ['multirange_type_name'],
          before: { multirange_type_name: c.from },
          after: { multirange_type_name: c.to },
        },
      ],
    },
    drop_range_type: {
      steps: dropRangeTypeSteps,
      target: (c) => objectRef('type', c.type),
      sortKey: (c) => sortPath(c.type.schema, c.type.name),
      describe: (c) => dropped(displayQualified(c.type), 'range type', c.type),
    },
  },
  drops: ['drop_range_type'],
};
