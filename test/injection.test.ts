/**
 * Issue 12, acceptance: an injection test over the whole format. Every string field of the format
 * is found by walking the JSON Schema (schema/pgreconcile.schema.json: string values, string list
 * items, and the keys of every map), so a new field is covered without editing this test; each is
 * given every payload below (quotes, backslashes, dollar quotes plain and tagged, `;`, comments,
 * NUL, line breaks, unicode and bidirectional controls, names over 63 bytes, keywords, …).
 *
 * Each variant must be refused by `validate` (the loader), or arrive quoted: applied on a real
 * server, a sentinel table with rows survives, every step of the plan is exactly one statement,
 * and the statements the apply executed (recorded by wrapping the Db interface, forks included)
 * are exactly the statements `plan --sql` printed, in order.
 *
 * To stay fast, variants share documents (each in a schema of its own) and databases: a batch is
 * first run step by step inside a transaction that is rolled back (a savepoint per step) to find
 * the variants PostgreSQL itself refuses (a collation or an operator class that does not exist,
 * an invalid storage parameter value); the others are applied together, and must succeed with an
 * empty plan afterwards; the refused ones are applied together too, and must fail without running
 * anything the plan did not print.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlanDocument, type ApplyOutcome } from '../src/apply/apply-plan.js';
import type { Db } from '../src/db/db.js';
import { loadDesiredStateFromText, DesiredStateError } from '../src/desired/index.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { qualify, quoteIdent } from '../src/model/ident.js';
import type { DesiredState } from '../src/model/types.js';
import { roleUses } from '../src/kinds/role/exists.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { renderSql } from '../src/plan/render.js';
import { initParser, parseSql } from '../src/sql/parser.js';
import { batchBoundsSql } from '../src/data-changes/run.js';
import { createTestDatabase } from './support/harness.js';

// ---------------------------------------------------------------------------------------------
// the payloads

const PAYLOADS: readonly string[] = [
  "'",
  "x'); DROP TABLE public.sentinel; --",
  '\\',
  'a\\',
  "\\'; DROP TABLE public.sentinel; --",
  '$$; DROP TABLE public.sentinel; $$',
  '$body$; DROP TABLE public.sentinel; --',
  '$pgreconcile$ x',
  '; DROP TABLE public.sentinel',
  'x -- comment',
  'x /* comment */',
  '/* unterminated',
  'a\u0000b',
  'line1\nDROP TABLE public.sentinel;',
  '"',
  '"; DROP TABLE public.sentinel; --',
  'ünïcødé ✓ 𝔘',
  'trojan \u202e source',
  'x'.repeat(64),
  'é'.repeat(40),
  'select',
  'DROP',
  ')',
  'fillfactor=90); DROP TABLE public.sentinel; --',
  '',
  ' ',
  '%s $1 ?',
  "E'\\x41'",
  'U&"\\0041"',
];

// ---------------------------------------------------------------------------------------------
// walking the JSON Schema

type Json = Record<string, unknown>;
/** One step of a path into the document: a property, any key of a map, any item of a list. */
type Segment = { readonly prop: string } | { readonly anyKey: true } | { readonly item: true };
/** A string of the format: a value (a string, or a string list item), or the key of a map. */
interface Location {
  readonly segments: readonly Segment[];
  readonly kind: 'value' | 'key';
  /** The JSON Schema node of the value (to tell which branch of an anyOf), for messages. */
  readonly label: string;
}

const schemaJson = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema', 'pgreconcile.schema.json'), 'utf8')) as Json;

function resolve(node: Json): Json {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/definitions/', '');
  const target = (schemaJson['definitions'] as Json)[name] as Json;
  // A $ref next to other keys (a description) adds nothing the walk needs.
  return resolve(target);
}

function label(segments: readonly Segment[]): string {
  return segments.map((s) => ('prop' in s ? s.prop : 'anyKey' in s ? '*' : '[]')).join('.');
}

function isString(node: Json): boolean {
  if (node['enum'] !== undefined || node['const'] !== undefined) return false;
  const type = node['type'];
  return type === 'string' || (Array.isArray(type) && type.includes('string'));
}

/**
 * Every string location under `node`, reached through `segments`. A definition that holds itself
 * (a partition's partitions) is walked once on a path: its strings deeper down are the same fields.
 */
function walk(raw: Json, segments: readonly Segment[], out: Location[], depth = 0, refs: ReadonlySet<string> = new Set()): void {
  if (depth > 30) return;
  const ref = raw['$ref'];
  if (typeof ref === 'string' && refs.has(ref)) return;
  const path = typeof ref === 'string' ? new Set([...refs, ref]) : refs;
  const node = resolve(raw);
  for (const branch of (node['anyOf'] as Json[] | undefined) ?? []) walk(branch, segments, out, depth + 1, path);
  if (isString(node)) out.push({ segments, kind: 'value', label: label(segments) });
  const props = node['properties'] as Record<string, Json> | undefined;
  for (const [name, child] of Object.entries(props ?? {})) walk(child, [...segments, { prop: name }], out, depth + 1, path);
  const additional = node['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) {
    const keySegments = [...segments, { anyKey: true } as const];
    out.push({ segments: keySegments, kind: 'key', label: `${label(keySegments)} (key)` });
    walk(additional as Json, keySegments, out, depth + 1, path);
  }
  const items = node['items'];
  if (typeof items === 'object' && items !== null && !Array.isArray(items))
    walk(items as Json, [...segments, { item: true }], out, depth + 1, path);
}

function stringLocations(): Location[] {
  const out: Location[] = [];
  walk(schemaJson, [], out);
  const seen = new Set<string>();
  return out.filter((l) => {
    const key = `${l.label}|${l.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// the base document: every field of the format, valid, applied cleanly from an empty database.
// The last entry of every map is self-contained, so that a copy of it under another key is too.

/** A `grants:` map in both forms: a list, and privileges with the grant option. */
const both = (privilege: string): Json => ({
  pgr_inj_reader: [privilege],
  pgr_inj_writer: { privileges: [privilege], with_grant_option: [privilege] },
});

function baseSchema(schema: string): Json {
  return {
    comment: 'a schema',
    owner: 'pgr_inj_owner',
    grants: { ...both('usage'), PUBLIC: { privileges: ['usage'], with_grant_option: false } },
    default_privileges: {
      pgr_inj_owner: { tables: both('select'), sequences: both('usage'), functions: both('execute'), types: both('usage') },
    },
    enums: {
      mood: { values: ['ok', { name: 'meh', renamed_from: 'bad' }], comment: 'an enum', grants: both('usage') },
      plain_enum: { values: ['x'] },
    },
    collations: {
      split_collation: { provider: 'libc', lc_collate: 'C', lc_ctype: 'POSIX' },
      a_collation: { provider: 'libc', locale: 'C', comment: 'a collation' },
    },
    range_types: {
      span: {
        subtype: 'float8',
        subtype_opclass: 'float8_ops',
        subtype_diff: 'float8mi',
        multirange_type_name: 'span_multi',
        comment: 'a range',
        grants: both('usage'),
        renamed_from: 'old_span',
      },
      text_span: { subtype: 'text', collation: 'C' },
    },
    composite_types: {
      address: {
        attributes: { street: { type: 'text', collation: 'C', comment: 'street', renamed_from: 'old_street' }, zip: { type: 'integer' } },
        comment: 'a composite',
        grants: both('usage'),
        renamed_from: 'old_address',
      },
      plain_composite: { attributes: { a: { type: 'integer' } } },
    },
    domains: {
      rich_domain: {
        type: 'text',
        default: "'x'",
        not_null: true,
        collation: 'C',
        checks: { rich_check: { expression: "VALUE <> ''" }, rich_loose: { expression: 'length(VALUE) < 100', validated: false } },
        comment: 'a domain',
        grants: both('usage'),
        renamed_from: 'old_domain',
      },
      plain_domain: { type: 'integer' },
    },
    sequences: {
      counter: {
        type: 'bigint',
        start: 5,
        increment: 1,
        min_value: 1,
        max_value: '9000000000',
        cache: 1,
        cycle: false,
        owned_by: 'indexed.n',
        comment: 'a sequence',
        grants: both('usage'),
      },
      plain_seq: null,
    },
    functions: {
      'touch()': {
        returns: 'trigger',
        language: 'plpgsql',
        arguments: [],
        volatility: 'volatile',
        security: 'invoker',
        leakproof: false,
        set: { search_path: 'public' },
        body: 'BEGIN RETURN NEW; END',
        comment: 'a trigger function',
        grants: both('execute'),
      },
      'add(integer, integer)': {
        returns: 'integer',
        language: 'sql',
        arguments: [
          { name: 'a', type: 'integer' },
          { name: 'b', type: 'integer', mode: 'in', default: '0' },
        ],
        volatility: 'immutable',
        strict: true,
        parallel: 'safe',
        body: 'SELECT a + b',
        comment: 'adds',
      },
      'plain_fn()': {
        returns: 'integer',
        language: 'sql',
        body: 'SELECT 1',
        owner: 'pgr_inj_owner',
        grants: { pgr_inj_reader: ['execute'] },
      },
    },
    procedures: {
      'archive(integer, integer)': {
        language: 'plpgsql',
        arguments: [
          { name: 'days', type: 'integer', default: '30' },
          { name: 'moved', type: 'integer', mode: 'inout' },
        ],
        security: 'definer',
        set: { search_path: 'public' },
        body: 'BEGIN moved := days; END',
        comment: 'archives',
        grants: both('execute'),
      },
      'noop_proc()': { language: 'sql', sql_body: 'BEGIN ATOMIC SELECT 1; END' },
    },
    aggregates: {
      'concat_all(text)': {
        arguments: ['text'],
        sfunc: 'textcat',
        stype: 'text',
        finalfunc: 'pg_catalog.btrim',
        combinefunc: 'textcat',
        initcond: "''",
        parallel: 'safe',
      },
    },
    tables: {
      owners: {
        comment: 'owners',
        renamed_from: 'old_owners',
        owner: 'pgr_inj_owner',
        grants: { ...both('select'), PUBLIC: ['select'] },
        columns: {
          id: { type: 'integer', comment: 'id', renamed_from: 'old_id', grants: both('update') },
          code: { type: 'text', collation: 'C', default: "'x'" },
        },
        primary_key: { name: 'owners_pk', columns: ['id'], comment: 'pk', renamed_from: 'old_pk' },
        unique: [{ name: 'owners_code_key', columns: ['code'], comment: 'u', renamed_from: 'old_u', deferrable: false }],
        replica_identity: { index: 'owners_pk' },
      },
      items: {
        columns: {
          id: {
            type: 'integer',
            identity: { kind: 'always', start: '1', increment: 1, min_value: 1, max_value: '1000000', cache: 1, cycle: false },
          },
          name: { type: 'text', nullable: false, default: "'unnamed'", storage: 'main', compression: 'pglz', statistics: 100 },
          total: { type: 'integer', generated: 'id * 2' },
          m: { type: 'mood', using: 'm::text::mood' },
        },
        primary_key: ['id'],
        checks: [{ name: 'items_name_check', expression: "name <> ''", comment: 'c', renamed_from: 'old_c' }],
        unlogged: true,
        replica_identity: 'items_pkey',
        with: { fillfactor: 80, vacuum_index_cleanup: 'auto', 'toast.autovacuum_enabled': false },
      },
      links: {
        columns: { owner_id: { type: 'integer' } },
        foreign_keys: [
          {
            name: 'links_owner_fk',
            columns: ['owner_id'],
            references: { schema, table: 'owners', columns: ['id'] },
            comment: 'fk',
            renamed_from: 'old_fk',
          },
        ],
      },
      indexed: {
        columns: { name: { type: 'text' }, owner_id: { type: 'integer' }, n: { type: 'bigint' } },
        indexes: {
          indexed_name_idx: {
            columns: [
              'name',
              { column: 'owner_id', opclass: 'int4_ops', order: 'desc' },
              { expression: 'lower(name)', collation: 'C', opclass: 'text_pattern_ops' },
            ],
            using: 'btree',
            include: ['n'],
            where: 'owner_id > 0',
            with: { fillfactor: 90 },
            comment: 'i',
            renamed_from: 'old_i',
          },
          indexed_key_collation_idx: { columns: [{ column: 'name', collation: 'C' }] },
          indexed_plain_idx: { columns: ['n'] },
        },
      },
      triggered: {
        columns: { name: { type: 'text' } },
        triggers: {
          triggered_touch: {
            timing: 'before',
            events: ['insert', 'update'],
            update_of: ['name'],
            for_each: 'row',
            when: 'NEW.name IS NOT NULL',
            function: 'touch',
            arguments: ['arg'],
            comment: 't',
            renamed_from: 'old_t',
          },
          triggered_plain_trg: { timing: 'after', events: ['delete'], function: 'touch' },
        },
      },
      secured: {
        columns: { owner: { type: 'text' }, n: { type: 'integer' } },
        row_level_security: { enabled: true, forced: true },
        policies: {
          secured_own: {
            command: 'update',
            as: 'restrictive',
            roles: [INJECTION_ROLE],
            using: "owner = current_user AND owner <> 'x'",
            with_check: 'n > 0',
            comment: 'p',
            renamed_from: 'old_p',
          },
        },
      },
      excluded: {
        columns: { during: { type: 'tstzrange' }, k: { type: 'integer' }, live: { type: 'boolean' } },
        exclude: {
          excluded_during_excl: {
            using: 'gist',
            elements: [
              { column: 'during', with: '&&' },
              { expression: 'int4range(k, k + 1)', with: '&&' },
            ],
            include: ['k'],
            where: 'live',
            deferrable: true,
            initially_deferred: true,
            comment: 'x',
          },
          excluded_plain_excl: { elements: [{ column: 'during', with: '-|-' }] },
        },
      },
      parted: {
        columns: { k: { type: 'integer' }, at: { type: 'date' }, label: { type: 'text' } },
        partition_by: 'LIST (k)',
        partitions: {
          parted_sub: {
            bounds: 'FOR VALUES IN (1)',
            partition_by: 'RANGE (at)',
            comment: 'p',
            partitions: { parted_sub_a: { bounds: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" } },
          },
          parted_rest: {
            bounds: 'DEFAULT',
            indexes: {
              parted_rest_at_idx: {
                columns: ['at', { column: 'k', opclass: 'int4_ops' }, { expression: 'lower(label)', collation: 'C' }],
                include: ['label'],
                where: 'k > 0',
                with: { fillfactor: 90 },
                comment: 'own',
              },
            },
            unique: [{ name: 'parted_rest_k_key', columns: ['k'], comment: 'own' }],
            checks: [{ name: 'parted_rest_k_check', expression: 'k <> 0', comment: 'own' }],
            foreign_keys: [{ name: 'parted_rest_k_fkey', columns: ['k'], references: { table: 'plain', columns: ['c'] }, comment: 'own' }],
          },
        },
      },
      plain: { columns: { c: { type: 'integer' } }, unique: [{ name: 'plain_c_key', columns: ['c'] }] },
    },
    views: {
      a_view: {
        query: 'SELECT 1 AS one',
        columns: { one: { comment: 'a column' } },
        security_barrier: true,
        security_invoker: true,
        comment: 'a view',
        renamed_from: 'old_view',
        grants: both('select'),
      },
      plain_view: { query: "SELECT 'x'::text AS x" },
    },
    materialized_views: {
      a_matview: {
        query: 'SELECT 1 AS one',
        columns: { one: { comment: 'a column' } },
        with: { fillfactor: 70 },
        indexes: { a_matview_one: { columns: ['one'], unique: true, using: 'btree' } },
        comment: 'a materialized view',
        grants: both('select'),
        renamed_from: 'old_matview',
      },
    },
  };
}

/** What each entry of the base schema needs declared beside it (`kind.name`). */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  'tables.items': ['enums.mood'],
  'tables.links': ['tables.owners'],
  'tables.triggered': ['functions.touch()'],
  'sequences.counter': ['tables.indexed'],
};

/**
 * The schema body cut down to the entry a variant changed (`kind`, `name`) and what it needs, so
 * that each variant costs a few steps; a change to the schema itself keeps nothing else.
 */
function pruned(body: Json, touched: readonly (string | number)[]): Json {
  if (touched.length < 2) return { ...(body['comment'] !== undefined ? { comment: body['comment'] } : {}) };
  const keep = new Set<string>();
  const add = (entry: string): void => {
    if (keep.has(entry)) return;
    keep.add(entry);
    for (const need of NEEDS[entry] ?? []) add(need);
  };
  add(`${String(touched[0])}.${String(touched[1])}`);
  const out: Json = {};
  for (const entry of keep) {
    const dot = entry.indexOf('.');
    const kind = entry.slice(0, dot);
    const name = entry.slice(dot + 1);
    const map = body[kind] as Json | undefined;
    if (map === undefined || !(name in map)) continue;
    out[kind] = { ...(out[kind] ?? {}), [name]: map[name] };
  }
  return out;
}

const TOP = {
  roles: {
    pgr_inj_reader: {
      login: false,
      connection_limit: 3,
      valid_until: '2040-01-01',
      member_of: ['pgr_inj_owner'],
      password_env: 'PGR_INJ_PASSWORD',
    },
    pgr_inj_writer: null,
    pgr_inj_owner: null,
  },
  extensions: { pg_trgm: { schema: 'public', version: '1.6' } },
  external: ['public.elsewhere'],
  external_types: ['public.elsewhere_type'],
  // A data change's `sql` is the user's SQL and runs as written (docs/security.md): the payloads
  // land in the first entry's, a batched one, which must use $1 and $2 (no payload does). Its names
  // (anchors, the batch's table and key, its id) are validated or quoted.
  data_changes: {
    touch_sentinel: {
      sql: 'UPDATE public.sentinel SET note = note WHERE id BETWEEN $1 AND $2',
      after: [{ data_change: 'first_touch' }],
      before: [{ table: 'public.sentinel' }, { column: 'public.sentinel.note' }],
      batch: { table: 'public.sentinel', key: 'id', size: 100 },
      comment: 'a data change',
    },
    second_touch: {
      sql: 'UPDATE public.sentinel SET note = note',
      after: { data_change: 'first_touch' },
      before: { table: 'public.sentinel' },
    },
    first_touch: { sql: 'UPDATE public.sentinel SET note = note', before: { column: 'public.sentinel.note' } },
  },
};

/** A top-level variant's document: only what is outside schemas (small plans, one database each). */
function topDocument(): Json {
  return baseDocument({}, clone(TOP));
}

function baseDocument(schemas: Record<string, Json>, top: Json = {}): Json {
  return { version: 1, ...top, ignore: ['public.sentinel', 'public.elsewhere'], schemas };
}

const clone = <T>(value: T): T => structuredClone(value);

/** A place in the document: the container, the key in it, and the path of keys from the root. */
interface Reached {
  readonly holder: Json | unknown[];
  readonly key: string | number;
  readonly path: readonly (string | number)[];
}

/** The places a location reaches in `node`. */
function reach(node: unknown, segments: readonly Segment[], path: readonly (string | number)[] = []): Reached[] {
  if (segments.length === 0) return [];
  const [first, ...rest] = segments as [Segment, ...Segment[]];
  const found: Reached[] = [];
  const visit = (holder: Json | unknown[], key: string | number): void => {
    if (rest.length === 0) found.push({ holder, key, path: [...path, key] });
    else found.push(...reach((holder as Record<string | number, unknown>)[key], rest, [...path, key]));
  };
  if ('prop' in first) {
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && first.prop in (node as Json)) visit(node as Json, first.prop);
  } else if ('anyKey' in first) {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) for (const k of Object.keys(node)) visit(node as Json, k);
  } else if (Array.isArray(node)) {
    node.forEach((_, i) => visit(node, i));
  }
  return found;
}

const at = (r: Reached): unknown => (r.holder as Record<string | number, unknown>)[r.key];

/**
 * `payload` placed at `location` in `doc` (changed in place): a value replaced (a list gets it as
 * one more item), a map given one more entry under the payload as key (a copy of its last entry).
 * A location the document lacks (a new field) is created on its first parent. Returns the path of
 * what changed, or undefined when not even a parent is there.
 */
function place(doc: Json, location: Location, payload: string): readonly (string | number)[] | undefined {
  const segments = location.segments;
  const last = segments[segments.length - 1]!;
  if (location.kind === 'key') {
    const map = reach(doc, segments.slice(0, -1)).find((r) => {
      const m = at(r);
      return m !== null && typeof m === 'object' && !Array.isArray(m) && Object.keys(m).length > 0;
    });
    if (map === undefined) return undefined;
    const entries = at(map) as Json;
    const keys = Object.keys(entries);
    entries[payload] = clone(entries[keys[keys.length - 1]!]);
    return [...map.path, payload];
  }
  if ('item' in last) {
    const lists = reach(doc, segments.slice(0, -1)).filter((r) => Array.isArray(at(r)));
    // A list that holds strings already (a list of key objects takes the string as a column name too).
    const list = lists.find((r) => (at(r) as unknown[]).some((x) => typeof x === 'string')) ?? lists[0];
    if (list === undefined) return undefined;
    (at(list) as unknown[]).push(payload);
    return list.path;
  }
  const all = reach(doc, segments);
  const found = all.find((r) => typeof at(r) !== 'object') ?? all[0];
  if (found !== undefined) {
    (found.holder as Record<string | number, unknown>)[found.key] = payload;
    return found.path;
  }
  // A field the base document does not have: set it on the first object that could hold it.
  if (!('prop' in last)) return undefined;
  const parent = reach(doc, segments.slice(0, -1)).find((r) => {
    const p = at(r);
    return p !== null && typeof p === 'object' && !Array.isArray(p);
  });
  if (parent === undefined) return undefined;
  (at(parent) as Json)[last.prop] = payload;
  return [...parent.path, last.prop];
}

// ---------------------------------------------------------------------------------------------
// variants, loading, applying

interface Variant {
  readonly id: number;
  readonly location: Location;
  readonly payload: string;
  /** Under schemas: the schema this variant owns in a shared document. */
  readonly schema?: string;
  /** The schema's body (or, for a top-level location, the whole document). */
  readonly body: Json;
}

/** A document with the given variants of schema-level locations, each in its own schema. */
function batchDocument(variants: readonly Variant[]): Json {
  const schemas: Record<string, Json> = {};
  for (const v of variants) schemas[v.schema!] = v.body;
  return baseDocument(schemas);
}

/** Statements the apply sent, recorded on every connection it opened. */
function recording(db: Db, log: string[]): Db {
  const wrapped: Db = {
    kind: db.kind,
    description: db.description,
    query: (sql, params) => {
      log.push(sql);
      return db.query(sql, params);
    },
    exec: (sql) => {
      log.push(sql);
      return db.exec(sql);
    },
    close: () => db.close(),
    ...(db.broken !== undefined ? { broken: () => db.broken!() } : {}),
    ...(db.copyOut !== undefined ? { copyOut: (select: string) => db.copyOut!(select) } : {}),
    ...(db.copyIn !== undefined ? { copyIn: (target: string, data: AsyncIterable<Uint8Array>) => db.copyIn!(target, data) } : {}),
    ...(db.fork !== undefined ? { fork: async () => recording(await db.fork!(), log) } : {}),
  };
  return wrapped;
}

/**
 * The types a document lists under external_types, created (as domains) where missing, before it
 * is planned: they are managed elsewhere, and a plan checks that they exist. Domains are a kind of
 * the format, but a live domain listed under external_types is left alone by every plan: it stays
 * unmanaged.
 */
async function createExternalTypes(db: Db, desired: DesiredState): Promise<void> {
  for (const t of desired.externalTypes ?? []) {
    const { rows } = await db.query(
      'SELECT 1 FROM pg_catalog.pg_type ty JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace WHERE n.nspname = $1 AND ty.typname = $2',
      [t.schema, t.name],
    );
    if (rows.length === 0) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.schema)}; CREATE DOMAIN ${qualify(t)} AS integer`);
  }
}

/** pgreconcile's own statements: transaction control, settings, catalog reads, the ledger. */
function isBookkeeping(sql: string): boolean {
  const s = sql.trim();
  return (
    /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|RESET|SELECT|WITH|EXPLAIN|COPY|LOCK TABLE)\b/i.test(s) ||
    /\bpgreconcile\./.test(s) ||
    /^DO \$pgreconcile\$/.test(s) ||
    /^CREATE SCHEMA IF NOT EXISTS pgreconcile\b/.test(s) ||
    /^(CREATE|DROP) (TEMPORARY|TEMP) /i.test(s) ||
    // The judge's work functions (src/judge/probe.ts, src/kinds/view/judge.ts): temporary, in a transaction rolled back.
    /^CREATE FUNCTION pg_temp\.pgreconcile_judge(_views)?\(/.test(s) ||
    // The policies' judge (src/kinds/policy/judge.ts): on a temporary table, in a transaction rolled back.
    /^CREATE POLICY pgreconcile_judge_policy ON pg_temp\./.test(s)
  );
}

async function sentinelRows(db: Db): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM public.sentinel')).rows[0]!.n;
}

/**
 * The role the base document's policy names. Roles are cluster objects: each batch creates it and
 * the payload roles its variants name, and drops them after (DROP OWNED BY takes them out of the
 * batch database's policies first).
 */
const INJECTION_ROLE = 'pgr_injection_role';
const ROLES_LOCATION = 'schemas.*.tables.*.policies.*.roles.[]';

async function createNamedRoles(db: Db, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    try {
      await db.exec(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
    } catch {
      // Left by another run, or being created by one: it exists.
    }
  }
}

async function dropNamedRoles(db: Db, roles: readonly string[]): Promise<void> {
  for (const role of roles) {
    try {
      await db.exec(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
    } catch {
      // Still used by another run's database: it drops it then.
    }
  }
}

/** The roles the test made (cluster objects: dropped once the databases that use them are). */
const madeRoles = new Set<string>();

/** Makes every role the document names (owners, grantees, declared roles): pgreconcile does not create roles. */
async function createRoles(db: Db, desired: DesiredState): Promise<void> {
  // Asked every time: a batch drops the roles its policy variants named (`dropNamedRoles`), and
  // another run of this file on the same server drops the payload roles it made when it ends.
  for (const role of roleUses(desired.model).keys()) {
    const exists = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.rows.length === 0) await db.exec(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`).catch(() => undefined);
    madeRoles.add(role);
  }
}

/** Drops the roles the test made (after every database that used them is gone). */
async function dropRoles(): Promise<void> {
  const t = await createTestDatabase();
  try {
    for (const role of madeRoles) await t.db.exec(`DROP ROLE IF EXISTS ${quoteIdent(role)}`).catch(() => undefined);
  } finally {
    await t.drop();
  }
}

/** Plans `desired` on `db`, checks the plan's statements, applies it through a recording wrapper. */
async function applyRecorded(db: Db, desired: DesiredState): Promise<{ outcome: ApplyOutcome; printed: string[]; executed: string[] }> {
  await createRoles(db, desired);
  const { plan, live } = await planDatabase(db, desired, { cacheDir: judgeCache() });
  const printedSql = renderSql(plan);
  const printed = plan.steps.map((s) => s.sql);
  for (const step of plan.steps) {
    // What plan --sql prints, verbatim; and each step is one statement (nothing rode along in a string).
    expect(printedSql).toContain(`${step.sql};\n`);
    expect(parseSql(step.sql).stmts ?? [], step.sql).toHaveLength(1);
  }
  const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
  const log: string[] = [];
  const outcome = await applyPlanDocument(recording(db, log), doc, { desired, allowHazards: 'all', backup: { enabled: false } });
  return { outcome, printed, executed: log.filter((sql) => !isBookkeeping(sql)) };
}

/** Which variants' steps PostgreSQL refuses: every step run once, each under a savepoint, all rolled back. */
async function refusedByServer(db: Db, desired: DesiredState, variants: readonly Variant[]): Promise<Set<number>> {
  await createRoles(db, desired);
  const { plan } = await planDatabase(db, desired, { cacheDir: judgeCache() });
  const refused = new Set<number>();
  const owner = (sql: string): Variant | undefined => variants.find((v) => sql.includes(`"${v.schema!.replaceAll('"', '""')}".`));
  await db.exec('BEGIN');
  await db.exec('SET LOCAL check_function_bodies = false');
  try {
    for (const step of plan.steps) {
      const v = owner(step.sql);
      if (v !== undefined && refused.has(v.id)) continue;
      await db.exec('SAVEPOINT step');
      try {
        await db.exec(step.sql);
        await db.exec('RELEASE SAVEPOINT step');
      } catch {
        await db.exec('ROLLBACK TO SAVEPOINT step');
        if (v !== undefined) refused.add(v.id);
      }
    }
  } finally {
    await db.exec('ROLLBACK');
  }
  return refused;
}

/** A document applied for real on a fresh database: what it holds and what is expected. */
interface RealRun {
  readonly doc: Json;
  readonly count: number;
  readonly expectFailure: boolean;
  /** For a document merging several accepted variants: them, to apply one by one if the merged one fails. */
  readonly parts?: readonly Variant[];
}

/**
 * The variants outside schemas (extensions, ignore, external, external_types, roles, data
 * changes). A list location's payloads go in one document together; the others (an extension's
 * name, schema, version), one document each, are run step by step and rolled back on one database
 * to see which the server refuses. Then each location's first refused variant is applied for real
 * on a fresh database, and so is every accepted one: merged, the k-th accepted variant of every
 * location in one document (a merged document that fails is applied again as its variants, one by
 * one, each of which must apply). Returns how many were refused by the server.
 */
async function runTopLevel(variants: readonly Variant[], onApplied: (n: number) => void): Promise<number> {
  const byLocation = new Map<string, Variant[]>();
  for (const v of variants) byLocation.set(v.location.label, [...(byLocation.get(v.location.label) ?? []), v]);
  const real: RealRun[] = [];
  const acceptedByLocation: Variant[][] = [];
  let refusedAtApply = 0;
  const scratch = await createTestDatabase();
  try {
    // The data changes of TOP touch the sentinel: it is there too.
    await scratch.db.exec('CREATE TABLE public.sentinel (id int PRIMARY KEY, note text)');
    for (const group of byLocation.values()) {
      const location = group[0]!.location;
      if ('item' in location.segments[location.segments.length - 1]!) {
        const doc = topDocument();
        for (const v of group) place(doc, location, v.payload);
        real.push({ doc, count: group.length, expectFailure: false });
        continue;
      }
      let firstRefused: Variant | undefined;
      const accepted: Variant[] = [];
      for (const v of group) {
        const desired = (await load(v.body)) as DesiredState;
        await createExternalTypes(scratch.db, desired);
        await createRoles(scratch.db, desired);
        const { plan } = await planDatabase(scratch.db, desired, { cacheDir: judgeCache() });
        let ok = true;
        await scratch.db.exec('BEGIN');
        try {
          for (const step of plan.steps) {
            // A batched data change runs with its bounds as parameters: here only the query of its first bounds (its table and key).
            const sql =
              step.effect.kind === 'data_change' && step.effect.batch !== undefined ? batchBoundsSql(step.effect.batch, false) : step.sql;
            try {
              await scratch.db.exec(sql);
            } catch {
              ok = false;
              break;
            }
          }
        } finally {
          await scratch.db.exec('ROLLBACK');
        }
        if (ok) accepted.push(v);
        else {
          refusedAtApply += 1;
          firstRefused ??= v;
        }
      }
      acceptedByLocation.push(accepted);
      if (firstRefused !== undefined) real.push({ doc: firstRefused.body, count: 0, expectFailure: true });
    }
  } finally {
    await scratch.drop();
  }
  const rounds = Math.max(0, ...acceptedByLocation.map((a) => a.length));
  for (let k = 0; k < rounds; k++) {
    const parts = acceptedByLocation.flatMap((a) => a[k] ?? []);
    const doc = topDocument();
    const placed = parts.every((v) => place(doc, v.location, v.payload) !== undefined);
    if (placed && parts.length > 1) real.push({ doc, count: parts.length, expectFailure: false, parts });
    else for (const v of parts) real.push({ doc: v.body, count: 1, expectFailure: false });
  }
  const queue = [...real];
  for (let run = queue.shift(); run !== undefined; run = queue.shift()) {
    const applied = await applyForReal(run);
    if (applied) onApplied(run.count);
    else if (run.parts !== undefined) for (const v of run.parts) queue.push({ doc: v.body, count: 1, expectFailure: false });
  }
  return refusedAtApply;
}

/**
 * Applies `run.doc` on a fresh database holding the sentinel: the sentinel's rows survive and the
 * statements executed are the ones printed, in order. Whether it applied (a failure is expected
 * where `run.expectFailure`, tolerated for a merged document, an error otherwise).
 */
async function applyForReal(run: RealRun): Promise<boolean> {
  const desired = await load(run.doc);
  if (desired instanceof DesiredStateError) {
    // Only a merged document can be refused here: each variant validated alone.
    expect(run.parts, desired.message).toBeDefined();
    return false;
  }
  const t = await createTestDatabase();
  try {
    await t.db.exec(
      "CREATE TABLE public.sentinel (id int PRIMARY KEY, note text); INSERT INTO public.sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g",
    );
    await createExternalTypes(t.db, desired);
    const { outcome, printed, executed } = await applyRecorded(t.db, desired);
    const what = JSON.stringify(run.doc).slice(0, 500);
    expect(await sentinelRows(t.db), what).toBe(5);
    if (run.expectFailure || (run.parts !== undefined && outcome.kind === 'failed')) {
      expect(outcome.kind, what).toBe('failed');
      expect(executed, what).toEqual(printed.slice(0, executed.length));
      return false;
    }
    expect(outcome.kind, `${what}: ${JSON.stringify(outcome).slice(0, 300)}`).toBe('applied');
    expect(executed, what).toEqual(printed);
    if (outcome.kind === 'applied') expect(outcome.remaining.steps).toEqual([]);
    return true;
  } finally {
    await t.drop();
  }
}

let judgeCacheDir: string | undefined;

/** The judge's cache for every plan of this file (the CLI keeps one in .pgreconcile/cache/). */
function judgeCache(): string {
  judgeCacheDir ??= mkdtempSync(join(tmpdir(), 'pgr-injection-judge-'));
  return judgeCacheDir;
}

afterAll(() => {
  if (judgeCacheDir !== undefined) rmSync(judgeCacheDir, { recursive: true, force: true });
});

async function load(doc: Json): Promise<DesiredState | DesiredStateError> {
  try {
    return await loadDesiredStateFromText(JSON.stringify(doc, null, 1), 'injection.yaml');
  } catch (error) {
    if (error instanceof DesiredStateError) return error;
    throw error;
  }
}

describe('every string of the format, every payload', () => {
  it('is refused by validate or arrives quoted: the sentinel survives, executed = printed', async () => {
    await initParser();
    const locations = stringLocations();
    // The walk finds what the format has: names, comments, SQL fragments, grammar-bound names, keys.
    expect(locations.length).toBeGreaterThan(60);
    for (const wanted of [
      'schemas.*.tables.*.indexes.*.with.* (key)',
      'schemas.*.functions.*.set.* (key)',
      'schemas.*.tables.*.indexes.*.columns.[].opclass',
      'extensions.*.version',
      'schemas.*.tables.*.triggers.*.arguments.[]',
      'schemas.*.tables.*.exclude.*.elements.[].with',
      'schemas.*.tables.*.exclude.*.where',
    ]) {
      expect(
        locations.map((l) => l.label),
        wanted,
      ).toContain(wanted);
    }
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);

    const base = await load(baseDocument({ app: baseSchema('app') }, TOP));
    expect(base, base instanceof Error ? base.message : '').not.toBeInstanceOf(DesiredStateError);

    // Validate every variant through the loader; keep the accepted ones.
    let id = 0;
    const accepted: Variant[] = [];
    const unplaced: string[] = [];
    let refused = 0;
    for (const location of locations) {
      const top = !('prop' in location.segments[0]! && location.segments[0].prop === 'schemas');
      for (const payload of PAYLOADS) {
        id += 1;
        const schema = `v${id}`;
        let doc: Json;
        let body: Json;
        if (top) {
          doc = topDocument();
          if (place(doc, location, payload) === undefined) {
            unplaced.push(location.label);
            break;
          }
          body = doc;
        } else if (location.segments.length === 2) {
          // The schema's own name: the schema with its comment only.
          body = pruned(baseSchema(payload), []);
          doc = baseDocument({ [payload]: body });
        } else {
          const full = baseSchema(schema);
          const wrapper = { schemas: { [schema]: full } };
          const touched = place(wrapper, location, payload);
          if (touched === undefined) {
            unplaced.push(location.label);
            break;
          }
          body = pruned(full, touched.slice(2));
          doc = baseDocument({ [schema]: body });
        }
        const result = await load(doc);
        if (result instanceof DesiredStateError) {
          refused += 1;
          // A refusal names where: file:line:col.
          expect(result.diagnostics.length).toBeGreaterThan(0);
          continue;
        }
        accepted.push({ id, location, payload, body, ...(top ? {} : { schema: location.segments.length === 2 ? payload : schema }) });
      }
    }
    expect(unplaced, 'locations the test could not place a payload at').toEqual([]);
    expect(refused).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);

    // Apply the accepted ones: schema-level variants together (several per database), top-level ones one by one.
    const scoped = accepted.filter((v) => v.schema !== undefined);
    const topLevel = accepted.filter((v) => v.schema === undefined);
    const batches: Variant[][] = [];
    for (let i = 0; i < scoped.length; i += 250) batches.push(scoped.slice(i, i + 250));
    let applied = 0;
    let refusedAtApply = 0;
    const runBatch = async (docs: { variants: readonly Variant[]; doc: Json }): Promise<void> => {
      const t = await createTestDatabase();
      const roles = [INJECTION_ROLE, ...docs.variants.filter((v) => v.location.label === ROLES_LOCATION).map((v) => v.payload)];
      await createNamedRoles(t.db, roles);
      try {
        const db = t.db;
        await db.exec(
          "CREATE TABLE public.sentinel (id int PRIMARY KEY, note text); INSERT INTO public.sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g",
        );
        let desired = (await load(docs.doc)) as DesiredState;
        let variants = docs.variants;
        const failing = variants[0]?.schema === undefined ? new Set<number>() : await refusedByServer(db, desired, variants);
        const good = variants.filter((v) => !failing.has(v.id));
        const bad = variants.filter((v) => failing.has(v.id));
        const groups: { variants: readonly Variant[]; expectFailure: boolean }[] = [];
        if (variants[0]?.schema === undefined) groups.push({ variants, expectFailure: false });
        else {
          if (good.length > 0) groups.push({ variants: good, expectFailure: false });
          if (bad.length > 0) groups.push({ variants: bad, expectFailure: true });
        }
        for (const group of groups) {
          variants = group.variants;
          desired = (await load(variants[0]!.schema === undefined ? variants[0]!.body : batchDocument(variants))) as DesiredState;
          const { outcome, printed, executed } = await applyRecorded(db, desired);
          const what = variants
            .map((v) => `${v.location.label} = ${JSON.stringify(v.payload)}`)
            .join('; ')
            .slice(0, 2000);
          expect(await sentinelRows(db), what).toBe(5);
          if (outcome.kind === 'applied') {
            expect(executed, what).toEqual(printed);
            expect(
              outcome.remaining.steps.map((s) => s.sql),
              what,
            ).toEqual([]);
            applied += variants.length;
          } else {
            expect(outcome.kind, `${what}: ${JSON.stringify(outcome).slice(0, 500)}`).toBe('failed');
            if (outcome.kind !== 'failed') continue;
            // Nothing but the printed statements ran, in order, up to the one that failed.
            expect(executed, what).toEqual(printed.slice(0, executed.length));
            expect(executed[executed.length - 1], what).toBe(outcome.step.sql);
            if (variants[0]!.schema !== undefined) expect(group.expectFailure, `${what}: ${outcome.error}`).toBe(true);
            refusedAtApply += variants[0]!.schema === undefined ? 1 : variants.length;
          }
        }
      } finally {
        await dropNamedRoles(t.db, roles);
        await t.drop();
      }
    };
    for (const batch of batches) await runBatch({ variants: batch, doc: batchDocument(batch) });
    refusedAtApply += await runTopLevel(topLevel, (n) => (applied += n));
    await dropRoles();
    expect(applied).toBeGreaterThan(0);
    console.info(
      `injection: ${locations.length} string locations × ${PAYLOADS.length} payloads: ${refused} refused by validate, ${applied} applied quoted, ${refusedAtApply} refused by the server (rolled back)`,
    );
  }, 600_000);
});
