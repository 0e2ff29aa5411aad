/**
 * Indexes: the name is a name and a relation of its schema; renamed_from names no declared
 * index; keys are a column of the table or an expression over its columns; opclasses,
 * collations, storage parameters are well formed; the predicate parses; the method is known
 * (and its extension declared); nulls_not_distinct only on a unique index.
 */
import type { Checker, TableScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { didYouMean } from '../../desired/diagnostic.js';
import type { RawIndex, RawIndexKey } from '../../desired/document.js';
import { entries } from '../../desired/document.js';
import type { DeclaredTable } from '../../desired/resolve.js';
import { extensionTypes, indexMethods } from '../../desired/resolve.js';
import { checkAccessMethod, checkCollation, checkOpclass, checkStorageParameter } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkIndexes(c: Checker, { table, relations }: TableScope): void {
  const indexNames = Object.keys(table.raw.indexes ?? {});
  for (const [name, index] of entries(table.raw.indexes)) {
    const iPath = [...table.path, 'indexes', name];
    c.checkName(iPath, name, 'index');
    c.checkRef([...iPath, 'renamed_from'], index.renamed_from, 'index');
    c.register(relations, name, { what: `index ${name} of table ${table.name}`, path: iPath }, 'key');
    checkIndex(c, table, iPath, index, indexNames);
  }
}

function checkIndex(c: Checker, table: DeclaredTable, path: DocPath, index: RawIndex, indexNames: readonly string[]): void {
  index.columns.forEach((key: RawIndexKey, i) => {
    const keyPath = [...path, 'columns', i];
    if (typeof key === 'string') {
      c.columnExists(keyPath, key, table);
      return;
    }
    if (key.column !== undefined && key.expression !== undefined) {
      c.report(keyPath, 'an index key takes "column" or "expression", not both');
    } else if (key.column !== undefined) {
      c.columnExists([...keyPath, 'column'], key.column, table);
    } else if (key.expression !== undefined) {
      c.tableExpression([...keyPath, 'expression'], key.expression, table, 'index expression', 'an index expression');
    } else {
      c.report(keyPath, 'an index key needs "column" or "expression"');
    }
  });
  index.columns.forEach((key: RawIndexKey, i) => {
    if (typeof key === 'string') return;
    if (key.opclass !== undefined) c.grammar([...path, 'columns', i, 'opclass'], checkOpclass(key.opclass));
    if (key.collation !== undefined) c.grammar([...path, 'columns', i, 'collation'], checkCollation(key.collation));
  });
  for (const [param] of entries(index.with)) c.grammar([...path, 'with', param], checkStorageParameter(param), 'key');
  (index.include ?? []).forEach((column, i) => c.columnExists([...path, 'include', i], column, table));
  if (index.where !== undefined) c.tableExpression([...path, 'where'], index.where, table, 'index predicate', 'an index predicate');
  const methodProblem = index.using === undefined ? undefined : checkAccessMethod(index.using);
  if (methodProblem !== undefined) c.report([...path, 'using'], methodProblem);
  else if (index.using !== undefined) {
    const method = index.using.toLowerCase();
    const needs = indexMethods[method];
    if (!(method in indexMethods)) {
      const unknownExtension = [...c.index.extensions.keys()].some((e) => extensionTypes[e] === undefined);
      if (!unknownExtension) {
        c.report([...path, 'using'], `unknown index method "${index.using}"${didYouMean(method, Object.keys(indexMethods))}`);
      }
    } else if (needs !== undefined && !c.index.extensions.has(needs)) {
      c.report([...path, 'using'], `index method "${method}" comes with the extension "${needs}": declare it under extensions`);
    }
  }
  if (index.nulls_not_distinct === true && index.unique !== true) {
    c.report([...path, 'nulls_not_distinct'], 'nulls_not_distinct only applies to a unique index', 'key');
  }
  if (index.renamed_from !== undefined && indexNames.includes(index.renamed_from)) {
    c.report([...path, 'renamed_from'], `renamed_from "${index.renamed_from}" names an index that is also declared`);
  }
}

export const indexChecks: readonly KindCheck[] = [{ in: 'table', check: checkIndexes }];
