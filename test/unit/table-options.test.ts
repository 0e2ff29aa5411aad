/** Table storage parameters (src/kinds/table/options.ts), the options' diff and the column options' differences. */
import { describe, expect, it } from 'vitest';
import { columnDifferences } from '../../src/kinds/column/diff.js';
import { optionChanges } from '../../src/kinds/table/diff.js';
import { canonicalParameter, liveParameters, parameterValueSql, TABLE_PARAMETER_NAMES } from '../../src/kinds/table/options.js';
import { liveFingerprint, objectFingerprints } from '../../src/model/fingerprint.js';
import { col, model, table } from './diff-helpers.js';

describe('table storage parameters', () => {
  it('have one canonical text per value, from the file and from the catalog', () => {
    expect(canonicalParameter('fillfactor', 70)).toBe('70');
    expect(canonicalParameter('fillfactor', '70')).toBe('70');
    expect(canonicalParameter('autovacuum_enabled', false)).toBe('false');
    expect(canonicalParameter('autovacuum_enabled', 'off')).toBe('false');
    expect(canonicalParameter('toast.autovacuum_enabled', 'n')).toBe('false');
    expect(canonicalParameter('autovacuum_enabled', 'TRUE')).toBe('true');
    expect(canonicalParameter('autovacuum_vacuum_scale_factor', '0.10')).toBe('0.1');
    expect(canonicalParameter('vacuum_index_cleanup', true)).toBe('on');
    expect(canonicalParameter('vacuum_index_cleanup', 'AUTO')).toBe('auto');
  });

  it('refuse names outside the list, values outside the range and text that is no value', () => {
    expect(canonicalParameter('fillfactr', 70)).toBeUndefined();
    expect(canonicalParameter('toast.fillfactor', 70)).toBeUndefined();
    expect(canonicalParameter('toast.autovacuum_analyze_threshold', 5)).toBeUndefined();
    expect(canonicalParameter('fillfactor', 7)).toBeUndefined();
    expect(canonicalParameter('fillfactor', '70); DROP TABLE x; --')).toBeUndefined();
    expect(canonicalParameter('autovacuum_vacuum_scale_factor', '1e400')).toBeUndefined();
    expect(canonicalParameter('vacuum_index_cleanup', 'constructor')).toBeUndefined();
    expect(canonicalParameter('constructor', 1)).toBeUndefined();
    expect(() => parameterValueSql('fillfactor', "70'")).toThrow(/not a checked value/);
    expect(parameterValueSql('vacuum_index_cleanup', 'off')).toBe("'off'");
    expect(TABLE_PARAMETER_NAMES).toContain('toast.vacuum_truncate');
    expect(TABLE_PARAMETER_NAMES).not.toContain('toast.parallel_workers');
  });

  it('are read from the table and its TOAST table, unknown ones kept as PostgreSQL has them', () => {
    expect(liveParameters(['fillfactor=70', 'Some_Future=x'], ['autovacuum_enabled=off'])).toEqual({
      fillfactor: '70',
      some_future: 'x',
      'toast.autovacuum_enabled': 'false',
    });
  });
});

describe('the options diff', () => {
  const name = { schema: 'public', name: 't' };
  const t = table('t', [col('id')]);

  it('sets what differs and resets what the file leaves out', () => {
    const [change] = optionChanges(
      name,
      { ...t, with: { fillfactor: '70' } },
      { ...t, with: { fillfactor: '80', parallel_workers: '2' } },
      [],
    );
    expect(change).toMatchObject({ kind: 'alter_table', attributes: ['with'], set: { fillfactor: '70' }, reset: ['parallel_workers'] });
  });

  it('compares no toast.* parameter of a table without a TOAST table, unless a column change may give it one', () => {
    const desired = { ...t, with: { 'toast.autovacuum_enabled': 'false' } };
    expect(optionChanges(name, desired, { ...t, toastless: true }, [])).toEqual([]);
    const add = { kind: 'add_column', table: name, column: col('body', 'text') } as const;
    expect(optionChanges(name, desired, { ...t, toastless: true }, [add])).toHaveLength(1);
  });

  it('sets the replica identity again after its index is rebuilt', () => {
    const identity = { index: 't_key' };
    expect(optionChanges(name, { ...t, replicaIdentity: identity }, { ...t, replicaIdentity: identity }, [])).toEqual([]);
    const idx = { name: 't_key', unique: true, nullsNotDistinct: false, using: 'btree', keys: [], include: [], with: {} };
    const rebuilt = { kind: 'replace_index', table: name, from: idx, to: idx } as const;
    expect(optionChanges(name, { ...t, replicaIdentity: identity }, { ...t, replicaIdentity: identity }, [rebuilt])).toMatchObject([
      { attributes: ['replica_identity'] },
    ]);
  });
});

describe('column options', () => {
  it('compare storage with the type storage when one side leaves it out', () => {
    const live = col('body', 'text', { typeStorage: 'extended' });
    expect(columnDifferences(col('body', 'text', { storage: 'extended' }), live)).toEqual([]);
    expect(columnDifferences(col('body', 'text'), live)).toEqual([]);
    expect(columnDifferences(col('body', 'text', { storage: 'main' }), live)).toEqual(['storage']);
    expect(columnDifferences(col('body', 'text'), { ...live, storage: 'main' })).toEqual(['storage']);
    expect(columnDifferences(col('body', 'text', { compression: 'lz4', statistics: 10 }), live)).toEqual(['compression', 'statistics']);
  });
});

describe('live fingerprints', () => {
  it('leave out the live-only type storage and TOAST facts, so plans recorded before them still apply', () => {
    const before = model({ tables: [table('t', [col('body', 'text')])] });
    const after = model({ tables: [table('t', [col('body', 'text', { typeStorage: 'extended' })], { toastless: true })] });
    expect(liveFingerprint(after)).toBe(liveFingerprint(before));
    expect(objectFingerprints(after)).toEqual(objectFingerprints(before));
  });
});
