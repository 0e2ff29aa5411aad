/**
 * Triggers: the name is a name; renamed_from names no declared trigger; timing, events, level,
 * update_of and the constraint-trigger options fit together; the WHEN condition parses and uses
 * NEW / OLD as its level and events allow; the function is declared (when its schema is
 * managed), takes no arguments and returns trigger.
 */
import type { Checker, TableScope } from '../../desired/check-helpers.js';
import type { DocPath } from '../../desired/diagnostic.js';
import { didYouMean } from '../../desired/diagnostic.js';
import type { RawTrigger } from '../../desired/document.js';
import { entries } from '../../desired/document.js';
import type { DeclaredTable } from '../../desired/resolve.js';
import { columnReferences } from '../../desired/sql-fragment.js';
import { parseQualifiedName, QualifiedNameError } from '../../model/ident.js';
import { checkQualified } from '../../model/sql-names.js';
import type { KindCheck } from '../kind.js';

function checkTriggers(c: Checker, { table }: TableScope): void {
  const triggerNames = Object.keys(table.raw.triggers ?? {});
  for (const [name, trigger] of entries(table.raw.triggers)) {
    const tPath = [...table.path, 'triggers', name];
    c.checkName(tPath, name, 'trigger');
    c.checkRef([...tPath, 'renamed_from'], trigger.renamed_from, 'trigger');
    if (trigger.renamed_from !== undefined && triggerNames.includes(trigger.renamed_from)) {
      c.report([...tPath, 'renamed_from'], `renamed_from "${trigger.renamed_from}" names a trigger that is also declared`);
    }
    checkTrigger(c, table, tPath, trigger);
  }
}

function checkTrigger(c: Checker, table: DeclaredTable, path: DocPath, trigger: RawTrigger): void {
  const level = trigger.for_each ?? 'statement';
  if (trigger.timing === 'instead of') {
    c.report([...path, 'timing'], `tables cannot have INSTEAD OF triggers (only views can)`);
  }
  if (trigger.update_of !== undefined) {
    if (!trigger.events.includes('update')) {
      c.report([...path, 'update_of'], 'update_of needs the update event (add update to events)', 'key');
    }
    c.columnList([...path, 'update_of'], trigger.update_of, table, 'update_of');
  }
  if (level === 'row' && trigger.events.includes('truncate')) {
    c.report([...path, 'events'], 'TRUNCATE triggers must be FOR EACH STATEMENT (for_each: statement)');
  }
  if (trigger.constraint === true) {
    if (trigger.timing !== 'after') c.report([...path, 'timing'], 'a constraint trigger must be an AFTER trigger (timing: after)');
    if (level !== 'row') c.report([...path, 'for_each'], 'a constraint trigger must be FOR EACH ROW (for_each: row)');
    c.deferral(path, trigger.deferrable, trigger.initially_deferred);
  } else {
    for (const field of ['deferrable', 'initially_deferred'] as const) {
      if (trigger[field] !== undefined) {
        c.report([...path, field], `${field} applies to constraint triggers only (add constraint: true)`, 'key');
      }
    }
  }
  if (trigger.when !== undefined) {
    const wPath = [...path, 'when'];
    const parsed = c.expression(wPath, trigger.when, 'trigger WHEN condition');
    if (parsed !== undefined) {
      c.noSubquery(wPath, trigger.when, parsed, 'a trigger WHEN condition');
      const columns = Object.keys(table.raw.columns);
      for (const ref of columnReferences(parsed.root)) {
        const [first, second] = ref.parts;
        const record = first?.toLowerCase();
        if (ref.parts.length !== 2 || (record !== 'new' && record !== 'old')) continue;
        const where = parsed.offsetOf(ref.location);
        if (level === 'statement') {
          c.reportIn(
            wPath,
            trigger.when,
            where,
            `a FOR EACH STATEMENT trigger's WHEN condition cannot refer to ${record.toUpperCase()} (use for_each: row)`,
          );
          break;
        }
        if (record === 'old' && trigger.events.includes('insert')) {
          c.reportIn(wPath, trigger.when, where, `an INSERT trigger's WHEN condition cannot refer to OLD`);
        } else if (record === 'new' && trigger.events.includes('delete')) {
          c.reportIn(wPath, trigger.when, where, `a DELETE trigger's WHEN condition cannot refer to NEW`);
        } else if (second !== undefined && second !== '*' && !columns.includes(second)) {
          c.reportIn(wPath, trigger.when, where, `column "${second}" does not exist in table ${table.name}${didYouMean(second, columns)}`);
        }
      }
    }
  }
  checkTriggerFunction(c, table, [...path, 'function'], trigger.function);
}

/** The trigger's function, when its schema is managed: declared, without arguments, returning trigger. */
function checkTriggerFunction(c: Checker, table: DeclaredTable, path: DocPath, text: string): void {
  const parsed = checkQualified(text, 'trigger function');
  if ('problem' in parsed) {
    c.report(path, parsed.problem);
    return;
  }
  let name;
  try {
    name = parseQualifiedName(text, table.schema);
  } catch (error) {
    if (!(error instanceof QualifiedNameError)) throw error;
    c.report(path, error.message);
    return;
  }
  if (!c.index.managedSchemas.has(name.schema)) return;
  const candidates = c.index.functions.filter((f) => f.schema === name.schema && f.name === name.name);
  if (candidates.length === 0) {
    const names = c.index.functions.map((f) => (f.schema === table.schema ? f.name : `${f.schema}.${f.name}`));
    const shown = name.schema === table.schema ? name.name : `${name.schema}.${name.name}`;
    c.report(path, `function "${shown}" is not declared in this file${didYouMean(shown, names)}`);
    return;
  }
  const noArgs = candidates.find((f) => (f.raw.arguments ?? []).every((a) => a.mode === 'out'));
  if (noArgs === undefined) {
    c.report(path, `trigger function "${text}" must take no arguments (pass trigger arguments under arguments)`);
    return;
  }
  if (noArgs.raw.returns.trim().toLowerCase() !== 'trigger') {
    c.report(path, `function "${text}" returns ${noArgs.raw.returns.trim()}, not trigger`);
  }
}

export const triggerChecks: readonly KindCheck[] = [{ in: 'table', check: checkTriggers }];
