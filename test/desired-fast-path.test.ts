/**
 * The fast path (js-yaml, no positions) and the positional loader must build the same model
 * from every valid file we have: the root schema.yaml, the README example, every corpus case.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { fastLoad } from '../src/desired/fast-load.js';

const root = join(import.meta.dirname, '..');
const files = [join(root, 'schema.yaml'), join(root, 'docs', 'example.schema.yaml')];
const cases = join(root, 'test', 'cases');
for (const kind of readdirSync(cases)) {
  for (const name of readdirSync(join(cases, kind))) {
    const file = join(cases, kind, name, 'schema.yaml');
    if (existsSync(file)) files.push(file);
  }
}

describe('fast path', () => {
  it('is taken for plain valid files and builds the same model as the positional loader', async () => {
    let fast = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (fastLoad(text, file) !== undefined) fast += 1;
      const quick = await loadDesiredStateFromText(text, file).catch((e: Error) => e.message);
      const slow = await loadDesiredStateFromText(text, file, { fastPath: false }).catch((e: Error) => e.message);
      expect(quick, file).toEqual(slow);
    }
    // Most files go the fast way (not those with inexact numbers, tabs or aliases).
    expect(fast).toBeGreaterThan(files.length * 0.8);
  });

  it('leaves aliases, tabs, long integers and inexact numbers to the positional loader', () => {
    expect(fastLoad('version: 1\nschemas: &a {}\nx: *a\n', 'a.yaml')).toBeUndefined();
    expect(fastLoad('version: 1\n\tschemas: {}\n', 'a.yaml')).toBeUndefined();
    expect(fastLoad('version: 1\nx: 12345678901234567\n', 'a.yaml')).toBeUndefined();
    expect(fastLoad('version: 1\nx: 1.0\n', 'a.yaml')).toBeUndefined();
    expect(fastLoad('version: 1\nschemas: {}\n', 'a.yaml')).toBeDefined();
  });
});
