/**
 * `pull` against a real server: a schema with every object kind the format declares (and some
 * it cannot), written readably, deterministic, valid, and planning empty; `--ignore`; an empty
 * database; the README's example schema pulled back; and the CLI form
 * `pgreconcile pull --database-url URL --out FILE`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import {
  executePlan,
  fingerprintModel,
  formatDiagnostic,
  loadDesiredState,
  planDatabase,
  pullSchema,
  renderSql,
  SCHEMA_COMMENT,
  validateFile,
} from '../src/index.js';
import { createTestDatabase, useTestDatabase } from './support/harness.js';

const root = join(import.meta.dirname, '..');
const kitchenSink = join(root, 'test', 'fixtures', 'pull', 'kitchen-sink.sql');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-pull-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Writes the file, checks it validates, and returns the desired state it loads to. */
async function loadPulled(name: string, yaml: string) {
  const file = join(work, name);
  await writeFile(file, yaml);
  const validated = await validateFile(file);
  expect(validated.diagnostics.map(formatDiagnostic).join('\n'), yaml).toBe('');
  const desired = await loadDesiredState(file);
  // The loader's positional YAML parser reads the same as its fast path.
  expect((await loadDesiredStateFromText(yaml, file, { fastPath: false })).model).toEqual(desired.model);
  return desired;
}

/** The indented block of `key:` in `yaml` (the key's line and the lines indented under it). */
function section(yaml: string, key: string): string {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(`${key}:`));
  if (start < 0) return '';
  const indent = (lines[start] ?? '').length - (lines[start] ?? '').trimStart().length;
  const out = [lines[start]];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.length - line.trimStart().length <= indent) break;
    out.push(line);
  }
  return out.join('\n');
}

describe('pull of a schema with every object kind', () => {
  const database = useTestDatabase();

  it('writes a readable file that validates, plans empty, and is byte-identical twice', async () => {
    const { db } = database();
    await db.exec(await readFile(kitchenSink, 'utf8'));
    const first = await pullSchema(db);
    const second = await pullSchema(db);
    expect(second.yaml).toBe(first.yaml);
    const { yaml, warnings } = first;

    expect(yaml.split('\n')[0]).toBe(SCHEMA_COMMENT);
    expect(yaml.split('\n')[1]).toBe('version: 1');

    // Serial columns, short type names, quoting YAML needs, defaults without the server's casts.
    const users = section(yaml, 'users');
    expect(users).toContain('id: { type: bigserial }');
    expect(users).toContain('email: { type: varchar(255), nullable: false, comment: "  leading spaces" }');
    expect(users).toContain('rating: { type: "numeric(10,2)", default: "-1.5" }');
    expect(users).toContain(`tags: { type: "text[]", default: "'{}'::text[]" }`);
    expect(users).toContain('created_at: { type: timestamp(3), default: now() }');
    expect(users).toContain('local_time: { type: timetz }');
    expect(users).toContain(`mood: { type: mood, nullable: false, default: "'happy'" }`);
    expect(users).toContain('total: { type: numeric, generated: rating * 2 }');
    expect(users).toContain('comment: "people: who sign in # here"');
    // Default names left out, explicit ones kept; checks and predicates as people write them.
    expect(users).toContain('primary_key: [id]');
    expect(users).toContain('- columns: [email]\n            comment: one account per address');
    expect(users).toContain('- expression: rating >= 0 AND score >= 0');
    expect(users).toContain(`idx_users_moods: { columns: [mood], where: "mood IN ('happy', 'sad')" }`);
    expect(users).toContain('columns: [{ expression: lower(email), opclass: text_pattern_ops }]');
    expect(users).toContain('- { column: created_at, order: desc, nulls: last }');
    expect(users).not.toMatch(/users_pkey|users_email_key|nullable: true|using: btree|order: asc|for_each: statement|enabled: true/);
    expect(section(users, 'Audit Trigger')).toContain('enabled: false');
    expect(section(users, 'trg_users_updated')).toContain('enabled: replica');

    // Functions: overloads keyed by argument types, bodies exactly as stored.
    expect(yaml).toContain('"add(integer, integer)":');
    expect(yaml).toContain('"add(numeric, numeric)":');
    expect(yaml).toContain('        body: |\n\n          BEGIN\n              NEW.updated_at = now();\n');
    expect(yaml).toContain(`returns: 'table(id integer, "Label" text)'`);
    expect(yaml).toContain('set: { search_path: "app, pg_temp" }');

    // The second schema: identity options, sequences, an enum of public hidden by app's own.
    const tickets = section(yaml, 'tickets');
    expect(tickets).toContain('id: { type: integer, identity: { kind: always, start: 100, increment: 10 } }');
    expect(tickets).toContain('legacy_id: { type: smallint, identity: by default }');
    expect(tickets).toContain('counter: { type: serial }');
    expect(tickets).toContain('public_mood: { type: public.mood }');
    expect(tickets).toContain('references: { schema: public, table: users, columns: [id] }');
    expect(tickets).toContain('function: public.set_updated_at');
    expect(tickets).toContain('arguments: [a b, "007"]');
    expect(yaml).toContain('big_seq: { max_value: "9223372036854775000", cycle: true, comment: beyond 2^53 }');
    expect(section(yaml, 'invoice_number_seq')).toContain('owned_by: tickets.number');
    expect(yaml).toContain(`values: [happy, sad, it's ok, "true", "123"]`);
    expect(yaml).toContain('"yes": { type: boolean }');
    // Domains are part of the format: written, not warned about.
    expect(yaml).toContain(
      'domains:\n      positive_int:\n        type: integer\n        checks:\n          positive_int_check: { expression: (VALUE > 0) }',
    );

    // A view is written (issue 16), no longer warned about.
    expect(yaml).toContain('    views:\n      active_users:\n        query: |-\n          SELECT users.id,\n');
    expect(warnings.some((w) => w.startsWith('view '))).toBe(false);

    // Partitioned tables are declared with their partitions.
    expect(section(yaml, 'measurements')).toContain('partition_by: RANGE (taken)');
    expect(section(yaml, 'measurements')).toContain('measurements_2024:');

    // Row-level security and its policies are written (issue 18), not warned about.
    expect(section(yaml, 'notes')).toContain(
      '        row_level_security: { enabled: true }\n        policies:\n          notes_all: { using: "true" }',
    );
    expect(warnings.filter((w) => w.startsWith('policy ') || w.startsWith('row level security '))).toEqual([]);

    // Grants are part of the format (issue 18): written on the tables that have some, not warned about.
    expect(section(yaml, 'users')).toContain('grants:\n          PUBLIC: [select]');
    expect(section(yaml, 'notes')).toContain('grants:\n          PUBLIC: [select]');
    expect(warnings.filter((w) => w.startsWith('privileges '))).toEqual([]);

    // Procedures are part of the format now: written under procedures:, not warned about.
    expect(yaml).toContain('    procedures:\n      noop:\n        language: sql\n        body: " SELECT 1 "\n');
    expect(warnings.filter((w) => w.startsWith('procedure '))).toEqual([]);

    // The NOT VALID check is declared so, not validated by the next plan.
    expect(section(yaml, 'notes')).toContain("- expression: body <> ''\n            validated: false");
    expect(
      warnings.some((w) => w.includes('NOT VALID')),
      warnings.join('\n'),
    ).toBe(false);

    const desired = await loadPulled('kitchen-sink.yaml', yaml);
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
  });

  it('leaves ignored objects out, lists the patterns, and names referenced ignored tables as external', async () => {
    const { db } = database();
    await db.exec(await readFile(kitchenSink, 'utf8'));
    const { yaml } = await pullSchema(db, { ignore: ['users', 'app.ticket_*'] });
    expect(yaml).toContain('ignore:\n  - users\n  - app.ticket_*\nexternal:\n  - users\n');
    expect(yaml).not.toMatch(/^ {6}users:/m);
    expect(yaml).not.toContain('ticket_events:');
    const desired = await loadPulled('ignored.yaml', yaml);
    const { plan } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
  });

  it('pulls an empty database as version 1 alone (and the comment PostgreSQL gives public), planning empty', async () => {
    const { db } = database();
    const { yaml, warnings } = await pullSchema(db);
    expect(yaml).toBe(`${SCHEMA_COMMENT}\nversion: 1\nschemas:\n  public:\n    comment: standard public schema\n`);
    expect(warnings).toEqual([]);
    const { plan } = await planDatabase(db, await loadPulled('empty.yaml', yaml));
    expect(plan.steps).toEqual([]);
  });

  it('names the comments it cannot write (on an aggregate, on a domain check) in a warning each, and plans empty', async () => {
    const { db } = database();
    await db.exec(`
      CREATE FUNCTION add_one(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
      CREATE AGGREGATE total(integer) (SFUNC = add_one, STYPE = integer);
      COMMENT ON AGGREGATE total(integer) IS 'the sum';
      CREATE DOMAIN positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
      COMMENT ON CONSTRAINT positive_check ON DOMAIN positive IS 'above zero';
    `);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings).toEqual([
      'aggregate comment public.total (integer): comments on aggregates are not part of the format yet; it is not written',
      'domain check comment public.positive (positive_check): comments on the checks of domains are not part of the format yet; it is not written',
    ]);
    const { plan } = await planDatabase(db, await loadPulled('comments.yaml', yaml));
    expect(plan.steps).toEqual([]);
  });

  it('pulls constraint triggers with their deferral and SQL-standard bodies that call functions and read tables, planning empty', async () => {
    const { db } = database();
    await db.exec(`
      CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL DEFAULT 0);
      CREATE FUNCTION check_total() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END;$$;
      CREATE CONSTRAINT TRIGGER trg_deferred AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_total();
      CREATE CONSTRAINT TRIGGER trg_immediate AFTER UPDATE ON orders DEFERRABLE FOR EACH ROW EXECUTE FUNCTION check_total();
      CREATE CONSTRAINT TRIGGER trg_not_deferrable AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION check_total();
      CREATE TRIGGER trg_plain AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION check_total();
      CREATE FUNCTION tax_rate() RETURNS numeric LANGUAGE sql IMMUTABLE RETURN 0.2;
      CREATE FUNCTION with_tax(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN p * (1 + tax_rate());
      CREATE FUNCTION orders_total() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT with_tax(sum(total)) FROM orders; END;
    `);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings).toEqual([]);
    const triggers = section(yaml, 'triggers');
    expect(section(triggers, 'trg_deferred')).toContain(
      'constraint: true\n            deferrable: true\n            initially_deferred: true',
    );
    expect(section(triggers, 'trg_immediate')).toContain('constraint: true\n            deferrable: true');
    expect(section(triggers, 'trg_immediate')).not.toContain('initially_deferred');
    expect(section(triggers, 'trg_not_deferrable')).toContain('constraint: true');
    expect(section(triggers, 'trg_not_deferrable')).not.toContain('deferrable: true');
    expect(section(triggers, 'trg_plain')).not.toContain('constraint');
    expect(section(yaml, 'with_tax')).toContain('sql_body: "RETURN (p * ((1)::numeric + tax_rate()))"');
    expect(section(yaml, 'orders_total')).toContain('sql_body:');

    const desired = await loadPulled('constraint-triggers.yaml', yaml);
    const { plan, live } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
    const built = live.model.tables[0]?.triggers.map((t) => [t.name, t.constraint]);
    expect(built).toEqual([
      ['trg_deferred', { deferrable: true, initiallyDeferred: true }],
      ['trg_immediate', { deferrable: true, initiallyDeferred: false }],
      ['trg_not_deferrable', { deferrable: false, initiallyDeferred: false }],
      ['trg_plain', undefined],
    ]);
    // Built from the pulled file on an empty database, the same schema (functions created in the order their bodies need).
    const fresh = await createTestDatabase();
    try {
      await executePlan(fresh.db, (await planDatabase(fresh.db, desired)).plan);
      const again = await planDatabase(fresh.db, desired);
      expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
      expect(fingerprintModel(again.live.model)).toBe(fingerprintModel(live.model));
    } finally {
      await fresh.drop();
    }
  });

  it('pulls NOT VALID checks and foreign keys as validated: false, planning empty, and builds them NOT VALID from nothing', async () => {
    const { db } = database();
    await db.exec(`
      CREATE TABLE customers (id integer PRIMARY KEY);
      CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, quantity integer NOT NULL);
      INSERT INTO customers VALUES (1);
      INSERT INTO orders VALUES (10, 1, 3), (11, 99, -1);
      ALTER TABLE orders ADD CONSTRAINT chk_quantity CHECK (quantity > 0) NOT VALID;
      ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
      ALTER TABLE orders ADD CONSTRAINT chk_id CHECK (id > 0);
    `);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings).toEqual([]);
    const orders = section(yaml, 'orders');
    expect(orders).toContain('- name: chk_quantity\n            expression: quantity > 0\n            validated: false');
    expect(orders).toContain('references: { table: customers, columns: [id] }\n            validated: false');
    expect(section(orders, 'chk_id')).not.toContain('validated');
    expect(yaml).not.toContain('not_valid');

    const desired = await loadPulled('not-valid.yaml', yaml);
    const { plan, live } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
    const notValid = (m: typeof live.model) => {
      const t = m.tables.find((x) => x.name === 'orders');
      return [...(t?.checks ?? []), ...(t?.foreignKeys ?? [])].map((c) => [c.name, c.notValid]);
    };
    expect(notValid(live.model)).toEqual([
      ['chk_id', false],
      ['chk_quantity', true],
      ['orders_customer_id_fkey', true],
    ]);
    // Built from the pulled file on an empty database: the same schema, NOT VALID included.
    const fresh = await createTestDatabase();
    try {
      await executePlan(fresh.db, (await planDatabase(fresh.db, desired)).plan);
      const again = await planDatabase(fresh.db, desired);
      expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
      expect(notValid(again.live.model)).toEqual(notValid(live.model));
      expect(fingerprintModel(again.live.model)).toBe(fingerprintModel(live.model));
      expect((await pullSchema(fresh.db)).yaml).toBe(yaml);
    } finally {
      await fresh.drop();
    }
  });

  it('pulls table and column options (unlogged, storage parameters, replica identity, storage, compression, statistics) without warnings, and builds them back the same', async () => {
    const { db } = database();
    await db.exec(`
      CREATE UNLOGGED TABLE sessions (id integer PRIMARY KEY, data text) WITH (fillfactor = 70, autovacuum_enabled = off, toast.autovacuum_enabled = no);
      CREATE TABLE events (id integer PRIMARY KEY, code text NOT NULL, amount numeric, body text, payload bytea)
        WITH (autovacuum_vacuum_scale_factor = 0.10, vacuum_index_cleanup = auto);
      CREATE UNIQUE INDEX events_code_key ON events (code);
      ALTER TABLE events REPLICA IDENTITY USING INDEX events_code_key;
      ALTER TABLE events ALTER COLUMN amount SET STORAGE main, ALTER COLUMN body SET STORAGE external,
        ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN payload SET STATISTICS 500;
      CREATE TABLE audit (id integer) WITH (parallel_workers = 4);
      ALTER TABLE audit REPLICA IDENTITY FULL;
    `);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings).toEqual([]);
    const sessions = section(yaml, 'sessions');
    expect(sessions).toContain('unlogged: true');
    expect(sessions).toContain('with: { autovacuum_enabled: false, fillfactor: 70, toast.autovacuum_enabled: false }');
    const events = section(yaml, 'events');
    expect(events).toContain('with: { autovacuum_vacuum_scale_factor: 0.1, vacuum_index_cleanup: auto }');
    expect(events).toContain('replica_identity: events_code_key');
    expect(events).toContain('body: { type: text, storage: external, compression: lz4 }');
    expect(events).toContain('payload: { type: bytea, statistics: 500 }');
    // numeric is stored main by its type: nothing to say.
    expect(events).toContain('amount: { type: numeric }');
    expect(section(yaml, 'audit')).toContain('replica_identity: full');

    const desired = await loadPulled('options.yaml', yaml);
    const { plan, live } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
    const fresh = await createTestDatabase();
    try {
      await executePlan(fresh.db, (await planDatabase(fresh.db, desired)).plan);
      const again = await planDatabase(fresh.db, desired);
      expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
      expect(fingerprintModel(again.live.model)).toBe(fingerprintModel(live.model));
      expect((await pullSchema(fresh.db)).yaml).toBe(yaml);
    } finally {
      await fresh.drop();
    }
  });

  it('pulls exclusion constraints (btree_gist, an expression, INCLUDE, WHERE and deferral) and builds them back the same', async () => {
    const { db } = database();
    await db.exec(`
      CREATE EXTENSION btree_gist;
      CREATE TABLE bookings (
        id integer PRIMARY KEY,
        room_id integer NOT NULL,
        starts timestamptz NOT NULL,
        ends timestamptz NOT NULL,
        cancelled boolean NOT NULL DEFAULT false,
        CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, tstzrange(starts, ends) WITH &&)
          INCLUDE (id) WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED
      );
      COMMENT ON CONSTRAINT bookings_no_overlap ON bookings IS 'one booking per room';
    `);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings.join('\n')).not.toContain('bookings_no_overlap');
    const exclude = section(yaml, 'exclude');
    expect(exclude).toContain('bookings_no_overlap:');
    expect(exclude).toContain('- { column: room_id, with: "=" }');
    expect(exclude).toContain('- { expression: "tstzrange(starts, ends)", with: "&&" }');
    expect(exclude).toContain('where: (NOT cancelled)');
    expect(exclude).toContain('initially_deferred: true');

    const desired = await loadPulled('exclusions.yaml', yaml);
    const { plan, live } = await planDatabase(db, desired);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
    const fresh = await createTestDatabase();
    try {
      await executePlan(fresh.db, (await planDatabase(fresh.db, desired)).plan);
      const again = await planDatabase(fresh.db, desired);
      expect(again.plan.steps.length, renderSql(again.plan)).toBe(0);
      expect(again.live.model.tables.find((t) => t.name === 'bookings')?.exclusions).toEqual(
        live.model.tables.find((t) => t.name === 'bookings')?.exclusions,
      );
    } finally {
      await fresh.drop();
    }
  });

  it("pulls the README's example schema back as the same schema", async () => {
    const { db } = database();
    const example = await loadDesiredState(join(root, 'docs', 'example.schema.yaml'));
    await executePlan(db, (await planDatabase(db, example)).plan);
    const { yaml, warnings } = await pullSchema(db);
    expect(warnings).toEqual([]);
    const pulled = await loadPulled('example.yaml', yaml);
    const { plan, live } = await planDatabase(db, pulled);
    expect(plan.steps.length, renderSql(plan)).toBe(0);
    // Applied from nothing, the pulled file builds the same schema as the example did.
    expect(fingerprintModel(live.model)).toBe(fingerprintModel((await planDatabase(db, example)).live.model));
  });
});

/** An in-process Io capturing what a command prints. */
function captureIo(cwd: string): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    isTTY: false,
    cwd,
    env: {},
    stdout: () => out,
    stderr: () => err,
  };
}

describe('pgreconcile pull (the CLI)', () => {
  const database = useTestDatabase();

  it('`pull --database-url URL --out FILE` writes the file, warnings on stderr, exit 0; without --out, stdout', async () => {
    const { db, url } = database();
    await db.exec(
      'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE); CREATE STATISTICS email_stats ON (lower(email)) FROM users;',
    );
    const io = captureIo(work);
    const code = await main(['pull', '--database-url', url, '--out', 'pulled.yaml'], io);
    expect(io.stderr()).toMatch(/^Using database postgres:\/\/.* \(from --database-url\)\n/);
    expect(io.stderr()).toContain('warning: statistics object public.email_stats: extended statistics are not part of the format');
    expect(code).toBe(0);
    expect(io.stdout()).toBe('');
    const written = await readFile(join(work, 'pulled.yaml'), 'utf8');
    expect(written).toBe((await pullSchema(db)).yaml);
    expect(written).toContain(
      '      users:\n        columns:\n          id: { type: serial }\n          email: { type: text, nullable: false }\n        primary_key: [id]\n        unique:\n          - columns: [email]\n',
    );

    const plan = await main(['plan', '--database-url', url, '--schema', join(work, 'pulled.yaml')], captureIo(work));
    expect(plan).toBe(0);

    const toStdout = captureIo(work);
    expect(await main(['pull', '--database-url', url, '--ignore', 'email_st*'], toStdout)).toBe(0);
    expect(toStdout.stdout()).toBe(written.replace('version: 1\n', 'version: 1\nignore:\n  - email_st*\n'));
    expect(toStdout.stderr()).not.toContain('warning');
  });

  it('exits 1 with the reason when the database cannot be reached', async () => {
    const io = captureIo(work);
    const code = await main(['pull', '--database-url', 'postgres://nobody:secret@127.0.0.1:1/none', '--out', 'never.yaml'], io);
    expect(code).toBe(1);
    expect(io.stderr()).toContain('could not connect to postgres://nobody:***@127.0.0.1:1/none');
    expect(io.stderr()).not.toContain('secret');
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });
});
