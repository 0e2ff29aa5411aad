/** Enum types: create, add a value (at its position), rename a value, replace (values removed or reordered), drop. */
import { addEnumValueSteps, createEnumSteps, dropEnumSteps, renameEnumValueSteps, replaceEnumSteps } from '../enum/steps.js';
import { added, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { enumCommentOn } from './comment-on.js';
import type { EnumChange } from './changes.js';
import { enumRefs } from './refs.js';
import { enumDiff } from './diff.js';
import { enumFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { enumModel } from './model.js';
import { enumRaw } from './raw.js';
import { enumChecks } from './checks.js';
import { enumPull } from './pull.js';
import { enumIntrospect } from './introspect.js';

export const enumKind: ObjectKind<EnumChange, typeof enumModel, typeof enumRefs, 'enum'> = {
  name: 'enum',
  format: enumFormat,
  model: enumModel,
  raw: enumRaw,
  checks: enumChecks,
  pull: enumPull,
  refs: enumRefs,
  diff: enumDiff,
  introspect: enumIntrospect,
  phase: { create: 2, drop: 18 },
  commentOn: enumCommentOn,
  changes: {
    create_enum: {
      steps: (c) => createEnumSteps(c),
      target: (c) => objectRef('type', c.enum),
      sortKey: (c) => sortPath(c.enum.schema, c.enum.name),
      describe: (c) => added(displayQualified(c.enum), 'enum', c.enum),
    },
    rename_enum_value: {
      steps: (c) => renameEnumValueSteps(c),
      target: (c) => objectRef('type', c.enum),
      sortKey: (c) => sortPath(c.enum.schema, c.enum.name),
      describe: (c) => [
        {
          object: displayQualified(c.enum),
          kind: 'enum',
          action: 'changed',
          what: ['value name'],
          before: { value: c.from },
          after: { value: c.to },
        },
      ],
    },
    add_enum_value: {
      steps: (c) => addEnumValueSteps(c),
      target: (c) => objectRef('type', c.enum),
      sortKey: (c) => sortPath(c.enum.schema, c.enum.name),
      describe: (c) => {
        const values = c.enum.values;
        return [
          {
            object: displayQualified(c.enum),
            kind: 'enum',
            action: 'changed',
            what: ['values'],
            before: { values: values.filter((v) => v !== c.value) },
            after: { values },
          },
        ];
      },
    },
    replace_enum: {
      steps: replaceEnumSteps,
      target: (c) => objectRef('type', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'enum',
          action: 'changed',
          what: ['values'],
          before: { values: c.from.values },
          after: { values: c.to.values },
        },
      ],
    },
    drop_enum: {
      steps: dropEnumSteps,
      target: (c) => objectRef('type', c.enum),
      sortKey: (c) => sortPath(c.enum.schema, c.enum.name),
      describe: (c) => dropped(displayQualified(c.enum), 'enum', c.enum),
    },
  },
  drops: ['drop_enum'],
};
