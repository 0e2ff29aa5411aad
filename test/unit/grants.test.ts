/** The grant kind: what its diff compares (only what the file says), and the SQL of its steps. */
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../src/diff/index.js';
import type { ChangeOf } from '../../src/diff/changes.js';
import type { ObjectAcl } from '../../src/kinds/grant/model.js';
import { setGrantsSteps, setOwnerSteps } from '../../src/kinds/grant/steps.js';
import { col, desired, fn, model, ofKind, table } from './diff-helpers.js';

const t = table('t', [col('id'), col('note', 'text')]);
const sel = (grantee: string, grantable = false) => ({ grantee, privilege: 'select', grantable });
const tableAcl = (extra: Partial<ObjectAcl>): ObjectAcl => ({ on: 'table', schema: 'public', name: 't', ...extra });

describe('grants and owners in the diff', () => {
  it('leaves an object alone when the file says no owner or grants', () => {
    const live = model({ tables: [t], acls: [tableAcl({ owner: 'o', grants: [sel('r')] })] });
    expect(diffSchemas(desired(model({ tables: [t] })), live)).toEqual([]);
  });

  it('makes the declared grants exact: grants, revokes, the grant option given and taken; the owner not compared', () => {
    const want = model({ tables: [t], acls: [tableAcl({ grants: [sel('a', true), sel('b'), sel('o')] })] });
    const live = model({ tables: [t], acls: [tableAcl({ owner: 'o', grants: [sel('a'), sel('b', true), sel('c')] })] });
    const [change] = ofKind(diffSchemas(desired(want), live), 'set_grants');
    expect(change?.grant).toEqual([sel('a', true)]);
    expect(change?.revoke).toEqual([sel('c')]);
    expect(change?.revokeOption).toEqual([sel('b', true)]);
  });

  it("revokes PUBLIC's default EXECUTE on a function whose grants leave it out", () => {
    const f = fn('f', 'SELECT 1', { returns: 'integer', language: 'sql' });
    const acl: ObjectAcl = {
      on: 'function',
      schema: 'public',
      name: 'f',
      signature: [],
      grants: [{ grantee: 'r', privilege: 'execute', grantable: false }],
    };
    const [change] = ofKind(diffSchemas(desired(model({ functions: [f], acls: [acl] })), model({ functions: [f] })), 'set_grants');
    expect(change?.revoke).toEqual([{ grantee: 'PUBLIC', privilege: 'execute', grantable: false }]);
  });

  it('sets a declared owner that differs, and only then', () => {
    const live = model({ tables: [t], acls: [tableAcl({ owner: 'o', grants: [] })] });
    expect(diffSchemas(desired(model({ tables: [t], acls: [tableAcl({ owner: 'o' })] })), live)).toEqual([]);
    expect(ofKind(diffSchemas(desired(model({ tables: [t], acls: [tableAcl({ owner: 'n' })] })), live), 'set_owner')).toEqual([
      { kind: 'set_owner', acl: tableAcl({}), from: 'o', to: 'n' },
    ]);
  });
});

describe('grant steps', () => {
  it('quote every role (PUBLIC is the keyword), name column privileges, and say who loses what', () => {
    const change: ChangeOf<'set_grants'> = {
      kind: 'set_grants',
      acl: { on: 'column', schema: 'public', name: 't', sub: 'no"te' },
      grant: [{ grantee: 'a "b"; c', privilege: 'update', grantable: true }],
      revoke: [{ grantee: 'PUBLIC', privilege: 'select', grantable: false }],
      revokeOption: [],
      before: [],
    };
    const steps = setGrantsSteps(change);
    expect(steps.map((s) => s.sql)).toEqual([
      'REVOKE SELECT ("no""te") ON TABLE "public"."t" FROM PUBLIC',
      'GRANT UPDATE ("no""te") ON TABLE "public"."t" TO "a ""b""; c" WITH GRANT OPTION',
    ]);
    expect(steps[0]?.hazards).toEqual([{ kind: 'revokes_privileges', message: 'PUBLIC loses SELECT on column public.t.no"te' }]);
    expect(() => setGrantsSteps({ ...change, grant: [{ grantee: 'x', privilege: 'delete', grantable: false }] })).toThrow(
      /not a privilege/,
    );
    expect(setOwnerSteps({ kind: 'set_owner', acl: { on: 'view', schema: 'app', name: 'v' }, from: 'o', to: 'n' })[0]?.sql).toBe(
      'ALTER VIEW "app"."v" OWNER TO "n"',
    );
  });
});
