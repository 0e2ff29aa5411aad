/**
 * Enums: the name is a name and a type of its schema (tables have row types: they share the
 * namespace); labels are well formed, listed once, and a label's renamed_from is no longer one.
 */
import type { DocPath } from '../../desired/diagnostic.js';
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import { checkEnumLabel } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkEnums(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.enums)) {
    const path = [...at.path, 'enums', name];
    c.checkName(path, name, 'enum');
    c.register(at.types, name, { what: `enum ${name}`, path }, 'key');
    const labels = new Map<string, number>();
    raw.values.forEach((value, i) => {
      const label = typeof value === 'string' ? value : value.name;
      const where: DocPath = typeof value === 'string' ? [...path, 'values', i] : [...path, 'values', i, 'name'];
      c.grammar(where, checkEnumLabel(label));
      if (labels.has(label)) c.report(where, `duplicate enum value "${label}"`);
      labels.set(label, i);
    });
    raw.values.forEach((value, i) => {
      if (typeof value === 'string' || value.renamed_from === undefined) return;
      c.grammar([...path, 'values', i, 'renamed_from'], checkEnumLabel(value.renamed_from));
      if (labels.has(value.renamed_from)) {
        c.report([...path, 'values', i, 'renamed_from'], `renamed_from "${value.renamed_from}" is still a value of enum ${name}`);
      }
    });
  }
}

export const enumChecks: readonly KindCheck[] = [{ in: 'schema', check: checkEnums }];
