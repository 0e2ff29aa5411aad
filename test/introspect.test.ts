import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { introspect, matchesIgnore } from '../src/introspect/index.js';
import type { LiveSchema } from '../src/introspect/index.js';
import { identityOptions, triggerArguments, triggerType } from '../src/introspect/catalog-codes.js';
import { expressionKeyCollation } from '../src/kinds/index/introspect.js';
import { triggerWhen } from '../src/kinds/trigger/introspect.js';
import { splitTopLevel, upcaseRowQualifiers } from '../src/introspect/sql-text.js';
import type { FunctionDef, SchemaModel, Table } from '../src/model/types.js';
import { useTestDatabase } from './support/harness.js';
import { nameKey } from '../src/model/object-ref.js';

/** Lists whose order carries no meaning, sorted by name, so expectations do not depend on normalisation. */
function sortedTable(table: Table): Table {
  const byName = <T extends { readonly name: string }>(xs: readonly T[]): T[] =>
    [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    ...table,
    uniques: byName(table.uniques),
    checks: byName(table.checks),
    foreignKeys: byName(table.foreignKeys),
    indexes: byName(table.indexes),
    triggers: byName(table.triggers),
  };
}

/**
 * A live table, its lists sorted, its columns without `typeStorage` (the storage their type
 * gives them, a live-only fact the storage comparison reads; test/cases/table-options/ covers it).
 */
function table(model: SchemaModel, schema: string, name: string): Table {
  const found = model.tables.find((t) => t.schema === schema && t.name === name);
  if (found === undefined) throw new Error(`table ${schema}.${name} not in the model`);
  const columns = found.columns.map(({ typeStorage: _typeStorage, ...column }) => column);
  return sortedTable({ ...found, columns });
}

function fn(model: SchemaModel, schema: string, name: string): FunctionDef {
  const found = model.functions.find((f) => f.schema === schema && f.name === name);
  if (found === undefined) throw new Error(`function ${schema}.${name} not in the model`);
  return found;
}

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const qualifiedNames = (xs: readonly { schema: string; name: string }[]): string[] => xs.map((x) => `${x.schema}.${x.name}`).sort();

describe('catalog decoding (no database)', () => {
  it('decodes trigger type bits', () => {
    // BEFORE | ROW | UPDATE
    expect(triggerType(2 | 1 | 16)).toEqual({ timing: 'before', events: ['update'], level: 'row' });
    // AFTER, statement, INSERT | DELETE | TRUNCATE
    expect(triggerType(4 | 8 | 32)).toEqual({ timing: 'after', events: ['insert', 'delete', 'truncate'], level: 'statement' });
    expect(triggerType(64 | 1 | 4)).toEqual({ timing: 'instead of', events: ['insert'], level: 'row' });
  });

  it('decodes NUL-separated trigger arguments, empty ones included', () => {
    expect(triggerArguments(Buffer.from("a\0it's\0\0", 'utf8').toString('hex'), 3)).toEqual(['a', "it's", '']);
    expect(triggerArguments(Buffer.from('é\0', 'utf8').toString('hex'), 1)).toEqual(['é']);
  });

  it('keeps identity options that differ from what CREATE SEQUENCE would choose', () => {
    const seq = { start: '1', increment: '1', minValue: '1', maxValue: '2147483647', cache: '1', cycle: false };
    expect(identityOptions('always', 'integer', seq)).toEqual({ kind: 'always' });
    expect(identityOptions('by default', 'bigint', { ...seq, maxValue: '9223372036854775807', start: '100' })).toEqual({
      kind: 'by default',
      start: '100',
    });
    // A declared minimum moves the default start with it.
    expect(identityOptions('always', 'integer', { ...seq, minValue: '10', start: '10' })).toEqual({ kind: 'always', minValue: '10' });
    // Descending: min = type min, max = -1, start = max.
    expect(identityOptions('always', 'smallint', { ...seq, increment: '-1', minValue: '-32768', maxValue: '-1', start: '-1' })).toEqual({
      kind: 'always',
      increment: '-1',
    });
  });

  it('cuts the WHEN condition out of a trigger definition and writes OLD/NEW in capitals', () => {
    const def =
      `CREATE TRIGGER "WHEN (x)" BEFORE UPDATE ON t FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a AND new.b <> 'old.b)') ` +
      `EXECUTE FUNCTION f('WHEN (')`;
    expect(triggerWhen(def, () => 'trigger')).toBe(`OLD.a IS DISTINCT FROM NEW.a AND NEW.b <> 'old.b)'`);
    expect(upcaseRowQualifiers('renew.x = old.* AND "old".y = new_x.z')).toBe('renew.x = OLD.* AND "old".y = new_x.z');
  });

  it('splits argument lists at top-level commas only', () => {
    expect(splitTopLevel(`a integer, b text DEFAULT 'x, y'::text, "c,d" numeric(10,2)`)).toEqual([
      'a integer',
      `b text DEFAULT 'x, y'::text`,
      '"c,d" numeric(10,2)',
    ]);
    expect(splitTopLevel('')).toEqual([]);
  });

  it('reads the COLLATE of an expression key from the index definition', () => {
    const def = 'CREATE INDEX "a, b" ON t USING btree (lower(b), lower(a) COLLATE "C" DESC, (n + 1), b) INCLUDE (n)';
    expect(expressionKeyCollation(def, 0, 'lower(b)')).toBeUndefined();
    expect(expressionKeyCollation(def, 1, 'lower(a)')).toBe('C');
    expect(expressionKeyCollation(def, 2, '(n + 1)')).toBeUndefined();
    expect(expressionKeyCollation('CREATE INDEX i ON t USING btree (lower(a) COLLATE app."de x")', 0, 'lower(a)')).toBe('app.de x');
  });

  it('matches ignore globs over schema.name', () => {
    expect(matchesIgnore(['tmp_*'], 'public', 'tmp_load')).toBe(true);
    expect(matchesIgnore(['tmp_*'], 'app', 'tmp_load')).toBe(false);
    expect(matchesIgnore(['public.tmp_?'], 'public', 'tmp_1')).toBe(true);
    expect(matchesIgnore(['public.tmp_?'], 'public', 'tmp_12')).toBe(false);
    expect(matchesIgnore(['audit.*'], 'audit', 'events')).toBe(true);
    expect(matchesIgnore(['*.log'], 'app', 'log')).toBe(true);
    expect(matchesIgnore(['a.b+c'], 'a', 'b+c')).toBe(true);
    expect(matchesIgnore(['a.b+c'], 'a', 'bbc')).toBe(false);
    expect(matchesIgnore([], 'public', 'x')).toBe(false);
  });
});

/** Every object kind and attribute, in a public and a non-public schema. */
const EVERY_KIND_SQL = `
CREATE EXTENSION pgcrypto;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application objects';

CREATE TYPE app.mood AS ENUM ('happy', 'content', 'sad');
COMMENT ON TYPE app.mood IS 'how it feels';
CREATE TYPE "Mood" AS ENUM ('Up', 'Down');

CREATE SEQUENCE invoice_number_seq START 1000 INCREMENT 5 MINVALUE 10 MAXVALUE 100000 CACHE 3 CYCLE;
COMMENT ON SEQUENCE invoice_number_seq IS 'invoice numbers';
CREATE SEQUENCE app.small_seq AS smallint;

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION set_updated_at() IS 'keeps updated_at current';

CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$BEGIN RETURN NULL; END$$;

CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE AS 'SELECT a + b';
CREATE FUNCTION app.add(text, text) RETURNS text LANGUAGE sql AS 'SELECT $1 || $2';
CREATE FUNCTION app.pairs(n integer) RETURNS TABLE(i integer, "Label" text)
  LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT g, g::text FROM generate_series(1, n) g $$;
CREATE FUNCTION app.series(n integer) RETURNS SETOF integer LANGUAGE sql AS 'SELECT generate_series(1, n)';
CREATE FUNCTION app.tally(INOUT tag text, VARIADIC xs integer[] DEFAULT '{}', OUT total bigint)
  LANGUAGE sql AS $$ SELECT tag, 0::bigint $$;
CREATE PROCEDURE app.noop() LANGUAGE sql AS 'SELECT 1';
CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer);

CREATE TABLE app_users (
  id serial PRIMARY KEY,
  name varchar(255) NOT NULL,
  email varchar(255) COLLATE "C" NOT NULL,
  created_at timestamp DEFAULT now(),
  updated_at timestamptz,
  handle bigint GENERATED ALWAYS AS IDENTITY,
  ticket integer GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 2 CACHE 10),
  price numeric(10,2),
  quantity integer,
  total numeric(10,2) GENERATED ALWAYS AS (price * quantity) STORED,
  mood app.mood DEFAULT 'happy',
  "Feel" "Mood"[],
  tags text[] DEFAULT '{}',
  CONSTRAINT app_users_email_key UNIQUE (email),
  UNIQUE NULLS NOT DISTINCT (name, email) DEFERRABLE INITIALLY DEFERRED,
  CHECK (char_length(name) > 0),
  CONSTRAINT chk_quantity CHECK (quantity >= 0) NO INHERIT
);
ALTER TABLE app_users ADD CONSTRAINT chk_price CHECK (price > 0) NOT VALID;
COMMENT ON TABLE app_users IS 'people who sign in';
COMMENT ON COLUMN app_users.name IS 'shown in lists';
COMMENT ON CONSTRAINT app_users_email_key ON app_users IS 'one account per address';
COMMENT ON CONSTRAINT app_users_pkey ON app_users IS 'the key';
COMMENT ON CONSTRAINT chk_price ON app_users IS 'positive';

CREATE INDEX idx_app_users_created ON app_users
  (created_at DESC NULLS LAST, name text_pattern_ops, lower(email), upper(name) COLLATE "C")
  INCLUDE (id) WITH (fillfactor = 90) WHERE created_at IS NOT NULL;
COMMENT ON INDEX idx_app_users_created IS 'recent users first';
CREATE INDEX idx_app_users_mood ON app_users USING hash (mood);
CREATE INDEX idx_app_users_tags ON app_users USING gin (tags);
CREATE INDEX idx_app_users_name_first ON app_users (name NULLS FIRST, email COLLATE "POSIX" DESC);
CREATE UNIQUE INDEX idx_app_users_handle ON app_users (handle) NULLS NOT DISTINCT;

CREATE TRIGGER trg_app_users_updated BEFORE UPDATE OF name, email ON app_users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email <> NEW.email) EXECUTE FUNCTION set_updated_at();
COMMENT ON TRIGGER trg_app_users_updated ON app_users IS 'keeps updated_at current';
CREATE TRIGGER trg_app_users_audit AFTER INSERT OR DELETE OR TRUNCATE ON app_users
  FOR EACH STATEMENT EXECUTE FUNCTION app.audit('users', 'it''s', '');
ALTER TABLE app_users DISABLE TRIGGER trg_app_users_audit;

CREATE TABLE app.orders (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL,
  other_user integer,
  code text NOT NULL DEFAULT 'x',
  placed_at timestamptz NOT NULL DEFAULT now(),
  invoice bigint DEFAULT nextval('invoice_number_seq'),
  CONSTRAINT orders_id_code_key UNIQUE (id, code),
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES public.app_users (id)
    ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE app.orders ADD CONSTRAINT orders_other_fk FOREIGN KEY (other_user) REFERENCES app_users (id) NOT VALID;
CREATE TABLE app.order_lines (
  order_id bigint,
  order_code text,
  line integer NOT NULL,
  FOREIGN KEY (order_id, order_code) REFERENCES app.orders (id, code) MATCH FULL ON DELETE SET NULL ON UPDATE SET DEFAULT
);
CREATE CONSTRAINT TRIGGER trg_orders_check AFTER INSERT OR UPDATE ON app.orders
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.audit();
CREATE TRIGGER trg_orders_replica BEFORE INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_orders_always AFTER DELETE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.audit();
CREATE TRIGGER trg_order_lines_changed AFTER UPDATE ON app.order_lines
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION app.audit();
ALTER TABLE app.orders ENABLE REPLICA TRIGGER trg_orders_replica;
ALTER TABLE app.orders ENABLE ALWAYS TRIGGER trg_orders_always;
`;

describe('introspect (real server)', () => {
  const database = useTestDatabase();

  async function load(sql: string, ignore?: readonly string[]): Promise<LiveSchema> {
    const { db } = database();
    await db.exec(sql);
    return introspect(db, ignore === undefined ? {} : { ignore });
  }

  it('round-trips every object kind and attribute', async () => {
    const live = await load(EVERY_KIND_SQL);
    const m = live.model;
    expect(live.serverVersion).toBeGreaterThanOrEqual(140000);

    expect(m.extensions).toEqual([{ name: 'pgcrypto', schema: 'public', version: expect.any(String) }]);
    expect([...m.schemas].sort((a, b) => codeUnitOrder(a.name, b.name))).toEqual([
      { name: 'app', comment: 'application objects' },
      { name: 'public', comment: 'standard public schema' },
    ]);

    expect([...m.enums].sort((a, b) => codeUnitOrder(a.name, b.name))).toEqual([
      { schema: 'public', name: 'Mood', values: ['Up', 'Down'] },
      { schema: 'app', name: 'mood', values: ['happy', 'content', 'sad'], comment: 'how it feels' },
    ]);

    // Serial sequences appear with their owner; identity sequences do not appear at all.
    expect(qualifiedNames(m.sequences)).toEqual(['app.small_seq', 'public.app_users_id_seq', 'public.invoice_number_seq']);
    const seq = (name: string) => m.sequences.find((s) => s.name === name);
    expect(seq('invoice_number_seq')).toEqual({
      schema: 'public',
      name: 'invoice_number_seq',
      type: 'bigint',
      start: '1000',
      increment: '5',
      minValue: '10',
      maxValue: '100000',
      cache: '3',
      cycle: true,
      comment: 'invoice numbers',
    });
    expect(seq('app_users_id_seq')).toEqual({
      schema: 'public',
      name: 'app_users_id_seq',
      type: 'integer',
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '2147483647',
      cache: '1',
      cycle: false,
      ownedBy: { schema: 'public', table: 'app_users', column: 'id' },
    });
    expect(seq('small_seq')).toMatchObject({ schema: 'app', type: 'smallint', maxValue: '32767' });

    // Functions: procedures among them (marked `procedure`), aggregates apart, no pgcrypto
    // functions; overloads kept apart.
    expect(qualifiedNames(m.functions)).toEqual([
      'app.add',
      'app.add',
      'app.audit',
      'app.noop',
      'app.pairs',
      'app.series',
      'app.tally',
      'public.set_updated_at',
    ]);
    expect(fn(m, 'app', 'noop')).toMatchObject({ procedure: true, language: 'sql' });
    expect(qualifiedNames(m.aggregates)).toEqual(['app.total']);
    expect(fn(m, 'public', 'set_updated_at')).toEqual({
      schema: 'public',
      name: 'set_updated_at',
      arguments: [],
      returns: 'trigger',
      language: 'plpgsql',
      body: '\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n',
      volatility: 'volatile',
      strict: false,
      security: 'invoker',
      leakproof: false,
      parallel: 'unsafe',
      config: {},
      comment: 'keeps updated_at current',
    });
    const adds = m.functions.filter((f) => f.name === 'add');
    expect(adds.find((f) => f.arguments[0]?.type === 'integer')).toEqual({
      schema: 'app',
      name: 'add',
      arguments: [
        { name: 'a', type: 'integer', mode: 'in' },
        { name: 'b', type: 'integer', mode: 'in', default: '1' },
      ],
      returns: 'integer',
      language: 'sql',
      body: 'SELECT a + b',
      volatility: 'immutable',
      strict: true,
      security: 'invoker',
      leakproof: true,
      parallel: 'safe',
      config: {},
    });
    expect(adds.find((f) => f.arguments[0]?.type === 'text')?.arguments).toEqual([
      { type: 'text', mode: 'in' },
      { type: 'text', mode: 'in' },
    ]);
    expect(fn(m, 'app', 'audit')).toMatchObject({ security: 'definer', config: { search_path: 'public' } });
    expect(fn(m, 'app', 'pairs')).toMatchObject({
      arguments: [{ name: 'n', type: 'integer', mode: 'in' }],
      returns: 'table(i integer, "Label" text)',
      volatility: 'stable',
      parallel: 'restricted',
    });
    expect(fn(m, 'app', 'series').returns).toBe('setof integer');
    expect(fn(m, 'app', 'tally')).toMatchObject({
      arguments: [
        { name: 'tag', type: 'text', mode: 'inout' },
        { name: 'xs', type: 'integer[]', mode: 'variadic', default: "'{}'::integer[]" },
        { name: 'total', type: 'bigint', mode: 'out' },
      ],
      returns: 'record',
    });

    expect(qualifiedNames(m.tables)).toEqual(['app.order_lines', 'app.orders', 'public.app_users']);

    expect(table(m, 'public', 'app_users')).toEqual({
      schema: 'public',
      name: 'app_users',
      comment: 'people who sign in',
      columns: [
        { name: 'id', type: 'integer', nullable: false, default: "nextval('app_users_id_seq'::regclass)" },
        { name: 'name', type: 'character varying(255)', nullable: false, comment: 'shown in lists' },
        { name: 'email', type: 'character varying(255)', nullable: false, collation: 'C' },
        { name: 'created_at', type: 'timestamp without time zone', nullable: true, default: 'now()' },
        { name: 'updated_at', type: 'timestamp with time zone', nullable: true },
        { name: 'handle', type: 'bigint', nullable: false, identity: { kind: 'always' } },
        {
          name: 'ticket',
          type: 'integer',
          nullable: false,
          identity: { kind: 'by default', start: '100', increment: '2', cache: '10' },
        },
        { name: 'price', type: 'numeric(10,2)', nullable: true },
        { name: 'quantity', type: 'integer', nullable: true },
        { name: 'total', type: 'numeric(10,2)', nullable: true, generated: '(price * (quantity)::numeric)' },
        { name: 'mood', type: 'app.mood', nullable: true, default: "'happy'::app.mood" },
        { name: 'Feel', type: '"Mood"[]', nullable: true },
        { name: 'tags', type: 'text[]', nullable: true, default: "'{}'::text[]" },
      ],
      primaryKey: { name: 'app_users_pkey', columns: ['id'], comment: 'the key' },
      uniques: [
        {
          name: 'app_users_email_key',
          columns: ['email'],
          nullsNotDistinct: false,
          deferrable: false,
          initiallyDeferred: false,
          comment: 'one account per address',
        },
        {
          name: 'app_users_name_email_key',
          columns: ['name', 'email'],
          nullsNotDistinct: true,
          deferrable: true,
          initiallyDeferred: true,
        },
      ],
      checks: [
        { name: 'app_users_name_check', expression: '(char_length((name)::text) > 0)', noInherit: false, notValid: false },
        { name: 'chk_price', expression: '(price > (0)::numeric)', noInherit: false, notValid: true, comment: 'positive' },
        { name: 'chk_quantity', expression: '(quantity >= 0)', noInherit: true, notValid: false },
      ],
      foreignKeys: [],
      indexes: [
        {
          name: 'idx_app_users_created',
          unique: false,
          nullsNotDistinct: false,
          using: 'btree',
          keys: [
            { column: 'created_at', order: 'desc', nulls: 'last' },
            { column: 'name', opclass: 'text_pattern_ops', order: 'asc', nulls: 'last' },
            { expression: 'lower(email::text)', order: 'asc', nulls: 'last' },
            { expression: 'upper(name::text)', collation: 'C', order: 'asc', nulls: 'last' },
          ],
          include: ['id'],
          where: '(created_at IS NOT NULL)',
          with: { fillfactor: '90' },
          comment: 'recent users first',
        },
        {
          name: 'idx_app_users_handle',
          unique: true,
          nullsNotDistinct: true,
          using: 'btree',
          keys: [{ column: 'handle', order: 'asc', nulls: 'last' }],
          include: [],
          with: {},
        },
        {
          name: 'idx_app_users_mood',
          unique: false,
          nullsNotDistinct: false,
          using: 'hash',
          keys: [{ column: 'mood', order: 'asc', nulls: 'last' }],
          include: [],
          with: {},
        },
        {
          name: 'idx_app_users_name_first',
          unique: false,
          nullsNotDistinct: false,
          using: 'btree',
          keys: [
            { column: 'name', order: 'asc', nulls: 'first' },
            { column: 'email', collation: 'POSIX', order: 'desc', nulls: 'first' },
          ],
          include: [],
          with: {},
        },
        {
          name: 'idx_app_users_tags',
          unique: false,
          nullsNotDistinct: false,
          using: 'gin',
          keys: [{ column: 'tags', order: 'asc', nulls: 'last' }],
          include: [],
          with: {},
        },
      ],
      triggers: [
        {
          name: 'trg_app_users_audit',
          timing: 'after',
          events: ['insert', 'delete', 'truncate'],
          updateOf: [],
          level: 'statement',
          function: { schema: 'app', name: 'audit' },
          arguments: ['users', "it's", ''],
          enabled: 'disabled',
        },
        {
          name: 'trg_app_users_updated',
          timing: 'before',
          events: ['update'],
          updateOf: ['name', 'email'],
          level: 'row',
          when: 'OLD.name::text IS DISTINCT FROM NEW.name::text OR OLD.email::text <> NEW.email::text',
          function: { schema: 'public', name: 'set_updated_at' },
          arguments: [],
          enabled: 'origin',
          comment: 'keeps updated_at current',
        },
      ],
    });

    expect(table(m, 'app', 'orders')).toEqual({
      schema: 'app',
      name: 'orders',
      columns: [
        { name: 'id', type: 'bigint', nullable: false, identity: { kind: 'by default' } },
        { name: 'user_id', type: 'integer', nullable: false },
        { name: 'other_user', type: 'integer', nullable: true },
        { name: 'code', type: 'text', nullable: false, default: "'x'::text" },
        { name: 'placed_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
        { name: 'invoice', type: 'bigint', nullable: true, default: "nextval('invoice_number_seq'::regclass)" },
      ],
      primaryKey: { name: 'orders_pkey', columns: ['id'] },
      uniques: [
        {
          name: 'orders_id_code_key',
          columns: ['id', 'code'],
          nullsNotDistinct: false,
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
      checks: [],
      foreignKeys: [
        {
          name: 'orders_other_fk',
          columns: ['other_user'],
          references: { schema: 'public', table: 'app_users', columns: ['id'] },
          onDelete: 'no action',
          onUpdate: 'no action',
          match: 'simple',
          deferrable: false,
          initiallyDeferred: false,
          notValid: true,
        },
        {
          name: 'orders_user_fk',
          columns: ['user_id'],
          references: { schema: 'public', table: 'app_users', columns: ['id'] },
          onDelete: 'cascade',
          onUpdate: 'restrict',
          match: 'simple',
          deferrable: true,
          initiallyDeferred: true,
          notValid: false,
        },
      ],
      indexes: [],
      triggers: [
        {
          name: 'trg_orders_always',
          timing: 'after',
          events: ['delete'],
          updateOf: [],
          level: 'row',
          function: { schema: 'app', name: 'audit' },
          arguments: [],
          enabled: 'always',
        },
        {
          name: 'trg_orders_check',
          timing: 'after',
          events: ['insert', 'update'],
          updateOf: [],
          level: 'row',
          function: { schema: 'app', name: 'audit' },
          arguments: [],
          enabled: 'origin',
          constraint: { deferrable: true, initiallyDeferred: true },
        },
        {
          name: 'trg_orders_replica',
          timing: 'before',
          events: ['insert'],
          updateOf: [],
          level: 'row',
          function: { schema: 'public', name: 'set_updated_at' },
          arguments: [],
          enabled: 'replica',
        },
      ],
    });

    expect(table(m, 'app', 'order_lines').foreignKeys).toEqual([
      {
        name: 'order_lines_order_id_order_code_fkey',
        columns: ['order_id', 'order_code'],
        references: { schema: 'app', table: 'orders', columns: ['id', 'code'] },
        onDelete: 'set null',
        onUpdate: 'set default',
        match: 'full',
        deferrable: false,
        initiallyDeferred: false,
        notValid: false,
      },
    ]);
    expect(table(m, 'app', 'order_lines').primaryKey).toBeUndefined();
    expect(table(m, 'app', 'order_lines').triggers.map((t) => t.when)).toEqual(['OLD.* IS DISTINCT FROM NEW.*']);

    expect(live.stats.get(nameKey('public', 'app_users'))).toEqual({ rows: 0, bytes: expect.any(Number) });
    expect(live.stats.get(nameKey('public', 'app_users'))?.bytes).toBeGreaterThan(0);
    expect([...live.stats.keys()].sort()).toEqual(
      [nameKey('app', 'order_lines'), nameKey('app', 'orders'), nameKey('public', 'app_users')].sort(),
    );
  });

  it('counts rows from reltuples once the table is analysed', async () => {
    const live = await load('CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 500); ANALYZE t;');
    expect(live.stats.get(nameKey('public', 't'))?.rows).toBe(500);
  });

  it('skips objects owned by extensions', async () => {
    const live = await load('CREATE EXTENSION pgcrypto; CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS $$SELECT 1$$;');
    expect(live.model.functions.map((f) => f.name)).toEqual(['mine']);
    expect(live.model.extensions.map((e) => e.name)).toEqual(['pgcrypto']);
  });

  it('skips the pgreconcile ledger schema', async () => {
    const live = await load(`
      CREATE SCHEMA pgreconcile;
      CREATE TABLE pgreconcile.ledger (id serial PRIMARY KEY, note text);
      CREATE TYPE pgreconcile.status AS ENUM ('running');
      CREATE FUNCTION pgreconcile.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE TABLE kept (id int);
    `);
    expect(live.model.schemas.map((s) => s.name)).toEqual(['public']);
    expect(qualifiedNames(live.model.tables)).toEqual(['public.kept']);
    expect(live.model.sequences).toEqual([]);
    expect(live.model.enums).toEqual([]);
    expect(live.model.functions).toEqual([]);
  });

  it('honours ignore globs for tables, enums, sequences, functions and whole schemas', async () => {
    const live = await load(
      `
      CREATE SCHEMA audit;
      CREATE TABLE audit.events (id int);
      CREATE TABLE tmp_load (id serial);
      CREATE TABLE tmp_1 (id int);
      CREATE TABLE kept (id serial, n int);
      CREATE TABLE kept_x (id int);
      CREATE TYPE tmp_enum AS ENUM ('a');
      CREATE TYPE kept_enum AS ENUM ('a');
      CREATE SEQUENCE tmp_seq;
      CREATE FUNCTION tmp_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION kept_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE SCHEMA app;
      CREATE TABLE app.tmp_load (id int);
      CREATE TABLE app.skip_me (id int);
      `,
      ['tmp_*', 'audit.*', 'app.skip_?e', 'public.kept_x'],
    );
    const m = live.model;
    expect(m.schemas.map((s) => s.name).sort()).toEqual(['app', 'public']);
    expect(qualifiedNames(m.tables)).toEqual(['app.tmp_load', 'public.kept']);
    expect(m.enums.map((e) => e.name)).toEqual(['kept_enum']);
    // tmp_seq is ignored by name, tmp_load_id_seq because its table is.
    expect(m.sequences.map((s) => s.name)).toEqual(['kept_id_seq']);
    expect(m.functions.map((f) => f.name)).toEqual(['kept_fn']);
    expect([...live.stats.keys()].sort()).toEqual([nameKey('app', 'tmp_load'), nameKey('public', 'kept')].sort());
  });

  it('keeps quoted, mixed-case, keyword and space-containing names raw', async () => {
    const live = await load(`
      CREATE SCHEMA "My Schema";
      CREATE TYPE "My Schema"."Level" AS ENUM ('Low', 'high value');
      CREATE TABLE "My Schema"."order" (
        "select" integer PRIMARY KEY,
        "User Name" text NOT NULL,
        "Level" "My Schema"."Level",
        CONSTRAINT "Name Check" CHECK ("User Name" <> '')
      );
      CREATE INDEX "Index With ""Quotes""" ON "My Schema"."order" (lower("User Name"));
      CREATE FUNCTION "My Schema"."Touch"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
      CREATE TRIGGER "Touch It" BEFORE UPDATE OF "User Name" ON "My Schema"."order"
        FOR EACH ROW WHEN (OLD."User Name" IS DISTINCT FROM NEW."User Name") EXECUTE FUNCTION "My Schema"."Touch"();
      CREATE TABLE "Refs" (id serial, o integer REFERENCES "My Schema"."order" ("select"));
    `);
    const m = live.model;
    expect(m.schemas.map((s) => s.name).sort()).toEqual(['My Schema', 'public']);
    expect(m.enums).toEqual([{ schema: 'My Schema', name: 'Level', values: ['Low', 'high value'] }]);
    const order = table(m, 'My Schema', 'order');
    expect(order.columns).toEqual([
      { name: 'select', type: 'integer', nullable: false },
      { name: 'User Name', type: 'text', nullable: false },
      { name: 'Level', type: '"My Schema"."Level"', nullable: true },
    ]);
    expect(order.primaryKey).toEqual({ name: 'order_pkey', columns: ['select'] });
    expect(order.checks).toEqual([{ name: 'Name Check', expression: `("User Name" <> ''::text)`, noInherit: false, notValid: false }]);
    expect(order.indexes.map((i) => [i.name, i.keys])).toEqual([
      ['Index With "Quotes"', [{ expression: 'lower("User Name")', order: 'asc', nulls: 'last' }]],
    ]);
    expect(order.triggers).toEqual([
      {
        name: 'Touch It',
        timing: 'before',
        events: ['update'],
        updateOf: ['User Name'],
        level: 'row',
        when: 'OLD."User Name" IS DISTINCT FROM NEW."User Name"',
        function: { schema: 'My Schema', name: 'Touch' },
        arguments: [],
        enabled: 'origin',
      },
    ]);
    const refs = table(m, 'public', 'Refs');
    expect(refs.columns[0]).toEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      default: `nextval('"Refs_id_seq"'::regclass)`,
    });
    expect(refs.foreignKeys[0]?.references).toEqual({ schema: 'My Schema', table: 'order', columns: ['select'] });
    expect(m.sequences.map((s) => [s.name, s.ownedBy])).toEqual([['Refs_id_seq', { schema: 'public', table: 'Refs', column: 'id' }]]);
  });

  it('reports an index left invalid by a failed concurrent build', async () => {
    const { db } = database();
    await db.exec('CREATE TABLE dup (x integer); INSERT INTO dup VALUES (1), (1);');
    await expect(db.exec('CREATE UNIQUE INDEX CONCURRENTLY dup_x_key ON dup (x)')).rejects.toThrow(
      /duplicate|could not create unique index/i,
    );
    const live = await introspect(db);
    expect(table(live.model, 'public', 'dup').indexes).toEqual([
      {
        name: 'dup_x_key',
        unique: true,
        nullsNotDistinct: false,
        using: 'btree',
        keys: [{ column: 'x', order: 'asc', nulls: 'last' }],
        include: [],
        with: {},
        invalid: true,
      },
    ]);
  });

  it('leaves no transaction open and works twice on one connection', async () => {
    const { db } = database();
    await db.exec('CREATE TABLE t (id int)');
    const path = async (): Promise<string | undefined> =>
      (await db.query<{ search_path: string }>(`SELECT current_setting('search_path') AS search_path`)).rows[0]?.search_path;
    const before = await path();
    const first = await introspect(db);
    await db.exec("SET search_path = '$user', public");
    const second = await introspect(db);
    expect(second.model).toEqual(first.model);
    // Still able to write: the read-only transaction has ended and search_path is back.
    await db.exec('CREATE TABLE t2 (id int)');
    expect(await path()).toBe('"$user", public');
    expect(before).toBe('public'); // what every session pgreconcile opens starts with
  });
});

describe('introspect the Slidefactory fixture (pgvector)', () => {
  const database = useTestDatabase({ vector: true });

  it('reads the ivfflat index, the trigger and its function, comments and serial sequences', async () => {
    const { db } = database();
    // The repository's copy of the Slidefactory init.sql (the corpus case that starts from it).
    const fixture = new URL('./cases/fixture/from-init-sql/before.sql', import.meta.url);
    await db.exec(await readFile(fixture, 'utf8'));
    const live = await introspect(db);
    const m = live.model;

    expect(m.extensions.map((e) => e.name).sort()).toEqual(['pgcrypto', 'vector']);
    // Neither pgvector's nor pgcrypto's functions: only the fixture's own.
    expect(m.functions.map((f) => f.name)).toEqual(['set_updated_at']);
    expect(fn(m, 'public', 'set_updated_at')).toMatchObject({
      returns: 'trigger',
      language: 'plpgsql',
      body: '\nBEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND;\n',
    });
    expect(m.enums.map((e) => e.name).sort()).toEqual(['executionstate', 'workflowexecutionstate']);
    expect(m.tables).toHaveLength(15);

    const chunks = table(m, 'public', 'context_chunks');
    expect(chunks.columns.find((c) => c.name === 'embedding')).toEqual({
      name: 'embedding',
      type: 'vector(1024)',
      nullable: true,
      comment: '1024-dimensional embedding used for semantic search',
    });
    expect(chunks.indexes.find((i) => i.name === 'context_chunks_embedding_cosine_idx')).toEqual({
      name: 'context_chunks_embedding_cosine_idx',
      unique: false,
      nullsNotDistinct: false,
      using: 'ivfflat',
      keys: [{ column: 'embedding', opclass: 'vector_cosine_ops', order: 'asc', nulls: 'last' }],
      include: [],
      with: { lists: '100' },
    });
    expect(chunks.uniques.map((u) => [u.name, u.columns])).toEqual([['context_chunks_document_chunk_key', ['document_id', 'chunk_index']]]);

    const results = table(m, 'public', 'results_data');
    expect(results.comment).toBe('Unified storage for workflow results, decoupled from app_processes');
    expect(results.triggers).toEqual([
      {
        name: 'trg_results_data_updated_at',
        timing: 'before',
        events: ['update'],
        updateOf: [],
        level: 'row',
        function: { schema: 'public', name: 'set_updated_at' },
        arguments: [],
        enabled: 'origin',
      },
    ]);

    const docs = table(m, 'public', 'context_documents');
    expect(docs.indexes.find((i) => i.name === 'idx_context_documents_context_timestamp')?.keys).toEqual([
      { column: 'context_id', order: 'asc', nulls: 'last' },
      { column: 'timestamp', order: 'desc', nulls: 'first' },
    ]);
    expect(table(m, 'public', 'cache_scraped_raw').indexes[0]).toMatchObject({
      name: 'idx_cache_scraped_raw_url',
      unique: true,
      keys: [{ expression: 'md5(url)', order: 'asc', nulls: 'last' }],
    });
    expect(table(m, 'public', 'app_workflow_meta_files').checks.map((c) => c.name)).toEqual(['chk_engine_type']);

    // Serial sequences: one per SERIAL/BIGSERIAL column, owned by it; the uuid tables have none.
    expect(m.sequences).toHaveLength(12);
    expect(m.sequences.find((s) => s.name === 'context_chunks_id_seq')).toEqual({
      schema: 'public',
      name: 'context_chunks_id_seq',
      type: 'bigint',
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775807',
      cache: '1',
      cycle: false,
      ownedBy: { schema: 'public', table: 'context_chunks', column: 'id' },
    });
    expect(table(m, 'public', 'app_users').columns[0]).toEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      default: "nextval('app_users_id_seq'::regclass)",
    });
  });
});
