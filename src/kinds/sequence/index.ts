/** Sequences: create, alter options, rename (never drop + create: the numbering would restart), drop. */
import { alterSequenceSteps, createSequenceSteps, dropSequenceSteps, renameSequenceSteps } from './steps.js';
import { added, changed, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { sequenceCommentOn } from './comment-on.js';
import type { SequenceChange } from './changes.js';
import { sequenceRefs } from './refs.js';
import { sequenceDiff } from './diff.js';
import { sequenceFormat } from './format-schema.js';
import { objectRef, sortPath } from '../shared.js';
import { sequenceModel } from './model.js';
import { sequenceRaw } from './raw.js';
import { sequenceChecks } from './checks.js';
import { sequencePull } from './pull.js';
import { sequenceIntrospect } from './introspect.js';

export const sequenceKind: ObjectKind<SequenceChange, typeof sequenceModel, typeof sequenceRefs, 'sequence'> = {
  name: 'sequence',
  format: sequenceFormat,
  model: sequenceModel,
  raw: sequenceRaw,
  checks: sequenceChecks,
  pull: sequencePull,
  refs: sequenceRefs,
  diff: sequenceDiff,
  introspect: sequenceIntrospect,
  phase: { create: 2, drop: 18 },
  commentOn: sequenceCommentOn,
  changes: {
    rename_sequence: {
      steps: (c) => renameSequenceSteps(c),
      target: (c) => objectRef('sequence', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => [
        {
          object: displayQualified(c.to),
          kind: 'sequence',
          action: 'renamed',
          before: displayQualified(c.from),
          after: displayQualified(c.to),
        },
      ],
      renames: true,
    },
    create_sequence: {
      steps: (c) => createSequenceSteps(c),
      target: (c) => objectRef('sequence', c.sequence),
      sortKey: (c) => sortPath(c.sequence.schema, c.sequence.name),
      describe: (c) => added(displayQualified(c.sequence), 'sequence', c.sequence),
    },
    alter_sequence: {
      steps: (c) => alterSequenceSteps(c),
      target: (c) => objectRef('sequence', c.to),
      sortKey: (c) => sortPath(c.to.schema, c.to.name),
      describe: (c) => changed(displayQualified(c.to), 'sequence', c.from, c.to),
    },
    drop_sequence: {
      steps: dropSequenceSteps,
      target: (c) => objectRef('sequence', c.sequence),
      sortKey: (c) => sortPath(c.sequence.schema, c.sequence.name),
      describe: (c) => dropped(displayQualified(c.sequence), 'sequence', c.sequence),
    },
  },
  drops: ['drop_sequence'],
};
