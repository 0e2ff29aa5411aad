/**
 * Composite types: the name is a name and a type of its schema (tables' row types, enums and
 * range types share the namespace); attributes are names, their types resolve (no serial, no
 * pseudo-type), their collations are names; renamed_from names no declared attribute.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import { checkCollation } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkCompositeTypes(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.composite_types)) {
    const path = [...at.path, 'composite_types', name];
    c.checkName(path, name, 'composite type');
    c.checkRef([...path, 'renamed_from'], raw.renamed_from, 'composite type');
    c.register(at.types, name, { what: `composite type ${name}`, path }, 'key');
    const names = Object.keys(raw.attributes);
    if (names.length > 1600) c.report([...path, 'attributes'], `a composite type can have at most 1600 attributes`, 'key');
    for (const [attribute, a] of entries(raw.attributes)) {
      const where = [...path, 'attributes', attribute];
      c.checkName(where, attribute, 'attribute');
      c.checkRef([...where, 'renamed_from'], a.renamed_from, 'attribute');
      if (a.renamed_from !== undefined && names.includes(a.renamed_from))
        c.report([...where, 'renamed_from'], `renamed_from "${a.renamed_from}" names an attribute that is also declared`);
      if (a.collation !== undefined) c.grammar([...where, 'collation'], checkCollation(a.collation));
      const resolved = c.index.resolveType(a.type, at.schema, 'column');
      if (!resolved.ok) c.report([...where, 'type'], resolved.message);
      else if (resolved.parsed.serial !== undefined) c.report([...where, 'type'], `an attribute cannot be ${a.type.trim()}`);
    }
  }
}

export const compositeTypeChecks: readonly KindCheck[] = [{ in: 'schema', check: checkCompositeTypes }];
