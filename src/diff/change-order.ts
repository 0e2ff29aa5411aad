/**
 * The diff's deterministic output order: by kind (in the fixed order below), then by the
 * name of the object changed. The sort is stable, so changes of one kind on one object
 * (labels added to one enum) keep the order they were emitted in. The plan re-orders by
 * dependencies; this order only makes the same inputs give the same array.
 */
import type { Change, ChangeKind, CommentTarget } from './changes.js';
import { functionKey } from './function-diff.js';

/** Creates and alterations first, roughly in apply order; drops last, innermost first. */
const kindRank: Readonly<Record<ChangeKind, number>> = {
  create_extension: 0,
  alter_extension: 1,
  create_schema: 2,
  create_enum: 3,
  rename_enum_value: 4,
  add_enum_value: 5,
  replace_enum: 6,
  rename_sequence: 7,
  create_sequence: 8,
  alter_sequence: 9,
  create_function: 10,
  replace_function: 11,
  rename_table: 12,
  create_table: 13,
  rename_column: 14,
  add_column: 15,
  alter_column: 16,
  rename_constraint: 17,
  add_primary_key: 18,
  add_unique: 19,
  add_check: 20,
  validate_constraint: 21,
  add_foreign_key: 22,
  rename_index: 23,
  create_index: 24,
  replace_index: 25,
  rename_trigger: 26,
  create_trigger: 27,
  replace_trigger: 28,
  set_trigger_enabled: 29,
  set_comment: 30,
  drop_trigger: 31,
  drop_index: 32,
  drop_foreign_key: 33,
  drop_check: 34,
  drop_unique: 35,
  drop_primary_key: 36,
  drop_column: 37,
  drop_table: 38,
  drop_function: 39,
  drop_sequence: 40,
  drop_enum: 41,
  drop_schema: 42,
  drop_extension: 43,
};

const SEP = '\u0000';

function path(...parts: readonly string[]): string {
  return parts.join(SEP);
}

function targetKey(target: CommentTarget): string {
  switch (target.on) {
    case 'schema':
      return path('schema', target.schema);
    case 'table':
      return path('table', target.table.schema, target.table.name);
    case 'column':
      return path('table', target.table.schema, target.table.name, 'column', target.column);
    case 'enum':
      return path('enum', target.type.schema, target.type.name);
    case 'sequence':
      return path('sequence', target.sequence.schema, target.sequence.name);
    case 'function':
      return path('function', functionKey(target.fn));
    case 'index':
      return path('table', target.table.schema, target.table.name, 'index', target.index);
    case 'constraint':
      return path('table', target.table.schema, target.table.name, 'constraint', target.constraint);
    case 'trigger':
      return path('table', target.table.schema, target.table.name, 'trigger', target.trigger);
    default:
      return unreachable(target);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown change or target: ${JSON.stringify(value)}`);
}

/**
 * The name a change sorts by within its kind.
 *
 * @example
 * changeObjectKey({ kind: 'drop_index', table: { schema: 'public', name: 't' }, index })  // 'public\0t\0<index name>'
 */
export function changeObjectKey(change: Change): string {
  switch (change.kind) {
    case 'create_extension':
    case 'drop_extension':
      return change.extension.name;
    case 'alter_extension':
      return change.to.name;
    case 'create_schema':
    case 'drop_schema':
      return change.schema.name;
    case 'create_enum':
    case 'drop_enum':
    case 'add_enum_value':
    case 'rename_enum_value':
      return path(change.enum.schema, change.enum.name);
    case 'replace_enum':
      return path(change.to.schema, change.to.name);
    case 'create_sequence':
    case 'drop_sequence':
      return path(change.sequence.schema, change.sequence.name);
    case 'alter_sequence':
    case 'rename_sequence':
      return path(change.to.schema, change.to.name);
    case 'create_function':
    case 'drop_function':
      return functionKey(change.fn);
    case 'replace_function':
      return functionKey(change.to);
    case 'create_table':
    case 'drop_table':
      return path(change.table.schema, change.table.name);
    case 'rename_table':
      return path(change.to.schema, change.to.name);
    case 'add_column':
    case 'drop_column':
      return path(change.table.schema, change.table.name, change.column.name);
    case 'rename_column':
    case 'rename_constraint':
    case 'rename_index':
    case 'rename_trigger':
      return path(change.table.schema, change.table.name, change.to);
    case 'alter_column':
      return path(change.table.schema, change.table.name, change.to.name);
    case 'add_primary_key':
    case 'drop_primary_key':
      return path(change.table.schema, change.table.name, change.primaryKey.name);
    case 'add_unique':
    case 'drop_unique':
      return path(change.table.schema, change.table.name, change.unique.name);
    case 'add_check':
    case 'drop_check':
      return path(change.table.schema, change.table.name, change.check.name);
    case 'validate_constraint':
      return path(change.table.schema, change.table.name, change.constraint);
    case 'add_foreign_key':
    case 'drop_foreign_key':
      return path(change.table.schema, change.table.name, change.foreignKey.name);
    case 'create_index':
    case 'drop_index':
      return path(change.table.schema, change.table.name, change.index.name);
    case 'replace_index':
      return path(change.table.schema, change.table.name, change.to.name);
    case 'create_trigger':
    case 'drop_trigger':
      return path(change.table.schema, change.table.name, change.trigger.name);
    case 'replace_trigger':
      return path(change.table.schema, change.table.name, change.to.name);
    case 'set_trigger_enabled':
      return path(change.table.schema, change.table.name, change.trigger);
    case 'set_comment':
      return targetKey(change.target);
    default:
      return unreachable(change);
  }
}

/**
 * Sorts changes by kind, then object name (code-unit order, locale-independent); stable.
 *
 * @example
 * sortChanges([dropTable, createTable])  // [createTable, dropTable]
 */
export function sortChanges(changes: readonly Change[]): Change[] {
  const keyed = changes.map((change, at) => ({ change, at, rank: kindRank[change.kind], key: changeObjectKey(change) }));
  keyed.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.at - b.at);
  return keyed.map((k) => k.change);
}
