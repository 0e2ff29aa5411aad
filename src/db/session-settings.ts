/**
 * The session settings every connection pgreconcile opens runs under, whatever the server, the
 * database or the role set as defaults (`ALTER DATABASE … SET`, `ALTER ROLE … SET`,
 * postgresql.conf). The SQL pgreconcile generates and the catalog text it reads depend on them:
 * how a string literal is read (`standard_conforming_strings`), which function an unqualified
 * name in a default or check calls (`search_path`), how a date, an interval or a float constant
 * is read and printed, where a new table or index goes. Pinned once, right after connecting.
 */
import type { Db } from './db.js';

/**
 * The settings, in the order they are set. `search_path` is `public` alone: `pg_catalog` is
 * searched first all the same (it is not listed), so built-in functions and operators cannot be
 * shadowed by a schema the database's default search_path would put before them.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  standard_conforming_strings: 'on',
  client_encoding: 'UTF8',
  search_path: 'public',
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  TimeZone: 'UTC',
  extra_float_digits: '1',
  bytea_output: 'hex',
  transform_null_equals: 'off',
  array_nulls: 'on',
  row_security: 'off',
  default_tablespace: '',
  default_table_access_method: 'heap',
  xmloption: 'content',
};

/**
 * Settings only a superuser may change: put back to the default when the session starts with
 * another value and the role may (`session_replication_role = replica` would skip triggers and
 * foreign-key checks on the rows a restore loads); left as they are otherwise.
 */
export const SUPERUSER_SETTINGS: Readonly<Record<string, string>> = {
  session_replication_role: 'origin',
};

const NAMES = Object.keys(SESSION_SETTINGS);
const VALUES = NAMES.map((name) => SESSION_SETTINGS[name]!);

/**
 * Pins the session settings on a fresh connection: one statement, parameters only (no literal
 * whose reading depends on the settings being set). Call it before any other statement.
 *
 * @example
 * await pinSessionSettings(db);
 */
export async function pinSessionSettings(db: Pick<Db, 'query'>): Promise<void> {
  await db.query('SELECT pg_catalog.set_config(n, v, false) FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS s(n, v)', [NAMES, VALUES]);
  for (const [name, value] of Object.entries(SUPERUSER_SETTINGS)) {
    await db
      .query(
        `SELECT pg_catalog.set_config($1, $2, false) WHERE pg_catalog.current_setting($1) <> $2
            AND (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)`,
        [name, value],
      )
      .catch(() => undefined);
  }
}
