/** Collations: create, drop (a changed collation is dropped and created: it cannot be altered). */
import { createCollationSteps, dropCollationSteps } from './steps.js';
import { added, displayQualified, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { collationCommentOn } from './comment-on.js';
import type { CollationChange } from './changes.js';
import { collationRefs } from './refs.js';
import { collationDiff } from './diff.js';
import { collationFormat } from './format-schema.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import { sortPath } from '../shared.js';
import { collationModel } from './model.js';
import { collationRaw } from './raw.js';
import { collationChecks } from './checks.js';
import { collationPull } from './pull.js';
import { collationIntrospect } from './introspect.js';

const collationRef = (q: QualifiedName): ObjectRef => ({ kind: 'collation', schema: q.schema, name: q.name });

export const collationKind: ObjectKind<CollationChange, typeof collationModel, typeof collationRefs, 'collation'> = {
  name: 'collation',
  format: collationFormat,
  model: collationModel,
  raw: collationRaw,
  checks: collationChecks,
  pull: collationPull,
  refs: collationRefs,
  diff: collationDiff,
  introspect: collationIntrospect,
  phase: { create: 2, drop: 18 },
  commentOn: collationCommentOn,
  changes: {
    create_collation: {
      steps: (c) => createCollationSteps(c),
      target: (c) => collationRef(c.collation),
      sortKey: (c) => sortPath(c.collation.schema, c.collation.name),
      describe: (c) => added(displayQualified(c.collation), 'collation', c.collation),
    },
    drop_collation: {
      steps: (c) => dropCollationSteps(c),
      target: (c) => collationRef(c.collation),
      sortKey: (c) => sortPath(c.collation.schema, c.collation.name),
      describe: (c) => dropped(displayQualified(c.collation), 'collation', c.collation),
    },
  },
  drops: ['drop_collation'],
};
