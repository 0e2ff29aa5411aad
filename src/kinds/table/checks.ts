/**
 * Tables: the name is a name, a relation of its schema and a type (its row type); renamed_from
 * names no declared table and no other table's old name. Then every kind's checks of the table.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';
import { constraintNames, primaryKeyColumns } from '../constraint/raw.js';
import { replicaIdentityOf, type RawTable } from './raw.js';
import { checkPartitioning } from './partitions.js';

function checkTables(c: Checker, at: SchemaScope): void {
  const tableNames = Object.keys(at.body.tables ?? {});
  const renamedTables = new Map<string, DocPath>();
  for (const [name, raw] of entries(at.body.tables)) {
    const path = [...at.path, 'tables', name];
    c.checkName(path, name, 'table');
    c.register(at.relations, name, { what: `table ${name}`, path }, 'key');
    c.register(at.types, name, { what: `table ${name}`, path }, 'key', ' (a table has a row type of its own name)');
    if (raw.renamed_from !== undefined) {
      const renamedPath = [...path, 'renamed_from'];
      c.checkRef(renamedPath, raw.renamed_from, 'table');
      if (tableNames.includes(raw.renamed_from)) {
        c.report(renamedPath, `renamed_from "${raw.renamed_from}" names a table that is also declared`);
      } else if (renamedTables.has(raw.renamed_from)) {
        c.report(renamedPath, `two tables are renamed from "${raw.renamed_from}"`);
      }
      renamedTables.set(raw.renamed_from, renamedPath);
    }
    checkReplicaIdentity(c, name, raw, path);
    const table = c.index.table(at.schema, name);
    if (table !== undefined) at.checkTable(table);
    // After the table's own: a partition's name or own index that clashes with the table's objects is the one reported.
    checkPartitioning(c, at, raw, path);
  }
}

/**
 * `replica_identity:` names a unique, non-partial index of the table over NOT NULL columns (an
 * index of `indexes:`, a unique constraint's or the primary key's), as REPLICA IDENTITY USING INDEX needs.
 */
function checkReplicaIdentity(c: Checker, table: string, raw: RawTable, path: DocPath): void {
  const identity = replicaIdentityOf(raw.replica_identity);
  if (identity === undefined || typeof identity === 'string') return;
  const at = typeof raw.replica_identity === 'string' ? [...path, 'replica_identity'] : [...path, 'replica_identity', 'index'];
  const name = identity.index;
  c.checkRef(at, name, 'index');
  const names = constraintNames(table, raw);
  const pk = raw.primary_key !== undefined ? primaryKeyColumns(raw.primary_key) : [];
  const notNull = (column: string): boolean => pk.includes(column) || raw.columns[column]?.nullable === false;
  const unique = (raw.unique ?? []).find((_u, i) => names.uniques[i] === name);
  const index = Object.hasOwn(raw.indexes ?? {}, name) ? raw.indexes?.[name] : undefined;
  let columns: readonly (string | undefined)[];
  if (names.primaryKey === name) return;
  else if (unique !== undefined) columns = unique.columns;
  else if (index !== undefined) {
    if (index.unique !== true || index.where !== undefined) {
      c.report(at, `replica identity index "${name}" of table ${table} must be unique and not partial`);
      return;
    }
    columns = index.columns.map((k) => (typeof k === 'string' ? k : k.column));
  } else {
    c.report(
      at,
      `replica identity "${name}" is not an index of table ${table} (nor default, full or nothing): declare it under indexes, unique or primary_key`,
    );
    return;
  }
  const nullable = columns.filter((col) => col === undefined || !notNull(col));
  if (nullable.length > 0) {
    const what = nullable.map((col) => (col === undefined ? 'an expression' : `column ${col}`)).join(', ');
    c.report(at, `replica identity index "${name}" of table ${table} must cover NOT NULL columns only (${what} is not)`);
  }
}

export const tableChecks: readonly KindCheck[] = [{ in: 'schema', check: checkTables }];
