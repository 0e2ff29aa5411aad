/**
 * Row-level security: a table's policies (create, alter in place, replace, rename, drop) and its
 * ENABLE / FORCE ROW LEVEL SECURITY switches.
 */
import { added, changed, dropped, on, renamed } from '../../drift/items.js';
import { displayQualified } from '../../model/ident.js';
import type { ObjectRef } from '../../model/object-ref.js';
import type { QualifiedName } from '../../model/types.js';
import type { ObjectKind } from '../kind.js';
import { sortPath } from '../shared.js';
import type { PolicyChange } from './changes.js';
import type { Policy } from './model.js';
import { policyChecks } from './checks.js';
import { policyCommentOn } from './comment-on.js';
import { policyDiff } from './diff.js';
import { policyFormat } from './format-schema.js';
import { policyIntrospect } from './introspect.js';
import { policyModel } from './model.js';
import { policyPull } from './pull.js';
import { policyRaw } from './raw.js';
import { policyRefs } from './refs.js';
import {
  alterPolicySteps,
  createPolicySteps,
  dropPolicySteps,
  renamePolicySteps,
  replacePolicySteps,
  setRowLevelSecuritySteps,
} from './steps.js';

/** A policy as reports show it: without what only one side knows (the live `uses`, the file's `renamed_from`). */
const shown = ({ uses: _uses, renamedFrom: _renamed, ...policy }: Policy): Omit<Policy, 'uses' | 'renamedFrom'> => policy;

const policyRef = (table: QualifiedName, name: string): ObjectRef => ({
  kind: 'policy',
  schema: table.schema,
  name: table.name,
  sub: name,
});

export const policyKind: ObjectKind<PolicyChange, typeof policyModel, typeof policyRefs, 'policy'> = {
  name: 'policy',
  format: policyFormat,
  model: policyModel,
  raw: policyRaw,
  checks: policyChecks,
  pull: policyPull,
  refs: policyRefs,
  diff: policyDiff,
  introspect: policyIntrospect,
  phase: { create: 9, drop: 12 },
  commentOn: policyCommentOn,
  covers: ['policy', 'row level security'],
  changes: {
    rename_policy: {
      steps: renamePolicySteps,
      target: (c) => policyRef(c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => renamed(on(c.table, c.to), 'policy', c.from, c.to),
      renames: true,
    },
    create_policy: {
      steps: createPolicySteps,
      target: (c) => policyRef(c.table, c.policy.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.policy.name),
      describe: (c) => added(on(c.table, c.policy.name), 'policy', shown(c.policy)),
    },
    replace_policy: {
      steps: replacePolicySteps,
      target: (c) => policyRef(c.table, c.to.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to.name),
      describe: (c) => changed(on(c.table, c.to.name), 'policy', shown(c.from), shown(c.to)),
    },
    alter_policy: {
      steps: alterPolicySteps,
      target: (c) => policyRef(c.table, c.to.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to.name),
      describe: (c) => changed(on(c.table, c.to.name), 'policy', shown(c.from), shown(c.to)),
    },
    set_row_level_security: {
      steps: setRowLevelSecuritySteps,
      target: (c) => ({ kind: 'table', schema: c.table.schema, name: c.table.name }),
      sortKey: (c) => sortPath(c.table.schema, c.table.name),
      describe: (c) => [
        {
          object: displayQualified(c.table),
          kind: 'row level security',
          action: 'changed',
          what: [...(c.from.enabled !== c.to.enabled ? ['enabled'] : []), ...(c.from.forced !== c.to.forced ? ['forced'] : [])],
          before: { enabled: c.from.enabled, forced: c.from.forced },
          after: { enabled: c.to.enabled, forced: c.to.forced },
        },
      ],
    },
    drop_policy: {
      steps: dropPolicySteps,
      target: (c) => policyRef(c.table, c.policy.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.policy.name),
      describe: (c) => dropped(on(c.table, c.policy.name), 'policy', shown(c.policy)),
    },
  },
  drops: ['drop_policy'],
};
