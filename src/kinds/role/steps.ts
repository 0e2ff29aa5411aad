/**
 * Steps for roles (only for a file with `manage_roles: true`): CREATE ROLE with the file's
 * attributes and memberships, the password of a created role from its environment variable, ALTER
 * ROLE for attributes that differ, GRANT / REVOKE of memberships. Each creates the role's key,
 * which owners, grants, policies and memberships that name the role require.
 *
 * The password step's SQL is a placeholder (`ALTER ROLE "app" PASSWORD <from $APP_PASSWORD>`):
 * the plan, its file, its output and the ledger hold only that; apply builds the statement from
 * the step's `effect` (src/apply/role-password.ts), with a SCRAM verifier computed client-side,
 * so the password never reaches any statement text either.
 */
import type { ChangeOf } from '../../diff/changes.js';
import { displayIdent, quoteIdent, quoteLiteral } from '../../model/ident.js';
import { key } from '../../plan/references.js';
import { draft, type StepDraft } from '../../plan/step-draft.js';
import type { RoleAttributes } from './model.js';

/** The role options of CREATE ROLE / ALTER ROLE for the given attributes, in a fixed order. */
export function roleOptions(a: Omit<RoleAttributes, 'memberOf'>): string[] {
  const out: string[] = [];
  const flag = (value: boolean | undefined, word: string): void => {
    if (value !== undefined) out.push(value ? word : `NO${word}`);
  };
  flag(a.login, 'LOGIN');
  flag(a.inherit, 'INHERIT');
  flag(a.createdb, 'CREATEDB');
  flag(a.createrole, 'CREATEROLE');
  if (a.connectionLimit !== undefined) {
    if (!Number.isInteger(a.connectionLimit)) throw new Error(`connection limit ${a.connectionLimit} is not a whole number`);
    out.push(`CONNECTION LIMIT ${a.connectionLimit}`);
  }
  if (a.validUntil !== undefined) out.push(`VALID UNTIL ${quoteLiteral(a.validUntil)}`);
  return out;
}

/** The placeholder a password step's SQL holds in place of the password. */
export function passwordPlaceholder(env: string): string {
  return `<from $${env}>`;
}

/** The step that sets a role's password from an environment variable at apply time. */
function passwordStep(role: string, env: string): StepDraft {
  return draft({
    sql: `ALTER ROLE ${quoteIdent(role)} PASSWORD ${passwordPlaceholder(env)}`,
    action: 'alter',
    objectKind: 'role',
    object: displayIdent(role),
    detail: `password from $${env}`,
    change: 'create_role',
    effect: { kind: 'role_password', role, env },
    requires: [key.role(role)],
  });
}

export function createRoleSteps(change: ChangeOf<'create_role'>): StepDraft[] {
  const r = change.role;
  const options = roleOptions(r);
  const parents = r.memberOf ?? [];
  if (parents.length > 0) options.push(`IN ROLE ${parents.map(quoteIdent).join(', ')}`);
  const steps = [
    draft({
      sql: `CREATE ROLE ${quoteIdent(r.name)}${options.length > 0 ? ` WITH ${options.join(' ')}` : ''}`,
      action: 'create',
      objectKind: 'role',
      object: displayIdent(r.name),
      change: change.kind,
      creates: [key.role(r.name)],
      requires: parents.map((p) => key.role(p)),
    }),
  ];
  if (r.passwordEnv !== undefined) steps.push(passwordStep(r.name, r.passwordEnv));
  return steps;
}

export function alterRoleSteps(change: ChangeOf<'alter_role'>): StepDraft[] {
  const name = quoteIdent(change.name);
  const object = displayIdent(change.name);
  const steps: StepDraft[] = [];
  const options = roleOptions(change.set);
  if (options.length > 0) {
    const lost =
      change.set.login === false ? [{ kind: 'revokes_privileges' as const, message: `role ${object} can no longer log in` }] : [];
    steps.push(
      draft({
        sql: `ALTER ROLE ${name} WITH ${options.join(' ')}`,
        action: 'alter',
        objectKind: 'role',
        object,
        detail: options.join(' '),
        change: change.kind,
        hazards: lost,
        creates: [key.role(change.name)],
      }),
    );
  }
  // A membership granted (after the parent role, which the plan may create) or revoked (a hazard).
  const membership = (parent: string, joins: boolean): StepDraft =>
    draft({
      sql: joins ? `GRANT ${quoteIdent(parent)} TO ${name}` : `REVOKE ${quoteIdent(parent)} FROM ${name}`,
      action: 'alter',
      objectKind: 'role',
      object,
      detail: `${joins ? '' : 'no longer '}member of ${displayIdent(parent)}`,
      change: change.kind,
      creates: [key.role(change.name)],
      ...(joins
        ? { requires: [key.role(parent)] }
        : {
            hazards: [
              {
                kind: 'revokes_privileges',
                message: `role ${object} loses its membership of ${displayIdent(parent)} and the rights it held through it`,
              },
            ],
          }),
    });
  steps.push(...change.grant.map((parent) => membership(parent, true)), ...change.revoke.map((parent) => membership(parent, false)));
  return steps;
}
