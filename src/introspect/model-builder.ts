/**
 * Catalog rows → the schema model. Pure: no database here, so every rule (what is skipped,
 * how codes decode) is testable with rows alone. Rows are joined through Maps keyed by
 * table oid, so the cost is linear in the size of the schema.
 */
import type {
  CheckConstraint,
  Column,
  EnumType,
  ExclusionConstraint,
  Extension,
  ForeignKey,
  FunctionArg,
  FunctionDef,
  Index,
  IndexKey,
  PrimaryKey,
  SchemaDef,
  SchemaModel,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  TableStats,
} from '../model/types.js';
import type {
  BodyUseRow,
  ColumnRow,
  ConstraintRow,
  EnumRow,
  ExclusionRow,
  ExtensionRow,
  FunctionRow,
  IndexRow,
  NullsNotDistinctRow,
  SchemaRow,
  SequenceRow,
  TableRow,
  TriggerRow,
} from './catalog-queries.js';
import {
  argMode,
  fkAction,
  fkMatch,
  identityKind,
  identityOptions,
  IntrospectError,
  keyValueOptions,
  parallelSafety,
  triggerArguments,
  triggerEnabled,
  triggerType,
  volatility,
} from './catalog-codes.js';
import type { Owner } from './catalog-codes.js';
import { matchesIgnore, schemaIgnored } from './ignore-glob.js';
import { nameKey, type ObjectRef } from '../model/object-ref.js';
import { closingParen, indexOfTopLevel, splitTopLevel, upcaseRowQualifiers } from './sql-text.js';

export interface CatalogRows {
  readonly extensions: readonly ExtensionRow[];
  readonly schemas: readonly SchemaRow[];
  readonly enums: readonly EnumRow[];
  readonly sequences: readonly SequenceRow[];
  readonly functions: readonly FunctionRow[];
  readonly tables: readonly TableRow[];
  readonly constraints: readonly ConstraintRow[];
  readonly indexes: readonly IndexRow[];
  readonly triggers: readonly TriggerRow[];
  /** Indexes declared NULLS NOT DISTINCT (empty before PostgreSQL 15). */
  readonly nullsNotDistinct: readonly NullsNotDistinctRow[];
  /** Exclusion constraints (absent: none read). */
  readonly exclusions?: readonly ExclusionRow[];
}

export interface BuiltModel {
  /** Not yet normalised (lists in catalog order). */
  readonly model: SchemaModel;
  readonly stats: ReadonlyMap<string, TableStats>;
}

/** Mutable parts of a table while its constraints, indexes and triggers are gathered. */
interface TableParts {
  readonly row: TableRow;
  primaryKey?: PrimaryKey;
  readonly uniques: UniqueConstraint[];
  readonly checks: CheckConstraint[];
  readonly foreignKeys: ForeignKey[];
  readonly indexes: Index[];
  readonly triggers: Trigger[];
  readonly exclusions: ExclusionConstraint[];
}

/** `schema.name` for messages. */
const label = (schema: string, name: string): string => `${schema}.${name}`;

/** `{ comment }` when the catalog has one, else `{}` (no `comment` key at all). */
const comment = (text: string | undefined): { comment?: string } => (text === undefined ? {} : { comment: text });

/** A model object while it is being filled in (optional keys are only added when set). */
type Draft<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds the model from catalog rows, dropping ignored objects and objects outside the
 * managed schemas.
 *
 * @example const { model, stats } = buildModel(rows, ['tmp_*']);
 */
export function buildModel(rows: CatalogRows, ignore: readonly string[]): BuiltModel {
  const schemas: SchemaDef[] = rows.schemas
    .filter((s) => !schemaIgnored(ignore, s.name))
    .map((s) => ({ name: s.name, ...comment(s.comment) }));
  const managedSchemas = new Set(schemas.map((s) => s.name));
  const managed = (schema: string, name: string): boolean => managedSchemas.has(schema) && !matchesIgnore(ignore, schema, name);

  const extensions: Extension[] = rows.extensions.map((e) => ({
    name: e.name,
    schema: e.schema,
    version: e.version,
    ...(e.relocatable === false ? { relocatable: false as const } : {}),
  }));

  const enums: EnumType[] = rows.enums
    .filter((e) => managed(e.schema, e.name))
    .map((e) => ({ schema: e.schema, name: e.name, values: e.values, ...comment(e.comment) }));

  const tableParts = new Map<number, TableParts>();
  for (const row of rows.tables) {
    if (!managed(row.schema, row.name)) continue;
    tableParts.set(row.oid, { row, uniques: [], checks: [], foreignKeys: [], indexes: [], triggers: [], exclusions: [] });
  }

  // Sequences: identity sequences feed their columns; the others are model sequences unless
  // they belong to a table that is not managed.
  const identitySequences = new Map<string, SequenceRow>();
  const sequences: Sequence[] = [];
  for (const s of rows.sequences) {
    if (s.owner_kind === 'i') {
      if (s.owner_table_oid !== undefined && s.owner_column !== undefined) {
        identitySequences.set(columnKey(s.owner_table_oid, s.owner_column), s);
      }
      continue;
    }
    if (!managed(s.schema, s.name)) continue;
    if (s.owner_kind === 'a' && s.owner_table_oid !== undefined && !tableParts.has(s.owner_table_oid)) continue;
    sequences.push(toSequence(s));
  }

  const nullsNotDistinct = new Set(rows.nullsNotDistinct.map((r) => r.oid));
  for (const c of rows.constraints) {
    const parts = tableParts.get(c.table_oid);
    if (parts !== undefined) addConstraint(parts, c, nullsNotDistinct);
  }
  for (const x of rows.exclusions ?? []) {
    const parts = tableParts.get(x.table_oid);
    if (parts !== undefined) parts.exclusions.push(toExclusion(x, parts.row));
  }
  for (const i of rows.indexes) {
    const parts = tableParts.get(i.table_oid);
    if (parts !== undefined) parts.indexes.push(toIndex(i, parts.row, nullsNotDistinct));
  }
  for (const t of rows.triggers) {
    const parts = tableParts.get(t.table_oid);
    if (parts !== undefined) parts.triggers.push(toTrigger(t, parts.row));
  }

  const tables: Table[] = [];
  const stats = new Map<string, TableStats>();
  for (const parts of tableParts.values()) {
    const { row } = parts;
    tables.push({
      schema: row.schema,
      name: row.name,
      columns: (row.columns ?? []).map((col) => toColumn(col, row, identitySequences)),
      ...(parts.primaryKey !== undefined ? { primaryKey: parts.primaryKey } : {}),
      uniques: parts.uniques,
      checks: parts.checks,
      foreignKeys: parts.foreignKeys,
      indexes: parts.indexes,
      triggers: parts.triggers,
      ...(parts.exclusions.length > 0 ? { exclusions: parts.exclusions } : {}),
      ...comment(row.comment),
    });
    stats.set(nameKey(row.schema, row.name), { rows: row.reltuples < 0 ? 0 : row.reltuples, bytes: row.bytes });
  }

  const functions: FunctionDef[] = rows.functions.filter((f) => managed(f.schema, f.name)).map(toFunction);

  return { model: { extensions, schemas, enums, sequences, functions, tables }, stats };
}

function columnKey(tableOid: number, column: string): string {
  return `${tableOid}\u0000${column}`;
}

function toSequence(s: SequenceRow): Sequence {
  return {
    schema: s.schema,
    name: s.name,
    type: s.type,
    start: s.start,
    increment: s.increment,
    minValue: s.min_value,
    maxValue: s.max_value,
    cache: s.cache,
    cycle: s.cycle,
    ...(s.owner_kind === 'a' && s.owner_schema !== undefined && s.owner_table !== undefined && s.owner_column !== undefined
      ? { ownedBy: { schema: s.owner_schema, table: s.owner_table, column: s.owner_column } }
      : {}),
    ...comment(s.comment),
  };
}

function toColumn(col: ColumnRow, table: TableRow, identitySequences: ReadonlyMap<string, SequenceRow>): Column {
  const owner = (): string => `column ${label(table.schema, table.name)}.${col.name}`;
  const kind = identityKind(col.identity, owner);
  let identity: Column['identity'];
  if (kind !== undefined) {
    const seq = identitySequences.get(columnKey(table.oid, col.name));
    identity =
      seq === undefined
        ? { kind }
        : identityOptions(kind, seq.type, {
            start: seq.start,
            increment: seq.increment,
            minValue: seq.min_value,
            maxValue: seq.max_value,
            cache: seq.cache,
            cycle: seq.cycle,
          });
  }
  const column: Draft<Column> = { name: col.name, type: col.type, nullable: !col.not_null };
  if (col.default !== undefined) column.default = col.default;
  if (identity !== undefined) column.identity = identity;
  if (col.generated !== undefined) column.generated = col.generated;
  if (col.collation !== undefined) column.collation = col.collation;
  if (col.comment !== undefined) column.comment = col.comment;
  return column;
}

function addConstraint(parts: TableParts, c: ConstraintRow, nullsNotDistinct: ReadonlySet<number>): void {
  const owner = (): string => `constraint ${c.name} on ${label(parts.row.schema, parts.row.name)}`;
  const columns = c.columns ?? [];
  switch (c.type) {
    case 'p':
      parts.primaryKey = { name: c.name, columns, ...comment(c.comment) };
      return;
    case 'u':
      parts.uniques.push({
        name: c.name,
        columns,
        nullsNotDistinct: c.index_oid !== undefined && nullsNotDistinct.has(c.index_oid),
        deferrable: c.deferrable,
        initiallyDeferred: c.initially_deferred,
        ...comment(c.comment),
      });
      return;
    case 'c':
      if (c.expression === undefined) throw new IntrospectError(`${owner()}: check constraint without an expression`);
      parts.checks.push({
        name: c.name,
        expression: c.expression,
        noInherit: c.no_inherit,
        notValid: !c.validated,
        ...comment(c.comment),
      });
      return;
    case 'f':
      if (c.ref_schema === undefined || c.ref_table === undefined) {
        throw new IntrospectError(`${owner()}: foreign key without a referenced table`);
      }
      parts.foreignKeys.push({
        name: c.name,
        columns,
        references: { schema: c.ref_schema, table: c.ref_table, columns: c.ref_columns ?? [] },
        onDelete: fkAction(c.on_delete, owner),
        onUpdate: fkAction(c.on_update, owner),
        match: fkMatch(c.match, owner),
        deferrable: c.deferrable,
        initiallyDeferred: c.initially_deferred,
        notValid: !c.validated,
        ...comment(c.comment),
      });
      return;
    default: {
      const never: never = c.type;
      throw new IntrospectError(`${owner()}: unexpected constraint type '${String(never)}'`);
    }
  }
}

function toExclusion(x: ExclusionRow, table: TableRow): ExclusionConstraint {
  const where = (): string => `exclusion constraint ${x.name} on ${label(table.schema, table.name)}`;
  const elements: Draft<ExclusionConstraint['elements'][number]>[] = [];
  const include: string[] = [];
  (x.elements ?? []).forEach((e, position) => {
    if (position >= x.key_count) {
      if (e.column === undefined) throw new IntrospectError(`${where()}: INCLUDE entry is not a column`);
      include.push(e.column);
      return;
    }
    if (e.operator === undefined) throw new IntrospectError(`${where()}: element ${position + 1} has no operator`);
    if (e.column !== undefined) elements.push({ column: e.column, operator: e.operator });
    else if (e.expression !== undefined) elements.push({ expression: e.expression, operator: e.operator });
    else throw new IntrospectError(`${where()}: element ${position + 1} has neither a column nor an expression`);
  });
  return {
    name: x.name,
    using: x.using,
    elements,
    include,
    ...(x.predicate !== undefined ? { where: x.predicate } : {}),
    deferrable: x.deferrable,
    initiallyDeferred: x.initially_deferred,
    definition: x.definition,
    ...comment(x.comment),
  };
}

// pg_index.indoption bits.
const INDOPTION_DESC = 1;
const INDOPTION_NULLS_FIRST = 2;

function toIndex(i: IndexRow, table: TableRow, nullsNotDistinct: ReadonlySet<number>): Index {
  const keys: IndexKey[] = [];
  const include: string[] = [];
  i.keys.forEach((k, position) => {
    if (position >= i.key_count) {
      if (k.column === undefined) {
        throw new IntrospectError(`index ${i.name} on ${label(table.schema, table.name)}: INCLUDE entry is not a column`);
      }
      include.push(k.column);
      return;
    }
    const option = k.option ?? 0;
    let key: Draft<IndexKey>;
    let collation: string | undefined;
    if (k.column !== undefined) {
      key = { column: k.column, order: 'asc', nulls: 'last' };
      collation = k.collation;
    } else if (k.expression !== undefined) {
      key = { expression: k.expression, order: 'asc', nulls: 'last' };
      collation = i.definition === undefined ? undefined : expressionKeyCollation(i.definition, position, k.expression);
    } else {
      const where = `index ${i.name} on ${label(table.schema, table.name)}`;
      throw new IntrospectError(`${where}: key ${position + 1} has neither a column nor an expression`);
    }
    if (collation !== undefined) key.collation = collation;
    if (k.opclass !== undefined) key.opclass = k.opclass;
    if (k.opclass_options !== undefined) key.opclassParams = keyValueOptions(k.opclass_options);
    if (option & INDOPTION_DESC) key.order = 'desc';
    if (option & INDOPTION_NULLS_FIRST) key.nulls = 'first';
    keys.push(key);
  });
  const index: Draft<Index> = {
    name: i.name,
    unique: i.unique,
    nullsNotDistinct: nullsNotDistinct.has(i.oid),
    using: i.using,
    keys,
    include,
    with: keyValueOptions(i.options),
  };
  if (i.predicate !== undefined) index.where = i.predicate;
  if (i.tablespace !== undefined) index.tablespace = i.tablespace;
  if (i.comment !== undefined) index.comment = i.comment;
  if (!i.valid) index.invalid = true;
  return index;
}

/**
 * The COLLATE clause of key `position` in an index definition printed by pg_get_indexdef,
 * which prints one exactly when the key's collation differs from its expression's own:
 * `CREATE INDEX i ON t USING btree (lower(a) COLLATE "C" DESC)` → `C`. Undefined when there is none.
 */
export function expressionKeyCollation(definition: string, position: number, keyText: string): string | undefined {
  if (!definition.includes(' COLLATE ')) return undefined;
  const using = indexOfTopLevel(definition, ' USING ');
  const open = using < 0 ? -1 : definition.indexOf('(', using);
  const close = open < 0 ? -1 : closingParen(definition, open);
  if (close < 0) return undefined;
  const piece = splitTopLevel(definition.slice(open + 1, close))[position];
  if (piece === undefined || !piece.startsWith(keyText)) return undefined;
  const rest = piece.slice(keyText.length);
  if (!rest.startsWith(' COLLATE ')) return undefined;
  return leadingQualifiedName(rest.slice(' COLLATE '.length));
}

/** The (possibly qualified, possibly quoted) name at the start of `text`, unquoted: `pg_catalog."C" x` → `pg_catalog.C`. */
function leadingQualifiedName(text: string): string {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i];
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ' ' && text[i] !== '.') {
        part += text[i];
        i++;
      }
    }
    parts.push(part);
    if (text[i] !== '.') break;
    i++;
  }
  // As for columns: a collation in pg_catalog or public is named alone.
  if (parts.length === 2 && (parts[0] === 'pg_catalog' || parts[0] === 'public')) parts.shift();
  return parts.join('.');
}

/**
 * The WHEN condition inside a trigger definition printed by pg_get_triggerdef:
 * `... FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a) EXECUTE FUNCTION f()` →
 * `OLD.a IS DISTINCT FROM NEW.a`.
 */
export function triggerWhen(definition: string, owner: Owner): string {
  const at = indexOfTopLevel(definition, ' WHEN (');
  const open = at < 0 ? -1 : at + ' WHEN '.length;
  const close = open < 0 ? -1 : closingParen(definition, open);
  if (close < 0) throw new IntrospectError(`${owner()}: cannot find the WHEN condition in "${definition}"`);
  return upcaseRowQualifiers(definition.slice(open + 1, close).trim());
}

function toTrigger(t: TriggerRow, table: TableRow): Trigger {
  const owner = (): string => `trigger ${t.name} on ${label(table.schema, table.name)}`;
  const { timing, events, level } = triggerType(t.type);
  const trigger: Draft<Trigger> = {
    name: t.name,
    timing,
    events,
    updateOf: t.update_of ?? [],
    level,
    function: { schema: t.function_schema, name: t.function_name },
    arguments: t.arg_count === 0 ? [] : triggerArguments(t.args_hex, t.arg_count),
    enabled: triggerEnabled(t.enabled, owner),
  };
  if (t.definition !== undefined) trigger.when = triggerWhen(t.definition, owner);
  if (t.is_constraint) trigger.constraint = { deferrable: t.deferrable, initiallyDeferred: t.initially_deferred };
  if (t.comment !== undefined) trigger.comment = t.comment;
  return trigger;
}

/**
 * The DEFAULT expressions of each argument, from pg_get_function_arguments' text. Arguments
 * of mode `t` (RETURNS TABLE columns) are not in that text.
 */
function argumentDefaults(text: string): (string | undefined)[] {
  return splitTopLevel(text).map((piece) => {
    const at = indexOfTopLevel(piece, ' DEFAULT ');
    return at < 0 ? undefined : piece.slice(at + ' DEFAULT '.length).trim();
  });
}

/** `SETOF x` → `setof x`, `TABLE(...)` → `table(...)`, as the model spells return types. */
function returnType(text: string): string {
  if (text.startsWith('SETOF ')) return `setof ${text.slice('SETOF '.length)}`;
  if (text.startsWith('TABLE(')) return `table(${text.slice('TABLE('.length)}`;
  return text;
}

/** A pg_depend row of a SQL-standard body as an `ObjectRef`. */
function bodyUse(u: BodyUseRow): ObjectRef {
  switch (u.kind) {
    case 'function':
      return { kind: 'function', schema: u.schema, name: u.name, signature: u.signature ?? [] };
    case 'column':
      return { kind: 'column', schema: u.schema, name: u.name, sub: u.sub ?? '' };
    default:
      return { kind: u.kind, schema: u.schema, name: u.name };
  }
}

function toFunction(f: FunctionRow): FunctionDef {
  const owner = (): string => `function ${label(f.schema, f.name)}`;
  const types = f.arg_types ?? [];
  const defaults = argumentDefaults(f.arguments_text);
  const args: FunctionArg[] = [];
  let listed = 0;
  types.forEach((type, n) => {
    const mode = argMode(f.arg_modes?.[n] ?? 'i', owner);
    if (mode === undefined) return;
    const name = f.arg_names?.[n] ?? '';
    const dflt = defaults[listed];
    listed++;
    args.push({
      ...(name !== '' ? { name } : {}),
      type,
      mode,
      ...(dflt !== undefined ? { default: dflt } : {}),
    });
  });
  if (listed !== defaults.length) {
    throw new IntrospectError(`${owner()}: ${listed} arguments in the catalog but ${defaults.length} in "${f.arguments_text}"`);
  }
  return {
    schema: f.schema,
    name: f.name,
    arguments: args,
    returns: returnType(f.returns),
    language: f.language,
    body: f.body,
    ...(f.sql_body !== undefined && f.sql_body !== null ? { sqlBody: f.sql_body } : {}),
    ...(f.body_uses !== undefined && f.body_uses !== null && f.body_uses.length > 0 ? { bodyUses: f.body_uses.map(bodyUse) } : {}),
    volatility: volatility(f.volatility, owner),
    strict: f.strict,
    security: f.security_definer ? 'definer' : 'invoker',
    leakproof: f.leakproof,
    parallel: parallelSafety(f.parallel, owner),
    config: keyValueOptions(f.config),
    ...comment(f.comment),
  };
}
