/**
 * The object each change acts on, as an `ObjectRef`: what a plan step names as its `target`
 * (every step of a change acts on the change's object). One case per change kind: a new change
 * kind without one fails to compile.
 */
import type { Change, CommentTarget } from '../diff/changes.js';
import { functionRef, type ObjectRef } from '../model/object-ref.js';
import type { QualifiedName } from '../model/types.js';

const on = (kind: 'type' | 'sequence' | 'table', q: QualifiedName): ObjectRef => ({ kind, schema: q.schema, name: q.name });
const under = (kind: 'column' | 'constraint' | 'trigger', table: QualifiedName, sub: string): ObjectRef => ({
  kind,
  schema: table.schema,
  name: table.name,
  sub,
});
const index = (table: QualifiedName, name: string): ObjectRef => ({ kind: 'index', schema: table.schema, name });

function commentTarget(target: CommentTarget): ObjectRef {
  switch (target.on) {
    case 'schema':
      return { kind: 'schema', name: target.schema };
    case 'table':
      return on('table', target.table);
    case 'column':
      return under('column', target.table, target.column);
    case 'enum':
      return on('type', target.type);
    case 'sequence':
      return on('sequence', target.sequence);
    case 'function':
      return functionRef(target.fn);
    case 'index':
      return index(target.table, target.index);
    case 'constraint':
      return under('constraint', target.table, target.constraint);
    case 'trigger':
      return under('trigger', target.table, target.trigger);
  }
}

/**
 * @example changeTarget({ kind: 'add_column', table: { schema: 'public', name: 'users' }, column })
 * // { kind: 'column', schema: 'public', name: 'users', sub: 'email' }
 */
export function changeTarget(change: Change): ObjectRef {
  switch (change.kind) {
    case 'create_extension':
    case 'drop_extension':
      return { kind: 'extension', name: change.extension.name };
    case 'alter_extension':
      return { kind: 'extension', name: change.to.name };
    case 'create_schema':
    case 'drop_schema':
      return { kind: 'schema', name: change.schema.name };
    case 'create_enum':
    case 'drop_enum':
    case 'add_enum_value':
    case 'rename_enum_value':
      return on('type', change.enum);
    case 'replace_enum':
      return on('type', change.to);
    case 'create_sequence':
    case 'drop_sequence':
      return on('sequence', change.sequence);
    case 'alter_sequence':
      return on('sequence', change.to);
    case 'rename_sequence':
      return on('sequence', change.to);
    case 'create_function':
    case 'drop_function':
      return functionRef(change.fn);
    case 'replace_function':
      return functionRef(change.to);
    case 'create_table':
    case 'drop_table':
      return on('table', change.table);
    case 'rename_table':
      return on('table', change.to);
    case 'add_column':
    case 'drop_column':
      return under('column', change.table, change.column.name);
    case 'rename_column':
      return under('column', change.table, change.to);
    case 'alter_column':
      return under('column', change.table, change.to.name);
    case 'add_primary_key':
    case 'drop_primary_key':
      return under('constraint', change.table, change.primaryKey.name);
    case 'add_unique':
    case 'drop_unique':
      return under('constraint', change.table, change.unique.name);
    case 'add_check':
    case 'drop_check':
      return under('constraint', change.table, change.check.name);
    case 'validate_constraint':
      return under('constraint', change.table, change.constraint);
    case 'add_foreign_key':
    case 'drop_foreign_key':
      return under('constraint', change.table, change.foreignKey.name);
    case 'rename_constraint':
      return under('constraint', change.table, change.to);
    case 'create_index':
    case 'drop_index':
      return index(change.table, change.index.name);
    case 'replace_index':
      return index(change.table, change.to.name);
    case 'rename_index':
      return index(change.table, change.to);
    case 'create_trigger':
    case 'drop_trigger':
      return under('trigger', change.table, change.trigger.name);
    case 'replace_trigger':
      return under('trigger', change.table, change.to.name);
    case 'rename_trigger':
      return under('trigger', change.table, change.to);
    case 'set_trigger_enabled':
      return under('trigger', change.table, change.trigger);
    case 'set_comment':
      return commentTarget(change.target);
  }
}
