/** Roles as written (`roles:` and `manage_roles` of the document) → the model's roles. */
import { compareText } from '../../model/canonical.js';
import type { KindRaw, RawDocument, ToModelContext } from '../raw.js';
import { entries } from '../raw.js';
import type { Role } from './model.js';

/** A role's attributes as written; null: only declared. */
export interface RawRole {
  readonly login?: boolean;
  readonly inherit?: boolean;
  readonly createdb?: boolean;
  readonly createrole?: boolean;
  readonly connection_limit?: number;
  readonly valid_until?: string;
  readonly member_of?: readonly string[];
  readonly password_env?: string;
}

declare module '../raw.js' {
  interface RawDocument {
    readonly roles?: Readonly<Record<string, RawRole | null>>;
    readonly manage_roles?: boolean;
  }
}

/** The model's role for one entry of `roles:`. */
export function roleOf(name: string, raw: RawRole | null | undefined, managed: boolean): Role {
  const r = raw ?? {};
  return {
    name,
    ...(managed ? { managed: true as const } : {}),
    ...(r.login !== undefined ? { login: r.login } : {}),
    ...(r.inherit !== undefined ? { inherit: r.inherit } : {}),
    ...(r.createdb !== undefined ? { createdb: r.createdb } : {}),
    ...(r.createrole !== undefined ? { createrole: r.createrole } : {}),
    ...(r.connection_limit !== undefined ? { connectionLimit: r.connection_limit } : {}),
    ...(r.valid_until !== undefined ? { validUntil: r.valid_until } : {}),
    ...(r.member_of !== undefined ? { memberOf: [...new Set(r.member_of)].sort(compareText) } : {}),
    ...(r.password_env !== undefined ? { passwordEnv: r.password_env } : {}),
  };
}

function readRoles(doc: RawDocument, ctx: ToModelContext): void {
  const managed = doc.manage_roles === true;
  for (const [name, raw] of entries(doc.roles)) ctx.model.roles.push(roleOf(name, raw, managed));
}

export const roleRaw = { in: 'document', read: readRoles } as const satisfies KindRaw;
