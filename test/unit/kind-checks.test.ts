/**
 * The semantic checks of the desired file come from the kinds (`checks`, src/kinds/<kind>/checks.ts):
 * every kind has its file and its list, the containers walk their contents (the schema kind at the
 * document level, the table kind in each schema), and the order of registrations decides which of
 * two objects of one name is reported (a `late` exclusion yields to the table's named index).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesiredStateError, formatDiagnostic, loadDesiredStateFromText } from '../../src/desired/index.js';
import { KINDS } from '../../src/kinds/registry.js';

const KINDS_DIR = join(import.meta.dirname, '..', '..', 'src', 'kinds');

async function problems(text: string): Promise<string[]> {
  try {
    await loadDesiredStateFromText(text, 'f.yaml');
  } catch (error) {
    if (error instanceof DesiredStateError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
  return [];
}

describe('kind checks', () => {
  it('every kind has checks.ts and a checks list; the containers check at the level above their contents', () => {
    for (const kind of KINDS) {
      expect(existsSync(join(KINDS_DIR, kind.name, 'checks.ts')), kind.name).toBe(true);
      expect(Array.isArray(kind.checks), kind.name).toBe(true);
    }
    const levels = (name: string): string[] => KINDS.find((k) => k.name === name)!.checks.map((c) => c.in);
    expect(levels('schema')).toEqual(['document']);
    expect(levels('table')).toEqual(['schema']);
    expect(levels('comment')).toEqual([]);
  });

  it('an exclusion constraint named like an index of its table is the one reported', async () => {
    const text = [
      'version: 1',
      'schemas:',
      '  public:',
      '    tables:',
      '      t:',
      '        columns:',
      '          r: { type: int4range }',
      '        indexes:',
      '          r_idx: { columns: [r] }',
      '        exclude:',
      '          r_idx:',
      '            elements:',
      '              - { column: r, with: "&&" }',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([
      'f.yaml:11:11 schemas.public.tables.t.exclude.r_idx: duplicate name "r_idx": also the name of index r_idx of table t (line 9)',
    ]);
  });

  it("a partition's own indexes and constraints are checked as a table's, over its parent's columns", async () => {
    const text = [
      'version: 1',
      'schemas:',
      '  public:',
      '    tables:',
      '      t:',
      '        columns:',
      '          k: { type: integer }',
      '        indexes:',
      '          t_k_idx: { columns: [k] }',
      '        partition_by: LIST (k)',
      '        partitions:',
      '          t_1:',
      '            bounds: FOR VALUES IN (1)',
      '            indexes:',
      '              t_1_nope_idx: { columns: [nope] }',
      '              t_k_idx: { columns: [k] }',
      '            foreign_keys:',
      '              - { columns: [k], references: { table: missing, columns: [id] } }',
      '',
    ].join('\n');
    const found = await problems(text);
    expect(found.some((p) => p.includes('schemas.public.tables.t.partitions.t_1.indexes.t_1_nope_idx') && p.includes('nope'))).toBe(true);
    expect(found.some((p) => p.includes('schemas.public.tables.t.partitions.t_1.indexes.t_k_idx') && p.includes('duplicate name'))).toBe(
      true,
    );
    expect(found.some((p) => p.includes('schemas.public.tables.t.partitions.t_1.foreign_keys') && p.includes('missing'))).toBe(true);
  });

  it('policies: the command allows the expressions, PUBLIC stands alone, no role twice, no bare query', async () => {
    const text = [
      'version: 1',
      'schemas:',
      '  public:',
      '    tables:',
      '      t:',
      '        columns:',
      '          owner: { type: text }',
      '        policies:',
      '          p_insert:',
      '            command: insert',
      '            using: "true"',
      '          p_select:',
      '            command: select',
      '            with_check: "true"',
      '          p_roles:',
      '            roles: [PUBLIC, app, public]',
      '            using: "select true"',
      '          p_fine:',
      '            roles: ["Some Role"]',
      '            using: "(select true) AND owner = current_user"',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([
      'f.yaml:11:13 schemas.public.tables.t.policies.p_insert.using: an insert policy has no USING expression (use with_check)',
      'f.yaml:14:13 schemas.public.tables.t.policies.p_select.with_check: a select policy has no WITH CHECK expression (use using)',
      'f.yaml:16:20 schemas.public.tables.t.policies.p_roles.roles: PUBLIC applies to every role: list it alone (PostgreSQL ignores the other roles)',
      'f.yaml:16:34 schemas.public.tables.t.policies.p_roles.roles[2]: role "public" is listed twice',
      'f.yaml:17:20 schemas.public.tables.t.policies.p_roles.using: invalid policy USING expression: a query is not an expression here: write it in parentheses, (select true)',
    ]);
  });

  it('a file without problems passes every kind', async () => {
    const text = [
      'version: 1',
      'schemas:',
      '  public:',
      '    tables:',
      '      t:',
      '        columns:',
      '          id: { type: integer }',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([]);
  });
});
