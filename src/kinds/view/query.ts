/**
 * A view's query as the format takes it: exactly one statement, a SELECT (VALUES, WITH … SELECT
 * and set operations are SelectStmts too). It is the one SQL text of a view that is not quoted
 * by pgreconcile, so it reaches SQL only after this check (src/plan/sql-text.ts's rule: every
 * string is quoted or validated against a grammar; here PostgreSQL's own parser is the grammar).
 */
import { parseSql, SqlSyntaxError } from '../../sql/parser.js';

/** Why `query` is no single SELECT statement, or undefined when it is one. */
export function viewQueryProblem(query: string): string | undefined {
  let tree;
  try {
    tree = parseSql(query);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return `invalid view query: ${error.message}`;
    throw error;
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1) return `a view query is one statement (found ${statements.length})`;
  const stmt = statements[0]?.stmt as Record<string, unknown> | undefined;
  if (stmt === undefined || !('SelectStmt' in stmt)) return 'a view query is a SELECT (or VALUES) statement';
  const select = stmt.SelectStmt as { intoClause?: unknown };
  if (select.intoClause !== undefined) return 'a view query cannot be SELECT … INTO';
  return undefined;
}

/** The query as it goes into CREATE VIEW: checked, its trailing semicolon and blanks taken off. */
export function querySql(query: string): string {
  const problem = viewQueryProblem(query);
  if (problem !== undefined) throw new Error(problem);
  return query.trim().replace(/;\s*$/, '').trim();
}
