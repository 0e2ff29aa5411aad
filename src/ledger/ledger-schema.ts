/**
 * The ledger's own schema (docs/architecture.md rule 6), in schema `pgreconcile`, created and upgraded by
 * pgreconcile itself: a `ledger_meta` row holds the ledger's format version, and numbered
 * upgrades bring an older ledger up to date, in order, in one transaction. Plans never touch
 * this schema (introspection skips it).
 */
import type { Db } from '../db/db.js';
import { toolVersion } from '../version.js';

/** The schema the ledger lives in. */
export const LEDGER_SCHEMA = 'pgreconcile';

/** One numbered step of the ledger's format: the SQL that brings version `n - 1` to `n`. */
export interface LedgerUpgrade {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** The ledger's format, oldest first. Append; never edit a released upgrade. */
export const LEDGER_UPGRADES: readonly LedgerUpgrade[] = [
  {
    version: 1,
    description: 'versions: one row per apply or baseline',
    sql: `
CREATE TABLE pgreconcile.versions (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version            text        NOT NULL,
  kind               text        NOT NULL CHECK (kind IN ('apply', 'baseline')),
  status             text        NOT NULL CHECK (status IN ('running', 'applied', 'failed')),
  plan_checksum      text,
  desired_hash       text        NOT NULL,
  fingerprint_before text        NOT NULL,
  fingerprint_after  text,
  steps_total        integer     NOT NULL,
  steps_applied      integer     NOT NULL DEFAULT 0,
  step_hashes        jsonb       NOT NULL DEFAULT '[]'::jsonb,
  failed_step        integer,
  failed_statement   text,
  error              text,
  replan_steps       integer,
  started_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at        timestamptz,
  duration_ms        bigint,
  db_user            text        NOT NULL DEFAULT current_user,
  os_user            text,
  host               text,
  tool_version       text        NOT NULL,
  allowed_hazards    jsonb       NOT NULL DEFAULT '[]'::jsonb,
  approved_by        text,
  desired_snapshot   jsonb,
  database           text        NOT NULL
);
CREATE UNIQUE INDEX versions_applied_once ON pgreconcile.versions (version) WHERE status = 'applied';
CREATE INDEX versions_newest_first ON pgreconcile.versions (started_at DESC, id DESC);
COMMENT ON TABLE pgreconcile.versions IS 'pgreconcile ledger: every apply and baseline, written before the first step and after each committed one';
`,
  },
  {
    version: 2,
    description: 'drift_checks: one row per recorded drift check',
    sql: `
CREATE TABLE pgreconcile.drift_checks (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  checked_at     timestamptz NOT NULL,
  state          text        NOT NULL CHECK (state IN ('in_sync', 'pending', 'drifted', 'drifted_and_pending', 'error')),
  pending_count  integer     NOT NULL,
  drifted_count  integer     NOT NULL,
  digest         text        NOT NULL,
  last_version   text,
  error          text,
  tool_version   text        NOT NULL
);
CREATE INDEX drift_checks_newest_first ON pgreconcile.drift_checks (checked_at DESC, id DESC);
COMMENT ON TABLE pgreconcile.drift_checks IS 'pgreconcile drift checks recorded with drift --record';
`,
  },
  {
    version: 3,
    description: 'versions: rollbacks, resumes, backups of deleted data, the plan itself, rehearsals',
    sql: `
ALTER TABLE pgreconcile.versions DROP CONSTRAINT IF EXISTS versions_kind_check;
ALTER TABLE pgreconcile.versions ADD CONSTRAINT versions_kind_check CHECK (kind IN ('apply', 'baseline', 'rollback'));
ALTER TABLE pgreconcile.versions
  ADD COLUMN rollback_to   text,
  ADD COLUMN plan_document jsonb,
  ADD COLUMN backups       jsonb,
  ADD COLUMN rehearsal     jsonb,
  ADD COLUMN resumes       jsonb NOT NULL DEFAULT '[]'::jsonb;
COMMENT ON COLUMN pgreconcile.versions.rollback_to IS 'kind rollback: the version whose desired state this version returned to';
COMMENT ON COLUMN pgreconcile.versions.plan_document IS 'the plan as applied (its steps), so that apply --resume can continue without the file';
COMMENT ON COLUMN pgreconcile.versions.backups IS 'backups of the data that deletes_data steps removed: folder, manifest, files';
COMMENT ON COLUMN pgreconcile.versions.rehearsal IS 'the rehearsal on a scratch database that preceded this apply, if any';
COMMENT ON COLUMN pgreconcile.versions.resumes IS 'one entry per apply --resume: when, who, the status and error it resumed from';
`,
  },
  {
    version: 4,
    description: "versions: status 'mismatch' (every step ran, the verifying re-plan was not empty); the ledger private to its owner",
    sql: `
ALTER TABLE pgreconcile.versions DROP CONSTRAINT IF EXISTS versions_status_check;
ALTER TABLE pgreconcile.versions ADD CONSTRAINT versions_status_check CHECK (status IN ('running', 'applied', 'failed', 'mismatch'));
UPDATE pgreconcile.versions SET status = 'mismatch' WHERE status = 'applied' AND kind <> 'baseline' AND replan_steps > 0;
DROP INDEX IF EXISTS pgreconcile.versions_applied_once;
CREATE UNIQUE INDEX versions_applied_once ON pgreconcile.versions (version) WHERE status IN ('applied', 'mismatch');
COMMENT ON COLUMN pgreconcile.versions.status IS 'running, applied (verified: a re-plan was empty), mismatch (every step ran but a re-plan was not empty), failed';
`,
  },
  {
    version: 5,
    description: 'data_changes: one row per data change (data_changes: in schema.yaml), run once per database',
    sql: `
CREATE TABLE pgreconcile.data_changes (
  id            text        PRIMARY KEY,
  checksum      text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('running', 'applied')),
  version       text,
  ledger_id     bigint,
  rows_affected bigint      NOT NULL DEFAULT 0,
  batches       integer     NOT NULL DEFAULT 0,
  last_key      text,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  duration_ms   bigint,
  db_user       text        NOT NULL DEFAULT current_user,
  os_user       text,
  host          text,
  tool_version  text        NOT NULL
);
COMMENT ON TABLE pgreconcile.data_changes IS 'pgreconcile data changes: each runs once per database; a batched one records its last committed batch (last_key) in the batch''s own transaction';
`,
  },
];

/** The format version this build of pgreconcile writes. */
export const LEDGER_FORMAT_VERSION = LEDGER_UPGRADES[LEDGER_UPGRADES.length - 1]?.version ?? 0;

/** A ledger that cannot be used: written by a newer pgreconcile, or damaged. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

/**
 * Advisory lock key pair under which the ledger is created and upgraded (a transaction-level
 * lock, held for the milliseconds an upgrade takes). The deployment lock is (KEY, 1).
 */
export const ADVISORY_KEY = 1885827683; // 'pgrc'
const UPGRADE_LOCK = 2;

const BOOTSTRAP = `
CREATE SCHEMA IF NOT EXISTS pgreconcile;
COMMENT ON SCHEMA pgreconcile IS 'pgreconcile ledger (created and upgraded by pgreconcile; never managed by plans)';
CREATE TABLE IF NOT EXISTS pgreconcile.ledger_meta (
  singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  format_version integer     NOT NULL,
  upgraded_at    timestamptz NOT NULL DEFAULT now(),
  tool_version   text        NOT NULL
);
`;

/**
 * The ledger's format version in this database, or `undefined` when there is no ledger yet.
 * Reads only.
 *
 * @example
 * if ((await ledgerFormatVersion(db)) === undefined) console.log('no ledger yet');
 */
export async function ledgerFormatVersion(db: Db): Promise<number | undefined> {
  const { rows } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('pgreconcile.ledger_meta') IS NOT NULL AND to_regclass('pgreconcile.versions') IS NOT NULL AS present`,
  );
  if (!rows[0]?.present) return undefined;
  const meta = await db.query<{ format_version: number }>('SELECT format_version FROM pgreconcile.ledger_meta');
  return meta.rows[0]?.format_version ?? 0;
}

/**
 * Creates the ledger, or upgrades it to this build's format: the numbered upgrades newer than
 * the database's format version run in order, in one transaction, under a transaction-level
 * advisory lock so that two processes never upgrade at once; then every right of roles other
 * than the owner on the ledger is revoked (it belongs to the role applying). Returns the format version.
 * A ledger newer than this build is refused (`LedgerError`), and left untouched.
 *
 * @example
 * await ensureLedger(db);  // 1
 */
export async function ensureLedger(db: Db, upgrades: readonly LedgerUpgrade[] = LEDGER_UPGRADES): Promise<number> {
  const latest = upgrades[upgrades.length - 1]?.version ?? 0;
  const current = await ledgerFormatVersion(db);
  if (current !== undefined && current === latest) return current;
  if (current !== undefined && current > latest) throw newerLedger(current, latest);
  await db.exec('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [ADVISORY_KEY, UPGRADE_LOCK]);
    await db.exec(BOOTSTRAP);
    await db.query(`INSERT INTO pgreconcile.ledger_meta (format_version, tool_version) VALUES (0, $1) ON CONFLICT (singleton) DO NOTHING`, [
      toolVersion(),
    ]);
    const { rows } = await db.query<{ format_version: number }>('SELECT format_version FROM pgreconcile.ledger_meta FOR UPDATE');
    const from = rows[0]?.format_version ?? 0;
    if (from > latest) throw newerLedger(from, latest);
    for (const upgrade of upgrades) {
      if (upgrade.version <= from) continue;
      try {
        await db.exec(upgrade.sql);
      } catch (error) {
        throw new LedgerError(
          `upgrading the ledger to format ${upgrade.version} (${upgrade.description}) failed: ${(error as Error).message}`,
        );
      }
    }
    if (from < latest) {
      await db.query('UPDATE pgreconcile.ledger_meta SET format_version = $1, upgraded_at = now(), tool_version = $2', [
        latest,
        toolVersion(),
      ]);
      await db.exec(PRIVATE_LEDGER_SQL);
    }
    await db.exec('COMMIT');
    return latest;
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Run whenever the ledger is created or upgraded: PUBLIC keeps no right at all on the schema, its
 * tables and sequences, and no other role keeps a right to change them (INSERT, UPDATE, DELETE,
 * TRUNCATE, REFERENCES, TRIGGER; CREATE on the schema; UPDATE of a sequence), whether granted or
 * handed out by default privileges when the tables were created. Read access granted to a role
 * (a drift checker's SELECT) is left as it is.
 */
const PRIVATE_LEDGER_SQL = `
DO $pgreconcile$
DECLARE
  grant_row record;
BEGIN
  FOR grant_row IN
    SELECT DISTINCT CASE c.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || c.oid::regclass::text AS target,
           CASE c.relkind WHEN 'S' THEN 'UPDATE' ELSE 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER' END AS rights,
           a.grantee
      FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
     WHERE c.relnamespace = 'pgreconcile'::regnamespace AND a.grantee <> c.relowner
    UNION
    SELECT 'SCHEMA pgreconcile', 'CREATE', a.grantee
      FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
     WHERE n.nspname = 'pgreconcile' AND a.grantee <> n.nspowner
  LOOP
    EXECUTE format('REVOKE %s ON %s FROM %s', CASE WHEN grant_row.grantee = 0 THEN 'ALL' ELSE grant_row.rights END, grant_row.target,
                   CASE WHEN grant_row.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grant_row.grantee)) END);
  END LOOP;
END
$pgreconcile$;
`;

function newerLedger(found: number, known: number): LedgerError {
  return new LedgerError(
    `the ledger in schema pgreconcile has format version ${found}, newer than this pgreconcile (${toolVersion()}) knows (${known}); upgrade pgreconcile`,
  );
}

/** A role other than the current one that can change the ledger, and how. */
export interface LedgerWriter {
  readonly role: string;
  /** What lets it: `owns schema pgreconcile`, `CREATE on schema pgreconcile`, `owns pgreconcile.versions`, `writes pgreconcile.versions`. */
  readonly rights: readonly string[];
}

const LEDGER_WRITERS_SQL = `
SELECT r.rolname AS role,
       array_remove(ARRAY[
         CASE WHEN n.nspowner = r.oid THEN 'owns schema pgreconcile' END,
         CASE WHEN n.nspowner <> r.oid AND has_schema_privilege(r.oid, n.oid, 'CREATE') THEN 'CREATE on schema pgreconcile' END
       ] || ARRAY(
         SELECT CASE WHEN c.relowner = r.oid THEN 'owns pgreconcile.' ELSE 'writes pgreconcile.' END || c.relname
           FROM pg_catalog.pg_class c
          WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p') AND c.relname <> 'drift_checks'
            AND (c.relowner = r.oid OR has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
          ORDER BY c.relname), NULL) AS rights
  FROM pg_catalog.pg_roles r, pg_catalog.pg_namespace n
 WHERE n.nspname = 'pgreconcile'
   AND r.rolname <> current_user
   AND (n.nspowner = r.oid OR (r.rolcanlogin AND NOT r.rolsuper))
 ORDER BY r.rolname`;

/**
 * The roles besides the current one that can change the ledger: its owner when that is another
 * role, and login roles (superusers aside: they can write anything) that can write its tables
 * (drift_checks aside: it only feeds `drift --history`, and `drift --record` writes it) or create
 * objects in its schema. Empty when there is no ledger or it is private to the current role.
 * Whoever is listed can make `history`, `status` and `drift` say what they like (a resume runs
 * only its plan file, see src/apply/resume.ts).
 *
 * @example
 * for (const w of await ledgerWriters(db)) console.warn(`${w.role}: ${w.rights.join(', ')}`);
 */
export async function ledgerWriters(db: Db): Promise<LedgerWriter[]> {
  const { rows } = await db.query<{ role: string; rights: string[] }>(LEDGER_WRITERS_SQL);
  return rows.filter((r) => r.rights.length > 0).map((r) => ({ role: r.role, rights: r.rights }));
}

/**
 * The warning `status` prints about roles that can write the ledger, or undefined when none can.
 *
 * @example
 * describeLedgerWriters([{ role: 'app', rights: ['owns schema pgreconcile'] }], 'deployer')
 */
export function describeLedgerWriters(writers: readonly LedgerWriter[], currentRole: string): string | undefined {
  if (writers.length === 0) return undefined;
  const who = writers.map((w) => `${w.role} (${w.rights.join(', ')})`).join('; ');
  return (
    `the ledger (schema pgreconcile) can be changed by roles other than ${currentRole}, the role applying: ${who}. ` +
    `They can rewrite what history, status and drift report. Make it private to the applying role: give the schema and each of its tables ` +
    `to ${currentRole} (ALTER SCHEMA pgreconcile OWNER TO …, ALTER TABLE pgreconcile.versions OWNER TO …), and REVOKE the others' rights ` +
    `(REVOKE ALL ON ALL TABLES IN SCHEMA pgreconcile FROM …; REVOKE CREATE ON SCHEMA pgreconcile FROM …); see docs/security.md`
  );
}
