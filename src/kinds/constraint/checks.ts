/**
 * Constraints: primary key, unique, check, foreign key and exclusion constraints. Names are
 * names, once per table, and those that own an index (primary key, unique, exclusion) take a
 * relation name of the schema, generated names included; renamed_from names no declared
 * constraint; listed columns exist; expressions parse and name only the table's columns; deferral
 * is consistent. A foreign key references a declared (or external) table, columns of it that a
 * primary key or unique constraint covers, and its actions fit its columns.
 */
import type { Checker, TableScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { didYouMean } from '../../desired/diagnostic.js';
import type { RawExclusion, RawForeignKey } from '../../desired/document.js';
import { entries, isColumnList, primaryKeyColumns } from '../../desired/document.js';
import type { DeclaredTable } from '../../desired/resolve.js';
import { constraintNames } from '../../desired/to-model.js';
import { MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import { parseQualifiedName, QualifiedNameError } from '../../model/ident.js';
import { checkAccessMethod, checkQualified } from '../../model/sql-names.js';
import { isExclusionOperator } from '../../plan/sql-text.js';
import type { KindCheck } from '../kind.js';

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Primary key, unique, check and foreign key constraints (exclusions: `checkExclusions`). */
function checkConstraints(c: Checker, { table, relations, constraints }: TableScope): void {
  const raw = table.raw;
  const path = table.path;
  checkConstraintRenames(c, table);

  if (raw.primary_key !== undefined) {
    const pk = raw.primary_key;
    const columnsPath = isColumnList(pk) ? [...path, 'primary_key'] : [...path, 'primary_key', 'columns'];
    c.columnList(columnsPath, primaryKeyColumns(pk), table, 'the primary key');
    if (!isColumnList(pk)) c.checkRef([...path, 'primary_key', 'renamed_from'], pk.renamed_from, 'constraint');
    if (!isColumnList(pk) && pk.name !== undefined) {
      const namePath = [...path, 'primary_key', 'name'];
      c.checkName(namePath, pk.name, 'constraint');
      const entry = { what: `the primary key of table ${table.name}`, path: namePath };
      if (c.register(relations, pk.name, entry, 'value', ' (a primary key owns an index of its name)')) {
        c.register(constraints, pk.name, entry, 'value');
      }
    }
  }

  (raw.unique ?? []).forEach((unique, i) => {
    const uPath = [...path, 'unique', i];
    c.columnList([...uPath, 'columns'], unique.columns, table, 'the unique constraint');
    c.deferral(uPath, unique.deferrable, unique.initially_deferred);
    c.checkRef([...uPath, 'renamed_from'], unique.renamed_from, 'constraint');
    if (unique.name !== undefined) {
      const namePath = [...uPath, 'name'];
      c.checkName(namePath, unique.name, 'constraint');
      const entry = { what: `a unique constraint of table ${table.name}`, path: namePath };
      if (c.register(relations, unique.name, entry, 'value', ' (a unique constraint owns an index of its name)')) {
        c.register(constraints, unique.name, entry, 'value');
      }
    }
  });

  (raw.checks ?? []).forEach((check, i) => {
    const cPath = [...path, 'checks', i];
    c.checkRef([...cPath, 'renamed_from'], check.renamed_from, 'constraint');
    c.tableExpression([...cPath, 'expression'], check.expression, table, 'check expression', 'a check constraint');
    if (check.name !== undefined) {
      c.checkName([...cPath, 'name'], check.name, 'constraint');
      c.register(constraints, check.name, { what: `a check constraint of table ${table.name}`, path: [...cPath, 'name'] }, 'value');
    }
  });

  (raw.foreign_keys ?? []).forEach((fk, i) => {
    const fkPath = [...path, 'foreign_keys', i];
    c.checkRef([...fkPath, 'renamed_from'], fk.renamed_from, 'constraint');
    checkForeignKey(c, table, fkPath, fk);
    if (fk.name !== undefined) {
      c.checkName([...fkPath, 'name'], fk.name, 'constraint');
      c.register(constraints, fk.name, { what: `a foreign key of table ${table.name}`, path: [...fkPath, 'name'] }, 'value');
    }
  });
}

/** Exclusion constraints: late, so that the table's named indexes keep their relation names. */
function checkExclusions(c: Checker, { table, relations, constraints }: TableScope): void {
  for (const [name, exclusion] of entries(table.raw.exclude)) {
    const xPath = [...table.path, 'exclude', name];
    c.checkName(xPath, name, 'constraint');
    c.register(constraints, name, { what: `exclusion constraint ${name} of table ${table.name}`, path: xPath }, 'key');
    c.register(relations, name, { what: `the index of exclusion constraint ${name} of table ${table.name}`, path: xPath }, 'key');
    checkExclusion(c, table, xPath, exclusion);
  }
}

/**
 * The names PostgreSQL would generate for the primary key and unique constraints left unnamed
 * (cut to 63 bytes: two long table names can give the same one) name their indexes, so they
 * share the schema's relation names: one already taken fails at apply, so it is reported here.
 * Late, after the exclusions: every name the file declares keeps its place, the generated one is
 * reported (with a note saying how to name it).
 */
function checkGeneratedNames(c: Checker, { table, relations }: TableScope): void {
  let names;
  try {
    names = constraintNames(table.name, table.raw);
  } catch {
    return; // an invalid check expression, reported on its own
  }
  const note = (name: string, what: string): string =>
    ` — "${name}" is the name PostgreSQL generates for ${what}${byteLength(table.name) > MAX_IDENTIFIER_BYTES - 10 ? ' (generated names are cut to 63 bytes)' : ''}; give it a name of its own with name:`;
  const pk = table.raw.primary_key;
  if (pk !== undefined && (isColumnList(pk) || pk.name === undefined) && names.primaryKey !== undefined) {
    const what = `the primary key of table ${table.name}`;
    c.register(relations, names.primaryKey, { what, path: [...table.path, 'primary_key'] }, 'key', note(names.primaryKey, what));
  }
  (table.raw.unique ?? []).forEach((unique, i) => {
    const name = names.uniques[i];
    if (unique.name !== undefined || name === undefined) return;
    const what = `a unique constraint of table ${table.name}`;
    c.register(relations, name, { what, path: [...table.path, 'unique', i] }, 'key', note(name, what));
  });
}

/** A constraint's renamed_from must not name another constraint declared on the table. */
function checkConstraintRenames(c: Checker, table: DeclaredTable): void {
  const raw = table.raw;
  const names = new Set<string>();
  const renames: [DocPath, string][] = [];
  if (raw.primary_key !== undefined && !isColumnList(raw.primary_key)) {
    if (raw.primary_key.name !== undefined) names.add(raw.primary_key.name);
    if (raw.primary_key.renamed_from !== undefined)
      renames.push([[...table.path, 'primary_key', 'renamed_from'], raw.primary_key.renamed_from]);
  }
  const lists = [
    ['unique', raw.unique ?? []],
    ['checks', raw.checks ?? []],
    ['foreign_keys', raw.foreign_keys ?? []],
  ] as const;
  for (const [key, list] of lists) {
    list.forEach((item: { readonly name?: string; readonly renamed_from?: string }, i: number) => {
      if (item.name !== undefined) names.add(item.name);
      if (item.renamed_from !== undefined) renames.push([[...table.path, key, i, 'renamed_from'], item.renamed_from]);
    });
  }
  for (const [path, old] of renames) {
    if (names.has(old)) c.report(path, `renamed_from "${old}" names a constraint that is also declared`);
  }
}

function checkForeignKey(c: Checker, table: DeclaredTable, path: DocPath, fk: RawForeignKey): void {
  c.columnList([...path, 'columns'], fk.columns, table, 'the foreign key');
  c.deferral(path, fk.deferrable, fk.initially_deferred);
  if (fk.validated !== undefined && fk.not_valid !== undefined) {
    c.report(
      [...path, 'not_valid'],
      'write validated or not_valid, not both (not_valid: true is the older spelling of validated: false)',
      'key',
    );
  }
  checkFkActionFits(c, table, path, fk, 'on_delete');
  checkFkActionFits(c, table, path, fk, 'on_update');
  const refPath = [...path, 'references'];
  let target;
  if (fk.references.schema !== undefined) {
    c.checkRef([...refPath, 'schema'], fk.references.schema, 'schema');
    c.checkRef([...refPath, 'table'], fk.references.table, 'table');
  } else {
    const parsed = checkQualified(fk.references.table, 'referenced table');
    if ('problem' in parsed) {
      c.report([...refPath, 'table'], parsed.problem);
      return;
    }
  }
  try {
    target =
      fk.references.schema !== undefined
        ? { schema: fk.references.schema, name: fk.references.table }
        : parseQualifiedName(fk.references.table, table.schema);
  } catch (error) {
    if (!(error instanceof QualifiedNameError)) throw error;
    c.report([...refPath, 'table'], error.message);
    return;
  }
  if (fk.columns.length !== fk.references.columns.length) {
    c.report(
      [...refPath, 'columns'],
      `the foreign key has ${fk.columns.length} column${fk.columns.length === 1 ? '' : 's'} but references ${fk.references.columns.length}`,
    );
  }
  const declared = c.index.table(target.schema, target.name);
  if (declared === undefined) {
    if (c.index.isExternal(target.schema, target.name)) return;
    const candidates = [...c.index.tables()].map((t) => (t.schema === table.schema ? t.name : `${t.schema}.${t.name}`));
    const shown = target.schema === table.schema ? target.name : `${target.schema}.${target.name}`;
    c.report(
      [...refPath, 'table'],
      `table "${shown}" is not declared in this file nor listed under external${didYouMean(shown, candidates)}`,
    );
    return;
  }
  let allExist = true;
  fk.references.columns.forEach((column, i) => {
    if (!c.columnExists([...refPath, 'columns', i], column, declared)) allExist = false;
  });
  if (!allExist || fk.columns.length !== fk.references.columns.length) return;
  const wanted = [...new Set(fk.references.columns)].sort().join('\u0000');
  const keys: (readonly string[])[] = [];
  if (declared.raw.primary_key !== undefined) keys.push(primaryKeyColumns(declared.raw.primary_key));
  for (const unique of declared.raw.unique ?? []) keys.push(unique.columns);
  for (const [, index] of entries(declared.raw.indexes)) {
    if (index.unique !== true || index.where !== undefined) continue;
    const columns = index.columns.map((k) => (typeof k === 'string' ? k : k.expression === undefined ? k.column : undefined));
    if (columns.every((col): col is string => col !== undefined)) keys.push(columns);
  }
  if (!keys.some((k) => k.length === fk.references.columns.length && [...new Set(k)].sort().join('\u0000') === wanted)) {
    c.report(
      [...refPath, 'columns'],
      `no primary key or unique constraint of table ${declared.name} covers exactly (${fk.references.columns.join(', ')}); a foreign key must reference one`,
    );
  }
}

/**
 * `set null` needs columns that may be NULL, and `set default` on a NOT NULL column needs a
 * default: otherwise deleting (or updating) a referenced row fails with a not-null violation.
 */
function checkFkActionFits(c: Checker, table: DeclaredTable, path: DocPath, fk: RawForeignKey, which: 'on_delete' | 'on_update'): void {
  const action = fk[which];
  if (action !== 'set null' && action !== 'set default') return;
  const pk = table.raw.primary_key !== undefined ? primaryKeyColumns(table.raw.primary_key) : [];
  const notNull = fk.columns.filter((name) => {
    const column = table.raw.columns[name];
    if (column === undefined) return false;
    const serial = /^(small|big)?serial$|^serial[248]$/i.test(column.type.trim());
    const never = column.nullable === false || column.identity !== undefined || serial || pk.includes(name);
    return never && (action === 'set null' || column.default === undefined);
  });
  if (notNull.length === 0) return;
  const verb = which === 'on_delete' ? 'deleting' : 'updating the key of';
  const listed = notNull.map((col) => `"${col}"`).join(', ');
  const is = notNull.length === 1 ? 'is' : 'are';
  const fix =
    action === 'set null'
      ? `make ${notNull.length === 1 ? 'it' : 'them'} nullable, or choose another action`
      : `give ${notNull.length === 1 ? 'it' : 'them'} a default, or choose another action`;
  c.report(
    [...path, which],
    `${which}: ${action} on column${notNull.length === 1 ? '' : 's'} ${listed}, which ${is} NOT NULL${action === 'set default' ? ' without a default' : ''}: ${verb} a referenced row would fail; ${fix}`,
  );
}

/** An `exclude:` entry: method, elements (column or expression, operator), include, predicate, deferral. */
function checkExclusion(c: Checker, table: DeclaredTable, path: DocPath, x: RawExclusion): void {
  if (x.using !== undefined) {
    const problem = checkAccessMethod(x.using);
    if (problem !== undefined) c.report([...path, 'using'], problem);
  }
  x.elements.forEach((e, i) => {
    const ePath = [...path, 'elements', i];
    if (e.column !== undefined && e.expression !== undefined) {
      c.report(ePath, 'an exclusion element takes "column" or "expression", not both');
    } else if (e.column !== undefined) {
      c.columnExists([...ePath, 'column'], e.column, table);
    } else if (e.expression !== undefined) {
      c.tableExpression([...ePath, 'expression'], e.expression, table, 'exclusion element', 'an exclusion element');
    } else {
      c.report(ePath, 'an exclusion element needs "column" or "expression"');
    }
    if (!isExclusionOperator(e.with)) {
      c.report([...ePath, 'with'], `"${e.with}" is not an operator: write its symbol (e.g. "&&" or "=") or OPERATOR(schema.symbol)`);
    }
  });
  (x.include ?? []).forEach((column, i) => c.columnExists([...path, 'include', i], column, table));
  if (x.where !== undefined) c.tableExpression([...path, 'where'], x.where, table, 'exclusion predicate', 'an exclusion predicate');
  c.deferral(path, x.deferrable, x.initially_deferred);
}

export const constraintChecks: readonly KindCheck[] = [
  { in: 'table', check: checkConstraints },
  { in: 'table', late: true, check: checkExclusions },
  { in: 'table', late: true, check: checkGeneratedNames },
];
