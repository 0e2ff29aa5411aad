/** Table constraints: primary keys, unique constraints, checks and foreign keys (added NOT VALID and validated on existing tables). */
import {
  addCheckSteps,
  addForeignKeySteps,
  addPrimaryKeySteps,
  addUniqueSteps,
  dropConstraintSteps,
  dropKeyConstraintSteps,
  renameConstraintSteps,
  validateConstraintSteps,
} from '../../plan/constraint-steps.js';
import { on, plain } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { constraintFormat } from './format-schema.js';
import { sortPath, tableMemberRef } from '../shared.js';

type ConstraintChange =
  | 'rename_constraint'
  | 'add_primary_key'
  | 'add_unique'
  | 'add_check'
  | 'validate_constraint'
  | 'add_foreign_key'
  | 'drop_foreign_key'
  | 'drop_check'
  | 'drop_unique'
  | 'drop_primary_key';

export const constraintKind: ObjectKind<ConstraintChange> = {
  name: 'constraint',
  format: constraintFormat,
  phase: { create: 7, drop: 13 },
  changes: {
    rename_constraint: {
      steps: renameConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => [{ object: on(c.table, c.to), kind: c.constraintKind, action: 'renamed', before: c.from, after: c.to }],
      renames: true,
    },
    add_primary_key: {
      steps: addPrimaryKeySteps,
      target: (c) => tableMemberRef('constraint', c.table, c.primaryKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.primaryKey.name),
      describe: (c) => [
        { object: on(c.table, c.primaryKey.name), kind: 'primary_key', action: 'added', before: null, after: plain(c.primaryKey) },
      ],
    },
    add_unique: {
      steps: addUniqueSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.unique.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.unique.name),
      describe: (c) => [{ object: on(c.table, c.unique.name), kind: 'unique', action: 'added', before: null, after: plain(c.unique) }],
    },
    add_check: {
      steps: addCheckSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.check.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.check.name),
      describe: (c) => [{ object: on(c.table, c.check.name), kind: 'check', action: 'added', before: null, after: plain(c.check) }],
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
      describe: (c) => [
        { object: on(c.table, c.foreignKey.name), kind: 'foreign_key', action: 'added', before: null, after: plain(c.foreignKey) },
      ],
    },
    drop_foreign_key: {
      steps: dropConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.foreignKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.foreignKey.name),
      describe: (c) => [
        { object: on(c.table, c.foreignKey.name), kind: 'foreign_key', action: 'dropped', before: plain(c.foreignKey), after: null },
      ],
    },
    drop_check: {
      steps: dropConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.check.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.check.name),
      describe: (c) => [{ object: on(c.table, c.check.name), kind: 'check', action: 'dropped', before: plain(c.check), after: null }],
    },
    drop_unique: {
      steps: dropKeyConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.unique.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.unique.name),
      describe: (c) => [{ object: on(c.table, c.unique.name), kind: 'unique', action: 'dropped', before: plain(c.unique), after: null }],
    },
    drop_primary_key: {
      steps: dropKeyConstraintSteps,
      target: (c) => tableMemberRef('constraint', c.table, c.primaryKey.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.primaryKey.name),
      describe: (c) => [
        { object: on(c.table, c.primaryKey.name), kind: 'primary_key', action: 'dropped', before: plain(c.primaryKey), after: null },
      ],
    },
  },
  drops: ['drop_foreign_key', 'drop_check', 'drop_unique', 'drop_primary_key'],
};
