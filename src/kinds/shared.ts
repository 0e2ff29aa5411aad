/**
 * Small helpers the kinds share to name their objects: references (`ObjectRef`) for a step's
 * target and the sort keys of the diff's order.
 */
import type { ObjectRef } from '../model/object-ref.js';
import type { QualifiedName } from '../model/types.js';

/** A schema-level object. */
export const objectRef = (kind: 'type' | 'sequence' | 'table', q: QualifiedName): ObjectRef => ({ kind, schema: q.schema, name: q.name });

/** An object under its table: a column, constraint or trigger. */
export const tableMemberRef = (kind: 'column' | 'constraint' | 'trigger', table: QualifiedName, sub: string): ObjectRef => ({
  kind,
  schema: table.schema,
  name: table.name,
  sub,
});

/** An index: a schema-level name. */
export const indexRef = (table: QualifiedName, name: string): ObjectRef => ({ kind: 'index', schema: table.schema, name });

/**
 * A sort key of name parts (NUL-joined: parts never hold NUL, and the order is the parts' order).
 *
 * @example sortPath('public', 'users', 'email')  // 'public\0users\0email'
 */
export function sortPath(...parts: readonly string[]): string {
  return parts.join('\u0000');
}
