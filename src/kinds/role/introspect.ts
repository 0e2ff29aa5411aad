/**
 * Roles are not read into the live schema (see ./model.ts). For a file with `manage_roles: true`
 * the plan reads the declared roles (`readLiveRoles`) into the model it diffs: attributes from
 * pg_roles, memberships from pg_auth_members, an entry marked `absent` for each one that does not
 * exist. The roles the file names elsewhere are checked to exist (./exists.ts).
 */
import type { Db } from '../../db/db.js';
import type { KindIntrospect } from '../../introspect/model-draft.js';
import type { Role } from './model.js';

export const roleIntrospect: KindIntrospect = { queries: [], build: () => undefined };

const LIVE_ROLES_SQL = `
SELECT x.name, r.rolname IS NULL AS absent, r.rolcanlogin AS login, r.rolinherit AS inherit, r.rolcreatedb AS createdb,
       r.rolcreaterole AS createrole, r.rolconnlimit AS connection_limit,
       CASE WHEN r.rolvaliduntil IS NULL THEN NULL
            WHEN x.valid_until IS NOT NULL AND r.rolvaliduntil = x.valid_until::pg_catalog.timestamptz THEN x.valid_until
            ELSE r.rolvaliduntil::pg_catalog.text END AS valid_until,
       ARRAY(SELECT g.rolname::pg_catalog.text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
              WHERE m.member = r.oid ORDER BY g.rolname::pg_catalog.text COLLATE "C") AS member_of
  FROM pg_catalog.json_to_recordset($1::pg_catalog.json) AS x(name pg_catalog.text, valid_until pg_catalog.text)
  LEFT JOIN pg_catalog.pg_roles r ON r.rolname = x.name
 ORDER BY 1`;

interface LiveRoleRow {
  name: string;
  absent: boolean;
  login: boolean;
  inherit: boolean;
  createdb: boolean;
  createrole: boolean;
  connection_limit: number;
  valid_until: string | null;
  member_of: string[];
}

/**
 * The live side of the declared roles of a file that manages them: one `Role` each, `absent` when
 * the server lacks it. A `valid_until` the server reads as the live instant is returned as the
 * file writes it (the diff compares text).
 *
 * @example
 * await readLiveRoles(db, [{ name: 'app', managed: true, login: true }])
 * // [{ name: 'app', login: true, inherit: true, createdb: false, createrole: false, connectionLimit: -1, memberOf: [] }]
 */
export async function readLiveRoles(db: Db, declared: readonly Role[]): Promise<Role[]> {
  if (declared.length === 0) return [];
  const { rows } = await db.query<LiveRoleRow>(LIVE_ROLES_SQL, [
    JSON.stringify(declared.map((r) => ({ name: r.name, valid_until: r.validUntil ?? null }))),
  ]);
  return rows.map((r) =>
    r.absent
      ? { name: r.name, absent: true as const }
      : {
          name: r.name,
          login: r.login,
          inherit: r.inherit,
          createdb: r.createdb,
          createrole: r.createrole,
          connectionLimit: r.connection_limit,
          ...(r.valid_until !== null ? { validUntil: r.valid_until } : {}),
          memberOf: r.member_of,
        },
  );
}
