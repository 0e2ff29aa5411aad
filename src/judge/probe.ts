/**
 * The judge's engine: temporary tables shaped like the tables of a model, the expressions
 * created on them, and the server's normal form of each read back, all in one transaction that
 * is rolled back. Nothing the plan manages is
 * touched: the tables live in the session's own temporary schema and vanish with the rollback.
 *
 * Round trips for a whole schema: BEGIN (1), the pinned settings (1), the work function (1), its
 * call (1), the read-back (1), the rollback (1). The work function runs each table in a subtransaction: first every
 * expression at once; when that fails, the table bare and each expression in its own
 * subtransaction, so one bad expression spoils only itself.
 */
import type { Db } from '../db/db.js';
import { isDbError } from '../db/errors.js';
import { SESSION_SETTINGS } from '../db/session-settings.js';
import { triggerWhen } from '../kinds/trigger/introspect.js';
import { scanSql, SqlSyntaxError } from '../sql/parser.js';
import { slotKey, type SlotForm, type SlotKind, type TableForms } from './slots.js';

/** The prefix of every temporary table the judge creates (a reserved name). */
export const TEMP_PREFIX = 'pgreconcile_judge_';

/** One statement run on a temporary table, and the slots it yields. */
export interface Probe {
  readonly sql: string;
  /** Part of `TableShape.full` (skipped on the fast path, run on the slow one). */
  readonly inline: boolean;
  readonly slots: readonly string[];
}

/** A temporary table and the expressions to create on it. */
export interface TableShape {
  /** `CREATE TEMP TABLE` with the columns and their types only. */
  readonly bare: string;
  /** `CREATE TEMP TABLE` with the inline expressions too (defaults, generated, checks), if any. */
  readonly full?: string;
  readonly probes: readonly Probe[];
  /** Read-back object name (temporary constraint, index, trigger name) → the model's name. */
  readonly names: ReadonlyMap<string, string>;
}

/** The temporary table name of shape `id` (1-based). */
export function tempName(id: number): string {
  return `${TEMP_PREFIX}${id}`;
}

const WORK_FUNCTION = `
CREATE FUNCTION pg_temp.pgreconcile_judge(t_bare text[], t_full text[], t_first int[], t_last int[], p_sql text[], p_inline bool[])
RETURNS TABLE(tbl int, probe int, err text, state text)
LANGUAGE plpgsql AS $judge$
DECLARE
  i int;
  j int;
  done bool;
BEGIN
  FOR i IN 1 .. coalesce(pg_catalog.array_length(t_bare, 1), 0) LOOP
    done := false;
    IF t_full[i] IS NOT NULL THEN
      BEGIN
        EXECUTE t_full[i];
        FOR j IN t_first[i] .. t_last[i] LOOP
          IF NOT p_inline[j] THEN EXECUTE p_sql[j]; END IF;
        END LOOP;
        done := true;
      EXCEPTION WHEN OTHERS THEN
        done := false;
      END;
    END IF;
    IF NOT done THEN
      BEGIN
        EXECUTE t_bare[i];
      EXCEPTION WHEN OTHERS THEN
        tbl := i; probe := 0; err := SQLERRM; state := SQLSTATE;
        RETURN NEXT;
        CONTINUE;
      END;
      FOR j IN t_first[i] .. t_last[i] LOOP
        BEGIN
          EXECUTE p_sql[j];
        EXCEPTION WHEN OTHERS THEN
          tbl := i; probe := j; err := SQLERRM; state := SQLSTATE;
          RETURN NEXT;
        END;
      END LOOP;
    END IF;
  END LOOP;
END
$judge$`;

/**
 * Every normal form of the judge's temporary tables, read the way introspection reads the live
 * ones (the kinds' .sql files in src/kinds/): the same functions, the same arguments.
 */
const READ_BACK = `
WITH t AS (
  SELECT c.oid, pg_catalog.substr(c.relname::text, ${TEMP_PREFIX.length + 1})::int AS tbl
    FROM pg_catalog.pg_class c
   WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relkind = 'r'
     AND c.relname::text ~ '^${TEMP_PREFIX}[0-9]+$'
)
SELECT t.tbl, 'type' AS kind, a.attname::text AS name, 0 AS key, pg_catalog.format_type(a.atttypid, a.atttypmod) AS form
  FROM t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT t.tbl, CASE WHEN a.attgenerated <> '' THEN 'generated' ELSE 'default' END, a.attname::text, 0,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
  FROM t JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = t.oid
  JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum AND NOT a.attisdropped
UNION ALL
SELECT t.tbl, 'check', con.conname::text, 0, pg_catalog.pg_get_expr(con.conbin, con.conrelid)
  FROM t JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid AND con.contype = 'c'
UNION ALL
SELECT t.tbl, 'key', ic.relname::text, k.n, pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true)
  FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  CROSS JOIN LATERAL pg_catalog.generate_series(1, i.indnkeyatts::int) AS k(n)
 WHERE i.indkey[k.n - 1] = 0
UNION ALL
SELECT t.tbl, 'where', ic.relname::text, 0, pg_catalog.pg_get_expr(i.indpred, i.indrelid)
  FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid AND i.indpred IS NOT NULL
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
UNION ALL
SELECT t.tbl, 'when', tg.tgname::text, 0, pg_catalog.pg_get_triggerdef(tg.oid, true)
  FROM t JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = t.oid AND tg.tgqual IS NOT NULL
UNION ALL
SELECT t.tbl, 'exclude', con.conname::text, 0, pg_catalog.pg_get_constraintdef(con.oid, true)
  FROM t JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid AND con.contype = 'x'`;

interface ErrorRow {
  readonly tbl: number;
  readonly probe: number;
  readonly err: string;
  readonly state: string;
}

interface FormRow {
  readonly tbl: number;
  readonly kind: SlotKind;
  readonly name: string;
  readonly key: number;
  readonly form: string | null;
}

/** The judge could not run at all: why, for the warning. */
export class JudgeUnavailable extends Error {
  override readonly name = 'JudgeUnavailable';
}

/**
 * Replaces the temporary table's name where the server printed it as an identifier (a
 * whole-row reference, a trigger's ON clause) with `\u0000`, token by token: a string constant
 * that happens to hold the name is left alone.
 */
export function withoutTempName(text: string, id: number): string {
  const name = tempName(id);
  if (!text.includes(name)) return text;
  let tokens;
  try {
    tokens = scanSql(text);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return text;
    throw error;
  }
  let out = '';
  let at = 0;
  for (const token of tokens) {
    if (token.tokenName !== 'IDENT') continue;
    const ident = token.text.startsWith('"') ? token.text.slice(1, -1).replaceAll('""', '"') : token.text;
    if (ident !== name) continue;
    out += text.slice(at, token.start) + '\u0000';
    at = token.end;
  }
  return out + text.slice(at);
}

/**
 * Opens the judge's transaction, the pinned settings set again locally. The caller holds no
 * transaction open (planning never does).
 */
export async function open(db: Db): Promise<void> {
  await db.exec('BEGIN');
  try {
    const names = Object.keys(SESSION_SETTINGS);
    await db.query(
      `SELECT pg_catalog.set_config(n, v, true)
         FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS s(n, v)
       UNION ALL SELECT pg_catalog.set_config('lock_timeout', '5s', true)`,
      [names, names.map((n) => SESSION_SETTINGS[n]!)],
    );
  } catch (error) {
    await close(db);
    throw error;
  }
}

export async function close(db: Db): Promise<void> {
  await db.exec('ROLLBACK');
}

/**
 * Creates the shapes (shape i as `pgreconcile_judge_<i+1>`, which the shapes' SQL must name)
 * and reads every normal form back: one `TableForms` per shape. Throws `JudgeUnavailable`
 * when the server refuses the work itself (no TEMP privilege, a read-only server).
 */
export async function runShapes(db: Db, shapes: readonly TableShape[]): Promise<TableForms[]> {
  if (shapes.length === 0) return [];
  const bare: string[] = [];
  const full: (string | null)[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const sql: string[] = [];
  const inline: boolean[] = [];
  for (const shape of shapes) {
    bare.push(shape.bare);
    full.push(shape.full ?? null);
    first.push(sql.length + 1);
    for (const probe of shape.probes) {
      sql.push(probe.sql);
      inline.push(probe.inline);
    }
    last.push(sql.length);
  }
  try {
    await open(db);
  } catch (error) {
    if (isDbError(error)) throw new JudgeUnavailable(error.message);
    throw error;
  }
  let errors: ErrorRow[];
  let rows: FormRow[];
  try {
    await db.exec(WORK_FUNCTION);
    errors = (
      await db.query<ErrorRow>('SELECT * FROM pg_temp.pgreconcile_judge($1, $2, $3, $4, $5, $6)', [bare, full, first, last, sql, inline])
    ).rows;
    rows = (await db.query<FormRow>(READ_BACK)).rows;
  } catch (error) {
    await close(db).catch(() => undefined);
    if (isDbError(error)) throw new JudgeUnavailable(error.message);
    throw error;
  }
  await close(db);

  const forms: Record<string, SlotForm>[] = shapes.map(() => ({}));
  for (const row of rows) {
    const shape = shapes[row.tbl - 1];
    const target = forms[row.tbl - 1];
    if (shape === undefined || target === undefined || row.form === null) continue;
    let form = withoutTempName(row.form, row.tbl);
    let name = row.name;
    if (row.kind === 'check' || row.kind === 'key' || row.kind === 'where' || row.kind === 'when' || row.kind === 'exclude') {
      const mapped = shape.names.get(row.name);
      if (mapped === undefined) continue;
      name = mapped;
    }
    if (row.kind === 'when') {
      try {
        form = triggerWhen(form, () => `trigger ${name}`);
      } catch {
        continue;
      }
    }
    target[slotKey(row.kind, name, row.key)] = form;
  }
  for (const error of errors) {
    const shape = shapes[error.tbl - 1];
    const target = forms[error.tbl - 1];
    if (shape === undefined || target === undefined || error.probe === 0) continue;
    const probe = shape.probes[error.probe - first[error.tbl - 1]!];
    for (const slot of probe?.slots ?? []) target[slot] = { error: error.err, state: error.state };
  }
  return forms;
}
