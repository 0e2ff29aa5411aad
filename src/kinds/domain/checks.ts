/**
 * Domains: the name is a name and a type of its schema (enums and tables' row types share the
 * namespace); the base type resolves and is not the domain itself; the collation and check names
 * are names; the default and the checks parse, hold no subquery, and name no column (a check
 * names VALUE only); a domain is not also listed under external_types.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { entries } from '../../desired/document.js';
import { columnReferences } from '../../desired/sql-fragment.js';
import { checkCollation } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkDomains(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.domains)) {
    const path = [...at.path, 'domains', name];
    c.checkName(path, name, 'domain');
    c.register(at.types, name, { what: `domain ${name}`, path }, 'key');
    c.checkRef([...path, 'renamed_from'], raw.renamed_from, 'domain');
    if (raw.renamed_from !== undefined && raw.renamed_from === name)
      c.report([...path, 'renamed_from'], `renamed_from "${raw.renamed_from}" is the domain's own name`);
    const resolved = c.index.resolveType(raw.type, at.schema, 'column');
    if (!resolved.ok) c.report([...path, 'type'], resolved.message);
    else if (resolved.parsed.serial !== undefined)
      c.report([...path, 'type'], `a domain cannot be based on ${raw.type.trim()}: write the integer type and a default`);
    else if (resolved.domainType !== undefined && resolved.domainType.schema === at.schema && resolved.domainType.name === name)
      c.report([...path, 'type'], `domain ${name} cannot be based on itself`);
    if (raw.collation !== undefined) c.grammar([...path, 'collation'], checkCollation(raw.collation));
    if (c.index.externalTypes.some((t) => t.schema === at.schema && t.name === name))
      c.report(path, `domain ${name} is declared here and also listed under external_types: remove one`, 'key');
    if (raw.default !== undefined) valueExpression(c, [...path, 'default'], String(raw.default), 'default expression', false);
    for (const [checkName, check] of entries(raw.checks)) {
      const checkPath = [...path, 'checks', checkName];
      c.checkName(checkPath, checkName, 'constraint');
      valueExpression(c, [...checkPath, 'expression'], check.expression, 'check expression', true);
    }
  }
}

/** A default (no column, no VALUE) or a check (VALUE only): parses, no subquery. */
function valueExpression(c: Checker, path: DocPath, text: string, what: string, allowValue: boolean): void {
  const parsed = c.expression(path, text, what);
  if (parsed === undefined) return;
  c.noSubquery(path, text, parsed, `a domain's ${what}`);
  for (const ref of columnReferences(parsed.root)) {
    const word = ref.parts.join('.');
    if (allowValue && ref.parts.length === 1 && ref.parts[0] === 'value') continue;
    const hint = allowValue ? ': a domain check names VALUE only' : '';
    c.reportIn(path, text, parsed.offsetOf(ref.location), `a domain's ${what} cannot refer to a column ("${word}")${hint}`);
  }
}

export const domainChecks: readonly KindCheck[] = [{ in: 'schema', check: checkDomains }];
