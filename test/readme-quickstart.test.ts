/**
 * The README's "Set-up" and "Quickstart", run top to bottom in a fresh copy of the repository
 * (issue 13, item 8): a folder holding what a clone holds (the files git tracks, and those it
 * does not ignore) with nothing beside it — no node_modules, no dist, no .pgreconcile, no
 * shared fixtures folder. The set-up's commands run as written — `npm test` is this suite, so it
 * is only checked to be there; `npm ci` runs for real with PGRECONCILE_README_NPM_CI=1, else as
 * the same packages hard-linked from this checkout plus the build npm ci runs (a copy of this
 * checkout's dist/ when it is current; .ci/run runs npm ci in a fresh copy anyway) — then every `$ command`
 * of the Quickstart's transcript, through a shell, in order. What each prints (stdout and stderr, as a terminal shows them) must be what
 * the README shows under it: `…` stands for lines left out; timestamps, durations, who ran it
 * and column widths aside. Checksums are compared by identity: where the README shows one
 * checksum twice, the run must print one checksum twice too.
 *
 * PGRECONCILE_README_DUMP=FILE writes what each command really printed, to refresh the README.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixtures.js';

interface Command {
  readonly command: string;
  readonly output: readonly string[];
}

/** A `## title` section of the README, up to the next `## `. */
function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function fenced(text: string, lang: string): string[][] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => (m[1] ?? '').replace(/\n$/, '').split('\n'));
}

/** The `$ command`s of the first console block of `text`, each with the lines under it. */
function consoleCommands(text: string): Command[] {
  const commands: { command: string; output: string[] }[] = [];
  for (const block of fenced(text, 'console').slice(0, 1)) {
    for (const line of block) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
      else commands.at(-1)?.output.push(line);
    }
  }
  return commands.map((c) => ({ command: c.command, output: trimBlank(c.output) }));
}

function trimBlank(lines: readonly string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out.at(-1)!.trim() === '') out.pop();
  return out;
}

/**
 * What differs from run to run made uniform. Checksums become `<H1>`, `<H2>`, … in the order
 * they first appear in one transcript (by their first 12 hex digits), so that the same checksum
 * reads the same and two different ones differently.
 */
function normalizer(): (line: string) => string {
  const hashes = new Map<string, string>();
  return (line) =>
    line
      .replace(/sha256:([0-9a-f]{12})[0-9a-f]*…?/g, (_m, prefix: string) => {
        if (!hashes.has(prefix)) hashes.set(prefix, `<H${hashes.size + 1}>`);
        return `sha256:${hashes.get(prefix)}`;
      })
      .replace(/\d{8}T\d{6}Z/g, '<T>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<DATE>')
      .replace(/\b\d+(?:\.\d+)? m?s\b/g, '<DURATION>')
      .replace(/\(\S+@\S+\)/g, '(<WHO>)')
      .replace(/\s+/g, ' ')
      .trim();
}

/**
 * Whether `expected` (with `…` lines for what is left out) is `actual`: the parts between `…`
 * lines appear in order, each as consecutive lines; without a trailing `…` the last part ends
 * the output, without a leading one the first part starts it.
 */
function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const parts: string[][] = [[]];
  for (const line of expected) {
    if (line.trim() === '…') parts.push([]);
    else parts.at(-1)!.push(line);
  }
  const anchoredStart = parts[0]!.length > 0;
  const anchoredEnd = parts.at(-1)!.length > 0;
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (part.length === 0) continue;
    const fits = (from: number) => part.every((line, k) => actual[from + k] === line);
    let found = -1;
    if (i === 0 && anchoredStart) found = fits(0) ? 0 : -1;
    else for (let from = at; from + part.length <= actual.length && found < 0; from++) if (fits(from)) found = from;
    if (found < 0) return false;
    at = found + part.length;
  }
  return !anchoredEnd || at === actual.length;
}

/**
 * The files a clone of the repository has, copied to `to`: git's view of the working tree, or,
 * outside a git checkout (the copy .ci/run makes), everything but what git ignores here.
 */
function copyTree(to: string): void {
  const list = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'buffer' });
  if (list.status !== 0) {
    const tar = spawnSync(
      'sh',
      ['-c', `tar --exclude=./node_modules --exclude=./dist --exclude=./.pgreconcile --exclude=./.git -cf - . | tar -xf - -C "${to}"`],
      { cwd: REPO_ROOT },
    );
    if (tar.status !== 0) throw new Error(`copying the tree failed: ${tar.stderr.toString()}`);
    return;
  }
  const files = list.stdout
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '');
  const tar = spawnSync('sh', ['-c', `tar --null -T - -cf - 2>/dev/null | tar -xf - -C "${to}"`], {
    cwd: REPO_ROOT,
    input: files.map((f) => `${f}\0`).join(''),
  });
  if (tar.status !== 0) throw new Error(`copying the tree failed: ${tar.stderr.toString()}`);
}

/** The newest modification time of `path` and, for a folder, of everything under it. */
function newestChange(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), info.mtimeMs);
}

/** Whether this checkout's dist/ was built after the last change to what `npm run build` reads. */
function builtDistIsCurrent(): boolean {
  const stamp = join(REPO_ROOT, 'dist', 'build-id.txt'); // the build's last step writes it
  if (!existsSync(stamp)) return false;
  const inputs = ['src', 'scripts', 'schema', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
  const newestInput = Math.max(
    ...inputs
      .map((p) => join(REPO_ROOT, p))
      .filter(existsSync)
      .map(newestChange),
  );
  return statSync(stamp).mtimeMs >= newestInput;
}

/** Runs one command line in a shell, stdout and stderr in one stream as a terminal shows them. */
function shell(command: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_prefer_offline: 'true',
    };
    delete env['DATABASE_URL'];
    for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS') delete env[k];
    const child = spawn('bash', ['-c', `${command} 2>&1`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

let scratch: string | undefined;

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe("the README's set-up and quickstart", () => {
  it('run top to bottom in a fresh copy of the repository and print what the README shows', { timeout: 900_000 }, async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const setUp = fenced(section(readme, 'Set-up'), 'sh')[0] ?? [];
    const setUpCommands = setUp.map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l !== '');
    expect(setUpCommands).toEqual(['npm ci', 'npm test']);
    const quickstart = consoleCommands(section(readme, 'Quickstart'));
    expect(quickstart.length).toBeGreaterThanOrEqual(8);
    for (const c of quickstart)
      expect(c.command, 'the quickstart runs the command as npx pgreconcile').toMatch(/^(npx pgreconcile |echo \$\?$|sed )/);

    scratch = await mkdtemp(join(tmpdir(), 'pgr-readme-'));
    const clone = join(scratch, 'pgreconcile');
    await rm(clone, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', clone]);
    copyTree(clone);

    for (const command of setUpCommands) {
      if (command === 'npm test') continue; // the suite this test is part of
      // `npm ci` for real with PGRECONCILE_README_NPM_CI=1 (a minute of unpacking); else the same
      // packages, hard-linked from this checkout's node_modules (which npm ci made), and the build
      // that npm ci runs (prepare): a copy of this checkout's dist/ when it is newer than every
      // file it is built from (`npm test` builds first), else built in the copy. A copy, not hard
      // links: the first `npx pgreconcile` installs the folder in npx's cache, which runs its
      // prepare script, and that build would write through the links into this checkout's dist/.
      // .ci/run runs npm ci for real in a fresh copy anyway.
      const real = command !== 'npm ci' || process.env['PGRECONCILE_README_NPM_CI'] === '1';
      const build = builtDistIsCurrent() ? `cp -a '${join(REPO_ROOT, 'dist')}' dist` : 'npm run build';
      const line = real ? command : `cp -al '${join(REPO_ROOT, 'node_modules')}' node_modules && ${build}`;
      const r = await shell(line, clone);
      expect(r.code, `${line}:\n${r.output}`).toBe(0);
    }

    const dump = process.env['PGRECONCILE_README_DUMP'];
    const expectedLine = normalizer();
    const actualLine = normalizer();
    let last = 0;
    for (const { command, output } of quickstart) {
      let printed: string;
      if (command === 'echo $?') {
        printed = `${last}\n`;
      } else {
        const r = await shell(command, clone);
        last = r.code;
        printed = r.output;
      }
      if (dump) await appendFile(dump, `$ ${command}\n${printed}\n`);
      expect(printed, command).not.toMatch(/\n\s+at /);
      const actual = trimBlank(printed.replace(/\n$/, '').split('\n')).map(actualLine);
      const expected = output.map((l) => (l.trim() === '…' ? '…' : expectedLine(l)));
      if (!dump)
        expect(matches(expected, actual), `"$ ${command}" printed:\n${printed}\nthe README shows:\n${output.join('\n')}`).toBe(true);
    }
  });
});

describe('the transcript matcher', () => {
  it('takes … for lines left out and anchors the ends', () => {
    expect(matches(['a', '…', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matches(['a', '…', 'c'], ['a', 'b', 'c', 'd'])).toBe(false);
    expect(matches(['…', 'c', '…'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matches(['b', 'c'], ['a', 'b', 'c'])).toBe(false);
  });

  it('tells one checksum shown twice from two different checksums', () => {
    const a = normalizer();
    const b = normalizer();
    const one = ['sha256:005abfcb4245aaaa', 'sha256:005abfcb4245…'].map(a);
    const two = ['sha256:954ba679e7b4bbbb', 'sha256:d371df969ae5…'].map(b);
    expect(one[0]).toBe(one[1]);
    expect(two[0]).not.toBe(two[1]);
  });
});
