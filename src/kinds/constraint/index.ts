/** Table constraints: primary keys, unique constraints, checks and foreign keys (added NOT VALID and validated on existing tables; only added NOT VALID where the file says `validated: false`), and exclusion constraints. */
import {
  addCheckSteps,
  addForeignKeySteps,
  addPrimaryKeySteps,
  addUniqueSteps,
  dropConstraintSteps,
  dropKeyConstraintSteps,
  renameConstraintSteps,
  validateConstraintSteps,
} from './steps.js';
import { addExclusionSteps, dropExclusionSteps } from './exclusion-steps.js';
import { added, dropped, on, renamed } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { constraintCommentOn } from './comment-on.js';
import type { ConstraintChange } from './changes.js';
import { constraintRefs } from './refs.js';
import { constraintDiff } from './diff.js';
import type { ExclusionConstraint } from '../../model/types.js';
import { constraintFormat } from './format-schema.js';
import { sortPath, tableMemberRef } from '../shared.js';
import { constraintModel } from './model.js';
import { constraintRaw } from './raw.js';
import { constraintChecks } from './checks.js';
import { constraintPull } from './pull.js';
import { constraintIntrospect } from './introspect.js';

export const constraintKind: ObjectKind<ConstraintChange, typeof constraintModel, typeof constraintRefs, 'constraint'> = {
  name: 'constraint',
  format: constraintFormat,
  model: constraintModel,
  raw: constraintRaw,
  checks: constraintChecks,
  pull: constraintPull,
  refs: constraintRefs,
  diff: constraintDiff,
  introspect: constraintIntrospect,
  phase: { create: 7, drop: 13 },
  commentOn: constraintCommentOn,
  changes: {
    rename_constraint: {
      steps: renameConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => renamed(on(c.table, c.to), c.constraintKind, c.from, c.to),
      renames: true,
    },
    add_primary_key: {
      steps: addPrimaryKeySteps,
      target: (c) => tableMemberRef('constraint', c.table, c.primaryKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.primaryKey.name),
      describe: (c) => added(on(c.table, c.primaryKey.name), 'primary_key', c.primaryKey),
    },
    add_unique: {
      steps: addUniqueSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.unique.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.unique.name),
      describe: (c) => added(on(c.table, c.unique.name), 'unique', c.unique),
    },
    add_check: {
      steps: addCheckSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.check.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.check.name),
      describe: (c) => added(on(c.table, c.check.name), 'check', c.check),
    },
    validate_constraint: {
      steps: validateConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.constraint),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.constraint),
      describe: (c) => [
        {
          object: on(c.table, c.constraint),
          kind: c.constraintKind,
          action: 'changed',
          what: ['notValid'],
          before: { notValid: true },
          after: { notValid: false },
        },
      ],
    },
    add_foreign_key: {
      steps: addForeignKeySteps,
      target: (c) => tableMemberRef('constraint', c.table, c.foreignKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.foreignKey.name),
      describe: (c) => added(on(c.table, c.foreignKey.name), 'foreign_key', c.foreignKey),
    },
    drop_foreign_key: {
      steps: dropConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.foreignKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.foreignKey.name),
      describe: (c) => dropped(on(c.table, c.foreignKey.name), 'foreign_key', c.foreignKey),
    },
    add_exclusion: {
      steps: addExclusionSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.exclusion.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.exclusion.name),
      describe: (c) => added(on(c.table, c.exclusion.name), 'exclusion', exclusionForm(c.exclusion)),
    },
    drop_exclusion: {
      steps: dropExclusionSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.exclusion.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.exclusion.name),
      describe: (c) => dropped(on(c.table, c.exclusion.name), 'exclusion', exclusionForm(c.exclusion)),
    },
    drop_check: {
      steps: dropConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.check.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.check.name),
      describe: (c) => dropped(on(c.table, c.check.name), 'check', c.check),
    },
    drop_unique: {
      steps: dropKeyConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.unique.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.unique.name),
      describe: (c) => dropped(on(c.table, c.unique.name), 'unique', c.unique),
    },
    drop_primary_key: {
      steps: dropKeyConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.primaryKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.primaryKey.name),
      describe: (c) => dropped(on(c.table, c.primaryKey.name), 'primary_key', c.primaryKey),
    },
  },
  drops: ['drop_foreign_key', 'drop_exclusion', 'drop_check', 'drop_unique', 'drop_primary_key'],
};

/** An exclusion constraint as drift and pending reports show it: without the live side's server text. */
function exclusionForm(x: ExclusionConstraint): Omit<ExclusionConstraint, 'definition'> {
  const { definition: _definition, ...rest } = x;
  return rest;
}
