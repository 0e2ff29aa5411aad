/**
 * The coverage contract (issue 17): `plan --strict` fails, exit 1, when the live database holds
 * objects of kinds the format does not manage that no `ignore` pattern matches, naming each
 * (kind and qualified name) on stderr and in the --json output; with an `ignore` for them it
 * exits as usual. Without --strict the summary counts them in one last line. On a real
 * PostgreSQL, through the CLI in-process and through the library's `plan({ strict })`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../src/api/plan.js';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { PLAN_EXIT } from '../src/cli/exit-codes.js';
import { unmanagedLabel } from '../src/introspect/index.js';
import { useTestDatabase } from './support/harness.js';

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-strict-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), isTTY: false, cwd: work, env: {}, stdout: () => out, stderr: () => err };
}

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const TABLE = `
    tables:
      items:
        columns:
          id: { type: integer, nullable: false }
        primary_key: [id]
`;

async function schemaFile(name: string, ignore: readonly string[]): Promise<string> {
  const file = join(work, name);
  const ignoreBlock = ignore.length > 0 ? `ignore:\n${ignore.map((p) => `  - "${p}"`).join('\n')}\n` : '';
  await writeFile(file, `version: 1\n${ignoreBlock}schemas:\n  public:${TABLE}`);
  return file;
}

const UNMANAGED_SQL = `
  CREATE TABLE items (id integer PRIMARY KEY);
  CREATE STATISTICS item_ids ON (id + 1) FROM items;
  CREATE SCHEMA reports;
  CREATE STATISTICS reports.counts ON (id * 2) FROM public.items;
  CREATE RULE items_kept AS ON DELETE TO items DO INSTEAD NOTHING;
`;

describe('plan --strict', () => {
  const database = useTestDatabase();

  it('exits 1 naming every unmanaged object, on stderr and in --json; the plain summary counts them', async () => {
    const { db, url } = database();
    await db.exec(UNMANAGED_SQL);
    const schema = await schemaFile('plain.yaml', []);
    // The file names no schema reports: it is not managed either, but its statistics object is what strict names.
    await writeFile(schema, `version: 1\nschemas:\n  public:${TABLE}\n  reports: {}\n`);

    const strict = await run(['plan', '--strict', '--database-url', url, '--schema', schema]);
    expect(strict.code, strict.stderr).toBe(PLAN_EXIT.unmanaged);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(
      'pgreconcile plan: --strict: the database holds 3 objects of kinds the format does not manage, not matched by `ignore`:\n',
    );
    for (const label of ['statistics object public.item_ids', 'statistics object reports.counts', 'rule items_kept on public.items'])
      expect(strict.stderr).toContain(`  ${label}\n`);

    const json = await run(['plan', '--strict', '--json', '--database-url', url, '--schema', schema]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { unmanaged: unknown[]; strict_failure?: string };
    expect(parsed.unmanaged).toEqual([
      { kind: 'rule', schema: 'public', name: 'items', detail: 'items_kept' },
      { kind: 'statistics object', schema: 'public', name: 'item_ids' },
      { kind: 'statistics object', schema: 'reports', name: 'counts' },
    ]);
    expect(parsed.strict_failure).toContain('statistics object public.item_ids');

    // No plan file with --out when strict fails.
    const out = await run(['plan', '--strict', '--database-url', url, '--schema', schema, '--out', join(work, 'never.plan.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('No plan file was written.');

    // Without --strict: the usual exit code, and one line counting what is left unmanaged.
    const plain = await run(['plan', '--database-url', url, '--schema', schema]);
    expect(plain.code, plain.stderr).toBe(PLAN_EXIT.inSync);
    expect(plain.stdout).toBe(
      'No changes. The database matches the desired state.\n\n' +
        'Left unmanaged: 3 objects (1 rule, 2 statistics objects); `plan --strict` fails on them.\n',
    );
    const plainJson = JSON.parse((await run(['plan', '--json', '--database-url', url, '--schema', schema])).stdout) as {
      unmanaged: unknown[];
      strict_failure?: string;
    };
    expect(plainJson.unmanaged).toHaveLength(3);
    expect(plainJson.strict_failure).toBeUndefined();
  });

  it('exits as usual when `ignore` patterns cover the unmanaged objects; settings of managed tables are not counted', async () => {
    const { db, url } = database();
    await db.exec(UNMANAGED_SQL);
    await db.exec('DROP RULE items_kept ON items');
    // Inheritance is a setting of a managed table: pull warns, the count leaves it out.
    await db.exec('CREATE TABLE reports.base (id integer NOT NULL); ALTER TABLE items INHERIT reports.base');
    const schema = await schemaFile('ignored.yaml', ['item_ids', 'reports.*']);
    const strict = await run(['plan', '--strict', '--database-url', url, '--schema', schema]);
    expect(strict.code, strict.stderr).toBe(PLAN_EXIT.inSync);
    expect(strict.stdout).toBe('No changes. The database matches the desired state.\n');

    // With a change to plan, --strict exits 2 as plan does.
    await db.exec('DROP TABLE items CASCADE');
    await db.exec('CREATE TABLE reports.t (a integer); CREATE STATISTICS item_ids ON (a + 1) FROM reports.t');
    const changes = await run(['plan', '--strict', '--database-url', url, '--schema', schema]);
    expect(changes.code, changes.stderr).toBe(PLAN_EXIT.changes);
    expect(changes.stdout).toContain('+ table items');
    expect(changes.stdout).not.toContain('Left unmanaged');
  });

  it('the library: plan({ strict }) reports the failure in `coverage`, and writes no plan file', async () => {
    const { db } = database();
    await db.exec(UNMANAGED_SQL);
    const schema = await schemaFile('lib.yaml', ['reports.*']);
    const loose = await plan({ db, schema });
    expect(loose.coverage.failure).toBeUndefined();
    expect(loose.coverage.unmanaged.map(unmanagedLabel)).toEqual(['rule items_kept on public.items', 'statistics object public.item_ids']);
    const strict = await plan({ db, schema, strict: true, out: join(work, 'lib.plan.yaml') });
    expect(strict.coverage.failure).toMatch(
      /2 objects of kinds the format does not manage.*rule items_kept on public\.items, statistics object public\.item_ids/,
    );
    expect(strict.planFile).toBeUndefined();
    expect(strict.plan.steps).toEqual([]);
  });
});
