/**
 * Views and materialized views: the name is a relation name of its schema (views share
 * pg_class with tables, sequences and indexes); the query is one SELECT statement; column
 * names, `renamed_from` and storage parameter names are well formed.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import { checkAccessMethod, checkStorageParameter } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';
import { viewQueryProblem } from './query.js';

function checkCommon(
  c: Checker,
  at: SchemaScope,
  path: DocPath,
  name: string,
  what: string,
  raw: { query: string; columns?: object; renamed_from?: string },
): void {
  c.checkName(path, name, what);
  c.register(at.relations, name, { what: `${what} ${name}`, path }, 'key');
  const problem = viewQueryProblem(raw.query);
  if (problem !== undefined) c.report([...path, 'query'], problem);
  for (const [column] of entries(raw.columns as Record<string, unknown> | undefined))
    c.checkName([...path, 'columns', column], column, 'column');
  c.checkRef([...path, 'renamed_from'], raw.renamed_from, what);
}

function checkViews(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.views)) checkCommon(c, at, [...at.path, 'views', name], name, 'view', raw);
  for (const [name, raw] of entries(at.body.materialized_views)) {
    const path = [...at.path, 'materialized_views', name];
    checkCommon(c, at, path, name, 'materialized view', raw);
    for (const [param] of entries(raw.with)) c.grammar([...path, 'with', param], checkStorageParameter(param), 'key');
    for (const [index, def] of entries(raw.indexes)) {
      const where = [...path, 'indexes', index];
      c.checkName(where, index, 'index');
      c.register(at.relations, index, { what: `index ${index}`, path: where }, 'key');
      def.columns.forEach((column, i) => c.checkName([...where, 'columns', i], column, 'column', 'value'));
      if (def.using !== undefined) c.grammar([...where, 'using'], checkAccessMethod(def.using));
    }
  }
}

export const viewChecks: readonly KindCheck[] = [{ in: 'schema', check: checkViews }];
