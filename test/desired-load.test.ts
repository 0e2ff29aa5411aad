/**
 * Valid desired-state documents load into the expected canonical model: serial expansion,
 * PostgreSQL's default names, canonical types, enum resolution, overloads, every default.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, formatPath, loadDesiredState, loadDesiredStateFromText, validateFile } from '../src/desired/index.js';
import { loadYaml } from '../src/desired/load-yaml.js';
import type { DesiredState, Table } from '../src/model/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function load(text: string): Promise<DesiredState> {
  try {
    return await loadDesiredStateFromText(text, 'schema.yaml');
  } catch (error) {
    const diagnostics = (error as { diagnostics?: readonly Parameters<typeof formatDiagnostic>[0][] }).diagnostics ?? [];
    throw new Error(`expected a valid document:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  }
}

function table(state: DesiredState, name: string, schema = 'public'): Table {
  const found = state.model.tables.find((t) => t.schema === schema && t.name === name);
  if (found === undefined) throw new Error(`no table ${schema}.${name}`);
  return found;
}

function column(t: Table, name: string) {
  const found = t.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no column ${name} in ${t.name}`);
  return found;
}

let temp = '';
beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'pgreconcile-load-'));
});
afterAll(() => {
  if (temp !== '') rmSync(temp, { recursive: true, force: true });
});

describe('serial expansion', () => {
  it('expands serial, bigserial and smallserial into a type, NOT NULL, a nextval default and an owned sequence', async () => {
    const state = await load(`version: 1
schemas:
  public:
    tables:
      users:
        columns:
          id: { type: serial }
          big: { type: bigserial }
          small: { type: smallserial }
        primary_key: [id]
`);
    const users = table(state, 'users');
    expect(users.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)" },
      { name: 'big', type: 'bigint', nullable: false, default: "nextval('users_big_seq'::regclass)" },
      { name: 'small', type: 'smallint', nullable: false, default: "nextval('users_small_seq'::regclass)" },
    ]);
    expect(state.model.sequences).toEqual([
      {
        schema: 'public',
        name: 'users_big_seq',
        type: 'bigint',
        start: '1',
        increment: '1',
        minValue: '1',
        maxValue: '9223372036854775807',
        cache: '1',
        cycle: false,
        ownedBy: { schema: 'public', table: 'users', column: 'big' },
      },
      {
        schema: 'public',
        name: 'users_id_seq',
        type: 'integer',
        start: '1',
        increment: '1',
        minValue: '1',
        maxValue: '2147483647',
        cache: '1',
        cycle: false,
        ownedBy: { schema: 'public', table: 'users', column: 'id' },
      },
      {
        schema: 'public',
        name: 'users_small_seq',
        type: 'smallint',
        start: '1',
        increment: '1',
        minValue: '1',
        maxValue: '32767',
        cache: '1',
        cycle: false,
        ownedBy: { schema: 'public', table: 'users', column: 'small' },
      },
    ]);
  });

  it('qualifies the sequence outside public and quotes it as regclass output does', async () => {
    const state = await load(`version: 1
schemas:
  app:
    tables:
      Orders:
        columns:
          id: { type: serial }
      order:
        columns:
          id: { type: serial }
  public:
    tables:
      MyTable:
        columns:
          id: { type: serial4 }
`);
    expect(column(table(state, 'Orders', 'app'), 'id').default).toBe(`nextval('app."Orders_id_seq"'::regclass)`);
    expect(column(table(state, 'order', 'app'), 'id').default).toBe(`nextval('app.order_id_seq'::regclass)`);
    expect(column(table(state, 'MyTable'), 'id').default).toBe(`nextval('"MyTable_id_seq"'::regclass)`);
    expect(state.model.sequences.map((s) => `${s.schema}.${s.name}`)).toEqual([
      'app.Orders_id_seq',
      'app.order_id_seq',
      'public.MyTable_id_seq',
    ]);
  });

  // Expected names checked against PostgreSQL 15.
  it('truncates derived names to 63 bytes as PostgreSQL does', async () => {
    const name = 'tbl_with_a_name_of_exactly_sixty_three_bytes_to_test_truncation';
    const state = await load(`version: 1
schemas:
  public:
    tables:
      ${name}:
        columns:
          id: { type: serial }
        primary_key: [id]
`);
    const t = table(state, name);
    expect(t.primaryKey?.name).toBe('tbl_with_a_name_of_exactly_sixty_three_bytes_to_test_trunc_pkey');
    expect(state.model.sequences[0]?.name).toBe('tbl_with_a_name_of_exactly_sixty_three_bytes_to_test_tru_id_seq');
  });
});

describe('default names and constraint defaults', () => {
  it('names keys, checks and foreign keys as PostgreSQL would, with every default filled in', async () => {
    const state = await load(`version: 1
schemas:
  public:
    tables:
      users:
        columns:
          id: { type: integer }
          name: { type: text }
          email: { type: text }
        primary_key: [id]
        unique:
          - columns: [email]
          - columns: [name, email]
            nulls_not_distinct: true
        checks:
          - expression: char_length(name) > 0
          - expression: char_length(name) < 100
          - expression: name <> email
          - name: chk_named
            expression: id > 0
            validated: false
      orders:
        columns:
          user_id: { type: integer }
          email: { type: text }
        primary_key: { name: orders_pk, columns: [user_id] }
        foreign_keys:
          - columns: [user_id]
            references: { table: users, columns: [id] }
            validated: true
          - columns: [email]
            references: { table: users, columns: [email] }
            on_delete: set null
            match: full
            deferrable: true
            initially_deferred: true
            not_valid: true
`);
    const users = table(state, 'users');
    expect(users.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(column(users, 'id').nullable).toBe(false);
    expect(column(users, 'name').nullable).toBe(true);
    expect(users.uniques).toEqual([
      { name: 'users_email_key', columns: ['email'], nullsNotDistinct: false, deferrable: false, initiallyDeferred: false },
      { name: 'users_name_email_key', columns: ['name', 'email'], nullsNotDistinct: true, deferrable: false, initiallyDeferred: false },
    ]);
    expect(users.checks.map((c) => c.name)).toEqual(['chk_named', 'users_check', 'users_name_check', 'users_name_check1']);
    expect(users.checks.find((c) => c.name === 'users_name_check')).toEqual({
      name: 'users_name_check',
      expression: 'char_length(name) > 0',
      noInherit: false,
      notValid: false,
    });
    // validated: false is notValid; on the foreign key below, so is the older spelling not_valid: true.
    expect(users.checks.find((c) => c.name === 'chk_named')?.notValid).toBe(true);
    const orders = table(state, 'orders');
    expect(orders.primaryKey?.name).toBe('orders_pk');
    expect(orders.foreignKeys).toEqual([
      {
        name: 'orders_email_fkey',
        columns: ['email'],
        references: { schema: 'public', table: 'users', columns: ['email'] },
        onDelete: 'set null',
        onUpdate: 'no action',
        match: 'full',
        deferrable: true,
        initiallyDeferred: true,
        notValid: true,
      },
      {
        name: 'orders_user_id_fkey',
        columns: ['user_id'],
        references: { schema: 'public', table: 'users', columns: ['id'] },
        onDelete: 'no action',
        onUpdate: 'no action',
        match: 'simple',
        deferrable: false,
        initiallyDeferred: false,
        notValid: false,
      },
    ]);
  });

  it('fills index defaults: btree, asc nulls last, desc nulls first, storage parameters as lower-case text', async () => {
    const state = await load(`version: 1
extensions:
  vector:
schemas:
  public:
    tables:
      docs:
        columns:
          id: { type: integer }
          title: { type: text }
          created_at: { type: timestamptz }
          embedding: { type: vector(3) }
        indexes:
          idx_docs_title: { columns: [title] }
          idx_docs_recent:
            columns:
              - { column: created_at, order: desc }
              - { expression: lower(title), opclass: text_pattern_ops, collation: "C" }
            include: [id]
            where: created_at IS NOT NULL
            with: { FillFactor: 90 }
            unique: true
            comment: newest first
          idx_docs_embedding:
            columns: [{ column: embedding, opclass: vector_cosine_ops }]
            using: IVFFlat
            with: { lists: 100 }
`);
    const docs = table(state, 'docs');
    expect(docs.indexes).toEqual([
      {
        name: 'idx_docs_embedding',
        unique: false,
        nullsNotDistinct: false,
        using: 'ivfflat',
        keys: [{ column: 'embedding', opclass: 'vector_cosine_ops', order: 'asc', nulls: 'last' }],
        include: [],
        with: { lists: '100' },
      },
      {
        name: 'idx_docs_recent',
        unique: true,
        nullsNotDistinct: false,
        using: 'btree',
        keys: [
          { column: 'created_at', order: 'desc', nulls: 'first' },
          { expression: 'lower(title)', collation: 'C', opclass: 'text_pattern_ops', order: 'asc', nulls: 'last' },
        ],
        include: ['id'],
        where: 'created_at IS NOT NULL',
        with: { fillfactor: '90' },
        comment: 'newest first',
      },
      {
        name: 'idx_docs_title',
        unique: false,
        nullsNotDistinct: false,
        using: 'btree',
        keys: [{ column: 'title', order: 'asc', nulls: 'last' }],
        include: [],
        with: {},
      },
    ]);
    expect(column(docs, 'embedding').type).toBe('vector(3)');
  });
});

describe('canonical types and enums', () => {
  it('canonicalises type spellings', async () => {
    const state = await load(`version: 1
schemas:
  public:
    tables:
      t:
        columns:
          a: { type: int }
          b: { type: int4 }
          c: { type: varchar(255) }
          d: { type: timestamptz }
          e: { type: "int[]" }
          f: { type: "numeric(10,2)" }
          g: { type: timestamp }
          h: { type: bool }
          i: { type: character varying }
          j: { type: double precision }
`);
    expect(table(state, 't').columns.map((c) => c.type)).toEqual([
      'integer',
      'integer',
      'character varying(255)',
      'timestamp with time zone',
      'integer[]',
      'numeric(10,2)',
      'timestamp without time zone',
      'boolean',
      'character varying',
      'double precision',
    ]);
  });

  it('resolves unqualified enums to the table schema first, then public; qualifies only outside public', async () => {
    const state = await load(`version: 1
schemas:
  public:
    enums:
      mood: { values: [happy, sad] }
      status: { values: [new, done] }
  app:
    enums:
      mood: { values: [ok, { name: glad, renamed_from: content }, cross], comment: app moods }
    tables:
      people:
        columns:
          mood: { type: mood }
          moods: { type: "mood[]" }
          status: { type: status, default: "'new'" }
          public_mood: { type: public.mood }
          app_mood: { type: app.mood }
  audit:
    tables:
      entries:
        columns:
          mood: { type: mood }
          app_mood: { type: "app.mood[]" }
`);
    expect(table(state, 'people', 'app').columns.map((c) => c.type)).toEqual(['app.mood', 'app.mood[]', 'status', 'mood', 'app.mood']);
    expect(table(state, 'entries', 'audit').columns.map((c) => c.type)).toEqual(['mood', 'app.mood[]']);
    expect(state.model.enums).toEqual([
      { schema: 'app', name: 'mood', values: ['ok', 'glad', 'cross'], renamedValues: { glad: 'content' }, comment: 'app moods' },
      { schema: 'public', name: 'mood', values: ['happy', 'sad'] },
      { schema: 'public', name: 'status', values: ['new', 'done'] },
    ]);
    expect(state.model.schemas.map((s) => s.name)).toEqual(['app', 'audit', 'public']);
  });
});

describe('functions, triggers and sequences', () => {
  it('loads overloads keyed by argument types, with function defaults', async () => {
    const state = await load(`version: 1
schemas:
  public:
    functions:
      "add(integer, integer)":
        arguments: [{ name: a, type: int }, { name: b, type: int4 }]
        returns: integer
        language: sql
        volatility: immutable
        body: SELECT a + b
      "add(bigint, bigint)":
        arguments: [{ name: a, type: int8 }, { name: b, type: bigint, default: 0 }]
        returns: bigint
        language: SQL
        strict: true
        parallel: safe
        set: { Search_Path: "public, pg_temp", work_mem: 64MB }
        body: SELECT a + b
      touch:
        returns: trigger
        language: plpgsql
        security: definer
        body: |
          BEGIN
            NEW.updated_at := now();
            RETURN NEW;
          END;
`);
    const fns = state.model.functions.map((f) => ({ name: f.name, args: f.arguments.map((a) => a.type).join(', ') }));
    expect(fns).toEqual([
      { name: 'add', args: 'bigint, bigint' },
      { name: 'add', args: 'integer, integer' },
      { name: 'touch', args: '' },
    ]);
    expect(state.model.functions[0]).toEqual({
      schema: 'public',
      name: 'add',
      arguments: [
        { name: 'a', type: 'bigint', mode: 'in' },
        { name: 'b', type: 'bigint', mode: 'in', default: '0' },
      ],
      returns: 'bigint',
      language: 'sql',
      body: 'SELECT a + b',
      volatility: 'volatile',
      strict: true,
      security: 'invoker',
      leakproof: false,
      parallel: 'safe',
      config: { search_path: 'public, pg_temp', work_mem: '64MB' },
    });
    expect(state.model.functions[1]).toMatchObject({ volatility: 'immutable', strict: false, parallel: 'unsafe', config: {} });
    expect(state.model.functions[2]).toMatchObject({
      returns: 'trigger',
      security: 'definer',
      body: 'BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n',
    });
  });

  it('fills trigger defaults and maps enabled', async () => {
    const state = await load(`version: 1
schemas:
  util:
    functions:
      audit: { returns: trigger, language: plpgsql, body: "BEGIN RETURN NULL; END;" }
  public:
    functions:
      touch: { returns: trigger, language: plpgsql, body: "BEGIN RETURN NEW; END;" }
    tables:
      t:
        columns:
          a: { type: integer }
          updated_at: { type: timestamptz }
        triggers:
          t_stmt: { timing: after, events: [truncate, insert], function: util.audit, arguments: [x, 5] }
          t_row:
            timing: before
            events: [update, insert]
            update_of: [a]
            for_each: row
            when: NEW.a IS DISTINCT FROM 0
            function: touch
            enabled: false
          t_replica: { timing: after, events: [delete], function: util.audit, enabled: replica }
          t_always: { timing: after, events: [delete], function: util.audit, enabled: always }
          t_on: { timing: after, events: [delete], function: util.audit, enabled: true }
`);
    const triggers = table(state, 't').triggers;
    expect(triggers.find((t) => t.name === 't_stmt')).toEqual({
      name: 't_stmt',
      timing: 'after',
      events: ['insert', 'truncate'],
      updateOf: [],
      level: 'statement',
      function: { schema: 'util', name: 'audit' },
      arguments: ['x', '5'],
      enabled: 'origin',
    });
    expect(triggers.find((t) => t.name === 't_row')).toEqual({
      name: 't_row',
      timing: 'before',
      events: ['insert', 'update'],
      updateOf: ['a'],
      level: 'row',
      when: 'NEW.a IS DISTINCT FROM 0',
      function: { schema: 'public', name: 'touch' },
      arguments: [],
      enabled: 'disabled',
    });
    expect(Object.fromEntries(triggers.map((t) => [t.name, t.enabled]))).toEqual({
      t_always: 'always',
      t_on: 'origin',
      t_replica: 'replica',
      t_row: 'disabled',
      t_stmt: 'origin',
    });
  });

  it('fills sequence defaults as CREATE SEQUENCE, keeping large numbers exact', async () => {
    const state = await load(`version: 1
schemas:
  public:
    sequences:
      plain:
      invoice_number_seq:
        start: 1000
        max_value: 9223372036854775806
        owned_by: invoices.number
        comment: invoice numbers
      countdown: { type: integer, increment: -1 }
      small: { type: smallint, min_value: "-5", cycle: true, cache: 20 }
    tables:
      invoices:
        columns:
          number: { type: bigint }
          handle: { type: bigint, identity: { kind: by default, start: 100, increment: 1, cycle: false } }
          code: { type: integer, identity: always }
`);
    const byName = Object.fromEntries(state.model.sequences.map((s) => [s.name, s]));
    expect(byName['plain']).toEqual({
      schema: 'public',
      name: 'plain',
      type: 'bigint',
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775807',
      cache: '1',
      cycle: false,
    });
    expect(byName['invoice_number_seq']).toEqual({
      schema: 'public',
      name: 'invoice_number_seq',
      type: 'bigint',
      start: '1000',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775806',
      cache: '1',
      cycle: false,
      ownedBy: { schema: 'public', table: 'invoices', column: 'number' },
      comment: 'invoice numbers',
    });
    expect(byName['countdown']).toMatchObject({ type: 'integer', start: '-1', increment: '-1', minValue: '-2147483648', maxValue: '-1' });
    expect(byName['small']).toMatchObject({ type: 'smallint', start: '-5', minValue: '-5', maxValue: '32767', cache: '20', cycle: true });
    const invoices = table(state, 'invoices');
    expect(column(invoices, 'handle')).toEqual({
      name: 'handle',
      type: 'bigint',
      nullable: false,
      identity: { kind: 'by default', start: '100' },
    });
    expect(column(invoices, 'code')).toEqual({ name: 'code', type: 'integer', nullable: false, identity: { kind: 'always' } });
  });
});

describe('the rest of the file', () => {
  it('keeps extensions, external tables, ignore patterns, comments, renames and the file hash', async () => {
    const text = `version: 1
extensions:
  vector: { schema: public, version: "0.8.0" }
  pgcrypto: {}
ignore: ["public.tmp_*", "audit.*"]
external: [auth.users, legacy]
schemas:
  public:
    comment: standard public schema
    tables:
      profiles:
        comment: people
        renamed_from: users
        columns:
          user_id: { type: uuid, default: gen_random_uuid() }
          title: { type: text, comment: shown, renamed_from: old_title, collation: "C" }
          amount: { type: bigint, using: "amount::bigint", default: 0 }
          active: { type: boolean, default: true }
          total: { type: "numeric(10,2)", generated: amount * 2 }
        foreign_keys:
          - columns: [user_id]
            references: { table: auth.users, columns: [id] }
          - columns: [title]
            references: { schema: public, table: legacy, columns: [title] }
            name: profiles_legacy_fk
`;
    const path = join(temp, 'full.yaml');
    writeFileSync(path, text);
    const state = await loadDesiredState(path);
    expect(state.model.extensions).toEqual([{ name: 'pgcrypto' }, { name: 'vector', schema: 'public', version: '0.8.0' }]);
    expect(state.ignore).toEqual(['public.tmp_*', 'audit.*']);
    expect(state.external).toEqual([
      { schema: 'auth', name: 'users' },
      { schema: 'public', name: 'legacy' },
    ]);
    expect(state.model.schemas).toEqual([{ name: 'public', comment: 'standard public schema' }]);
    expect(state.source).toEqual({ path, hash: createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex') });
    const profiles = table(state, 'profiles');
    expect(profiles.comment).toBe('people');
    expect(profiles.renamedFrom).toBe('users');
    expect(profiles.columns).toEqual([
      { name: 'user_id', type: 'uuid', nullable: true, default: 'gen_random_uuid()' },
      { name: 'title', type: 'text', nullable: true, collation: 'C', comment: 'shown', renamedFrom: 'old_title' },
      { name: 'amount', type: 'bigint', nullable: true, default: '0', using: 'amount::bigint' },
      { name: 'active', type: 'boolean', nullable: true, default: 'true' },
      { name: 'total', type: 'numeric(10,2)', nullable: true, generated: 'amount * 2' },
    ]);
    expect(profiles.foreignKeys.map((f) => [f.name, f.references])).toEqual([
      ['profiles_legacy_fk', { schema: 'public', table: 'legacy', columns: ['title'] }],
      ['profiles_user_id_fkey', { schema: 'auth', table: 'users', columns: ['id'] }],
    ]);
  });

  it('hashes the file bytes, a byte-order mark included', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('version: 1\nschemas:\n  app:\n', 'utf8')]);
    const path = join(temp, 'bom.yaml');
    writeFileSync(path, bytes);
    const state = await loadDesiredState(path);
    expect(state.source?.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(state.model.schemas).toEqual([{ name: 'public' }, { name: 'app' }].sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it('accepts aliases and keeps positions of SQL fragments in block scalars', async () => {
    const text = `version: 1
schemas:
  public:
    tables:
      a:
        columns:
          created_at: &ts { type: timestamptz, nullable: false, default: now() }
          updated_at: *ts
    functions:
      f:
        returns: integer
        language: sql
        body: |
          SELECT 1
            + 2
`;
    const state = await load(text);
    expect(column(table(state, 'a'), 'updated_at')).toEqual({
      name: 'updated_at',
      type: 'timestamp with time zone',
      nullable: false,
      default: 'now()',
    });
    const loaded = loadYaml(text, 'schema.yaml');
    if (!loaded.ok) throw new Error('expected the YAML to load');
    const path = ['schemas', 'public', 'functions', 'f', 'body'];
    const body = 'SELECT 1\n  + 2\n';
    expect(loaded.doc.map.fragmentPosition(path, body, body.indexOf('+'))).toEqual({ line: 15, column: 13 });
    expect(loaded.doc.map.fragmentPosition(path, body, 0)).toEqual({ line: 14, column: 11 });
    expect(loaded.doc.map.position(['schemas', 'public', 'tables', 'a', 'columns', 'updated_at'])).toEqual({ line: 8, column: 23 });
    expect(loaded.doc.map.position(['schemas', 'public', 'tables', 'a', 'columns', 'updated_at'], 'key')).toEqual({ line: 8, column: 11 });
  });

  it('writes document paths with brackets for keys holding dots or spaces', () => {
    expect(formatPath(['schemas', 'public', 'tables', 'my table', 'columns', 'a.b'])).toBe(
      'schemas.public.tables["my table"].columns["a.b"]',
    );
    expect(formatPath(['schemas', 'public', 'tables', 't', 'unique', 2, 'columns'])).toBe('schemas.public.tables.t.unique[2].columns');
    expect(formatPath([])).toBe('');
  });

  it.runIf(existsSync(join(ROOT, 'schema.yaml')))('loads the Slidefactory schema.yaml at the repository root', async () => {
    const result = await validateFile(join(ROOT, 'schema.yaml'));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const users = table(result.state as DesiredState, 'app_users');
    expect(column(users, 'id')).toMatchObject({ type: 'integer', nullable: false, default: "nextval('app_users_id_seq'::regclass)" });
  });
});
