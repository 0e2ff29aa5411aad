/**
 * The fixtures a fresh clone needs are in the repository (issue 13, item 3): fixtures/ holds
 * copies of the team's shared fixtures, each with the sha256 fixtures/README.md records; where
 * the shared folder is beside the repository (../shared/fixtures), the copies must equal it. And
 * nothing else in the suite reads ../shared, so that `npm test` on a clone without it passes
 * (.ci/run also runs the whole suite from such a copy).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './support/fixtures.js';

const SHARED = join(REPO_ROOT, '..', 'shared', 'fixtures');

/** `(file, sha256)` pairs of the table in fixtures/README.md. */
function recorded(): Map<string, string> {
  const text = readFileSync(join(FIXTURES_DIR, 'README.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `([^`]+)` \| `([0-9a-f]{64})` \|/gm)].map((m) => [m[1]!, m[2]!]));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the fixtures in the repository', () => {
  it('are the files fixtures/README.md lists, each with its recorded sha256', () => {
    const sums = recorded();
    const copies = filesUnder(FIXTURES_DIR)
      .map((p) => relative(FIXTURES_DIR, p))
      .filter((p) => p !== 'README.md')
      .sort();
    expect(copies).toEqual([...sums.keys()].sort());
    for (const file of copies) expect(sha256(join(FIXTURES_DIR, file)), file).toBe(sums.get(file));
  });

  it.runIf(existsSync(SHARED))('are byte for byte the shared fixtures beside the repository (../shared/fixtures)', () => {
    const shared = filesUnder(SHARED)
      .map((p) => relative(SHARED, p))
      .sort();
    for (const file of shared) {
      expect(existsSync(join(FIXTURES_DIR, file)), `${file} is copied into fixtures/`).toBe(true);
      expect(sha256(join(FIXTURES_DIR, file)), file).toBe(sha256(join(SHARED, file)));
    }
  });

  it('are all the suite reads: no other test file names ../shared', () => {
    const tests = filesUnder(join(REPO_ROOT, 'test')).filter((p) => p.endsWith('.ts') && !p.endsWith('fixture-copies.test.ts'));
    const offenders = tests.filter((p) => /\.\.\/shared|['"]shared['"]\s*,\s*['"]fixtures|\/work\/shared/.test(readFileSync(p, 'utf8')));
    expect(offenders.map((p) => relative(REPO_ROOT, p))).toEqual([]);
  });
});
