/**
 * The judge for `pull`: a readable spelling of a catalog expression (casts and parentheses the
 * server added taken out, `IN (…)` for `= ANY (ARRAY[…])`) is written only when the server,
 * creating it on a temporary table shaped like the live table, reads it back to exactly the
 * catalog's text. Otherwise pull writes the catalog's text: a pulled file means what the
 * database holds, by construction.
 */
import type { Db } from '../db/db.js';
import { qualify, quoteIdent } from '../model/ident.js';
import { expressionSql } from '../model/sql-names.js';
import type { Table } from '../model/types.js';
import { createIndexSql, createTriggerSql, typeSql } from '../plan/sql-text.js';
import { runShapes, tempName, type Probe, type TableShape } from './probe.js';
import { slotKey, type SlotKind } from './slots.js';

/** One expression pull would write in a readable spelling. */
export interface ReadableCandidate {
  /** The live table the expression belongs to. */
  readonly table: Table;
  readonly kind: Exclude<SlotKind, 'type'>;
  /** Column (default, generated), check, index (key, where) or trigger (when) name. */
  readonly name: string;
  /** The key's position (1-based) for `key`; 0 otherwise. */
  readonly key: number;
  /** The catalog's text. */
  readonly catalog: string;
  /** The readable spelling to check. */
  readonly readable: string;
}

function printedIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function candidateProbe(candidate: ReadableCandidate, id: number, n: number, names: Map<string, string>): Probe | undefined {
  const table = candidate.table;
  const temp = { schema: 'pg_temp', name: tempName(id) };
  const target = qualify(temp);
  const label = `candidate_${n}`;
  const text = expressionSql(candidate.readable);
  switch (candidate.kind) {
    case 'default':
      return {
        sql: `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(candidate.name)} SET DEFAULT (${text})`,
        inline: false,
        slots: [slotKey('default', candidate.name)],
      };
    case 'generated': {
      const column = table.columns.find((c) => c.name === candidate.name);
      if (column === undefined) return undefined;
      const collation = column.collation !== undefined ? ` COLLATE ${quoteIdent(column.collation)}` : '';
      return {
        sql: `ALTER TABLE ${target} DROP COLUMN ${quoteIdent(column.name)}, ADD COLUMN ${quoteIdent(column.name)} ${typeSql(column.type)}${collation} GENERATED ALWAYS AS (${text}) STORED`,
        inline: false,
        slots: [slotKey('generated', candidate.name)],
      };
    }
    case 'check': {
      const constraint = `pgreconcile_c${n}`;
      names.set(constraint, label);
      return {
        sql: `ALTER TABLE ${target} ADD CONSTRAINT ${quoteIdent(constraint)} CHECK (${text})`,
        inline: false,
        slots: [slotKey('check', label)],
      };
    }
    case 'key':
    case 'where': {
      const index = table.indexes.find((i) => i.name === candidate.name);
      if (index === undefined) return undefined;
      const indexName = `${tempName(id)}_i${n}`;
      names.set(indexName, label);
      const { tablespace: _tablespace, ...plain } = index;
      const probeIndex =
        candidate.kind === 'key'
          ? {
              ...plain,
              unique: false,
              include: [],
              where: undefined,
              keys: [{ ...index.keys[candidate.key - 1]!, column: undefined, expression: candidate.readable }],
            }
          : { ...plain, unique: false, where: candidate.readable };
      const { where, ...rest } = probeIndex;
      const sql = createIndexSql(temp, where === undefined ? rest : { ...rest, where }, indexName, false);
      return { sql, inline: false, slots: [candidate.kind === 'key' ? slotKey('key', label, 1) : slotKey('where', label)] };
    }
    case 'when': {
      const trigger = table.triggers.find((t) => t.name === candidate.name);
      if (trigger === undefined) return undefined;
      const triggerName = `pgreconcile_t${n}`;
      names.set(triggerName, label);
      return {
        sql: createTriggerSql(temp, { ...trigger, name: triggerName, when: candidate.readable }, false),
        inline: false,
        slots: [slotKey('when', label)],
      };
    }
    case 'exclude':
      // pull writes an exclusion constraint's parts as the catalog prints them: no candidate.
      return undefined;
  }
}

/**
 * The candidates the server reads back to exactly their catalog text; undefined when the
 * server could not judge at all (no TEMP privilege, a read-only server): then none is accepted.
 *
 * @example
 * const accepted = await judgeReadable(db, candidates);
 * accepted?.has(candidates[0])  // true when `engine_type IN ('a', 'b')` reads back as the catalog's text
 */
export async function judgeReadable(db: Db, candidates: readonly ReadableCandidate[]): Promise<Set<ReadableCandidate> | undefined> {
  const byTable = new Map<Table, ReadableCandidate[]>();
  for (const candidate of candidates) {
    const list = byTable.get(candidate.table) ?? [];
    list.push(candidate);
    byTable.set(candidate.table, list);
  }
  const shapes: TableShape[] = [];
  const slotsOf: { candidate: ReadableCandidate; slot: string; shape: number }[] = [];
  let id = 0;
  for (const [table, list] of byTable) {
    id += 1;
    const names = new Map<string, string>();
    const probes: Probe[] = [];
    list.forEach((candidate, k) => {
      const probe = candidateProbe(candidate, id, k + 1, names);
      if (probe === undefined) return;
      probes.push(probe);
      slotsOf.push({ candidate, slot: probe.slots[0]!, shape: id - 1 });
    });
    const columns = table.columns.map(
      (c) => `${quoteIdent(c.name)} ${typeSql(c.type)}${c.collation !== undefined ? ` COLLATE ${quoteIdent(c.collation)}` : ''}`,
    );
    shapes.push({ bare: `CREATE TEMP TABLE ${qualify({ schema: 'pg_temp', name: tempName(id) })} (${columns.join(', ')})`, probes, names });
  }
  let forms;
  try {
    forms = await runShapes(db, shapes);
  } catch (error) {
    if (error instanceof Error && error.name === 'JudgeUnavailable') return undefined;
    throw error;
  }
  const accepted = new Set<ReadableCandidate>();
  for (const { candidate, slot, shape } of slotsOf) {
    const form = forms[shape]?.[slot];
    if (typeof form !== 'string') continue;
    const text = form.includes('\u0000') ? form.replaceAll('\u0000', printedIdent(candidate.table.name)) : form;
    if (text === candidate.catalog) accepted.add(candidate);
  }
  return accepted;
}
