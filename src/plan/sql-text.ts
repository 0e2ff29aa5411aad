/**
 * SQL text for model objects: column definitions, index and trigger definitions, function
 * headers, literals. Every identifier goes through quoteIdent (docs/architecture.md rule 8).
 */
import { qualify, quoteIdent, quoteLiteral } from '../model/ident.js';
import { configParameterSql, expressionSql, listSettingElements, qualifiedNameSql, storageParameterSql } from '../model/sql-names.js';
import type {
  CheckConstraint,
  Column,
  Deferral,
  ExclusionConstraint,
  ForeignKey,
  FunctionArg,
  FunctionDef,
  Identity,
  Index,
  IndexKey,
  QualifiedName,
  Sequence,
  Trigger,
  UniqueConstraint,
} from '../model/types.js';

/** A string literal with `'` doubled: `it's` → `'it''s'` (`quoteLiteral`, under the planner's short name). */
export const literal = quoteLiteral;

/** A type name for SQL: canonical types are already valid SQL, user types keep their quoting. */
export function typeSql(canonicalType: string): string {
  return canonicalType;
}

function identityOptions(identity: Identity): string {
  const parts: string[] = [];
  if (identity.increment !== undefined) parts.push(`INCREMENT BY ${identity.increment}`);
  if (identity.minValue !== undefined) parts.push(`MINVALUE ${identity.minValue}`);
  if (identity.maxValue !== undefined) parts.push(`MAXVALUE ${identity.maxValue}`);
  if (identity.start !== undefined) parts.push(`START WITH ${identity.start}`);
  if (identity.cache !== undefined) parts.push(`CACHE ${identity.cache}`);
  if (identity.cycle !== undefined) parts.push(identity.cycle ? 'CYCLE' : 'NO CYCLE');
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

export function identitySql(identity: Identity): string {
  return `GENERATED ${identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptions(identity)}`;
}

/** `"name" type [COLLATE] [GENERATED ...] [DEFAULT ...] [NOT NULL]` */
export function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), typeSql(column.type)];
  if (column.compression !== undefined) parts.push(`COMPRESSION ${column.compression === 'lz4' ? 'lz4' : 'pglz'}`);
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${expressionSql(column.generated)}) STORED`);
  if (column.identity !== undefined) parts.push(identitySql(column.identity));
  if (column.default !== undefined) parts.push(`DEFAULT ${expressionSql(column.default)}`);
  if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/**
 * What a column definition cannot say (PostgreSQL 15 has no STORAGE in CREATE TABLE, none has
 * STATISTICS): `ALTER COLUMN ... SET STORAGE / SET STATISTICS` subcommands, for the step that adds it.
 *
 * @example columnOptionClauses({ name: 'body', type: 'text', nullable: true, storage: 'external' })  // ['ALTER COLUMN "body" SET STORAGE EXTERNAL']
 */
export function columnOptionClauses(column: Column): string[] {
  const clauses: string[] = [];
  if (column.storage !== undefined) clauses.push(`ALTER COLUMN ${quoteIdent(column.name)} SET STORAGE ${storageSql(column.storage)}`);
  if (column.statistics !== undefined)
    clauses.push(`ALTER COLUMN ${quoteIdent(column.name)} SET STATISTICS ${statisticsSql(column.statistics)}`);
  return clauses;
}

/** A storage keyword: one of four, never the text as written. */
export function storageSql(storage: Column['storage']): string {
  const words = { plain: 'PLAIN', external: 'EXTERNAL', extended: 'EXTENDED', main: 'MAIN' } as const;
  if (storage === undefined || !Object.hasOwn(words, storage)) throw new Error(`storage ${String(storage)} is not a storage`);
  return words[storage];
}

/** A statistics target: a whole number from -1 to 10000. */
export function statisticsSql(target: number): string {
  if (!Number.isInteger(target) || target < -1 || target > 10000) throw new Error(`statistics target ${target} is not -1 to 10000`);
  return String(target);
}

export function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(', ');
}

export function deferralSql(d: Deferral): string {
  if (!d.deferrable) return '';
  return d.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE';
}

export function primaryKeySql(columns: readonly string[]): string {
  return `PRIMARY KEY (${columnList(columns)})`;
}

export function uniqueSql(u: UniqueConstraint): string {
  return `UNIQUE${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${columnList(u.columns)})${deferralSql(u)}`;
}

export function checkSql(c: CheckConstraint): string {
  return `CHECK (${expressionSql(c.expression)})${c.noInherit ? ' NO INHERIT' : ''}`;
}

export function foreignKeySql(fk: ForeignKey): string {
  let sql = `FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${qualify({ schema: fk.references.schema, name: fk.references.table })} (${columnList(fk.references.columns)})`;
  if (fk.match === 'full') sql += ' MATCH FULL';
  if (fk.onUpdate !== 'no action') sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  if (fk.onDelete !== 'no action') sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  return sql + deferralSql(fk);
}

const OPERATOR_SYMBOL = '[-+*/<>=~!@#%^&|`?]{1,63}';

/**
 * The strict grammar of an exclusion operator: a symbol (`&&`, `=`, `-|-`) or
 * `OPERATOR(schema.symbol)` with a plain or quoted schema name. A symbol holding `--` or `/*`
 * (a comment start, which PostgreSQL forbids in operator names too) is refused separately.
 */
export const EXCLUSION_OPERATOR = new RegExp(
  `^(?:${OPERATOR_SYMBOL}|OPERATOR\\((?:[a-z_][a-z0-9_$]*|"(?:[^"\\u0000-\\u001f]|"")+")\\.${OPERATOR_SYMBOL}\\))$`,
);

/** Is `text` an operator an exclusion constraint may name (EXCLUSION_OPERATOR, no comment start)? */
export function isExclusionOperator(text: string): boolean {
  const symbol = text.startsWith('OPERATOR(') ? text.slice(text.lastIndexOf('.') + 1, -1) : text;
  return EXCLUSION_OPERATOR.test(text) && !symbol.includes('--') && !symbol.includes('/*');
}

/** `EXCLUDE USING m (elem WITH op, …) [INCLUDE (…)] [WHERE (…)] [DEFERRABLE …]`; every part quoted or validated. */
export function exclusionSql(x: ExclusionConstraint): string {
  const elements = x.elements.map((e) => {
    if (!isExclusionOperator(e.operator)) throw new Error(`exclusion constraint ${x.name}: invalid operator ${JSON.stringify(e.operator)}`);
    const target = e.column !== undefined ? quoteIdent(e.column) : `(${expressionSql(e.expression ?? '')})`;
    return `${target} WITH ${e.operator}`;
  });
  let sql = `EXCLUDE USING ${quoteIdent(x.using)} (${elements.join(', ')})`;
  if (x.include.length > 0) sql += ` INCLUDE (${columnList(x.include)})`;
  if (x.where !== undefined) sql += ` WHERE (${expressionSql(x.where)})`;
  return sql + deferralSql(x);
}

function indexKeySql(key: IndexKey): string {
  let sql = key.column !== undefined ? quoteIdent(key.column) : `(${expressionSql(key.expression ?? '')})`;
  if (key.collation !== undefined) sql += ` COLLATE ${quoteIdent(key.collation)}`;
  if (key.opclass !== undefined) {
    sql += ` ${qualifiedText(key.opclass)}`;
    const params = Object.entries(key.opclassParams ?? {});
    if (params.length > 0) sql += ` (${params.map(([k, v]) => `${storageParameterSql(k)} = ${storageParamValue(v)}`).join(', ')})`;
  }
  if (key.order === 'desc') sql += ' DESC';
  const defaultNulls = key.order === 'desc' ? 'first' : 'last';
  if (key.nulls !== defaultNulls) sql += ` NULLS ${key.nulls.toUpperCase()}`;
  return sql;
}

/** An opclass as written in the model (`vector_cosine_ops`, `ext.my_ops`, `"Odd"`): each part quoted. */
export const qualifiedText = qualifiedNameSql;

function storageParamValue(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) || /^(on|off|true|false)$/i.test(value) ? value : literal(value);
}

/**
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] "name" ON "s"."t" USING m (keys) INCLUDE (...) WITH (...) WHERE ...`
 */
export function createIndexSql(table: QualifiedName, index: Index, name: string, concurrently: boolean): string {
  let sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdent(name)} ON ${qualify(table)}`;
  if (index.using !== 'btree') sql += ` USING ${quoteIdent(index.using)}`;
  sql += ` (${index.keys.map(indexKeySql).join(', ')})`;
  if (index.include.length > 0) sql += ` INCLUDE (${columnList(index.include)})`;
  if (index.nullsNotDistinct) sql += ' NULLS NOT DISTINCT';
  const withEntries = Object.entries(index.with);
  if (withEntries.length > 0)
    sql += ` WITH (${withEntries.map(([k, v]) => `${storageParameterSql(k)} = ${storageParamValue(v)}`).join(', ')})`;
  if (index.tablespace !== undefined) sql += ` TABLESPACE ${quoteIdent(index.tablespace)}`;
  if (index.where !== undefined) sql += ` WHERE ${expressionSql(index.where)}`;
  return sql;
}

const EVENT_ORDER = ['insert', 'update', 'delete', 'truncate'] as const;

/** `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER ...` */
export function createTriggerSql(table: QualifiedName, trigger: Trigger, orReplace: boolean): string {
  const events = EVENT_ORDER.filter((e) => trigger.events.includes(e)).map((e) =>
    e === 'update' && trigger.updateOf.length > 0 ? `UPDATE OF ${columnList(trigger.updateOf)}` : e.toUpperCase(),
  );
  let sql = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${trigger.constraint ? 'CONSTRAINT ' : ''}TRIGGER ${quoteIdent(trigger.name)}`;
  sql += ` ${trigger.timing.toUpperCase()} ${events.join(' OR ')} ON ${qualify(table)}`;
  if (trigger.constraint) sql += deferralSql(trigger.constraint) || ' NOT DEFERRABLE';
  sql += ` FOR EACH ${trigger.level.toUpperCase()}`;
  if (trigger.when !== undefined) sql += ` WHEN (${expressionSql(trigger.when)})`;
  sql += ` EXECUTE FUNCTION ${qualify(trigger.function)}(${trigger.arguments.map(literal).join(', ')})`;
  return sql;
}

export function triggerEnabledSql(table: QualifiedName, trigger: string, enabled: Trigger['enabled']): string {
  const verb = { origin: 'ENABLE', disabled: 'DISABLE', replica: 'ENABLE REPLICA', always: 'ENABLE ALWAYS' }[enabled];
  return `ALTER TABLE ${qualify(table)} ${verb} TRIGGER ${quoteIdent(trigger)}`;
}

function argSql(arg: FunctionArg): string {
  const parts: string[] = [];
  if (arg.mode !== 'in') parts.push(arg.mode.toUpperCase());
  if (arg.name !== undefined) parts.push(quoteIdent(arg.name));
  parts.push(typeSql(arg.type));
  if (arg.default !== undefined) parts.push(`DEFAULT ${expressionSql(arg.default)}`);
  return parts.join(' ');
}

/** The identity of a function for DROP / COMMENT: `"s"."f"(integer, text)` (input argument types only). */
/** `FUNCTION` or `PROCEDURE`, the word CREATE, DROP and COMMENT ON need. */
export function routineKeyword(fn: FunctionDef): 'FUNCTION' | 'PROCEDURE' {
  return fn.procedure === true ? 'PROCEDURE' : 'FUNCTION';
}

export function functionSignatureSql(fn: FunctionDef): string {
  const types = fn.arguments.filter((a) => a.mode !== 'out').map((a) => typeSql(a.type));
  return `${qualify(fn)}(${types.join(', ')})`;
}

/**
 * The body between dollar quotes whose tag occurs nowhere in it, not even across its end (a body
 * ending in `$body` would close `$body$` early).
 */
export function dollarQuote(body: string): string {
  let tag = '$body$';
  for (let i = 1; body.includes(tag) || `${body}${tag}`.indexOf(tag) !== body.length; i += 1) tag = `$body${i}$`;
  return `${tag}${body}${tag}`;
}

function returnsSql(returns: string): string {
  return returns;
}

/** `CREATE [OR REPLACE] FUNCTION ...` with every attribute spelled out, so a replace resets the rest; `… PROCEDURE` for a procedure. */
export function createFunctionSql(fn: FunctionDef, orReplace: boolean): string {
  if (fn.procedure === true) return createProcedureSql(fn, orReplace);
  const lines = [
    `CREATE ${orReplace ? 'OR REPLACE ' : ''}FUNCTION ${qualify(fn)}(${fn.arguments.map(argSql).join(', ')})`,
    `  RETURNS ${returnsSql(fn.returns)}`,
    `  LANGUAGE ${quoteIdent(fn.language)}`,
  ];
  const attrs: string[] = [fn.volatility.toUpperCase()];
  if (fn.strict) attrs.push('STRICT');
  if (fn.security === 'definer') attrs.push('SECURITY DEFINER');
  if (fn.leakproof) attrs.push('LEAKPROOF');
  if (fn.parallel !== 'unsafe') attrs.push(`PARALLEL ${fn.parallel.toUpperCase()}`);
  lines.push(`  ${attrs.join(' ')}`);
  for (const [key, value] of Object.entries(fn.config)) lines.push(`  SET ${configParameterSql(key)} = ${configValue(key, value)}`);
  // A SQL-standard body is SQL text (checked by the loader's parse, or printed by the server).
  lines.push(fn.sqlBody !== undefined ? fn.sqlBody : `AS ${dollarQuote(fn.body)}`);
  return lines.join('\n');
}

/** `CREATE [OR REPLACE] PROCEDURE …`: no result, and of the attributes only SECURITY and SET. */
function createProcedureSql(fn: FunctionDef, orReplace: boolean): string {
  const lines = [
    `CREATE ${orReplace ? 'OR REPLACE ' : ''}PROCEDURE ${qualify(fn)}(${fn.arguments.map(argSql).join(', ')})`,
    `  LANGUAGE ${quoteIdent(fn.language)}`,
    `  SECURITY ${fn.security === 'definer' ? 'DEFINER' : 'INVOKER'}`,
  ];
  for (const [key, value] of Object.entries(fn.config)) lines.push(`  SET ${configParameterSql(key)} = ${configValue(key, value)}`);
  lines.push(fn.sqlBody !== undefined ? fn.sqlBody : `AS ${dollarQuote(fn.body)}`);
  return lines.join('\n');
}

/** A `SET key = value` value: list settings (search_path) as one literal per element. */
function configValue(key: string, value: string): string {
  const elements = listSettingElements(key, value);
  return elements === undefined ? literal(value) : elements.map(literal).join(', ');
}

export function sequenceOptionsSql(seq: Sequence): string {
  return [
    `AS ${seq.type}`,
    `INCREMENT BY ${seq.increment}`,
    `MINVALUE ${seq.minValue}`,
    `MAXVALUE ${seq.maxValue}`,
    `START WITH ${seq.start}`,
    `CACHE ${seq.cache}`,
    seq.cycle ? 'CYCLE' : 'NO CYCLE',
  ].join(' ');
}
