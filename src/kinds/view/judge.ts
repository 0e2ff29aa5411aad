/**
 * PostgreSQL as the judge of view queries (docs/architecture.md rule 1): each declared view
 * whose live counterpart exists is created as a temporary view on the target server, inside one
 * transaction that is rolled back, and read back with pg_get_viewdef as introspection reads the
 * live one (./views.sql), with its output columns and their types (what CREATE OR REPLACE VIEW
 * may keep). One round trip for all views: a work function runs each in a subtransaction, so a
 * query the server rejects (it names a table the plan has yet to create) spoils only itself.
 */
import type { Db } from '../../db/db.js';
import { isDbError } from '../../db/errors.js';
import { SESSION_SETTINGS } from '../../db/session-settings.js';
import { nameKey } from '../../model/object-ref.js';
import type { SchemaModel } from '../../model/types.js';
import { viewQueryProblem } from './query.js';

/** The server's reading of one declared query: its normal form and columns, or its error. */
export type ViewForm =
  | { readonly query: string; readonly columns: readonly { readonly name: string; readonly type: string }[] }
  | { readonly error: string; readonly state: string };

const WORK = `
CREATE FUNCTION pg_temp.pgreconcile_judge_views(q text[])
RETURNS TABLE(i int, def text, cols json, err text, state text)
LANGUAGE plpgsql AS $judge$
DECLARE
  k int;
  v oid;
BEGIN
  FOR k IN 1 .. coalesce(pg_catalog.array_length(q, 1), 0) LOOP
    BEGIN
      EXECUTE 'CREATE TEMP VIEW pgreconcile_judge_view_' || k || ' AS ' || q[k];
      v := pg_catalog.to_regclass('pg_temp.pgreconcile_judge_view_' || k);
      i := k;
      def := pg_catalog.pg_get_viewdef(v, true);
      cols := (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                 FROM pg_catalog.pg_attribute a WHERE a.attrelid = v AND a.attnum > 0 AND NOT a.attisdropped);
      err := NULL;
      state := NULL;
      RETURN NEXT;
    EXCEPTION WHEN OTHERS THEN
      i := k; def := NULL; cols := NULL; err := SQLERRM; state := SQLSTATE;
      RETURN NEXT;
    END;
  END LOOP;
END
$judge$`;

/**
 * The forms of the declared views that have a live view of the same name (or of their
 * `renamed_from`), keyed `nameKey(schema, name)` of the desired view. Empty when there are none
 * or the server cannot judge (no TEMP privilege, a read-only server): the diff compares texts then.
 */
export async function judgeViews(db: Db, desired: SchemaModel, live: SchemaModel): Promise<Map<string, ViewForm>> {
  const forms = new Map<string, ViewForm>();
  const liveKeys = new Set(live.views.map((v) => nameKey(v.schema, v.name)));
  const picked = desired.views.filter(
    (v) =>
      viewQueryProblem(v.query) === undefined &&
      (liveKeys.has(nameKey(v.schema, v.name)) || (v.renamedFrom !== undefined && liveKeys.has(nameKey(v.schema, v.renamedFrom)))),
  );
  if (picked.length === 0) return forms;
  const queries = picked.map((v) => v.query.trim().replace(/;\s*$/, ''));
  try {
    await db.exec('BEGIN');
  } catch (error) {
    if (isDbError(error)) return forms;
    throw error;
  }
  try {
    const names = Object.keys(SESSION_SETTINGS);
    await db.query(
      `SELECT pg_catalog.set_config(n, v, true)
         FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS s(n, v)
       UNION ALL SELECT pg_catalog.set_config('lock_timeout', '5s', true)`,
      [names, names.map((n) => SESSION_SETTINGS[n]!)],
    );
    await db.exec(WORK);
    const { rows } = await db.query<{
      i: number;
      def: string | null;
      cols: { name: string; type: string }[] | null;
      err: string | null;
      state: string | null;
    }>('SELECT * FROM pg_temp.pgreconcile_judge_views($1)', [queries]);
    for (const row of rows) {
      const view = picked[row.i - 1];
      if (view === undefined) continue;
      const key = nameKey(view.schema, view.name);
      if (row.def !== null) forms.set(key, { query: row.def, columns: row.cols ?? [] });
      else forms.set(key, { error: row.err ?? '', state: row.state ?? '' });
    }
  } catch (error) {
    if (!isDbError(error)) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  await db.exec('ROLLBACK').catch(() => undefined);
  return forms;
}
