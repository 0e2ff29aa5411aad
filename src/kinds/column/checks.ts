/**
 * Columns: names, renames, collations, at most 1600; the type resolves; serial, identity,
 * generated and default do not clash; default and generated expressions parse (a default names
 * no column, a generated expression only the table's); the sequence of a serial column takes a
 * relation name of the schema.
 */
import type { Checker, TableScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import type { RawColumn } from '../../desired/document.js';
import { entries } from '../../desired/document.js';
import type { DeclaredTable } from '../../desired/resolve.js';
import { columnReferences } from '../../desired/sql-fragment.js';
import { defaultSequenceName } from '../../model/default-names.js';
import { checkCollation } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkColumns(c: Checker, { table, relations }: TableScope): void {
  const columnNames = Object.keys(table.raw.columns);
  for (const [name, column] of entries(table.raw.columns)) {
    const path = [...table.path, 'columns', name];
    c.checkName(path, name, 'column');
    c.checkRef([...path, 'renamed_from'], column.renamed_from, 'column');
    if (column.collation !== undefined) c.grammar([...path, 'collation'], checkCollation(column.collation));
    if (column.renamed_from !== undefined && columnNames.includes(column.renamed_from)) {
      c.report([...path, 'renamed_from'], `renamed_from "${column.renamed_from}" names a column that is also declared`);
    }
    checkColumn(c, table, path, column);
  }
  if (columnNames.length > 1600)
    c.report([...table.path, 'columns'], `a table can have at most 1600 columns (got ${columnNames.length})`, 'key');
  for (const [column, value] of entries(table.raw.columns)) {
    const resolved = c.index.resolveType(value.type, table.schema, 'column');
    if (!resolved.ok || resolved.parsed.serial === undefined) continue;
    const sequence = defaultSequenceName(table.name, column);
    const typePath = [...table.path, 'columns', column, 'type'];
    c.register(relations, sequence, { what: `the sequence of serial column ${table.name}.${column}`, path: typePath }, 'value');
  }
}

function checkColumn(c: Checker, table: DeclaredTable, path: DocPath, column: RawColumn): void {
  const resolved = c.index.resolveType(column.type, table.schema, 'column');
  if (!resolved.ok) c.report([...path, 'type'], resolved.message);
  const serial = resolved.ok ? resolved.parsed.serial : undefined;
  const has = (key: keyof RawColumn): boolean => column[key] !== undefined;
  const conflict = (a: string, b: string, at: keyof RawColumn): void =>
    c.report([...path, at], `a column cannot have both ${a} and ${b}`, 'key');
  if (serial !== undefined) {
    const kind = column.type.trim();
    if (has('default')) c.report([...path, 'default'], `a ${kind} column gets its default from its sequence: remove default`, 'key');
    if (has('identity')) c.report([...path, 'identity'], `a ${kind} column cannot also be an identity column`, 'key');
    if (has('generated')) c.report([...path, 'generated'], `a ${kind} column cannot also be generated`, 'key');
  } else {
    if (has('identity') && has('default')) conflict('identity', 'default', 'default');
    if (has('generated') && has('default')) conflict('generated', 'default', 'default');
    if (has('identity') && has('generated')) conflict('identity', 'generated', 'generated');
  }
  if (has('identity') && resolved.ok && serial === undefined && !['smallint', 'integer', 'bigint'].includes(resolved.canonical)) {
    c.report([...path, 'identity'], `an identity column must be smallint, integer or bigint (the type is ${resolved.canonical})`, 'key');
  }
  if (column.default !== undefined) {
    const text = String(column.default);
    const dPath = [...path, 'default'];
    const parsed = c.expression(dPath, text, 'default expression');
    if (parsed !== undefined) {
      c.noSubquery(dPath, text, parsed, 'a default expression');
      const ref = columnReferences(parsed.root)[0];
      if (ref !== undefined) {
        const word = ref.parts.join('.');
        const hint = ref.parts.length === 1 && text.trim() === word ? `; for the text ${word} write "'${word}'"` : '';
        c.reportIn(dPath, text, parsed.offsetOf(ref.location), `a default expression cannot refer to a column ("${word}")${hint}`);
      }
    }
  }
  if (column.generated !== undefined) {
    c.tableExpression([...path, 'generated'], column.generated, table, 'generated expression', 'a generated column expression');
  }
  if (column.using !== undefined) c.expression([...path, 'using'], column.using, 'USING expression');
}

export const columnChecks: readonly KindCheck[] = [{ in: 'table', check: checkColumns }];
