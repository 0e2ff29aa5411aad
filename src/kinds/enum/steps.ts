/**
 * Steps for schema-level objects: extensions, schemas, enums, sequences, functions, comments.
 */
import type { ChangeOf, CommentTarget } from '../../diff/changes.js';
import { expressionSql } from '../../model/sql-names.js';
import { displayIdent, displayQualified, quoteIdent, qualify } from '../../model/ident.js';
import { checkReferencedColumns, clipBytes, MAX_IDENTIFIER_BYTES } from '../../model/default-names.js';
import type { QualifiedName, Sequence } from '../../model/types.js';
import { dependentsHazards, describeSize, formatCount, type Hazard } from '../../plan/hazards.js';
import type { PlanContext } from '../../plan/plan-context.js';
import { functionRequires, key } from '../../plan/references.js';
import { checkSql, createFunctionSql, createIndexSql, functionSignatureSql, literal, sequenceOptionsSql } from '../../plan/sql-text.js';
import { draft, type DeletedData, type EnumRowsColumn, type StepDraft, type StepObjectKind } from '../../plan/step-draft.js';
import { columnKey, functionKey, refKey } from '../../model/object-ref.js';

// ---------------------------------------------------------------------------------------------
// extensions and schemas

export function createExtensionSteps(change: ChangeOf<'create_extension'>): StepDraft[] {
  const e = change.extension;
  let sql = `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)}`;
  if (e.schema !== undefined) sql += ` WITH SCHEMA ${quoteIdent(e.schema)}`;
  if (e.version !== undefined) sql += ` VERSION ${literal(e.version)}`;
  return [
    draft({
      sql,
      action: 'create',
      objectKind: 'extension' as const,
      object: displayIdent(e.name),
      change: change.kind,
      creates: [key.extension(e.name)],
      requires: e.schema !== undefined ? [key.schema(e.schema)] : [],
    }),
  ];
}

const untrackable = (what: string): Hazard => ({
  kind: 'has_untrackable_dependencies',
  message: `${what}: objects pgreconcile does not manage (views, other functions, application code) may depend on it`,
});

export function dropExtensionSteps(change: ChangeOf<'drop_extension'>): StepDraft[] {
  const e = change.extension;
  return [
    draft({
      sql: `DROP EXTENSION ${quoteIdent(e.name)}`,
      hazards: [untrackable(`extension ${e.name} is dropped`)],
      action: 'drop',
      objectKind: 'extension' as const,
      object: displayIdent(e.name),
      change: change.kind,
      drops: [key.extension(e.name)],
      // Before the drop of the schema it lives in.
      liveRequires: e.schema !== undefined ? [key.schema(e.schema)] : [],
    }),
  ];
}

export function alterExtensionSteps(change: ChangeOf<'alter_extension'>): StepDraft[] {
  const { from, to } = change;
  const steps: StepDraft[] = [];
  const base = {
    action: 'alter' as const,
    objectKind: 'extension' as const,
    object: displayIdent(to.name),
    change: change.kind,
  };
  if (to.version !== undefined && to.version !== from.version) {
    steps.push(
      draft({
        ...base,
        sql: `ALTER EXTENSION ${quoteIdent(to.name)} UPDATE TO ${literal(to.version)}`,
        detail: `version ${from.version ?? '?'} → ${to.version}`,
        hazards: [untrackable(`extension ${to.name} is updated`)],
      }),
    );
  }
  if (to.schema !== undefined && to.schema !== from.schema && from.relocatable === false) {
    // PostgreSQL refuses SET SCHEMA for an extension that is not relocatable: drop and create.
    let create = `CREATE EXTENSION ${quoteIdent(to.name)} WITH SCHEMA ${quoteIdent(to.schema)}`;
    if (to.version !== undefined) create += ` VERSION ${literal(to.version)}`;
    return [
      draft({
        ...base,
        sql: `DROP EXTENSION ${quoteIdent(to.name)}`,
        detail: `not relocatable: dropped to move from schema ${from.schema ?? '?'} to ${to.schema}`,
        hazards: [
          {
            kind: 'deletes_data',
            message: `extension ${to.name} cannot be relocated: it is dropped and created again in schema ${to.schema}, and the data of its own tables (configuration rows added since it was created) is lost`,
          },
          untrackable(`extension ${to.name} is dropped and created again; the drop fails while columns, indexes or functions depend on it`),
        ],
        drops: [key.extension(to.name)],
        liveRequires: from.schema !== undefined ? [key.schema(from.schema)] : [],
      }),
      draft({
        ...base,
        sql: create,
        detail: `created again in schema ${to.schema}`,
        creates: [key.extension(to.name)],
        requires: [key.schema(to.schema)],
      }),
    ];
  }
  if (to.schema !== undefined && to.schema !== from.schema) {
    steps.push(
      draft({
        ...base,
        sql: `ALTER EXTENSION ${quoteIdent(to.name)} SET SCHEMA ${quoteIdent(to.schema)}`,
        detail: `schema ${from.schema ?? '?'} → ${to.schema}`,
        hazards: [untrackable(`extension ${to.name} moves to schema ${to.schema}`)],
        requires: [key.schema(to.schema)],
      }),
    );
  }
  return steps;
}

export function createSchemaSteps(change: ChangeOf<'create_schema'>): StepDraft[] {
  return [
    draft({
      sql: `CREATE SCHEMA ${quoteIdent(change.schema.name)}`,
      action: 'create',
      objectKind: 'schema' as const,
      object: displayIdent(change.schema.name),
      change: change.kind,
      creates: [key.schema(change.schema.name)],
    }),
  ];
}

export function dropSchemaSteps(change: ChangeOf<'drop_schema'>): StepDraft[] {
  return [
    draft({
      sql: `DROP SCHEMA ${quoteIdent(change.schema.name)}`,
      hazards: [{ kind: 'deletes_data', message: `schema ${change.schema.name} is dropped` }],
      action: 'drop',
      objectKind: 'schema' as const,
      object: displayIdent(change.schema.name),
      change: change.kind,
      drops: [key.schema(change.schema.name)],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// enums

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

// ---------------------------------------------------------------------------------------------
// sequences

function ownedBySql(seq: Sequence): string {
  const o = seq.ownedBy;
  return o === undefined ? 'NONE' : `${qualify({ schema: o.schema, name: o.table })}.${quoteIdent(o.column)}`;
}

export function createSequenceSteps(change: ChangeOf<'create_sequence'>): StepDraft[] {
  const s = change.sequence;
  const owner = s.ownedBy ? { parent: displayQualified({ schema: s.ownedBy.schema, name: s.ownedBy.table }) } : {};
  const steps = [
    draft({
      ...owner,
      sql: `CREATE SEQUENCE ${qualify(s)} ${sequenceOptionsSql(s)}`,
      action: 'create',
      objectKind: 'sequence' as const,
      object: displayQualified(s),
      change: change.kind,
      creates: [key.sequence(s)],
      requires: [key.schema(s.schema)],
    }),
  ];
  if (s.ownedBy) {
    const o = s.ownedBy;
    steps.push(
      draft({
        ...owner,
        sql: `ALTER SEQUENCE ${qualify(s)} OWNED BY ${ownedBySql(s)}`,
        action: 'alter',
        objectKind: 'sequence' as const,
        object: displayQualified(s),
        detail: `owned by column ${displayIdent(o.column)}`,
        change: change.kind,
        requires: [key.sequence(s), key.column({ schema: o.schema, name: o.table }, o.column)],
      }),
    );
  }
  return steps;
}

/**
 * A sequence's range narrowed ahead of it (an ascending one's minimum raised, a descending one's
 * maximum lowered): PostgreSQL refuses the ALTER while the current value lies outside the new
 * range (`RESTART value (1) cannot be less than MINVALUE (100)`). What a user wants then is the
 * sequence to go on from the new bound: the statement moves the current value (`value`, read
 * `from`) to the bound only when it is outside. A range narrowed behind the sequence (an
 * ascending one's maximum lowered) is never clamped: moving it back would hand out values again,
 * so PostgreSQL's refusal stands when the current value is past the new bound.
 */
export function rangeClampSql(sequence: string, value: string, from: string, bound: string, ascending: boolean): string {
  const b = String(BigInt(bound));
  return `SELECT setval(${sequence}, ${b}, false) FROM ${from} WHERE ${value} ${ascending ? '<' : '>'} ${b}`;
}

/** The bound to clamp to when the range narrows ahead of the sequence (see `rangeClampSql`), else undefined. */
export function clampBound(
  from: { minValue: string; maxValue: string; increment: string },
  to: { minValue: string; maxValue: string; increment: string },
): string | undefined {
  const ascending = BigInt(to.increment) > 0n;
  if (ascending) return BigInt(to.minValue) > BigInt(from.minValue) ? to.minValue : undefined;
  return BigInt(to.maxValue) < BigInt(from.maxValue) ? to.maxValue : undefined;
}

/** The hazard of a range clamp: the sequence's position may move (apply backs it up first). */
export function rangeClampHazard(what: string, bound: string, ascending: boolean, backedUp: boolean): Hazard {
  return {
    kind: 'deletes_data',
    message: `if its current value is ${ascending ? 'below' : 'above'} the new ${ascending ? 'minimum' : 'maximum'} ${bound}, ${what} moves on to ${bound}${backedUp ? ' (its old position is backed up)' : ''}`,
  };
}

export function alterSequenceSteps(change: ChangeOf<'alter_sequence'>): StepDraft[] {
  const { from, to } = change;
  const opts: string[] = [];
  if (from.type !== to.type) opts.push(`AS ${to.type}`);
  if (from.increment !== to.increment) opts.push(`INCREMENT BY ${to.increment}`);
  if (from.minValue !== to.minValue) opts.push(`MINVALUE ${to.minValue}`);
  if (from.maxValue !== to.maxValue) opts.push(`MAXVALUE ${to.maxValue}`);
  if (from.start !== to.start) opts.push(`START WITH ${to.start}`);
  if (from.cache !== to.cache) opts.push(`CACHE ${to.cache}`);
  if (from.cycle !== to.cycle) opts.push(to.cycle ? 'CYCLE' : 'NO CYCLE');
  const ownerChanged = JSON.stringify(from.ownedBy) !== JSON.stringify(to.ownedBy);
  const steps: StepDraft[] = [];
  const base = { action: 'alter' as const, objectKind: 'sequence' as const, object: displayQualified(to), change: change.kind };
  if (opts.length > 0) {
    const bound = clampBound(from, to);
    if (bound !== undefined) {
      const ascending = BigInt(to.increment) > 0n;
      steps.push(
        draft({
          ...base,
          sql: rangeClampSql(literal(qualify(to)), 'last_value', qualify(to), bound, ascending),
          detail: `current value moved on to ${bound} where it lies outside the new range`,
          hazards: [rangeClampHazard(`sequence ${displayQualified(to)}`, bound, ascending, true)],
          deletes: { kind: 'sequence', schema: to.schema, name: to.name },
          requires: [key.sequence(to)],
        }),
      );
    }
    steps.push(
      draft({
        ...base,
        sql: `ALTER SEQUENCE ${qualify(to)} ${opts.join(' ')}`,
        detail: opts.join(' '),
        requires: [key.sequence(to)],
      }),
    );
  }
  if (ownerChanged) {
    const o = to.ownedBy;
    steps.push(
      draft({
        ...base,
        sql: `ALTER SEQUENCE ${qualify(to)} OWNED BY ${ownedBySql(to)}`,
        detail: o ? `owned by ${o.table}.${o.column}` : 'owned by nothing',
        requires: [key.sequence(to), ...(o ? [key.column({ schema: o.schema, name: o.table }, o.column)] : [])],
      }),
    );
  }
  return steps;
}

export function renameSequenceSteps(change: ChangeOf<'rename_sequence'>): StepDraft[] {
  return [
    draft({
      sql: `ALTER SEQUENCE ${qualify(change.from)} RENAME TO ${quoteIdent(change.to.name)}`,
      action: 'alter',
      objectKind: 'sequence' as const,
      object: displayQualified(change.to),
      detail: `renamed from ${displayQualified(change.from)}`,
      change: change.kind,
      creates: [key.sequence(change.to)],
      drops: [key.sequence(change.from)],
    }),
  ];
}

export function dropSequenceSteps(change: ChangeOf<'drop_sequence'>, ctx: PlanContext): StepDraft[] {
  const s = change.sequence;
  // A sequence owned by a table or column the plan drops goes with it: no DROP SEQUENCE of its own.
  if (ctx.isDroppedWithOwner(s)) return [];
  return [
    draft({
      sql: `DROP SEQUENCE ${qualify(s)}`,
      hazards: [{ kind: 'deletes_data', message: `sequence ${displayQualified(s)} is dropped with its current value` }],
      deletes: { kind: 'sequence', schema: s.schema, name: s.name },
      action: 'drop',
      objectKind: 'sequence' as const,
      object: displayQualified(s),
      change: change.kind,
      drops: [key.sequence(s)],
      liveRequires: [key.schema(s.schema)],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// functions

function functionDisplay(fn: ChangeOf<'create_function'>['fn']): string {
  return `${displayQualified(fn)}(${fn.arguments
    .filter((a) => a.mode !== 'out')
    .map((a) => a.type)
    .join(', ')})`;
}

export function createFunctionSteps(change: ChangeOf<'create_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.fn;
  return [
    draft({
      sql: createFunctionSql(fn, false),
      action: 'create',
      objectKind: 'function' as const,
      object: functionDisplay(fn),
      change: change.kind,
      creates: [key.function(fn), key.functionName(fn)],
      requires: functionRequires(fn, ctx.refs),
    }),
  ];
}

export function replaceFunctionSteps(change: ChangeOf<'replace_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.to;
  return [
    draft({
      sql: createFunctionSql(fn, true),
      hazards: [untrackable(`function ${functionDisplay(fn)} is replaced`)],
      action: 'alter',
      objectKind: 'function' as const,
      object: functionDisplay(fn),
      detail: 'replaced (CREATE OR REPLACE)',
      change: change.kind,
      creates: [key.function(fn), key.functionName(fn)],
      requires: functionRequires(fn, ctx.refs),
    }),
  ];
}

export function dropFunctionSteps(change: ChangeOf<'drop_function'>, ctx: PlanContext): StepDraft[] {
  const fn = change.fn;
  const overloadKept = ctx.desired.functions.some((f) => f.schema === fn.schema && f.name === fn.name);
  const base = { action: 'drop' as const, objectKind: 'function' as const, object: functionDisplay(fn), change: change.kind };
  // Column defaults that call the function keep it from being dropped: take them off first, and
  // put the declared ones back once the new definition exists.
  const before: StepDraft[] = [];
  const after: StepDraft[] = [];
  if (overloadKept) {
    for (const table of ctx.live.tables) {
      for (const column of table.columns) {
        if (!ctx.refs.functionsIn(column.default).some((f) => f.schema === fn.schema && f.name === fn.name)) continue;
        const wanted = ctx.desiredTable(table)?.columns.find((c) => c.name === column.name);
        const where = `ALTER TABLE ${qualify(table)} ALTER COLUMN ${quoteIdent(column.name)}`;
        before.push(
          draft({
            ...base,
            action: 'alter',
            sql: `${where} DROP DEFAULT`,
            detail: `default of ${ctx.display(table)}.${displayIdent(column.name)} dropped while the function is re-created`,
          }),
        );
        if (wanted?.default !== undefined) {
          after.push(
            draft({
              ...base,
              action: 'alter',
              sql: `${where} SET DEFAULT ${expressionSql(wanted.default)}`,
              detail: `default of ${ctx.display(table)}.${displayIdent(column.name)} set again`,
              requires: [key.functionName(fn), key.column(table, column.name)],
            }),
          );
        }
      }
    }
  }
  return [
    ...before,
    draft({
      ...base,
      sql: `DROP FUNCTION ${functionSignatureSql(fn)}`,
      hazards: [
        untrackable(
          change.calls !== undefined
            ? `function ${functionDisplay(fn)} is dropped and created again: its body uses ${functionDisplay(change.calls)}, which is re-created`
            : `function ${functionDisplay(fn)} is dropped`,
        ),
        ...dependentsHazards(
          ctx.dataFacts.dependents?.get(functionKey(fn)),
          `function ${functionDisplay(fn)}`,
          'drops',
          'cannot drop function because other objects depend on it',
        ),
      ],
      ...(change.calls !== undefined ? { detail: `created again after ${functionDisplay(change.calls)}, which its body uses` } : {}),
      drops: [key.function(fn), ...(overloadKept ? [] : [key.functionName(fn)])],
      liveRequires: functionRequires(fn, ctx.refs),
    }),
    ...after,
  ];
}

// ---------------------------------------------------------------------------------------------
// comments

function commentOn(target: CommentTarget): {
  sql: string;
  object: string;
  objectKind: StepObjectKind;
  parent?: string;
  requires: string[];
} {
  switch (target.on) {
    case 'schema':
      return {
        sql: `SCHEMA ${quoteIdent(target.schema)}`,
        object: displayIdent(target.schema),
        objectKind: 'schema' as const,
        requires: [key.schema(target.schema)],
      };
    case 'table':
      return {
        sql: `TABLE ${qualify(target.table)}`,
        object: displayQualified(target.table),
        objectKind: 'table' as const,
        requires: [key.table(target.table)],
      };
    case 'column':
      return {
        sql: `COLUMN ${qualify(target.table)}.${quoteIdent(target.column)}`,
        object: displayIdent(target.column),
        objectKind: 'column' as const,
        parent: displayQualified(target.table),
        requires: [key.column(target.table, target.column)],
      };
    case 'enum':
      return {
        sql: `TYPE ${qualify(target.type)}`,
        object: displayQualified(target.type),
        objectKind: 'enum' as const,
        requires: [key.type(target.type)],
      };
    case 'sequence':
      return {
        sql: `SEQUENCE ${qualify(target.sequence)}`,
        object: displayQualified(target.sequence),
        objectKind: 'sequence' as const,
        requires: [key.sequence(target.sequence)],
      };
    case 'function':
      return {
        sql: `FUNCTION ${functionSignatureSql(target.fn)}`,
        object: functionDisplay(target.fn),
        objectKind: 'function' as const,
        requires: [key.function(target.fn)],
      };
    case 'index':
      return {
        sql: `INDEX ${qualify({ schema: target.table.schema, name: target.index })}`,
        object: displayIdent(target.index),
        objectKind: 'index' as const,
        parent: displayQualified(target.table),
        requires: [key.index(target.table.schema, target.index)],
      };
    case 'constraint':
      return {
        sql: `CONSTRAINT ${quoteIdent(target.constraint)} ON ${qualify(target.table)}`,
        object: displayIdent(target.constraint),
        objectKind: 'constraint' as const,
        parent: displayQualified(target.table),
        requires: [key.constraint(target.table, target.constraint)],
      };
    case 'trigger':
      return {
        sql: `TRIGGER ${quoteIdent(target.trigger)} ON ${qualify(target.table)}`,
        object: displayIdent(target.trigger),
        objectKind: 'trigger' as const,
        parent: displayQualified(target.table),
        requires: [key.trigger(target.table, target.trigger)],
      };
    default: {
      const never: never = target;
      throw new Error(`unknown comment target ${JSON.stringify(never)}`);
    }
  }
}

export function setCommentSteps(change: ChangeOf<'set_comment'>): StepDraft[] {
  const on = commentOn(change.target);
  return [
    draft({
      sql: `COMMENT ON ${on.sql} IS ${change.comment === null ? 'NULL' : literal(change.comment)}`,
      action: 'alter',
      objectKind: on.objectKind,
      object: on.object,
      ...(on.parent !== undefined ? { parent: on.parent } : {}),
      detail: change.comment === null ? 'comment removed' : 'comment',
      change: change.kind,
      requires: on.requires,
    }),
  ];
}
