/**
 * The launcher (bin/pgreconcile.js) runs the bundled CLI (dist/cli-bundle/, scripts/bundle-cli.mjs)
 * when it is fresh, and the compiled modules of dist/cli/ when asked (PGRECONCILE_NO_BUNDLE=1).
 * Which one ran is read off the files Node loaded (a module hook in the child process), and the
 * bundle still finds the files its modules read relative to themselves: `validate` reads the
 * compiled validator and package.json, `pull` a catalog query.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, root } from './support/apply-cli.js';

let work = '';
let register = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-bundle-'));
  const hook = join(work, 'hook.mjs');
  await writeFile(
    hook,
    `export async function load(url, context, next) { if (url.includes('/dist/')) process.stderr.write('LOADED ' + url + '\\n'); return next(url, context); }\n`,
  );
  register = join(work, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  await writeFile(
    join(work, 'schema.yaml'),
    'version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: { type: integer }\n',
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function launch(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; loaded: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', register, bin, ...args], { cwd: work, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const loaded = stderr
        .split('\n')
        .filter((l) => l.startsWith('LOADED '))
        .map((l) => l.slice('LOADED '.length).replace(/^.*\/dist\//, 'dist/'));
      resolve({ code: code ?? -1, stdout, loaded });
    });
  });
}

describe('the launcher', () => {
  it('runs the bundle, which finds the files its modules read (validator, package.json)', async () => {
    const run = await launch(['validate', 'schema.yaml']);
    expect(run.code).toBe(0);
    expect(run.loaded).toContain('dist/cli-bundle/main.js');
    expect(run.loaded.filter((f) => !f.startsWith('dist/cli-bundle/') && f.endsWith('.js'))).toEqual([]);
    expect((await launch(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs the modules of dist/cli/ with PGRECONCILE_NO_BUNDLE=1, with the same result', async () => {
    const run = await launch(['validate', 'schema.yaml'], { PGRECONCILE_NO_BUNDLE: '1' });
    expect(run.code).toBe(0);
    expect(run.loaded).toContain('dist/cli/main.js');
    expect(run.loaded.some((f) => f.startsWith('dist/cli-bundle/'))).toBe(false);
    const bundled = await launch(['validate', 'schema.yaml']);
    expect(bundled.stdout).toBe(run.stdout);
  });

  it('falls back to the modules when the bundle is older than dist/cli/main.js (tsc ran alone)', async () => {
    const main = join(root, 'dist', 'cli', 'main.js');
    const before = await stat(main);
    const bundle = await stat(join(root, 'dist', 'cli-bundle', 'main.js'));
    const later = new Date(bundle.mtimeMs + 60_000);
    await utimes(main, later, later);
    try {
      const run = await launch(['validate', 'schema.yaml']);
      expect(run.code).toBe(0);
      expect(run.loaded).toContain('dist/cli/main.js');
      expect(run.loaded.some((f) => f.startsWith('dist/cli-bundle/'))).toBe(false);
    } finally {
      await utimes(main, before.atime, before.mtime);
    }
  });
});
