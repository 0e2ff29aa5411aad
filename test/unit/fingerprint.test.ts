import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import { fingerprintModel, liveFingerprint, normalizeFunctionBody, sha256, stableStringify } from '../../src/model/fingerprint.js';
import { normalizeModel } from '../../src/model/normalize.js';
import { emptyModel } from '../../src/model/types.js';
import type { FunctionDef, SchemaModel, Table } from '../../src/model/types.js';

beforeAll(async () => {
  await initParser();
});

function table(name: string, overrides: Partial<Table> = {}): Table {
  return {
    schema: 'public',
    name,
    columns: [
      { name: 'id', type: 'integer', nullable: false, default: `nextval('${name}_id_seq'::regclass)` },
      { name: 'state', type: 'mood', nullable: false, default: "'pending'::mood" },
    ],
    primaryKey: { name: `${name}_pkey`, columns: ['id'] },
    uniques: [],
    checks: [
      { name: 'b_check', expression: "(state = ANY (ARRAY['pending'::mood, 'done'::mood]))", noInherit: false, notValid: false },
      { name: 'a_check', expression: '(id > 0)', noInherit: false, notValid: false },
    ],
    foreignKeys: [],
    indexes: [],
    triggers: [
      {
        name: 't_trg',
        timing: 'before',
        events: ['update', 'insert'],
        updateOf: [],
        level: 'row',
        function: { schema: 'public', name: 'touch' },
        arguments: [],
        enabled: 'origin',
      },
    ],
    ...overrides,
  };
}

const touch: FunctionDef = {
  schema: 'public',
  name: 'touch',
  arguments: [],
  returns: 'trigger',
  language: 'plpgsql',
  body: '\nBEGIN\n  RETURN NEW;\nEND;\n',
  volatility: 'volatile',
  strict: false,
  security: 'invoker',
  leakproof: false,
  parallel: 'unsafe',
  config: {},
};

const live: SchemaModel = {
  ...emptyModel(),
  extensions: [{ name: 'pgcrypto' }, { name: 'citext' }],
  enums: [{ schema: 'public', name: 'mood', values: ['pending', 'done'] }],
  functions: [touch],
  tables: [table('b'), table('a')],
};

describe('normalizeModel', () => {
  it('sorts unordered lists and keeps ordered ones', () => {
    const normal = normalizeModel(live);
    expect(normal.extensions.map((e) => e.name)).toEqual(['citext', 'pgcrypto']);
    expect(normal.tables.map((t) => t.name)).toEqual(['a', 'b']);
    expect(normal.tables[0]?.checks.map((c) => c.name)).toEqual(['a_check', 'b_check']);
    expect(normal.tables[0]?.columns.map((c) => c.name)).toEqual(['id', 'state']);
    expect(normal.tables[0]?.triggers[0]?.events).toEqual(['insert', 'update']);
    expect(normal.enums[0]?.values).toEqual(['pending', 'done']);
  });

  it('does not mutate its input', () => {
    const before = JSON.stringify(live);
    normalizeModel(live);
    expect(JSON.stringify(live)).toBe(before);
  });
});

describe('fingerprintModel', () => {
  it('leaves out the empty lists of kinds added after fingerprints were first recorded, so older fingerprints still match', () => {
    // What the version before collations (0db0982) computed for an empty model.
    expect(fingerprintModel(emptyModel())).toBe('130850e80e9200eaa663cee60c86fdadcad960254e70b2f49d56ab297dbd26de');
    expect(liveFingerprint(emptyModel())).toBe('ee4112c625b1b13e19db878490cd531af7a063edd8d3850be3f52f3a3e5ae6ff');
    const withOne: SchemaModel = {
      ...emptyModel(),
      collations: [{ schema: 'public', name: 'c', provider: 'libc', lcCollate: 'C', lcCtype: 'C', deterministic: true }],
    };
    expect(fingerprintModel(withOne)).not.toBe(fingerprintModel(emptyModel()));
    expect(liveFingerprint(withOne)).not.toBe(liveFingerprint(emptyModel()));
  });

  it('is the same for models that describe the same schema', () => {
    const desired: SchemaModel = {
      ...emptyModel(),
      extensions: [{ name: 'pgcrypto' }, { name: 'citext' }].reverse(),
      enums: [{ schema: 'public', name: 'mood', values: ['pending', 'done'] }],
      functions: [{ ...touch, body: 'BEGIN\n  RETURN NEW;\nEND;' }],
      tables: [
        table('a', {
          columns: [
            { name: 'id', type: 'integer', nullable: false, default: "nextval('a_id_seq')", renamedFrom: 'old_id' },
            { name: 'state', type: 'mood', nullable: false, default: "'pending'" },
          ],
          checks: [
            { name: 'a_check', expression: 'id > 0', noInherit: false, notValid: false },
            { name: 'b_check', expression: "state IN ('pending', 'done')", noInherit: false, notValid: false },
          ],
        }),
        table('b'),
      ],
    };
    expect(fingerprintModel(desired)).toBe(fingerprintModel(live));
    expect(fingerprintModel(live)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when the schema differs', () => {
    const changed: SchemaModel = { ...live, tables: [table('a'), table('b', { comment: 'x' })] };
    expect(fingerprintModel(changed)).not.toBe(fingerprintModel(live));
    const columnOrder: SchemaModel = {
      ...live,
      tables: [table('a', { columns: [...table('a').columns].reverse() }), table('b')],
    };
    expect(fingerprintModel(columnOrder)).not.toBe(fingerprintModel(live));
    const check: SchemaModel = {
      ...live,
      tables: [table('a', { checks: [{ name: 'a_check', expression: 'id >= 0', noInherit: false, notValid: false }] }), table('b')],
    };
    expect(fingerprintModel(check)).not.toBe(fingerprintModel(live));
  });
});

describe('helpers', () => {
  it('stableStringify sorts keys and drops undefined', () => {
    expect(stableStringify({ b: 1, a: undefined, c: [2, undefined], d: { z: 1, y: null } })).toBe(
      '{"b":1,"c":[2,null],"d":{"y":null,"z":1}}',
    );
  });

  it('sha256 is hex', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('normalizeFunctionBody trims surrounding blank lines', () => {
    expect(normalizeFunctionBody('\n\n  BEGIN\n  END;\n  \n')).toBe('  BEGIN\n  END;');
  });
});
