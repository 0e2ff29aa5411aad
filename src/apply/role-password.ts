/**
 * The password steps of a plan that creates roles (`password_env`, src/kinds/role/steps.ts): the
 * step's SQL is a placeholder; here the statement is built from the step's effect, with the
 * password read from its environment variable and turned into a SCRAM-SHA-256 verifier on this
 * side, so that the password itself is in no statement the server receives (nor its logs,
 * pg_stat_activity or pg_stat_statements), and in no error: a failure is reported with the
 * step's placeholder SQL. Nothing here writes the password or the verifier anywhere.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { DbError } from '../db/errors.js';
import { quoteIdent, quoteLiteral } from '../model/ident.js';
import type { PlanStep } from '../plan/build-plan.js';

/** A password step whose environment variable is not set (or empty). */
export class MissingPasswordError extends Error {
  override readonly name = 'MissingPasswordError';
  constructor(readonly variables: readonly { readonly env: string; readonly role: string }[]) {
    super(
      `the plan sets the password of ${variables.map((v) => `role ${quoteIdent(v.role)} from $${v.env}`).join(', ')}, ` +
        `but ${variables.length === 1 ? 'that environment variable is' : 'those environment variables are'} not set: set ${variables.length === 1 ? 'it' : 'them'} and apply again (nothing was run)`,
    );
  }
}

/**
 * Fails, naming every variable (never a value), when a password step of the plan has no password
 * in the environment. Called before anything runs.
 */
export function checkPasswordEnvironment(steps: readonly PlanStep[], env: NodeJS.ProcessEnv = process.env): void {
  const missing: { env: string; role: string }[] = [];
  for (const s of steps) {
    if (s.effect.kind !== 'role_password') continue;
    const value = env[s.effect.env];
    if (value === undefined || value === '') missing.push({ env: s.effect.env, role: s.effect.role });
  }
  if (missing.length > 0) throw new MissingPasswordError(missing);
}

/**
 * A SCRAM-SHA-256 verifier in PostgreSQL's stored form (`SCRAM-SHA-256$4096:salt$StoredKey:ServerKey`,
 * RFC 5802/7677), which `ALTER ROLE … PASSWORD` stores as it is. The password is normalised with
 * NFKC (the core of SASLprep, which the server applies; for ASCII passwords both are the identity).
 *
 * @example scramVerifier('s3cret').startsWith('SCRAM-SHA-256$4096:')  // true
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const normalized = /^[\x20-\x7e]*$/.test(password) ? password : password.normalize('NFKC');
  const salted = pbkdf2Sync(Buffer.from(normalized, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The statement a step runs: its SQL, or for a password step the ALTER ROLE with the verifier. */
export function statementOf(step: PlanStep, env: NodeJS.ProcessEnv = process.env): string {
  if (step.effect.kind !== 'role_password') return step.sql;
  const password = env[step.effect.env];
  if (password === undefined || password === '') throw new MissingPasswordError([{ env: step.effect.env, role: step.effect.role }]);
  return `ALTER ROLE ${quoteIdent(step.effect.role)} PASSWORD ${quoteLiteral(scramVerifier(password))}`;
}

/**
 * An error of a password step with nothing of the statement the server received: a `DbError`
 * keeps its SQLSTATE and the server's message but carries the step's placeholder SQL.
 */
export function withoutSecret(step: PlanStep, error: unknown): unknown {
  if (step.effect.kind !== 'role_password') return error;
  if (error instanceof DbError) {
    const { message, phase, code, detail, hint, target } = error;
    return new DbError(message, {
      phase,
      target,
      sql: step.sql,
      ...(code !== undefined ? { code } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(hint !== undefined ? { hint } : {}),
    });
  }
  return error instanceof MissingPasswordError ? error : new Error(`setting the password of role ${quoteIdent(step.effect.role)} failed`);
}
