/**
 * The node-postgres adapter: one `pg.Client` behind the `Db` interface.
 *
 * Values come back in the same JavaScript shapes as from the PGlite adapter:
 * - `bigint` (int8) and `numeric` as strings (no precision lost);
 * - `date`, `time`, `timetz`, `timestamp`, `timestamptz` and `interval` as the server's text
 *   (strings, never `Date`: a schema tool compares and prints them, it does no date maths);
 * - arrays of built-in types as JavaScript arrays (`name[]`, `"char"[]`, `regtype[]`, … too);
 *   arrays of user-defined types (enums) as their text literal (`{a,b}`): cast them to
 *   `text[]` in SQL;
 * - other types as node-postgres parses them (int2/int4/oid/float as numbers, bool,
 *   json/jsonb parsed, bytea as Buffer).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from './load-pg.js';
import type { ClientConfig, QueryConfig } from 'pg';
import type { Db, QueryResult } from './db.js';
import { DbError, toDbError } from './errors.js';
import { pinSessionSettings } from './session-settings.js';
import { isUrlForm, parseKeyValueString, redactSecrets, redactUrl, secretsOf } from './redact.js';

/** Type OIDs whose text form is kept as a string (arrays of them become arrays of strings). */
const KEEP_AS_TEXT = new Set<number>([
  20, // int8
  1700, // numeric
  1082, // date
  1083, // time
  1266, // timetz
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
]);

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];
type TextParser = (value: string) => unknown;

/** The shape `pg.types.arrayParser` really has (its published type is wrong). */
interface ArrayParserModule {
  create(source: string, transform: (entry: string) => unknown): { parse(): unknown[] };
}

const identity = (value: string): string => value;
const unparsed = pg.types.getTypeParser(-1 as TypeId, 'text') as TextParser;

/**
 * Per-client type parsers. node-postgres knows only some array types; `arrayElements`
 * (array type OID → element type OID, built-in types only, read at connect) lets every
 * built-in array come back as a JavaScript array, as PGlite returns them.
 */
function typeParsers(arrayElements: ReadonlyMap<number, number>): NonNullable<ClientConfig['types']> {
  const arrays = pg.types.arrayParser as unknown as ArrayParserModule;
  const textParser = (oid: number): TextParser => {
    if (KEEP_AS_TEXT.has(oid)) return identity;
    const element = arrayElements.get(oid);
    if (element !== undefined && (KEEP_AS_TEXT.has(element) || pg.types.getTypeParser(oid, 'text') === unparsed)) {
      const parseElement = textParser(element);
      return (value: string) => arrays.create(value, (entry) => parseElement(entry)).parse();
    }
    return pg.types.getTypeParser(oid, 'text') as TextParser;
  };
  const getTypeParser = (oid: number, format?: 'text' | 'binary'): unknown =>
    format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : textParser(oid);
  return { getTypeParser };
}

/**
 * Built-in array types (OIDs below FirstNormalObjectId) and their element types; the
 * `_`-named ones only, so int2vector and oidvector stay text ('1 2'), as on PGlite.
 */
const ARRAY_TYPES_SQL = `select oid::int4 as array_oid, typelem::int4 as element_oid
  from pg_catalog.pg_type
 where typcategory = 'A' and typelem <> 0 and oid < 16384 and typname like '\\_%'`;

/**
 * Connect to a PostgreSQL server through node-postgres.
 *
 * `url` is a `postgres://` / `postgresql://` URL or a libpq key=value string
 * (`host=localhost port=5432 dbname=app user=app`). Errors are `DbError`s whose messages
 * never contain the password.
 *
 * @example
 * const db = await connectPostgres('postgres://app@localhost:5432/app', { applicationName: 'pgreconcile' });
 * const { rows } = await db.query<{ n: string }>('select count(*) as n from pg_class where relkind = $1', ['r']);
 * await db.close();
 */

/** pg-copy-streams, loaded by the first COPY (only backups and restores use it). */
function copyStreams(): Promise<typeof import('pg-copy-streams')> {
  return import('pg-copy-streams');
}

export async function connectPostgres(url: string, opts?: { applicationName?: string }): Promise<Db> {
  const description = redactUrl(url);
  const secrets = secretsOf(url);
  const scrub = (text: string): string => redactSecrets(text, secrets);
  let config: ClientConfig;
  try {
    config = clientConfig(url);
  } catch (error) {
    throw toDbError(error, { phase: 'connect', target: description, prefix: `invalid connection string ${description}: ` }, scrub);
  }
  const arrayElements = new Map<number, number>();
  const client = new pg.Client({
    connectionTimeoutMillis: 15_000,
    ...config,
    application_name: opts?.applicationName ?? config.application_name ?? 'pgreconcile',
    types: typeParsers(arrayElements),
  });
  // A connection lost while idle surfaces as an 'error' event; without a listener it would
  // crash the process. The next query fails with its own error, so remember it only.
  let lost: DbError | undefined;
  client.on('error', (error: unknown) => {
    lost = toDbError(error, { phase: 'query', target: description, prefix: 'connection lost: ' }, scrub);
  });
  client.on('end', () => {
    lost ??= new DbError(`connection lost: the server closed the connection to ${description}`, { phase: 'query', target: description });
  });
  try {
    await client.connect();
    await pinSessionSettings({
      query: async (sql, params) => ({ ...(await client.query(sql, params ? [...params] : [])), rowCount: 0, rows: [] }),
    });
    const arrays = await client.query<{ array_oid: number; element_oid: number }>(ARRAY_TYPES_SQL);
    for (const row of arrays.rows) arrayElements.set(row.array_oid, row.element_oid);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toDbError(error, { phase: 'connect', target: description, prefix: `could not connect to ${description}: ` }, scrub);
  }

  let closed = false;
  let sibling: Promise<Db> | undefined;
  const ensureOpen = (sql: string): void => {
    if (closed) {
      throw new DbError(`connection to ${description} is closed`, { phase: 'query', target: description, sql });
    }
  };

  return {
    kind: 'postgres',
    description,

    async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      ensureOpen(sql);
      try {
        // Always the extended protocol, so that `query` runs exactly one statement, as on PGlite.
        const config = { text: sql, values: params ? [...params] : [], queryMode: 'extended' } as QueryConfig;
        const result = await client.query(config);
        return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
      } catch (error) {
        throw toDbError(lost ?? error, { phase: 'query', target: description, sql }, scrub);
      }
    },

    async exec(sql: string): Promise<void> {
      ensureOpen(sql);
      try {
        // Without values node-postgres uses the simple-query protocol: several statements allowed.
        await client.query(sql);
      } catch (error) {
        throw toDbError(lost ?? error, { phase: 'query', target: description, sql }, scrub);
      }
    },

    async *copyOut(select: string): AsyncIterable<Uint8Array> {
      const sql = `COPY (${select}) TO STDOUT`;
      ensureOpen(sql);
      const { to: copyTo } = await copyStreams();
      const stream = client.query(copyTo(sql));
      let settled = false;
      try {
        for await (const chunk of stream.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
        settled = true;
      } catch (error) {
        settled = true; // the server ended the COPY with an error: the connection is ready again
        throw toDbError(lost ?? error, { phase: 'query', target: description, sql }, scrub);
      } finally {
        // The reader stopped early (the file could not be written: a full disk): the server would
        // go on sending, blocked on a socket nobody reads, holding the step's locks. Cancel the
        // COPY and read what is still on the way, so the connection is usable for the ROLLBACK.
        if (!settled) await abandonCopy(client, config, stream);
      }
    },

    async copyIn(target: string, data: AsyncIterable<Uint8Array>): Promise<number> {
      const sql = `COPY ${target} FROM STDIN`;
      ensureOpen(sql);
      try {
        const { from: copyFrom } = await copyStreams();
        const stream = client.query(copyFrom(sql));
        await pipeline(Readable.from(data), stream);
        return stream.rowCount;
      } catch (error) {
        throw toDbError(lost ?? error, { phase: 'query', target: description, sql }, scrub);
      }
    },

    broken(): string | undefined {
      if (lost !== undefined) return lost.message;
      return closed ? `connection to ${description} is closed` : undefined;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const kept = sibling;
      sibling = undefined;
      await Promise.all([client.end().catch(() => undefined), kept?.then((s) => s.close()).catch(() => undefined)]);
    },

    fork(): Promise<Db> {
      return connectPostgres(url, opts);
    },

    async sibling(): Promise<Db> {
      ensureOpen('(a second connection)');
      const kept = sibling;
      if (kept !== undefined) {
        const found = await kept.catch(() => undefined);
        if (found !== undefined && found.broken?.() === undefined && sibling === kept && !closed) return found;
        if (sibling === kept) sibling = undefined;
        if (found !== undefined) await found.close();
        ensureOpen('(a second connection)');
      }
      const opened = connectPostgres(url, opts);
      sibling = opened;
      opened.catch(() => {
        if (sibling === opened) sibling = undefined;
      });
      const connection = await opened;
      if (closed) {
        // This Db was closed while the connection was being made.
        await connection.close();
        ensureOpen('(a second connection)');
      }
      return connection;
    },
  };
}

/**
 * Cancels the COPY `stream` runs on `client` (a cancel request on a connection of its own, as
 * libpq's PQcancel: no session, no authentication) and drains it until the server's error ends it.
 */
async function abandonCopy(
  client: InstanceType<typeof pg.Client>,
  config: ClientConfig,
  stream: NodeJS.ReadableStream & { readonly readableEnded?: boolean; readonly destroyed?: boolean },
): Promise<void> {
  if (stream.readableEnded === true || stream.destroyed === true) return;
  const ended = new Promise<void>((resolve) => {
    stream.once('end', () => resolve());
    stream.once('error', () => resolve());
    stream.once('close', () => resolve());
  });
  // The server closes the cancel connection once it has acted on the request; waiting for that
  // keeps a late cancel from hitting the next statement (the ROLLBACK).
  let cancelDone: Promise<void> = Promise.resolve();
  try {
    type Canceller = { cancel(target: unknown, query: unknown): void; connection: { on(event: string, listener: () => void): void } };
    const canceller = new pg.Client(config) as unknown as Canceller;
    cancelDone = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      canceller.connection.on('end', done);
      canceller.connection.on('error', done);
    });
    canceller.cancel(client, stream);
  } catch {
    // No cancel possible: draining alone still ends the COPY, later.
  }
  stream.resume();
  await Promise.all([ended, cancelDone]);
}

/** The schemes of a PostgreSQL connection URL (libpq's). */
const URL_SCHEMES = new Set(['postgres:', 'postgresql:']);

/**
 * libpq's connect_timeout: whole seconds, 0 (or absent) for no limit, under 2 counted as 2.
 * Anything else is refused rather than ignored.
 */
function connectTimeoutMillis(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new Error(`invalid connect_timeout "${value}": expected whole seconds (e.g. connect_timeout=10)`);
  const seconds = Number(value);
  return seconds === 0 ? 0 : Math.max(2, seconds) * 1000;
}

/**
 * node-postgres settings for a `postgres://` or `postgresql://` URL: another scheme (`mysql://`,
 * `http://`) is refused, and so is a malformed port or connect_timeout, instead of being ignored.
 */
function urlConfig(url: string): ClientConfig {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error('not a valid URL');
  }
  if (!URL_SCHEMES.has(parsed.protocol.toLowerCase())) {
    throw new Error(
      `unsupported scheme "${parsed.protocol.slice(0, -1)}://": a PostgreSQL connection URL starts with postgres:// or postgresql://`,
    );
  }
  if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) throw new Error(`invalid port "${parsed.port}"`);
  const config: { -readonly [K in keyof ClientConfig]: ClientConfig[K] } = { connectionString: url.trim() };
  const timeouts = parsed.searchParams.getAll('connect_timeout');
  if (timeouts.length > 0) config.connectionTimeoutMillis = connectTimeoutMillis(timeouts[timeouts.length - 1]!);
  return config;
}

/** node-postgres settings for a URL or a libpq key=value string. */
function clientConfig(url: string): ClientConfig {
  if (isUrlForm(url)) return urlConfig(url);
  const config: { -readonly [K in keyof ClientConfig]: ClientConfig[K] } = {};
  const items = parseKeyValueString(url);
  if (items.length === 0 && url.trim() !== '') {
    throw new Error('expected a postgres:// URL or key=value pairs');
  }
  for (const { key, value } of items) {
    switch (key) {
      case 'host':
      case 'hostaddr':
        config.host = value;
        break;
      case 'port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid port "${value}"`);
        config.port = port;
        break;
      }
      case 'user':
        config.user = value;
        break;
      case 'password':
        config.password = value;
        break;
      case 'dbname':
        config.database = value;
        break;
      case 'application_name':
        config.application_name = value;
        break;
      case 'options':
        config.options = value;
        break;
      case 'connect_timeout':
        config.connectionTimeoutMillis = connectTimeoutMillis(value);
        break;
      case 'sslmode':
        config.ssl = sslFor(value);
        break;
      default:
        throw new Error(`unsupported connection option "${key}"`);
    }
  }
  return config;
}

function sslFor(mode: string): ClientConfig['ssl'] {
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return true;
    default:
      throw new Error(`invalid sslmode "${mode}"`);
  }
}
