/** Steps for enum types: create, add a value, rename a value, replace (values removed or reordered), drop. */
import type { ChangeOf } from '../../diff/changes.js';
import { expressionSql } from '../../model/sql-names.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import { checkReferencedColumns, clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import type { QualifiedName } from '../../model/types.js';
import { dependentsHazards, describeSize, formatCount, untrackable, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { key } from '../../plan/references.js';
import { checkSql, createFunctionSql, createIndexSql, functionSignatureSql, literal } from '../../plan/sql-text.js';
import { draft, type DeletedData, type EnumRowsColumn, type StepDraft } from '../../plan/step-draft.js';
import { columnKey, refKey } from '../../model/object-ref.js';

export function createEnumSteps(change: ChangeOf<'create_enum'>): StepDraft[] {
  const e = change.enum;
  return [
    draft({
      sql: `CREATE TYPE ${qualify(e)} AS ENUM (${e.values.map(literal).join(', ')})`,
      action: 'create',
      objectKind: 'enum' as const,
      object: displayQualified(e),
      change: change.kind,
      creates: [key.type(e)],
      requires: [key.schema(e.schema)],
    }),
  ];
}

export function dropEnumSteps(change: ChangeOf<'drop_enum'>, ctx: PlanContext): StepDraft[] {
  const e = change.enum;
  const hazards = typeDependentsHazards(ctx, e, 'drops');
  return [
    draft({
      sql: `DROP TYPE ${qualify(e)}`,
      ...(hazards.length > 0 ? { hazards } : {}),
      action: 'drop',
      objectKind: 'enum' as const,
      object: displayQualified(e),
      change: change.kind,
      drops: [key.type(e)],
      liveRequires: [key.schema(e.schema)],
    }),
  ];
}

/** `blocked_by_dependents` for a step that drops a type, or replaces it (renamed aside, then dropped). */
function typeDependentsHazards(ctx: PlanContext, type: QualifiedName, action: string): Hazard[] {
  return dependentsHazards(
    ctx.dataFacts.dependents?.get(refKey({ kind: 'type', schema: type.schema, name: type.name })),
    `type ${displayQualified(type)}`,
    action,
    'cannot drop type because other objects depend on it',
  );
}

/** Marks a step that adds an enum value, so the plan can run it outside a transaction when a later step uses the value. */
export const ENUM_VALUE_DETAIL = 'value added';

export function addEnumValueSteps(change: ChangeOf<'add_enum_value'>): StepDraft[] {
  const e = change.enum;
  let sql = `ALTER TYPE ${qualify(e)} ADD VALUE ${literal(change.value)}`;
  if (change.before !== undefined) sql += ` BEFORE ${literal(change.before)}`;
  else if (change.after !== undefined) sql += ` AFTER ${literal(change.after)}`;
  return [
    draft({
      sql,
      effect: { kind: 'add_enum_value', type: { kind: 'type', schema: e.schema, name: e.name }, value: change.value },
      action: 'alter',
      objectKind: 'enum' as const,
      object: displayQualified(e),
      detail: `${ENUM_VALUE_DETAIL} ${literal(change.value)}`,
      change: change.kind,
      creates: [key.enumValue(e, change.value)],
      requires: [key.type(e)],
    }),
  ];
}

export function renameEnumValueSteps(change: ChangeOf<'rename_enum_value'>): StepDraft[] {
  const e = change.enum;
  return [
    draft({
      sql: `ALTER TYPE ${qualify(e)} RENAME VALUE ${literal(change.from)} TO ${literal(change.to)}`,
      action: 'alter',
      objectKind: 'enum' as const,
      object: displayQualified(e),
      detail: `value ${literal(change.from)} renamed to ${literal(change.to)}`,
      change: change.kind,
      requires: [key.type(e)],
    }),
  ];
}

/** Whether a column type is this enum or an array of it. */
function usesEnum(type: string, e: QualifiedName, ctx: PlanContext): boolean {
  const found = ctx.refs.enumOfType(type);
  return found !== undefined && found.schema === e.schema && found.name === e.name;
}

function mentionsColumn(expression: string | undefined, column: string): boolean {
  if (expression === undefined) return false;
  try {
    return checkReferencedColumns(expression).includes(column);
  } catch {
    return true;
  }
}

/**
 * What must be taken off an enum's columns while they change type, and put back after: checks
 * and partial or expression indexes that compare them with the type's literals (they would
 * compare the new type with the old), and functions taking or returning the type (the old type
 * cannot be dropped while they use it). Objects other changes drop or replace are theirs.
 */
function enumDependents(change: ChangeOf<'replace_enum'>, ctx: PlanContext): { before: string[]; after: string[]; functions: number } {
  const before: string[] = [];
  const after: string[] = [];
  const seen = new Set<string>();
  for (const { table, column } of change.columns) {
    const live = ctx.liveTable(table);
    if (!live) continue;
    const want = ctx.desiredTable(table);
    for (const check of live.checks) {
      if (
        !mentionsColumn(check.expression, column.name) ||
        ctx.isCheckTouched(table, check.name) ||
        seen.has(refKey({ kind: 'constraint', schema: table.schema, name: table.name, sub: check.name }))
      )
        continue;
      seen.add(refKey({ kind: 'constraint', schema: table.schema, name: table.name, sub: check.name }));
      const target = want?.checks.find((c) => c.name === check.name) ?? check;
      before.push(`ALTER TABLE ${qualify(table)} DROP CONSTRAINT ${quoteIdent(check.name)}`);
      // A NOT VALID check the file keeps so (validated: false) comes back NOT VALID: rows already
      // there may break it, and adding it valid would fail on them.
      const notValid = check.notValid && target.notValid ? ' NOT VALID' : '';
      after.push(`ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteIdent(check.name)} ${checkSql(target)}${notValid}`);
    }
    for (const index of live.indexes) {
      const usesLiterals = mentionsColumn(index.where, column.name) || index.keys.some((k) => mentionsColumn(k.expression, column.name));
      if (
        !usesLiterals ||
        ctx.isIndexTouched(table.schema, index.name) ||
        seen.has(refKey({ kind: 'index', schema: table.schema, name: index.name }))
      )
        continue;
      seen.add(refKey({ kind: 'index', schema: table.schema, name: index.name }));
      const target = want?.indexes.find((i) => i.name === index.name) ?? index;
      before.push(`DROP INDEX ${qualify({ schema: table.schema, name: index.name })}`);
      after.push(createIndexSql(table, target, target.name, false));
    }
  }
  let functions = 0;
  for (const fn of ctx.live.functions) {
    const uses =
      fn.arguments.some((a) => usesEnum(a.type, change.from, ctx)) || usesEnum(fn.returns.replace(/^setof /i, ''), change.from, ctx);
    if (!uses || ctx.isFunctionTouched(fn)) continue;
    const target = ctx.desired.functions.find(
      (d) => d.schema === fn.schema && d.name === fn.name && functionSignatureSql(d) === functionSignatureSql(fn),
    );
    if (!target) continue;
    functions += 1;
    before.push(`DROP FUNCTION ${functionSignatureSql(fn)}`);
    after.push(createFunctionSql(target, false));
  }
  return { before, after, functions };
}

/**
 * Values removed or reordered: the old type is renamed aside, the new one created, every column
 * converted through text, the old type dropped — one transaction. Checks, indexes and functions
 * that depend on the type are taken off and put back around the conversion.
 */
export function replaceEnumSteps(change: ChangeOf<'replace_enum'>, ctx: PlanContext): StepDraft[] {
  const { from, to } = change;
  const asideName = clipBytes(`${to.name}`, MAX_IDENTIFIER_BYTES - 8) + '_pgr_old';
  const aside = { schema: to.schema, name: asideName };
  const dependents = enumDependents(change, ctx);
  const statements = [
    ...dependents.before,
    `ALTER TYPE ${qualify(from)} RENAME TO ${quoteIdent(asideName)}`,
    `CREATE TYPE ${qualify(to)} AS ENUM (${to.values.map(literal).join(', ')})`,
  ];
  const hazards: Hazard[] = [];
  const tables = new Set<string>();
  const removedNotes: string[] = [];
  const holders: EnumRowsColumn[] = [];
  for (const { table, column } of change.columns) {
    const live = ctx.liveTable(table);
    const liveColumn = live?.columns.find((c) => c.name === column.name);
    if (!live || !liveColumn) continue; // a column added by this plan is created with the new type
    const t = qualify(table);
    const c = quoteIdent(column.name);
    const isArray = column.type.endsWith('[]');
    const deletesRows = !isArray && !column.nullable && column.default === undefined;
    holders.push({ schema: table.schema, table: table.name, column: column.name, array: isArray, deletesRows });
    const removed = change.removedValues.map(literal).join(', ');
    const holding = ctx.removedEnumValueRows.get(columnKey(table, column.name));
    if (liveColumn.default !== undefined) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
    // Rows holding a removed value: in an array the value is taken out; a nullable column
    // becomes NULL; a NOT NULL column takes its default, or else the row is deleted.
    let using = `${c}::text${isArray ? '[]' : ''}::${qualify(to)}${isArray ? '[]' : ''}`;
    if (change.removedValues.length > 0 && holding !== 0) {
      if (isArray) {
        let elements = `${c}::text[]`;
        for (const value of change.removedValues) elements = `array_remove(${elements}, ${literal(value)})`;
        using = `${elements}::${qualify(to)}[]`;
        if (holding !== undefined)
          removedNotes.push(
            `${formatCount(holding)} rows of ${ctx.display(table)}.${column.name} hold them: they are taken out of the arrays`,
          );
      } else if (column.nullable || column.default !== undefined) {
        const replacement = column.nullable ? 'NULL' : `(${expressionSql(column.default ?? 'NULL')})::${qualify(to)}`;
        using = `CASE WHEN ${c}::text IN (${removed}) THEN ${replacement} ELSE ${c}::text::${qualify(to)} END`;
        if (holding !== undefined) {
          removedNotes.push(
            `${formatCount(holding)} rows of ${ctx.display(table)}.${column.name} hold them: ${replacement === 'NULL' ? 'they become NULL' : `they take the default ${column.default}`}`,
          );
        }
      } else {
        statements.push(`DELETE FROM ${t} WHERE ${c}::text IN (${removed})`);
        if (holding !== undefined)
          removedNotes.push(
            `${formatCount(holding)} rows of ${ctx.display(table)} hold them in ${column.name} (NOT NULL, no default): those rows are deleted`,
          );
      }
    }
    statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${column.type} USING ${using}`);
    if (column.default !== undefined) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${expressionSql(column.default)}`);
    if (!tables.has(t)) {
      tables.add(t);
      const size = describeSize(ctx.tableStats(table));
      hazards.push(
        {
          kind: 'table_rewrite',
          message: `table ${ctx.display(table)} is rewritten to convert ${column.name} to the new ${displayQualified(to)} (${size})`,
        },
        {
          kind: 'access_exclusive_lock',
          message: `table ${ctx.display(table)} is locked against reads and writes during the conversion (${size})`,
        },
      );
    }
  }
  statements.push(...dependents.after, `DROP TYPE ${qualify(aside)}`);
  if (change.removedValues.length > 0) {
    const counted = change.columns.every((c) => ctx.removedEnumValueRows.has(columnKey(c.table, c.column.name)));
    const rows = removedNotes.length > 0 ? removedNotes.join('; ') : counted ? 'no row holds them' : 'rows holding them are not counted';
    hazards.unshift({
      kind: 'deletes_data',
      message: `values ${change.removedValues.map(literal).join(', ')} are removed from ${displayQualified(to)}: ${rows}`,
    });
  }
  hazards.push(...typeDependentsHazards(ctx, from, 'replaces (renamed aside, then dropped)'));
  for (const { table, column } of change.columns) {
    hazards.push(
      ...dependentsHazards(
        ctx.dataFacts.dependents?.get(columnKey(table, column.name)),
        `column ${ctx.display(table)}.${displayIdent(column.name)}`,
        'changes the type of',
        'cannot alter type of a column used by a view, rule or policy',
      ),
    );
  }
  if (dependents.functions > 0)
    hazards.push(
      untrackable(`${dependents.functions} function(s) using ${displayQualified(to)} are dropped and created again on the new type`),
    );
  const deletes: DeletedData | undefined =
    change.removedValues.length > 0 && holders.length > 0
      ? { kind: 'enum_rows', type: { schema: from.schema, name: from.name }, values: change.removedValues, columns: holders }
      : undefined;
  return [
    draft({
      sql: statements.join(';\n'),
      hazards,
      ...(deletes !== undefined ? { deletes } : {}),
      long: tables.size > 0,
      action: 'alter',
      objectKind: 'enum' as const,
      object: displayQualified(to),
      detail: `values (${to.values.join(', ')}) replace (${from.values.join(', ')})`,
      change: change.kind,
      creates: [key.type(to)],
      requires: [key.schema(to.schema)],
    }),
  ];
}
