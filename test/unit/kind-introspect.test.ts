import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allQueries, kindQueries } from '../../src/introspect/catalog-queries.js';
import { KINDS } from '../../src/kinds/registry.js';

describe("the kinds' catalog queries", () => {
  it('are files beside their kinds, with unique names, in registry order', () => {
    const names = allQueries().map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    for (const query of allQueries()) expect(readFileSync(query.url, 'utf8')).toMatch(/\bSELECT\b/);
    for (const kind of KINDS) {
      for (const query of kind.introspect.queries) expect(query.url.pathname).toContain(`/src/kinds/${kind.name}/${query.name}.sql`);
    }
    expect(kindQueries().map((q) => q.name)).toEqual([
      'extensions',
      'schemas',
      'enums',
      'collations',
      'range-types',
      'composite-types',
      'domains',
      'sequences',
      'functions',
      'aggregates',
      'tables',
      'partitions',
      'column-compression',
      'constraints',
      'exclusions',
      'indexes',
      'nulls-not-distinct',
      'triggers',
      'policies',
      'row-security',
      'views',
      'acls',
    ]);
  });

  it('split over the two connections as before, the NULLS NOT DISTINCT one from PostgreSQL 15', () => {
    const on = (connection: string): string[] =>
      allQueries()
        .filter((q) => q.connection === connection)
        .map((q) => q.name);
    expect(on('first')).toEqual(['context', 'extensions', 'schemas', 'enums', 'collations', 'functions', 'tables', 'triggers']);
    expect(on('second')).toEqual([
      'range-types',
      'composite-types',
      'domains',
      'sequences',
      'aggregates',
      'partitions',
      'column-compression',
      'constraints',
      'exclusions',
      'indexes',
      'nulls-not-distinct',
      'policies',
      'row-security',
      'views',
      'acls',
      'default-opclasses',
      'unmanaged',
    ]);
    expect(
      allQueries()
        .filter((q) => q.since !== undefined)
        .map((q) => [q.name, q.since]),
    ).toEqual([
      ['column-compression', 140000],
      ['nulls-not-distinct', 150000],
    ]);
  });
});
