/**
 * The roles the file's policies name must exist: roles are cluster objects the file does not
 * create, and CREATE POLICY … TO a missing role fails only at apply. One catalog query, only
 * when a policy names a role other than PUBLIC (and other than a declared role of a file with
 * `manage_roles: true`, which the plan creates).
 */
import type { Db } from '../../db/db.js';
import type { SchemaModel } from '../../model/types.js';
import { PUBLIC_ROLE } from './model.js';

/** A policy's role that the database lacks, with where the file names it. */
export interface MissingRole {
  readonly role: string;
  readonly schema: string;
  readonly table: string;
  readonly policy: string;
}

/**
 * @example
 * await missingPolicyRoles(db, model)
 * // [{ role: 'app_reader', schema: 'public', table: 'notes', policy: 'notes_read' }]
 */
export async function missingPolicyRoles(db: Db, model: SchemaModel): Promise<MissingRole[]> {
  const uses: MissingRole[] = [];
  const created = new Set(model.roles.filter((r) => r.managed === true).map((r) => r.name));
  for (const table of model.tables)
    for (const policy of table.policies ?? [])
      for (const role of policy.roles)
        if (role !== PUBLIC_ROLE && !created.has(role)) uses.push({ role, schema: table.schema, table: table.name, policy: policy.name });
  if (uses.length === 0) return [];
  const names = [...new Set(uses.map((u) => u.role))];
  const { rows } = await db.query<{ name: string }>(
    `SELECT r.name FROM pg_catalog.unnest($1::pg_catalog.text[]) AS r(name)
      WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles a WHERE a.rolname = r.name)`,
    [names],
  );
  const missing = new Set(rows.map((r) => r.name));
  return uses.filter((u) => missing.has(u.role));
}
