/**
 * Broken desired-state files: every `test/fixtures/invalid/<NN-name>.yaml` must produce exactly
 * the diagnostics of its sibling `<NN-name>.expected` (one formatted diagnostic per line, the
 * file named by its base name), without a stack trace. Cases that need generated
 * bytes (a 5 MB file, invalid UTF-8, an alias bomb at scale) are written to a temp folder here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesiredStateError, formatDiagnostic, loadDesiredState, loadDesiredStateFromText, validateFile } from '../src/desired/index.js';
import type { Diagnostic } from '../src/desired/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/invalid');

const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

const format = (d: Diagnostic): string => formatDiagnostic({ ...d, file: basename(d.file) });

let temp = '';

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'pgreconcile-invalid-'));
  // Warm up: the first call loads the WebAssembly parser and compiles the JSON Schema.
  await validateFile(join(FIXTURES, fixtures[0] ?? '01-wrong-value-type.yaml'));
});

afterAll(() => {
  if (temp !== '') rmSync(temp, { recursive: true, force: true });
});

describe('invalid fixtures', () => {
  it('has at least 32 fixtures, each with an .expected file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(32);
    for (const name of fixtures) {
      expect(() => readFileSync(join(FIXTURES, name.replace(/\.yaml$/, '.expected')), 'utf8'), name).not.toThrow();
    }
  });

  for (const name of fixtures) {
    it(name, async () => {
      const expected = readFileSync(join(FIXTURES, name.replace(/\.yaml$/, '.expected')), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const result = await validateFile(join(FIXTURES, name));
      const actual = result.diagnostics.map(format);
      expect(result.ok).toBe(false);
      expect(result.state).toBeUndefined();
      expect(actual).toEqual(expected);
      for (const line of actual) expect(line).not.toContain('    at ');
    });
  }
});

describe('generated invalid files', () => {
  it('rejects a 5 MB file before parsing it', async () => {
    const path = join(temp, 'huge.yaml');
    // 5 MiB of valid YAML (a comment line repeated): only the size is wrong.
    writeFileSync(path, 'version: 1\n' + `# ${'padding '.repeat(12)}\n`.repeat(Math.ceil((5 * 1024 * 1024) / 99)));
    const result = await validateFile(path);
    expect(result.diagnostics.map(format)).toEqual(['huge.yaml:1:1: the file is too large (5.0 MiB; the limit is 4 MiB)']);
  });

  it('rejects a 5 MB text given in memory before parsing it', async () => {
    const text = 'version: 1\n' + 'x'.repeat(5 * 1024 * 1024);
    const error = await loadDesiredStateFromText(text, 'inline.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DesiredStateError);
    expect((error as DesiredStateError).diagnostics.map(format)).toEqual([
      'inline.yaml:1:1: the file is too large (5.0 MiB; the limit is 4 MiB)',
    ]);
  });

  it('names the line and column of the first byte that is not UTF-8', async () => {
    const path = join(temp, 'latin1.yaml');
    // "é" in Latin-1 (0xe9) after valid multi-byte UTF-8 on the same line.
    const bytes = Buffer.concat([
      Buffer.from('version: 1\nschemas:\n  public:\n    comment: "ü ', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('t\u00e9"\n', 'latin1'),
    ]);
    writeFileSync(path, bytes);
    const result = await validateFile(path);
    expect(result.diagnostics.map(format)).toEqual([
      'latin1.yaml:4:17: invalid UTF-8: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)',
    ]);
  });

  it('rejects a billion-laughs document with bounded memory', async () => {
    const letters = 'abcdefghijklmnopqrst';
    let text = 'version: 1\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < letters.length; i++) {
      const prev = letters[i - 1] ?? 'a';
      text += `${letters[i] ?? 'z'}: &${letters[i] ?? 'z'} [${Array.from({ length: 10 }, () => `*${prev}`).join(', ')}]\n`;
    }
    const path = join(temp, 'laughs.yaml');
    writeFileSync(path, text);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const result = await validateFile(path);
    const growth = process.memoryUsage().heapUsed - before;
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(format)).toEqual([
      'laughs.yaml:6:8: alias *d expands to more than 10000 nodes; aliases are limited to 10000 (is this an alias bomb?)',
    ]);
    expect(growth).toBeLessThan(64 * 1024 * 1024);
  });

  it('reports a missing file as a diagnostic', async () => {
    const result = await validateFile(join(temp, 'missing.yaml'));
    expect(result.diagnostics.map(format)).toEqual(['missing.yaml:1:1: cannot read the file: it does not exist']);
  });

  it('throws DesiredStateError with every diagnostic from loadDesiredState', async () => {
    const error = await loadDesiredState(join(FIXTURES, '39-several-errors-sorted.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DesiredStateError);
    const diagnostics = (error as DesiredStateError).diagnostics;
    expect(diagnostics).toHaveLength(5);
    const lines = diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect((error as Error).message).toContain('39-several-errors-sorted.yaml:5:36');
    expect((error as Error).message).toContain('(and 4 more)');
  });
});
