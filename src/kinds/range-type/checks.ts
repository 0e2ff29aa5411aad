/**
 * Range types: the name, and the multirange type's name, are names and types of its schema
 * (shared with enums, composite types and tables' row types); the subtype resolves (no serial,
 * no pseudo-type); the opclass, collation and function names are names.
 */
import type { Checker, SchemaScope } from '../../desired/check-helpers.js';
import { entries } from '../../desired/document.js';
import { checkCollation, checkOpclass, checkQualified } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';
import { defaultMultirangeName } from './model.js';

function checkRangeTypes(c: Checker, at: SchemaScope): void {
  for (const [name, raw] of entries(at.body.range_types)) {
    const path = [...at.path, 'range_types', name];
    c.checkName(path, name, 'range type');
    c.checkRef([...path, 'renamed_from'], raw.renamed_from, 'range type');
    c.register(at.types, name, { what: `range type ${name}`, path }, 'key');
    const multirange = raw.multirange_type_name ?? defaultMultirangeName(name);
    if (raw.multirange_type_name !== undefined) c.checkRef([...path, 'multirange_type_name'], multirange, 'multirange type');
    c.register(
      at.types,
      multirange,
      { what: `the multirange type of range type ${name}`, path: [...path, 'multirange_type_name'] },
      'value',
    );
    const resolved = c.index.resolveType(raw.subtype, at.schema, 'column');
    if (!resolved.ok) c.report([...path, 'subtype'], resolved.message);
    else if (resolved.parsed.serial !== undefined) c.report([...path, 'subtype'], `a range's subtype cannot be ${raw.subtype.trim()}`);
    if (raw.subtype_opclass !== undefined) c.grammar([...path, 'subtype_opclass'], checkOpclass(raw.subtype_opclass));
    if (raw.collation !== undefined) c.grammar([...path, 'collation'], checkCollation(raw.collation));
    for (const field of ['canonical', 'subtype_diff'] as const) {
      const text = raw[field];
      if (text === undefined) continue;
      const result = checkQualified(text, 'function');
      if ('problem' in result) c.report([...path, field], result.problem);
    }
  }
}

export const rangeTypeChecks: readonly KindCheck[] = [{ in: 'schema', check: checkRangeTypes }];
