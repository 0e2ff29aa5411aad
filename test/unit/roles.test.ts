/** Roles a file manages: the diff, the steps' SQL, the password placeholder and what apply checks first. */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPasswordEnvironment, MissingPasswordError, scramVerifier, statementOf } from '../../src/apply/role-password.js';
import '../../src/kinds/registry.js';
import { diffRoles } from '../../src/kinds/role/diff.js';
import { alterRoleSteps, createRoleSteps } from '../../src/kinds/role/steps.js';
import type { PlanStep } from '../../src/plan/build-plan.js';
import { initParser } from '../../src/sql/parser.js';

beforeAll(async () => {
  await initParser();
});

describe('roles', () => {
  it('creates a missing role, alters only the attributes given, and makes member_of exact', () => {
    const changes = diffRoles(
      [
        { name: 'new', managed: true, login: true, passwordEnv: 'NEW_PW' },
        { name: 'old', managed: true, login: false, connectionLimit: 5, memberOf: ['b'] },
        { name: 'unread', managed: true, login: true },
        { name: 'declared', login: true },
      ],
      [
        { name: 'new', absent: true },
        { name: 'old', login: true, inherit: true, createdb: true, connectionLimit: 5, memberOf: ['a'] },
        { name: 'declared', absent: true },
      ],
    );
    expect(changes).toEqual([
      { kind: 'create_role', role: { name: 'new', managed: true, login: true, passwordEnv: 'NEW_PW' } },
      { kind: 'alter_role', name: 'old', set: { login: false }, from: { login: true }, grant: ['b'], revoke: ['a'] },
    ]);
    const create = createRoleSteps({ kind: 'create_role', role: { name: 'Ne"w', login: true, memberOf: ['g'], passwordEnv: 'NEW_PW' } });
    expect(create.map((s) => s.sql)).toEqual(['CREATE ROLE "Ne""w" WITH LOGIN IN ROLE "g"', 'ALTER ROLE "Ne""w" PASSWORD <from $NEW_PW>']);
    expect(create[1]!.effect).toEqual({ kind: 'role_password', role: 'Ne"w', env: 'NEW_PW' });
    const alter = alterRoleSteps(changes[1] as Parameters<typeof alterRoleSteps>[0]);
    expect(alter.map((s) => s.sql)).toEqual(['ALTER ROLE "old" WITH NOLOGIN', 'GRANT "b" TO "old"', 'REVOKE "a" FROM "old"']);
    expect(alter.map((s) => s.hazards.map((h) => h.kind))).toEqual([['revokes_privileges'], [], ['revokes_privileges']]);
  });

  it('builds the password statement at apply with a SCRAM verifier, and refuses a missing variable naming it', () => {
    const step = {
      sql: 'ALTER ROLE "app" PASSWORD <from $APP_PW>',
      effect: { kind: 'role_password', role: 'app', env: 'APP_PW' },
    } as PlanStep;
    expect(() => checkPasswordEnvironment([step], {})).toThrow(MissingPasswordError);
    expect(() => checkPasswordEnvironment([step], {})).toThrow(/\$APP_PW/);
    const sql = statementOf(step, { APP_PW: 'pa55-word' });
    expect(sql).toMatch(/^ALTER ROLE "app" PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'$/);
    expect(sql).not.toContain('pa55-word');
    // RFC 7677's construction, recomputed.
    const salt = Buffer.from('0123456789abcdef');
    const salted = pbkdf2Sync('pa55-word', salt, 4096, 32, 'sha256');
    const stored = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
    const server = createHmac('sha256', salted).update('Server Key').digest('base64');
    expect(scramVerifier('pa55-word', salt)).toBe(`SCRAM-SHA-256$4096:${salt.toString('base64')}$${stored}:${server}`);
  });
});
