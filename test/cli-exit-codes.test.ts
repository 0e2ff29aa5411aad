/**
 * Exit codes and errors scripts rely on (issue 13, items 5-7): one exit code for every usage
 * error (USAGE_EXIT_CODE, never 2 or 3), "did you mean" for unknown commands and flags, a
 * missing file reported the same way by every command and before anything connects, `validate`
 * taking its file either way, and the one table of exit codes in the README that every command's
 * --help agrees with. In-process (`main` with a captured Io): no database is needed, and a
 * command that tried to connect would fail differently (the URL points at a closed port).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE_EXIT_CODE } from '../src/cli/args.js';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import * as specs from '../src/cli/specs.js';

const root = join(import.meta.dirname, '..');
/** Nothing listens there: a command that connects fails with "could not connect". */
const CLOSED = 'postgres://nobody@127.0.0.1:1/none';

let work = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-exit-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function captureIo(cwd = work): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), isTTY: false, cwd, env: {}, stdout: () => out, stderr: () => err };
}

async function run(args: readonly string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(cwd);
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('usage errors', () => {
  it('exit with one code, never 2 or 3, in every command', async () => {
    expect(USAGE_EXIT_CODE).not.toBe(2);
    expect(USAGE_EXIT_CODE).not.toBe(3);
    const commands = Object.values(specs).map((s) => s.name);
    expect(commands.length).toBeGreaterThanOrEqual(13);
    for (const name of commands) {
      const r = await run([name, '--no-such-flag']);
      expect(r.code, name).toBe(USAGE_EXIT_CODE);
      expect(r.stderr, name).toContain(`pgreconcile ${name}: unknown option --no-such-flag`);
      expect(r.stderr, name).toContain(`See pgreconcile ${name} --help.`);
    }
  });

  it('no command, an unknown command, plan --dry-run, validate --foo: all the usage code', async () => {
    const none = await run([]);
    expect(none.code).toBe(USAGE_EXIT_CODE);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: pgreconcile <command> [options]');

    const typo = await run(['plna']);
    expect(typo.code).toBe(USAGE_EXIT_CODE);
    expect(typo.stderr).toContain('unknown command "plna". Did you mean "plan"?');

    const dry = await run(['plan', '--dry-run']);
    expect(dry.code).toBe(USAGE_EXIT_CODE);
    expect(dry.stderr).toContain('pgreconcile plan: unknown option --dry-run (nothing here has a dry run');

    const foo = await run(['validate', '--foo']);
    expect(foo.code).toBe(USAGE_EXIT_CODE);

    const both = await run(['plan', '--sql', '--json', '-d', CLOSED]);
    expect(both.code).toBe(USAGE_EXIT_CODE);
    expect(both.stderr).toContain('pgreconcile plan: --sql and --json exclude each other');
  });

  it('suggest the flag meant, and every message names its command', async () => {
    const r = await run(['plan', '--scheam', 'x.yaml']);
    expect(r.stderr).toContain('pgreconcile plan: unknown option --scheam (did you mean --schema?)');
    const apply = await run(['apply', '--alow-hazards', 'all']);
    expect(apply.stderr).toContain('unknown option --alow-hazards (did you mean --allow-hazards?)');
    // These used to lose the command's name ("pgreconcile --lock-wait expects …").
    const wait = await run(['apply', '--lock-wait', 'soon']);
    expect(wait.code).toBe(USAGE_EXIT_CODE);
    expect(wait.stderr).toContain('pgreconcile apply: --lock-wait expects a number of seconds, got "soon"');
    const retries = await run(['rollback', '--retries', 'many']);
    expect(retries.stderr).toContain('pgreconcile rollback: --retries expects a whole number, got "many"');
    const extra = await run(['plan', 'schema.yaml']);
    expect(extra.code).toBe(USAGE_EXIT_CODE);
    expect(extra.stderr).toContain('pgreconcile plan: unexpected argument "schema.yaml" (plan takes no arguments)');
    const value = await run(['plan', '--out']);
    expect(value.stderr).toContain('pgreconcile plan: --out needs a value: --out FILE|DIR');
    for (const x of [r, apply, wait, retries, extra, value]) expect(x.stderr).not.toMatch(/^pgreconcile -/m);
  });

  it('help: to stdout with exit 0 when asked for', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
    const plan = await run(['help', 'plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`^  ${USAGE_EXIT_CODE} +usage error`, 'm'));
  });
});

describe('a file that does not exist', () => {
  const missing: readonly (readonly string[])[] = [
    ['validate', 'nofile.yaml'],
    ['validate', '--schema', 'nofile.yaml'],
    ['plan', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['plan', '--rehearse', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['apply', 'nofile.yaml', '-d', CLOSED],
    ['apply', '--resume', 'nofile.yaml', '-d', CLOSED],
    ['apply', '--approve', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['approve', 'nofile.yaml', '--allow-hazards', 'all'],
    ['status', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['baseline', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['drift', '--schema', 'nofile.yaml', '-d', CLOSED],
    ['diff', '--from', CLOSED, '--to', 'nofile.yaml'],
    ['import', 'nofile.yaml'],
  ];

  for (const args of missing) {
    it(`${args.join(' ')}: exit 1, "cannot read nofile.yaml: it does not exist", nothing connected or announced`, async () => {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`pgreconcile ${args[0]}: cannot read nofile.yaml: it does not exist\n`);
      expect(r.stdout).toBe('');
    });
  }

  it('the default schema.yaml, when there is none, the same way', async () => {
    const r = await run(['plan', '-d', CLOSED]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('pgreconcile plan: cannot read schema.yaml: it does not exist\n');
  });
});

describe('validate', () => {
  it('takes its file as FILE or as --schema FILE, and refuses two different ones', async () => {
    await writeFile(
      join(work, 'one.yaml'),
      'version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: { type: integer }\n',
    );
    const positional = await run(['validate', 'one.yaml']);
    const flag = await run(['validate', '--schema', 'one.yaml']);
    expect(positional).toEqual({ code: 0, stdout: 'one.yaml is valid (1 table, 0 enums, 0 functions, 0 extensions)\n', stderr: '' });
    expect(flag).toEqual(positional);
    const two = await run(['validate', 'one.yaml', '--schema', 'two.yaml']);
    expect(two.code).toBe(USAGE_EXIT_CODE);
    expect(two.stderr).toContain('two files given: one.yaml and --schema two.yaml');
  });

  it('reports every error at once, a duplicate key among them', async () => {
    const r = await run(['validate', join(root, 'test/fixtures/invalid/51-duplicate-key-and-more.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('duplicate key "email"');
    expect(r.stderr).toContain('unknown type "integr"');
    expect(r.stderr).toContain('table "user" is not declared');
    expect(r.stderr).toMatch(/: 3 errors\n$/);
  });
});

describe('diff of two files', () => {
  it('says the two files match, naming no database (exit 0), and exits 2 when they differ', async () => {
    const one = 'version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: { type: integer }\n';
    await writeFile(join(work, 'a.yaml'), one);
    await writeFile(join(work, 'b.yaml'), one.replace('integer', 'bigint'));
    const same = await run(['diff', '--from', 'a.yaml', '--to', 'a.yaml']);
    expect(same.code).toBe(0);
    expect(same.stdout).toBe('No differences: file a.yaml matches file a.yaml.\n');
    expect(same.stdout).not.toContain('database');
    const differ = await run(['diff', '--from', 'a.yaml', '--to', 'b.yaml']);
    expect(differ.code).toBe(2);
    expect(differ.stdout).toMatch(/^Plan: 0 to create, 1 to alter, 0 to drop \(1 step in 1 transaction\)/);
  });
});

describe('the exit code table', () => {
  it('is one table in the README, and every code a command documents is in it with the usage code', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Exit codes\n');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const rows = new Map<number, string>();
    for (const m of section.matchAll(/^\| \*\*(\d+)\*\* \|(.*)\|$/gm)) rows.set(Number(m[1]), m[2]!);
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, USAGE_EXIT_CODE]);
    expect(rows.get(USAGE_EXIT_CODE)).toMatch(/usage error/);
    for (const spec of Object.values(specs)) {
      for (const { code } of spec.exitCodes)
        expect(rows.get(code), `${spec.name} exit ${code}`).toMatch(new RegExp(`\\b${spec.name}\\b|every command`));
    }
    // No other table of exit codes: the commands table points here.
    expect(readme.match(/\| *exit codes? *\|/gi) ?? []).toEqual([]);
  });
});
