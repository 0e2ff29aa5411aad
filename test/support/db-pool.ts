/**
 * The run's pool of reusable test databases on the server.
 *
 * Why: on PostgreSQL 15 `DROP DATABASE` forces an immediate checkpoint, which flushes every
 * dirty buffer of every other test and takes seconds on a busy machine; `CREATE DATABASE` is
 * cheap. So a test database is not dropped after its test: it is emptied and checked, and the
 * next test takes it instead of creating one. It is dropped for real (as before) when the check
 * fails, and the run's global teardown drops the pool.
 *
 * How (all on the server, so that the test files' worker processes share it):
 * - the global setup makes one fresh database and records its catalog fingerprint
 *   (`preparePool`): a hash of every row of every per-database catalog table;
 * - `releaseToPool(name)`, from a test database's `drop()`: no other session is connected; the
 *   database is emptied (`RESET_SQL`: event triggers, extensions but plpgsql, schemas but
 *   public, public's contents, large objects, temporary schemas; public's owner, ACL and comment
 *   put back); its catalogs must then hash exactly as the fresh one's, and its pg_database row,
 *   settings, shared dependencies, prepared transactions, slots and subscriptions must be a
 *   fresh database's; then it is renamed to `pgr_t_<run pid>_free_…` (a name no test knows);
 * - `claimPooledDatabase(name)`: renames a free database of the run to the test's new name
 *   (the rename is atomic: two workers never get the same one) and writes the test's note.
 * A free database carries the note of the run's main process, so the sweep of a later run
 * (./test-databases.ts) drops it when that run died without its teardown.
 *
 * `PGRECONCILE_TEST_POOL=0` turns the pool off (a new database per test, dropped after it);
 * `PGRECONCILE_TEST_POOL=log` prints how long each test database took to make and to put away,
 * and why one was dropped instead of pooled.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { dropDatabase, quoteIdent, quoteLiteral, TEST_DB_PREFIX } from './test-databases.js';

/** What the workers learn about the pool from the global setup (serialisable). */
export interface PoolInfo {
  /** The pid of the run's main process: free databases are `pgr_t_<runPid>_free_…`. */
  readonly runPid: number;
  /** The query giving `(t, h)`: each per-database catalog table and the hash of its rows. */
  readonly fingerprintSql: string;
  /** `t → h` of a fresh database. */
  readonly reference: Readonly<Record<string, string>>;
  /** The statements that empty a test database (run in it, as the admin role). */
  readonly resetSql: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup.ts (absent when the pool is off); read by ./harness.ts. */
    pgreconcileTestPool: PoolInfo | null;
  }
}

/** Whether the pool is on (`PGRECONCILE_TEST_POOL` is not `0`). */
export function poolEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['PGRECONCILE_TEST_POOL'] !== '0' && env['PGRECONCILE_TEST_POOL'] !== '0log';
}

export function poolLog(message: string): void {
  if (process.env['PGRECONCILE_TEST_POOL'] === 'log' || process.env['PGRECONCILE_TEST_POOL'] === '0log')
    process.stderr.write(`[test-db-pool ${process.pid}] ${message}\n`);
}

/** `pgr_t_<runPid>_free_`, the prefix of the run's free databases. */
function freePrefix(runPid: number): string {
  return `${TEST_DB_PREFIX}${runPid}_free_`;
}

let freeCounter = 0;

function nextFreeName(runPid: number): string {
  freeCounter += 1;
  return `${freePrefix(runPid)}${process.pid}_${freeCounter}_${Math.random().toString(36).slice(2, 6)}`;
}

/** The note of a free database: the run's main process is its owner (see isAbandoned). */
function freeNote(runPid: number): string {
  return `pgreconcile-test ${JSON.stringify({ host: hostname(), pid: runPid, created: new Date().toISOString(), pool: 'free' })}`;
}

function likePattern(prefix: string): string {
  return `${prefix.replace(/[\\_%]/g, (c) => `\\${c}`)}%`;
}

/** The URL of `adminUrl`'s server and role on another database. */
export function urlForDatabase(adminUrl: string, database: string): string {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw new Error('The test server URL must be a postgres:// URL (PGRECONCILE_TEST_URL).');
  }
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export async function withClient<T>(url: string, applicationName: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The catalog fingerprint

/** Catalogs of statistics only (ANALYZE rewrites them). */
const SKIPPED_CATALOGS = ['pg_statistic', 'pg_statistic_ext_data'];

/** Temporary schemas are made by the server for sessions that use temporary tables. */
const TEMP_SCHEMA_RE = `^pg_(toast_)?temp_[0-9]+$`;

/**
 * The fingerprint query of the database `client` is connected to: one row `(t, h)` per
 * per-database catalog table (pg_catalog, not shared): its row count and the newest `xmin` among
 * its rows. A fresh database's catalog rows are all template0's, written by initdb; any row a test
 * inserted or updated (ALTER, GRANT, COMMENT on a built-in object, a new object left behind) has a
 * newer `xmin`, and a deleted one changes the count. (What changes rows in place, without a new
 * xmin, is VACUUM and ANALYZE: statistics only.) Two rows are compared by value instead: the
 * public schema and its comment, which a test may change and the reset puts back. Left out: the
 * temporary schemas (made by the server for sessions using temporary tables) and the statistics
 * catalogs. Scanning xmins is cheap (no rows rendered): about 20 ms, where hashing every row's
 * text took 100–200 ms on the busy test machine.
 */
async function fingerprintQuery(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ relname: string }>(
    `select c.relname from pg_catalog.pg_class c
      where c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace and c.relkind = 'r' and not c.relisshared
      order by c.relname`,
  );
  const isPublic = `t.nspname = 'public'`;
  const isPublicComment = `t.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass and t.objoid = 'public'::pg_catalog.regnamespace`;
  const parts: string[] = [];
  for (const { relname } of rows) {
    if (SKIPPED_CATALOGS.includes(relname)) continue;
    const where =
      relname === 'pg_namespace'
        ? ` where not (t.nspname operator(pg_catalog.~) ${quoteLiteral(TEMP_SCHEMA_RE)} or ${isPublic})`
        : relname === 'pg_description'
          ? ` where not (${isPublicComment})`
          : '';
    parts.push(
      `select ${quoteLiteral(relname)} as t, (select pg_catalog.count(*) || ':' || coalesce(pg_catalog.max(t.xmin::text::int8), 0) ` +
        `from pg_catalog.${quoteIdent(relname)} t${where}) as h`,
    );
  }
  parts.push(`select 'public schema' as t, (select row(t.*)::text from pg_catalog.pg_namespace t where ${isPublic}) as h`);
  parts.push(
    `select 'public comment' as t, (select coalesce(row(t.*)::text, '') from pg_catalog.pg_description t where ${isPublicComment}) as h`,
  );
  return parts.join('\nunion all\n');
}

async function fingerprint(client: pg.Client, sql: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ t: string; h: string }>(sql);
  return new Map(rows.map((r) => [r.t, r.h]));
}

// ---------------------------------------------------------------------------------------------
// Emptying a database

interface PublicSchema {
  /** Role names as they are (unquoted). */
  readonly owner: string;
  /** Its ACL as text (`null`: the default), and as the grants that give it (owner's first). */
  readonly aclText: string | null;
  readonly grants: readonly { grantee: string; privilege: string }[];
  readonly comment: string | null;
}

/** The `DROP` keyword for each `pg_identify_object` type of an object that lives in a schema. */
const DROP_KEYWORDS: Readonly<Record<string, string>> = {
  table: 'TABLE',
  'partitioned table': 'TABLE',
  view: 'VIEW',
  'materialized view': 'MATERIALIZED VIEW',
  sequence: 'SEQUENCE',
  'foreign table': 'FOREIGN TABLE',
  'composite type': 'TYPE',
  index: 'INDEX',
  'partitioned index': 'INDEX',
  type: 'TYPE',
  domain: 'DOMAIN',
  function: 'ROUTINE',
  procedure: 'ROUTINE',
  aggregate: 'ROUTINE',
  'window function': 'ROUTINE',
  collation: 'COLLATION',
  conversion: 'CONVERSION',
  operator: 'OPERATOR',
  'operator class': 'OPERATOR CLASS',
  'operator family': 'OPERATOR FAMILY',
  'statistics object': 'STATISTICS',
  'text search configuration': 'TEXT SEARCH CONFIGURATION',
  'text search dictionary': 'TEXT SEARCH DICTIONARY',
  'text search parser': 'TEXT SEARCH PARSER',
  'text search template': 'TEXT SEARCH TEMPLATE',
  extension: 'EXTENSION',
};

/**
 * One `DO` block (a single round trip, no catalog trace of its own) that empties the database it
 * runs in back to a fresh one's state, given public's owner, ACL and comment in a fresh database.
 * What it cannot undo (a dropped plpgsql, default privileges, settings) the fingerprint catches.
 */
function resetSql(pub: PublicSchema): string {
  const keywordCases = Object.entries(DROP_KEYWORDS)
    .map(([type, keyword]) => `when ${quoteLiteral(type)} then ${quoteLiteral(keyword)}`)
    .join(' ');
  const grants = pub.grants
    .map(
      (g) =>
        `execute ${quoteLiteral(`GRANT ${g.privilege} ON SCHEMA public TO ${g.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(g.grantee)}`)};`,
    )
    .join('\n    ');
  const sqlOrNull = (text: string | null): string => (text === null ? 'null::text' : quoteLiteral(text));
  return `do $pgr_reset$
declare
  r record;
  kw text;
  pass int;
  the_acl text;
begin
  set local search_path = pg_catalog, pg_temp;
  for r in select evtname from pg_catalog.pg_event_trigger loop
    execute pg_catalog.format('DROP EVENT TRIGGER %I', r.evtname);
  end loop;
  for r in select extname from pg_catalog.pg_extension where extname <> 'plpgsql' loop
    execute pg_catalog.format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  end loop;
  for r in select nspname from pg_catalog.pg_namespace
            where nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'public') loop
    execute pg_catalog.format('DROP SCHEMA IF EXISTS %I CASCADE', r.nspname);
  end loop;
  for pass in 1..3 loop
    for r in select (pg_catalog.pg_identify_object(classid, objid, 0)).*
               from pg_catalog.pg_depend
              where refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                and refobjid = 'public'::pg_catalog.regnamespace and deptype = 'n' loop
      kw := case r.type ${keywordCases} end;
      continue when kw is null;
      begin
        execute pg_catalog.format('DROP %s IF EXISTS %s CASCADE', kw, r.identity);
      exception when others then
        null; -- an implicit object (an array type) goes with its owner; the fingerprint has the last word
      end;
    end loop;
  end loop;
  perform pg_catalog.lo_unlink(oid) from pg_catalog.pg_largeobject_metadata;
  if (select nspowner from pg_catalog.pg_namespace where nspname = 'public')
     is distinct from (select oid from pg_catalog.pg_roles where rolname = ${quoteLiteral(pub.owner)}) then
    execute ${quoteLiteral(`ALTER SCHEMA public OWNER TO ${quoteIdent(pub.owner)}`)};
  end if;
  select nspacl::text into the_acl from pg_catalog.pg_namespace where nspname = 'public';
  if the_acl is distinct from ${sqlOrNull(pub.aclText)} then
    for r in select distinct a.grantee from pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a where n.nspname = 'public' loop
      execute pg_catalog.format('REVOKE ALL ON SCHEMA public FROM %s CASCADE',
        case when r.grantee = 0 then 'PUBLIC' else r.grantee::pg_catalog.regrole::text end); -- regrole's text is quoted as needed
    end loop;
    ${grants}
  end if;
  if pg_catalog.obj_description('public'::pg_catalog.regnamespace, 'pg_namespace') is distinct from ${sqlOrNull(pub.comment)} then
    execute pg_catalog.format('COMMENT ON SCHEMA public IS %L', ${sqlOrNull(pub.comment)});
  end if;
end
$pgr_reset$`;
}

/** The checks on what a database's catalogs do not hold: its pg_database row, settings, shared dependencies. */
const SHARED_CHECK_SQL = `select pg_catalog.concat_ws(', ',
    case when d.datacl is not null then 'database ACL' end,
    case when d.datconnlimit <> -1 then 'connection limit' end,
    case when not d.datallowconn then 'connections not allowed' end,
    case when d.datistemplate then 'template' end,
    case when d.datdba <> (select oid from pg_catalog.pg_roles where rolname = current_user) then 'owner' end,
    case when d.dattablespace <> (select oid from pg_catalog.pg_tablespace where spcname = 'pg_default') then 'tablespace' end,
    case when exists (select from pg_catalog.pg_db_role_setting s where s.setdatabase = d.oid) then 'settings' end,
    case when exists (select from pg_catalog.pg_shdepend s where s.dbid = d.oid) then 'objects depending on roles' end,
    case when exists (select from pg_catalog.pg_shdepend s
                       where s.classid = 'pg_catalog.pg_database'::pg_catalog.regclass and s.objid = d.oid) then 'database depending on roles' end,
    case when exists (select from pg_catalog.pg_prepared_xacts x where x.database = d.datname) then 'prepared transactions' end,
    case when exists (select from pg_catalog.pg_replication_slots x where x.datoid = d.oid) then 'replication slots' end,
    case when exists (select from pg_catalog.pg_subscription x where x.subdbid = d.oid) then 'subscriptions' end,
    case when exists (select from pg_catalog.pg_namespace n where n.nspname operator(pg_catalog.~) '^pg_(toast_)?temp_[0-9]+$'
                       and exists (select from pg_catalog.pg_class c where c.relnamespace = n.oid)) then 'temporary objects' end
  ) as problems
  from pg_catalog.pg_database d where d.datname = current_database()`;

/** How many objects the reset would drop (about one lock each), and how many it may. */
const OBJECT_COUNT_SQL = `select ((select count(*) from pg_catalog.pg_class where oid >= 16384)
        + (select count(*) from pg_catalog.pg_type where oid >= 16384)
        + (select count(*) from pg_catalog.pg_proc where oid >= 16384)
        + (select count(*) from pg_catalog.pg_constraint where oid >= 16384)
        + (select count(*) from pg_catalog.pg_operator where oid >= 16384))::int as objects,
       8 * pg_catalog.current_setting('max_locks_per_transaction')::int as limit`;

/** Other sessions on the database (autovacuum aside: rename and drop stop it themselves). */
const OTHER_SESSIONS_SQL = `select count(*)::int as n from pg_catalog.pg_stat_activity
  where datname = current_database() and pid <> pg_catalog.pg_backend_pid()
    and backend_type is distinct from 'autovacuum worker'`;

async function waitAlone(client: pg.Client, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(OTHER_SESSIONS_SQL);
    if ((rows[0]?.n ?? 0) === 0) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
  }
}

// ---------------------------------------------------------------------------------------------
// Global setup and teardown

/**
 * Prepares the run's pool (from the global setup): one fresh database, fingerprinted and left in
 * the pool. `undefined` when the pool is off or cannot be prepared (then every test database is
 * made and dropped as before).
 */
export async function preparePool(adminUrl: string): Promise<PoolInfo | undefined> {
  if (!poolEnabled()) return undefined;
  const runPid = process.pid;
  const name = nextFreeName(runPid);
  try {
    await withClient(adminUrl, 'pgreconcile-test-pool', async (client) => {
      await client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`);
      await client.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(freeNote(runPid))}`);
    });
    const info = await withClient(urlForDatabase(adminUrl, name), 'pgreconcile-test-pool', async (client) => {
      const fingerprintSql = await fingerprintQuery(client);
      const reference = Object.fromEntries(await fingerprint(client, fingerprintSql));
      const { rows } = await client.query<{
        owner: string;
        grants: { grantee: string; privilege: string }[] | null;
        comment: string | null;
        acl_text: string | null;
      }>(
        `select (select r.rolname from pg_catalog.pg_roles r where r.oid = n.nspowner) as owner,
                (select pg_catalog.json_agg(pg_catalog.json_build_object(
                          'grantee', case when a.grantee = 0 then 'PUBLIC' else (select r.rolname from pg_catalog.pg_roles r where r.oid = a.grantee) end,
                          'privilege', a.privilege_type))
                   from pg_catalog.aclexplode(n.nspacl) a) as grants,
                pg_catalog.obj_description(n.oid, 'pg_namespace') as comment,
                n.nspacl::text as acl_text
           from pg_catalog.pg_namespace n where n.nspname = 'public'`,
      );
      const row = rows[0];
      if (row === undefined) throw new Error('a fresh database without a public schema');
      const pub: PublicSchema = { owner: row.owner, aclText: row.acl_text, grants: row.grants ?? [], comment: row.comment };
      return { runPid, fingerprintSql, reference, resetSql: resetSql(pub) };
    });
    // The reset must leave a fresh database as it is (else every release would fail its check).
    const problem = await cleanAndCheck(adminUrl, name, info);
    if (problem !== undefined) throw new Error(`a fresh database fails the pool check: ${problem}`);
    return info;
  } catch (error) {
    console.warn(`pgreconcile tests: no database pool (${error instanceof Error ? error.message : String(error)})`);
    await withClient(adminUrl, 'pgreconcile-test-pool', (client) => dropDatabase(client, name)).catch(() => undefined);
    return undefined;
  }
}

/** Drops the run's free databases (from the global teardown), a few at a time: their checkpoints coalesce. */
export async function dropPool(adminUrl: string, info: PoolInfo): Promise<number> {
  const names = await withClient(adminUrl, 'pgreconcile-test-pool', async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_catalog.pg_database where datname like $1', [
      likePattern(freePrefix(info.runPid)),
    ]);
    return rows.map((r) => r.datname);
  });
  let dropped = 0;
  const queue = [...names];
  const dropper = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const name = next;
      await withClient(adminUrl, 'pgreconcile-test-pool', (client) => dropDatabase(client, name))
        .then(() => (dropped += 1))
        .catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, names.length) }, dropper));
  return dropped;
}

// ---------------------------------------------------------------------------------------------
// Claim and release

/**
 * Takes a free database of the run and renames it `name`, with `note` as its comment. `false`
 * when there is none free.
 */
export async function claimPooledDatabase(client: pg.Client, info: PoolInfo, name: string, note: string): Promise<boolean> {
  const { rows } = await client.query<{ datname: string }>(
    'select datname from pg_catalog.pg_database where datname like $1 order by pg_catalog.random()',
    [likePattern(freePrefix(info.runPid))],
  );
  for (const { datname } of rows) {
    try {
      // One transaction: the database has its new name and its new note, or neither.
      await client.query(
        `ALTER DATABASE ${quoteIdent(datname)} RENAME TO ${quoteIdent(name)}; COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(note)}`,
      );
      return true;
    } catch {
      // Another worker took it first (or it is being dropped): try the next one.
    }
  }
  return false;
}

/**
 * Empties the database `name` and checks it is as fresh; the problem found, or `undefined`.
 * No session may be connected to it (the caller closes its own first).
 */
export async function cleanAndCheck(adminUrl: string, name: string, info: PoolInfo): Promise<string | undefined> {
  const t0 = performance.now();
  const marks: string[] = [];
  const mark = (what: string): void => void marks.push(`${what} ${Math.round(performance.now() - t0)}`);
  try {
    return await cleanAndCheckIn(adminUrl, name, info, mark);
  } finally {
    mark('closed');
    poolLog(`${name} check: ${marks.join(', ')}`);
  }
}

async function cleanAndCheckIn(adminUrl: string, name: string, info: PoolInfo, mark: (what: string) => void): Promise<string | undefined> {
  return withClient(urlForDatabase(adminUrl, name), 'pgreconcile-test-pool', async (client) => {
    mark('connected');
    // The database's own settings (ALTER DATABASE … SET) must not steer this session.
    await client.query('SET search_path = pg_catalog, pg_temp');
    if (!(await waitAlone(client, 1_000))) return 'other sessions are connected';
    mark('alone');
    // The reset locks every object it drops until it commits, in the lock table every session of
    // the server shares (DROP DATABASE locks none): a big database (an extension like PostGIS)
    // would crowd out the other tests' locks ("out of shared memory"). Such a one is dropped.
    const { rows: counted } = await client.query<{ objects: number; limit: number }>(OBJECT_COUNT_SQL);
    const { objects = 0, limit = 0 } = counted[0] ?? {};
    if (objects > limit) return `too many objects to empty (${objects}, more than ${limit}: 8 × max_locks_per_transaction)`;
    try {
      await client.query(info.resetSql);
      mark('reset');
    } catch (error) {
      return `the reset failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    const found = await fingerprint(client, info.fingerprintSql);
    mark('fingerprinted');
    const differing = Object.keys(info.reference).filter((t) => found.get(t) !== info.reference[t]);
    if (differing.length > 0 || found.size !== Object.keys(info.reference).length) {
      return `catalogs differ from a fresh database's: ${differing.join(', ') || 'other catalog tables'}`;
    }
    const { rows } = await client.query<{ problems: string }>(SHARED_CHECK_SQL);
    const problems = rows[0]?.problems ?? 'no pg_database row';
    if (problems !== '') return problems;
    if (!(await waitAlone(client, 0))) return 'other sessions are connected';
    return undefined;
  });
}

/**
 * Puts the test database `name` back into the pool (emptied, checked, renamed to a free name).
 * `true` when it is there; `false` when it must be dropped for real (it stays as it was).
 */
export async function releaseToPool(adminUrl: string, name: string, info: PoolInfo): Promise<boolean> {
  let problem: string | undefined;
  try {
    problem = await cleanAndCheck(adminUrl, name, info);
    if (problem === undefined) {
      const free = nextFreeName(info.runPid);
      await withClient(adminUrl, 'pgreconcile-test-pool', async (client) => {
        // The rename waits in steps of 100 ms while a session is on the database: let the
        // check's own session finish closing first (a few ms).
        const until = Date.now() + 1_000;
        for (;;) {
          const { rows } = await client.query<{ n: number }>(
            `select count(*)::int as n from pg_catalog.pg_stat_activity where datname = $1 and backend_type is distinct from 'autovacuum worker'`,
            [name],
          );
          if ((rows[0]?.n ?? 0) === 0 || Date.now() >= until) break;
          await new Promise((resolveWait) => setTimeout(resolveWait, 5));
        }
        await client.query(
          `ALTER DATABASE ${quoteIdent(name)} RENAME TO ${quoteIdent(free)}; COMMENT ON DATABASE ${quoteIdent(free)} IS ${quoteLiteral(freeNote(info.runPid))}`,
        );
      });
      return true;
    }
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  poolLog(`${name} dropped, not pooled: ${problem}`);
  return false;
}
