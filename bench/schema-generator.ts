/**
 * The benchmark's schema: N tables of the same realistic shape, written twice — as SQL for the
 * database and as a schema.yaml (docs/format.md) describing the same objects — plus a variant
 * where about 1% of the tables change, so that a plan has work to do.
 *
 * Every table `t_<i>` has 9 columns of varied types with defaults, a primary key (serial),
 * a CHECK, a foreign key (bigint) to the previous table (the first table references itself),
 * two indexes of which one is partial, and a BEFORE UPDATE trigger calling the shared
 * `set_updated_at()` function. Three enums are shared by all tables.
 */
import { quoteLiteral } from '#pgreconcile/model/ident.js';

/** One of the shared enums, with the label used as column default and the one the partial index excludes. */
interface BenchEnum {
  readonly name: string;
  readonly values: readonly [string, string, string];
}

const ENUMS: readonly BenchEnum[] = [
  { name: 'status', values: ['draft', 'active', 'archived'] },
  { name: 'priority', values: ['low', 'medium', 'high'] },
  { name: 'channel', values: ['web', 'email', 'api'] },
];

/** The trigger function's body, byte for byte the same in the SQL and in the YAML. */
const FUNCTION_BODY = '\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n';

/** How one table differs in the modified variant. */
export interface TableVariant {
  /** The table gets a new nullable column `note text`. */
  readonly addedColumn: boolean;
  /** Its `<t>_prev_id_idx` index covers `(prev_id, updated_at)` instead of `(prev_id)`. */
  readonly widenedIndex: boolean;
  /** Its CHECK constraint is gone. */
  readonly droppedCheck: boolean;
}

const UNCHANGED: TableVariant = { addedColumn: false, widenedIndex: false, droppedCheck: false };
const CHANGED: TableVariant = { addedColumn: true, widenedIndex: true, droppedCheck: true };

/** What the generated schema holds (the PK index is counted with the PK, not with `indexes`). */
export interface BenchCounts {
  readonly tables: number;
  readonly columns: number;
  readonly indexes: number;
  readonly foreignKeys: number;
  readonly checks: number;
  readonly triggers: number;
  readonly enums: number;
  readonly functions: number;
}

export interface BenchSchema {
  /** SQL creating the schema, in chunks of at most `chunkTables` tables (one transaction each). */
  readonly sqlChunks: readonly string[];
  /** The same schema as a schema.yaml document. */
  readonly yaml: string;
  readonly counts: BenchCounts;
  /** 1-based numbers of the tables that differ from the unmodified schema (empty when unmodified). */
  readonly changedTables: readonly number[];
}

export interface GenerateOptions {
  /** Number of tables, at least 1. */
  readonly tables: number;
  /** Generate the modified variant (about 1% of the tables changed, at least one). */
  readonly modified?: boolean;
  /**
   * Tables per SQL chunk (default 25): creating thousands of tables in one transaction exhausts
   * the server's shared lock table (each table takes about ten locks; the table is shared by all sessions).
   */
  readonly chunkTables?: number;
}

/**
 * The tables the modified variant changes: round(n / 100), at least 1, spread evenly.
 *
 * @example changedTableNumbers(1000) // [6, 16, 26, …, 996] (10 tables)
 */
export function changedTableNumbers(tables: number): number[] {
  const count = Math.max(1, Math.round(tables / 100));
  const numbers: number[] = [];
  for (let k = 0; k < count; k++) numbers.push(Math.floor(((k + 0.5) * tables) / count) + 1);
  return numbers;
}

/**
 * Generates the benchmark schema at `tables` tables, as SQL and as schema.yaml.
 *
 * @example
 * const live = generateBenchSchema({ tables: 1000 });
 * const next = generateBenchSchema({ tables: 1000, modified: true });
 * next.changedTables.length; // 10
 */
export function generateBenchSchema(opts: GenerateOptions): BenchSchema {
  const n = opts.tables;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`generateBenchSchema: tables must be a positive integer, got ${n}`);
  const chunkTables = opts.chunkTables ?? 25;
  const changed = new Set(opts.modified ? changedTableNumbers(n) : []);
  const width = Math.max(4, String(n).length);
  const name = (i: number): string => `t_${String(i).padStart(width, '0')}`;

  const sqlChunks: string[] = [preambleSql()];
  const yamlTables: string[] = [];
  let chunk: string[] = [];
  let columns = 0;
  let checks = 0;
  for (let i = 1; i <= n; i++) {
    const table: TableSpec = {
      name: name(i),
      previous: name(i === 1 ? 1 : i - 1),
      enum: ENUMS[(i - 1) % ENUMS.length] as BenchEnum,
      variant: changed.has(i) ? CHANGED : UNCHANGED,
    };
    chunk.push(tableSql(table));
    yamlTables.push(tableYaml(table));
    columns += table.variant.addedColumn ? 10 : 9;
    checks += table.variant.droppedCheck ? 0 : 1;
    if (chunk.length === chunkTables) {
      sqlChunks.push(chunk.join(''));
      chunk = [];
    }
  }
  if (chunk.length > 0) sqlChunks.push(chunk.join(''));

  return {
    sqlChunks,
    yaml: documentYaml(n, opts.modified === true, yamlTables),
    counts: {
      tables: n,
      columns,
      indexes: 2 * n,
      foreignKeys: n,
      checks,
      triggers: n,
      enums: ENUMS.length,
      functions: 1,
    },
    changedTables: [...changed],
  };
}

interface TableSpec {
  readonly name: string;
  /** The table the FK references: the previous one, or itself for the first. */
  readonly previous: string;
  readonly enum: BenchEnum;
  readonly variant: TableVariant;
}

function preambleSql(): string {
  const enums = ENUMS.map((e) => `CREATE TYPE ${e.name} AS ENUM (${e.values.map(quoteLiteral).join(', ')});\n`).join('');
  return enums + `CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $body$${FUNCTION_BODY}$body$;\n`;
}

function tableSql(t: TableSpec): string {
  const [defaultLabel, , excludedLabel] = t.enum.values;
  const check = t.variant.droppedCheck ? '' : ' CHECK (amount >= 0)';
  const note = t.variant.addedColumn ? ',\n  note text' : '';
  const indexColumns = t.variant.widenedIndex ? 'prev_id, updated_at' : 'prev_id';
  return (
    `CREATE TABLE ${t.name} (\n` +
    `  id serial PRIMARY KEY,\n` +
    `  prev_id bigint REFERENCES ${t.previous} (id),\n` +
    `  name text NOT NULL DEFAULT 'x',\n` +
    `  code varchar(32),\n` +
    `  amount numeric(10,2) NOT NULL DEFAULT 0${check},\n` +
    `  is_active boolean DEFAULT true,\n` +
    `  payload jsonb DEFAULT '{}'::jsonb,\n` +
    `  state ${t.enum.name} NOT NULL DEFAULT ${quoteLiteral(defaultLabel)},\n` +
    `  updated_at timestamptz NOT NULL DEFAULT now()${note}\n` +
    `);\n` +
    `CREATE INDEX ${t.name}_prev_id_idx ON ${t.name} (${indexColumns});\n` +
    `CREATE INDEX ${t.name}_recent_idx ON ${t.name} (updated_at DESC) WHERE state <> ${quoteLiteral(excludedLabel)};\n` +
    `CREATE TRIGGER ${t.name}_set_updated_at BEFORE UPDATE ON ${t.name} FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n`
  );
}

function documentYaml(n: number, modified: boolean, tables: readonly string[]): string {
  const enums = ENUMS.map((e) => `      ${e.name}: { values: [${e.values.join(', ')}] }\n`).join('');
  return (
    `# Generated by pgreconcile's benchmark (bench/): ${n} tables${modified ? ', modified variant' : ''}.\n` +
    `version: 1\n` +
    `schemas:\n` +
    `  public:\n` +
    `    comment: standard public schema\n` +
    `    enums:\n` +
    enums +
    `    functions:\n` +
    `      set_updated_at: { returns: trigger, language: plpgsql, body: ${yamlString(FUNCTION_BODY)} }\n` +
    `    tables:\n` +
    tables.join('')
  );
}

/**
 * One table on one line in flow style: a 5,000-table file must stay under the loader's
 * 4 MiB limit (block style takes about 1.1 KB a table, this about 0.8 KB).
 */
function tableYaml(t: TableSpec): string {
  const [defaultLabel, , excludedLabel] = t.enum.values;
  const columns = [
    'id: {type: serial}',
    'prev_id: {type: bigint}',
    `name: {type: text, nullable: false, default: "'x'"}`,
    'code: {type: varchar(32)}',
    'amount: {type: "numeric(10,2)", nullable: false, default: "0"}',
    'is_active: {type: boolean, default: "true"}',
    `payload: {type: jsonb, default: "'{}'::jsonb"}`,
    `state: {type: ${t.enum.name}, nullable: false, default: ${yamlString(quoteLiteral(defaultLabel))}}`,
    'updated_at: {type: timestamptz, nullable: false, default: now()}',
  ];
  if (t.variant.addedColumn) columns.push('note: {type: text}');
  const indexColumns = t.variant.widenedIndex ? 'prev_id, updated_at' : 'prev_id';
  const recentWhere = yamlString(`state <> ${quoteLiteral(excludedLabel)}`);
  const sections = [`columns: {${columns.join(', ')}}`, 'primary_key: [id]'];
  if (!t.variant.droppedCheck) sections.push('checks: [{expression: "amount >= 0"}]');
  sections.push(
    `foreign_keys: [{columns: [prev_id], references: {table: ${t.previous}, columns: [id]}}]`,
    `indexes: {${t.name}_prev_id_idx: {columns: [${indexColumns}]}, ` +
      `${t.name}_recent_idx: {columns: [{column: updated_at, order: desc}], where: ${recentWhere}}}`,
    `triggers: {${t.name}_set_updated_at: {timing: before, events: [update], for_each: row, function: set_updated_at}}`,
  );
  return `      ${t.name}: {${sections.join(', ')}}\n`;
}

/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
function yamlString(text: string): string {
  return JSON.stringify(text);
}
