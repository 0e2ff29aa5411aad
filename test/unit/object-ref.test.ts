/**
 * `nameKey` writes its key by hand for names JSON leaves as they are, and through
 * JSON.stringify otherwise: both must give the same text for every name, or two maps keyed by
 * it would disagree.
 */
import { describe, expect, it } from 'vitest';
import { nameKey } from '../../src/model/object-ref.js';

const TRICKY = [
  'public',
  'users',
  'a"b',
  'a\\b',
  'tab\there',
  '\u0000x',
  '\u001f',
  '\u007f',
  'é',
  '日本',
  '😀',
  '\ud800',
  'x\udc00y',
  '\u2028',
  '',
  ' ',
  '"',
  '["a","b"]',
];

describe('nameKey', () => {
  it('is JSON.stringify([schema, name]) for quotes, backslashes, control characters, surrogates and plain names', () => {
    for (const schema of TRICKY) for (const name of TRICKY) expect(nameKey(schema, name)).toBe(JSON.stringify([schema, name]));
  });

  it('is JSON.stringify([schema, name]) for random strings', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const text = (): string =>
      String.fromCharCode(
        ...Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() < 0.5 ? next() * 128 : next() * 65536)),
      );
    for (let i = 0; i < 20_000; i++) {
      const schema = text();
      const name = text();
      expect(nameKey(schema, name)).toBe(JSON.stringify([schema, name]));
    }
  });
});
