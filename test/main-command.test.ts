/**
 * The README's main command on a machine with nothing but Node: `npx pgreconcile apply --approve`
 * plans and applies the example schema.yaml on the embedded PGlite default; run again, it
 * reports no changes.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function pgreconcile(args: string[], cwd: string) {
  const env = { ...process.env };
  delete env['DATABASE_URL'];
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pgreconcile.js'), ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, err: r.stderr };
}

describe("the README's main command", () => {
  it('applies the example on the embedded database, then reports no changes', { timeout: 300_000 }, async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npx pgreconcile apply --approve');
    dir = await mkdtemp(join(tmpdir(), 'pgr-main-'));
    await copyFile(join(root, 'schema.yaml'), join(dir, 'schema.yaml'));

    const first = pgreconcile(['apply', '--approve'], dir);
    expect(first.err).toMatch(/^Using embedded PGlite database at \.pgreconcile\/pglite/);
    expect(first.out).toMatch(/Applied 74 steps in [^;]+; version \S+ recorded in the ledger\./);
    expect(first.code).toBe(0);

    const again = pgreconcile(['apply', '--approve'], dir);
    expect(again.out).toContain('No changes. The database matches the desired state.');
    expect(again.code).toBe(0);
    expect(pgreconcile(['plan'], dir).code).toBe(0);
  });
});
