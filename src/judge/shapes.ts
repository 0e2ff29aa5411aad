/**
 * The temporary tables the judge creates: one per desired table whose expressions it judges
 * (columns with the desired types and collations; defaults, generated expressions and checks
 * inline; indexes with expression keys or predicates; triggers with WHEN; exclusion constraints). Constraints, indexes
 * and triggers get positional names on the temporary table (`names` maps them back), so that
 * tables written alike give the same SQL and are judged once; index.ts files a shape's forms by
 * position (`renameSlots`), and each table reads them under its own names.
 */
import { qualify, quoteIdent } from '../model/ident.js';
import { expressionSql } from '../model/sql-names.js';
import type { Column, Table } from '../model/types.js';
import { createIndexSql, createTriggerSql, exclusionSql, typeSql } from '../plan/sql-text.js';
import { tempName, type Probe, type TableShape } from './probe.js';
import { slotKey } from './slots.js';

function columnType(column: Pick<Column, 'type' | 'collation'>): string {
  return `${typeSql(column.type)}${column.collation !== undefined ? ` COLLATE ${quoteIdent(column.collation)}` : ''}`;
}

/**
 * The shape of a desired table as temporary table `id`, with the expressions of the `selected`
 * slots (all without it). Identity, NOT NULL and keys are left out: they do not change how an
 * expression reads.
 *
 * @example
 * desiredShape(table, 1).bare  // 'CREATE TEMP TABLE "pg_temp"."pgreconcile_judge_1" ("id" integer, …)'
 */
export function desiredShape(table: Table, id: number, selected?: ReadonlySet<string>): TableShape {
  const wanted = (slot: string): boolean => selected === undefined || selected.has(slot);
  const name = tempName(id);
  const target = qualify({ schema: 'pg_temp', name });
  const names = new Map<string, string>();
  const probes: Probe[] = [];
  const bareColumns: string[] = [];
  const fullColumns: string[] = [];
  for (const column of table.columns) {
    const plain = `${quoteIdent(column.name)} ${columnType(column)}`;
    bareColumns.push(plain);
    if (column.generated !== undefined && wanted(slotKey('generated', column.name))) {
      const generated = `${plain} GENERATED ALWAYS AS (${expressionSql(column.generated)}) STORED`;
      fullColumns.push(generated);
      probes.push({
        sql: `ALTER TABLE ${target} DROP COLUMN ${quoteIdent(column.name)}, ADD COLUMN ${generated}`,
        inline: true,
        slots: [slotKey('generated', column.name)],
      });
    } else if (column.default !== undefined && column.identity === undefined && wanted(slotKey('default', column.name))) {
      fullColumns.push(`${plain} DEFAULT (${expressionSql(column.default)})`);
      probes.push({
        sql: `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(column.name)} SET DEFAULT (${expressionSql(column.default)})`,
        inline: true,
        slots: [slotKey('default', column.name)],
      });
    } else {
      fullColumns.push(plain);
    }
  }
  const checks: string[] = [];
  table.checks.forEach((check, k) => {
    if (!wanted(slotKey('check', check.name))) return;
    const constraint = `pgreconcile_c${k + 1}`;
    names.set(constraint, check.name);
    const sql = `CONSTRAINT ${quoteIdent(constraint)} CHECK (${expressionSql(check.expression)})`;
    checks.push(sql);
    probes.push({ sql: `ALTER TABLE ${target} ADD ${sql}`, inline: true, slots: [slotKey('check', check.name)] });
  });
  table.indexes.forEach((index, k) => {
    if (index.where === undefined && index.keys.every((key) => key.expression === undefined)) return;
    const own = [...index.keys.map((_, i) => slotKey('key', index.name, i + 1)), slotKey('where', index.name)];
    if (!own.some(wanted)) return;
    const indexName = `${name}_i${k + 1}`;
    names.set(indexName, index.name);
    const slots = index.keys.flatMap((key, i) => (key.expression !== undefined ? [slotKey('key', index.name, i + 1)] : []));
    if (index.where !== undefined) slots.push(slotKey('where', index.name));
    const { tablespace: _tablespace, ...withoutTablespace } = index;
    probes.push({ sql: createIndexSql({ schema: 'pg_temp', name }, withoutTablespace, indexName, false), inline: false, slots });
  });
  table.triggers.forEach((trigger, k) => {
    if (trigger.when === undefined || !wanted(slotKey('when', trigger.name))) return;
    const triggerName = `pgreconcile_t${k + 1}`;
    names.set(triggerName, trigger.name);
    probes.push({
      sql: createTriggerSql({ schema: 'pg_temp', name }, { ...trigger, name: triggerName }, false),
      inline: false,
      slots: [slotKey('when', trigger.name)],
    });
  });
  (table.exclusions ?? []).forEach((exclusion, k) => {
    if (!wanted(slotKey('exclude', exclusion.name))) return;
    // Its index is a relation of the temporary schema: named after the table, like the indexes.
    const constraint = `${name}_x${k + 1}`;
    names.set(constraint, exclusion.name);
    probes.push({
      sql: `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(constraint)} ${exclusionSql(exclusion)}`,
      inline: false,
      slots: [slotKey('exclude', exclusion.name)],
    });
  });
  const bare = `CREATE TEMP TABLE ${target} (${bareColumns.join(', ')})`;
  const inlineCount = probes.filter((p) => p.inline).length;
  return {
    bare,
    ...(inlineCount > 0 ? { full: `CREATE TEMP TABLE ${target} (${[...fullColumns, ...checks].join(', ')})` } : { full: bare }),
    probes,
    names,
  };
}
