/**
 * Nothing downstream reads a plan step's SQL text to learn what the step does: a step carries
 * its target, keys and effect (docs/architecture.md, "Plan steps"). This scans src/ for the ways
 * code has done it (a regex or a substring search over a step's `.sql`, a parse of it) and allows
 * only the format-1 reader (src/plan/format-1.ts, which recovers the effect of an old file's steps
 * once) and the one debt docs/architecture.md names.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `<something>.sql` searched, matched or parsed: `s.sql.includes(…)`, `RE.exec(step.sql)`, `parseSql(step.sql)`. */
const READS = [
  /\b(?:s|d|step|draft|p)\.sql\.(?:includes|match|matchAll|startsWith|endsWith|search|split|indexOf)\(/,
  /\.(?:exec|test)\((?:s|d|step|draft|p)\.sql\)/,
  /parseSql\((?:s|d|step|draft|p)\.sql\)/,
];

const ALLOWED: Readonly<Record<string, string>> = {};

describe('plan steps are read by their structure, not their SQL', () => {
  it("no source file searches or parses a step's SQL, but the named exceptions", () => {
    const found: string[] = [];
    for (const file of files(SRC)) {
      const shown = relative(join(SRC, '..'), file);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (READS.some((re) => re.test(line)) && ALLOWED[shown] === undefined) found.push(`${shown}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('the exceptions are still there (remove them from ALLOWED when they go)', () => {
    for (const file of Object.keys(ALLOWED)) {
      const text = readFileSync(join(SRC, '..', file), 'utf8');
      expect(
        READS.some((re) => re.test(text)),
        file,
      ).toBe(true);
    }
  });
});
