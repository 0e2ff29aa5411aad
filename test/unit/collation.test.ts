/** The collation kind: its diff (create, drop, drop and create on a changed definition) and its SQL. */
import { describe, expect, it } from 'vitest';
import { diffCollations } from '../../src/kinds/collation/diff.js';
import type { Collation } from '../../src/kinds/collation/model.js';
import { collationOptionsSql } from '../../src/kinds/collation/steps.js';

const collation = (name: string, extra: Partial<Collation> = {}): Collation => ({
  schema: 'public',
  name,
  provider: 'libc',
  lcCollate: 'C',
  lcCtype: 'C',
  deterministic: true,
  ...extra,
});

describe('collations', () => {
  it('creates the missing and drops the undeclared', () => {
    expect(diffCollations([collation('a')], [collation('b')]).map((c) => c.kind)).toEqual(['create_collation', 'drop_collation']);
  });

  it('leaves an equal one alone, and drops and creates a changed one', () => {
    expect(diffCollations([collation('a')], [collation('a')])).toEqual([]);
    expect(diffCollations([collation('a', { lcCtype: 'POSIX' })], [collation('a')]).map((c) => c.kind)).toEqual([
      'drop_collation',
      'create_collation',
    ]);
  });

  it('changes only the comment when only the comment differs', () => {
    expect(diffCollations([collation('a', { comment: 'x' })], [collation('a')])).toEqual([
      { kind: 'set_comment', target: { on: 'collation', collation: { schema: 'public', name: 'a' } }, comment: 'x' },
    ]);
  });

  it('writes every locale as a quoted literal', () => {
    expect(collationOptionsSql(collation('a', { lcCollate: "x'); DROP TABLE t; --", lcCtype: 'C' }))).toBe(
      "provider = libc, lc_collate = 'x''); DROP TABLE t; --', lc_ctype = 'C'",
    );
    expect(collationOptionsSql(collation('a', { provider: 'icu', lcCollate: 'und', lcCtype: 'und', deterministic: false }))).toBe(
      "provider = icu, locale = 'und', deterministic = false",
    );
  });
});
