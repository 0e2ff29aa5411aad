/**
 * Tables: the name is a name, a relation of its schema and a type (its row type); renamed_from
 * names no declared table and no other table's old name. Then every kind's checks of the table.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import type { KindCheck } from '../kind.js';
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
    checkPartitioning(c, at, raw, path);
    const table = c.index.table(at.schema, name);
    if (table !== undefined) at.checkTable(table);
  }
}

export const tableChecks: readonly KindCheck[] = [{ in: 'schema', check: checkTables }];
