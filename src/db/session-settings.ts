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

const NAMES = [...Object.keys(SESSION_SETTINGS), ...Object.keys(SUPERUSER_SETTINGS)];
const VALUES = NAMES.map((name) => SESSION_SETTINGS[name] ?? SUPERUSER_SETTINGS[name]!);
const SUPERUSER_ONLY = NAMES.map((name) => name in SUPERUSER_SETTINGS);

/**
 * One statement, parameters only, every name qualified (it is parsed under the defaults it
 * replaces, a hostile search_path included): the settings, and the superuser ones where they
 * differ and the role may set them.
 */
const PIN_SQL = `
SELECT pg_catalog.set_config(n, v, false)
  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.bool[])) AS s(n, v, su)
 WHERE NOT su
    OR (pg_catalog.current_setting(n) OPERATOR(pg_catalog.<>) v
        AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) current_user))`;

/**
 * Pins the session settings on a fresh connection, in one round trip. Call it before any other
 * statement.
 *
 * @example
 * await pinSessionSettings(db);
 */
export async function pinSessionSettings(db: Pick<Db, 'query'>): Promise<void> {
  await db.query(PIN_SQL, [NAMES, VALUES, SUPERUSER_ONLY]);
}
