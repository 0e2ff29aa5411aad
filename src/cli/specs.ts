/**
 * Every command's documentation and options as data: what `--help` prints and what the parser
 * accepts. The commands' code is loaded only when one runs (see ./main.ts).
 */
import { defineCommand } from './args.js';
import { HAZARD_KINDS } from '../plan/hazards.js';

const SCHEMA_OPTION = {
  name: 'schema',
  short: 's',
  arg: 'FILE',
  description: 'The desired-state file (default: schema.yaml).',
} as const;

const DATABASE_URL_OPTION = {
  name: 'database-url',
  short: 'd',
  arg: 'URL',
  description:
    'The database: a postgres:// URL, or pglite:DIR for an embedded PGlite database. Default: $DATABASE_URL, else the embedded PGlite database in .pgreconcile/pglite.',
} as const;

export const validateSpec = defineCommand({
  name: 'validate',
  summary: 'Check schema.yaml without a database: format, types, SQL fragments, references',
  usage: 'pgreconcile validate [FILE | --schema FILE] [--quiet]',
  description:
    'Loads the desired-state file and checks it without touching a database: the JSON Schema of format version 1, ' +
    'type names, every SQL fragment (defaults, checks, index expressions and predicates, trigger WHEN, function bodies) ' +
    "parsed with PostgreSQL's own parser, references (FK targets, trigger functions, enum types, index and constraint " +
    'columns) and duplicate names. Every error is printed as `file:line:column path: message`; all errors are reported at once.',
  positionals: [
    { name: 'FILE', description: 'The desired-state file (default: schema.yaml); --schema FILE says the same, as in the other commands.' },
  ],
  maxPositionals: 1,
  options: [SCHEMA_OPTION, { name: 'quiet', short: 'q', description: 'Print nothing when the file is valid.' }],
  exitCodes: [
    { code: 0, meaning: 'the file is valid' },
    { code: 1, meaning: 'the file is invalid (errors printed to stderr)' },
  ],
});

const REHEARSE_TEXT =
  "With --rehearse the plan first runs on a scratch database holding a copy of the target's whole schema, every object " +
  'whether pgreconcile manages it or not (pg_dump --schema-only, with a pg_dump at least as new as the server: found on ' +
  'PATH or in /usr/lib/postgresql/*/bin, or named by $PGRECONCILE_PG_DUMP; without one, the managed objects and views ' +
  'from the catalog, and a warning): a new database on the same server when the role may create databases, else an ' +
  'in-memory PGlite; an embedded PGlite target is copied whole, rows included. With --rehearse-rows N, up to N rows of ' +
  'each table are copied too (a sample of larger tables), so that a NOT NULL, unique, check or cast that the rows break ' +
  "fails there. Each step's duration is reported, the scratch is planned again (it must be empty: the plan converges), " +
  'the report says what was checked and what was not, and the scratch database is dropped. The target is only read.';

const REHEARSE_OPTION = {
  name: 'rehearse',
  description:
    "Run the plan on a scratch copy of the target's whole schema first: step timings, convergence, what it checked and what it could not; the target is not touched.",
} as const;

const REHEARSE_ROWS_OPTION = {
  name: 'rehearse-rows',
  arg: 'N',
  description:
    'Rehearse (implies --rehearse) with up to N rows of each table copied into the scratch copy (every row of a table the statistics put at N or fewer, a TABLESAMPLE of larger ones), so that steps that fail on existing data fail there.',
} as const;

export const planSpec = defineCommand({
  name: 'plan',
  summary: 'Compare the database with schema.yaml and show the ordered steps, with hazards',
  usage:
    'pgreconcile plan [--schema FILE] [--database-url URL] [--out FILE|DIR] [--sql | --json] [--rehearse] [--rehearse-rows N] [--strict]',
  description:
    'Introspects the live database, compares it with the desired state, and prints the dependency-ordered plan that ' +
    'would make the database match: a summary grouped by object (+ create, ~ alter, - drop) with every hazard ' +
    `(${HAZARD_KINDS.join(', ')}) and why. Nothing is executed.\n\n` +
    'With --out the plan is also written as a plan file (YAML: the SQL of every step as written, hazards, transaction ' +
    "groups, timeouts, the desired state's hash, the live schema's fingerprint, and a checksum) for review and for " +
    '`pgreconcile apply PLANFILE`. When --out names a folder (existing, or ending in /), the file is named ' +
    '<UTC timestamp>_<slug>.plan.yaml in it.\n\n' +
    REHEARSE_TEXT +
    ' A failed rehearsal exits 1, naming the step and the error, and writes no plan file; a successful one is recorded ' +
    'in the plan file (`rehearsal`) and in the --json output.\n\n' +
    'The summary ends by counting the objects the plan leaves unmanaged: those of kinds the format does not manage ' +
    '(rules, statistics objects, …) that no `ignore` pattern matches (the --json output lists them as `unmanaged`). ' +
    'With --strict such objects are an error: the plan exits 1 naming each (kind and qualified name) on stderr, and ' +
    'nothing is rehearsed or written; an `ignore` pattern for them lets it plan as usual.\n\n' +
    'Without --database-url and DATABASE_URL, the embedded PGlite database under .pgreconcile/ is used.',
  maxPositionals: 0,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    {
      name: 'out',
      short: 'o',
      arg: 'FILE|DIR',
      description: 'Also write the plan file here (a folder: plans/<UTC timestamp>_<slug>.plan.yaml).',
    },
    { name: 'sql', description: 'Print the plan as plain SQL instead of the summary.' },
    { name: 'json', description: 'Print the plan as JSON instead of the summary.' },
    { name: 'no-color', description: 'Never colour the summary (colour is used only on a terminal).' },
    REHEARSE_OPTION,
    REHEARSE_ROWS_OPTION,
    {
      name: 'strict',
      description: 'Fail (exit 1) when the database holds objects of kinds the format does not manage that no `ignore` pattern matches.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'no changes: the database matches the desired state' },
    { code: 2, meaning: 'changes planned' },
    {
      code: 1,
      meaning:
        'error (invalid schema file, database unreachable, a change that cannot be planned, a failed --rehearse, unmanaged objects with --strict)',
    },
  ],
});

const ALLOW_HAZARDS_OPTION = {
  name: 'allow-hazards',
  arg: 'LIST|all',
  description: `Hazard kinds this run may carry out, comma-separated (${HAZARD_KINDS.join(', ')}), or all.`,
} as const;

const LOCK_WAIT_OPTION = {
  name: 'lock-wait',
  arg: 'SECONDS',
  description: 'How long to wait for the deployment lock when another deployer holds it (default 60).',
} as const;

export const applySpec = defineCommand({
  name: 'apply',
  summary: 'Apply a reviewed plan file (or plan now) under the deployment lock, recorded in the ledger',
  usage:
    'pgreconcile apply [PLANFILE] [--schema FILE] [--database-url URL] [--approve] [--allow-hazards LIST|all] ' +
    '[--lock-wait SECONDS] [--lock-timeout MS] [--statement-timeout MS] [--retries N] [--backup-dir DIR] [--backup-limit SIZE] ' +
    '[--no-backup] [--rehearse] [--rehearse-rows N] [--json]\n' +
    '       pgreconcile apply --resume PLANFILE [--database-url URL] [--allow-hazards LIST|all] [--lock-wait SECONDS] [--lock-timeout MS] [--json]',
  description:
    "With PLANFILE (written by `pgreconcile plan --out`): verifies the file's checksum, takes the deployment lock " +
    '(a session-level advisory lock; another deployer is waited for up to --lock-wait), re-introspects the database ' +
    'and refuses the plan if the live schema changed since it was made (naming the objects that changed), then ' +
    'executes it. A plan already recorded as applied in the ledger is refused.\n\n' +
    'Without PLANFILE: takes the lock, plans now from --schema, prints the plan and asks for approval on a terminal ' +
    '(a y/N prompt showing the hazards); without a terminal --approve is required. The plan applied is kept as ' +
    '.pgreconcile/plans/<version>.plan.yaml, the file `apply --resume` takes after a failure.\n\n' +
    'Hazards: every hazard kind in the plan must be allowed, by --allow-hazards or by an approval recorded in the plan ' +
    'file with `pgreconcile approve`; otherwise nothing runs and the steps that carry each missing kind are named.\n\n' +
    'Execution: consecutive transactional steps run in one transaction, non-transactional steps (CONCURRENTLY) alone, ' +
    "each under its lock_timeout and statement_timeout (--lock-timeout and --statement-timeout override the plan's). " +
    'A transaction that hits a lock timeout (SQLSTATE 55P03) is rolled back and retried with a backoff up to --retries ' +
    'times; then apply fails naming the blocking sessions. A failed transaction leaves no trace; earlier ones stay ' +
    'committed. Every apply is recorded in the ledger (schema pgreconcile) before its first step and after each ' +
    'committed transaction; `pgreconcile history` shows it. Before every step apply checks that it still holds the ' +
    'deployment lock (and asks the server before each commit): a lost lock stops it there, the row records it failed. ' +
    'After the last step the database is planned again: if the plan is not empty, apply reports an error and the ledger ' +
    'records the version as `mismatch`.\n\n' +
    'Backups (on by default): before a step that deletes data runs (a dropped table, a dropped column with the key ' +
    "beside it, rows holding a removed enum value, a dropped sequence's position), the data is copied out with COPY, in " +
    "the step's transaction after LOCK TABLE … IN SHARE MODE, into gzip files under --backup-dir/<version>/ (default " +
    '.pgreconcile/backups/<version>/) with a manifest.json; the ledger row names them and `pgreconcile restore VERSION` ' +
    'loads them back. Before the first step their size is estimated (never a scan): above --backup-limit, or above the ' +
    "free space of the folder's file system, apply refuses, and so it does when the folder cannot be written, unless " +
    '--no-backup is given. A table without a key has its whole rows copied, and restore matches them on their other columns. ' +
    'A write error while copying (a full disk) fails the step: its transaction is rolled back, the file is named.\n\n' +
    'Resume (--resume PLANFILE): continues the failed or interrupted attempt (a `running` row whose deployment lock is ' +
    "free) of PLANFILE's plan; the file must be the plan that attempt applied. Only the file's steps run: the copy of " +
    'the plan the ledger keeps is never run (whoever can write the ledger could have changed it), and hazards are allowed ' +
    "as for apply (--allow-hazards, or the file's approval). Refused (exit 3, nothing run) without PLANFILE, when there " +
    'is nothing to resume, when a newer version was recorded since, or when a step recorded as applied differs from the ' +
    "plan's (hash mismatch). Under the lock it re-introspects, " +
    'counts a CONCURRENTLY step the catalog shows done as applied, drops an invalid index a killed or failed build left ' +
    '(and builds it again), and runs the steps not recorded as applied: a step that succeeded never runs twice.\n\n' +
    'Rehearsal (--rehearse): before the target is touched (with PLANFILE: before the deployment lock; without: before ' +
    "the approval), the plan runs on a scratch database holding a copy of the target's whole schema (with --rehearse-rows N, " +
    "and up to N rows of each table), as `plan --rehearse` does; each step's duration is reported and " +
    'the scratch is planned again (it must be empty). A failed rehearsal refuses (exit 3, nothing run); a successful one ' +
    'is recorded in the ledger row (`rehearsal`), as is the rehearsal a plan file records.',
  positionals: [{ name: 'PLANFILE', description: 'A plan file written by `pgreconcile plan --out` (default: plan now from --schema).' }],
  maxPositionals: 1,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    { name: 'approve', short: 'y', description: 'Apply without asking (required without a terminal when no PLANFILE is given).' },
    ALLOW_HAZARDS_OPTION,
    LOCK_WAIT_OPTION,
    { name: 'lock-timeout', arg: 'MS', description: "lock_timeout of every step, in milliseconds (default: the plan's, 5000)." },
    { name: 'statement-timeout', arg: 'MS', description: "statement_timeout of every step, in milliseconds (default: the plan's)." },
    { name: 'retries', arg: 'N', description: 'Retries of a transaction after a lock timeout (default 5).' },
    { name: 'backup-dir', arg: 'DIR', description: 'Where backups of deleted data go: DIR/<version>/ (default .pgreconcile/backups).' },
    {
      name: 'backup-limit',
      arg: 'SIZE',
      description:
        'Refuse when the backups are estimated larger than this: bytes, or with kB, MB, GB, TB (powers of 1024; KiB … the same), e.g. 500MB, 1.5GiB (default 1GB).',
    },
    { name: 'no-backup', description: 'Take no backups of the data that steps delete (the CLI and the ledger say so).' },
    { name: 'resume', description: "Continue the failed or interrupted apply of PLANFILE's plan (required) instead of starting one." },
    REHEARSE_OPTION,
    REHEARSE_ROWS_OPTION,
    { name: 'json', description: 'Print the outcome as JSON on stdout.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'applied (and the database matches the desired state), or nothing to do' },
    {
      code: 1,
      meaning:
        'error: a step failed (the ledger records which), the deployment lock was not free within --lock-wait or was lost while applying, the database still differs after the last step, the database is unreachable',
    },
    {
      code: 3,
      meaning:
        'refused before anything ran: hazards not allowed, stale plan, plan already applied, plan file changed after it was written, no approval, a failed --rehearse, ' +
        'backups above --backup-limit, above the free space where they go, or impossible (a folder that cannot be written, a connection without COPY) without --no-backup; ' +
        'with --resume: no PLANFILE, nothing to resume, a newer version recorded since, hash mismatch of an applied step, not the plan the version applied',
    },
  ],
});

export const approveSpec = defineCommand({
  name: 'approve',
  summary: 'Record in a plan file which hazards its reviewer allows',
  usage: 'pgreconcile approve PLANFILE [--allow-hazards LIST|all] [--by NAME]',
  description:
    "Verifies the plan file's checksum and rewrites it with an approval: who approved, when, and which hazard kinds " +
    '`pgreconcile apply PLANFILE` may then carry out without --allow-hazards. The checksum is recomputed, so the file ' +
    'stays valid; any other edit still invalidates it. `all` approves every hazard kind the plan carries.',
  positionals: [{ name: 'PLANFILE', description: 'A plan file written by `pgreconcile plan --out`.' }],
  maxPositionals: 1,
  options: [ALLOW_HAZARDS_OPTION, { name: 'by', arg: 'NAME', description: 'Who approves (default: the OS user).' }],
  exitCodes: [
    { code: 0, meaning: 'the approval is written into the file' },
    { code: 1, meaning: 'error: the plan file is missing or unreadable, an unknown hazard kind' },
    { code: 3, meaning: 'refused: the plan file was changed after it was written' },
  ],
});

/** The options of `apply` that `rollback` takes as they are (execution, timeouts, backups). */
function applyOptionsNamed<const N extends (typeof applySpec.options)[number]['name']>(
  ...names: readonly N[]
): Extract<(typeof applySpec.options)[number], { readonly name: N }>[] {
  return applySpec.options.filter((o): o is Extract<(typeof applySpec.options)[number], { readonly name: N }> =>
    (names as readonly string[]).includes(o.name),
  );
}

export const rollbackSpec = defineCommand({
  name: 'rollback',
  summary: 'Return the database to the desired state an earlier version recorded, as a new version',
  usage:
    'pgreconcile rollback [--to VERSION] [--database-url URL] [--approve] [--allow-hazards LIST|all] [--out FILE|DIR] ' +
    '[--lock-wait SECONDS] [--lock-timeout MS] [--statement-timeout MS] [--retries N] [--backup-dir DIR] [--backup-limit SIZE] ' +
    '[--no-backup] [--rehearse] [--rehearse-rows N] [--json]',
  description:
    'Plans the way from the live database back to the desired state that an applied version recorded in the ledger ' +
    '(its snapshot: no schema file is needed), shows the plan with its hazards, and applies it like `apply` without a ' +
    'PLANFILE: under the deployment lock, after approval (a y/N prompt on a terminal; --approve without one), with the ' +
    'hazard gate, retries, backups of deleted data (--backup-dir, --backup-limit, --no-backup), --rehearse and the ' +
    'verifying re-plan. Rolling back usually deletes what the later versions added: allow deletes_data with ' +
    '--allow-hazards after reading the plan.\n\n' +
    'The ledger stays append-only: the rollback is recorded as a new version, <UTC timestamp>_rollback-to-<VERSION>, of ' +
    'kind rollback, naming the version it returned to (history shows "rollback → VERSION").\n\n' +
    'Without --to, the target is the applied version before the newest applied one; so a second rollback undoes the ' +
    'first, like git revert. --to takes a version id from `pgreconcile history`, or a unique prefix of one.\n\n' +
    'With --out the rollback plan is written as a plan file (recording rollback_to) and nothing runs: review it, then ' +
    '`pgreconcile apply PLANFILE` records it as a rollback.',
  maxPositionals: 0,
  options: [
    {
      name: 'to',
      arg: 'VERSION',
      description:
        'The version to return to: an id from `pgreconcile history`, or a unique prefix (default: the one before the newest applied).',
    },
    DATABASE_URL_OPTION,
    { name: 'approve', short: 'y', description: 'Roll back without asking (required without a terminal).' },
    ...applyOptionsNamed('allow-hazards'),
    {
      name: 'out',
      short: 'o',
      arg: 'FILE|DIR',
      description: 'Write the rollback plan file here (a folder: <UTC timestamp>_rollback-to-<VERSION>.plan.yaml) and stop.',
    },
    ...applyOptionsNamed(
      'lock-wait',
      'lock-timeout',
      'statement-timeout',
      'retries',
      'backup-dir',
      'backup-limit',
      'no-backup',
      'rehearse',
      'rehearse-rows',
      'json',
    ),
  ],
  exitCodes: [
    { code: 0, meaning: "rolled back (the database matches the version's desired state), or it already matched: nothing recorded" },
    { code: 2, meaning: 'with --out: the rollback plan file is written, nothing ran' },
    {
      code: 1,
      meaning:
        'error: no such applied version, no earlier version, a version without a recorded state, a step failed, the deployment lock was not free, the database still differs afterwards',
    },
    { code: 3, meaning: 'refused before anything ran: hazards not allowed, no approval, stale plan' },
  ],
});

export const restoreSpec = defineCommand({
  name: 'restore',
  summary: 'Load the backups of the data a version deleted back into the database',
  usage: 'pgreconcile restore VERSION [--table SCHEMA.TABLE ...] [--backup-dir DIR] [--database-url URL] [--lock-wait SECONDS] [--json]',
  description:
    'Reads which backup files the ledger row of VERSION names (apply writes them before each step that deletes data: ' +
    "a dropped table, a dropped column with the key beside it, rows holding a removed enum value, a sequence's position), " +
    "reads their manifest from the backup folder, verifies every file's sha256, and loads them in one transaction under " +
    "the deployment lock: a table's rows go back with INSERT … ON CONFLICT DO NOTHING (identity values kept, serial " +
    "sequences moved past them); a column's values, and enum values, by UPDATE joined on the recorded key; a sequence " +
    'gets its position back. Prints per object the rows restored and the rows skipped (already there, or key no longer ' +
    'present).\n\n' +
    'The objects must exist again first, e.g. after `pgreconcile rollback` or an apply of the earlier schema: otherwise ' +
    'nothing is loaded and the refusal names what is missing.',
  positionals: [{ name: 'VERSION', description: 'The version whose backups to load, as `pgreconcile history` lists it.' }],
  maxPositionals: 1,
  options: [
    {
      name: 'table',
      short: 't',
      arg: 'SCHEMA.TABLE',
      multiple: true,
      description: 'Restore only the data of this table (a bare name means schema public); repeatable.',
    },
    {
      name: 'backup-dir',
      arg: 'DIR',
      description:
        'Where the backup is: DIR/VERSION/ or DIR itself (default: the folder the ledger records, relative to the working folder).',
    },
    DATABASE_URL_OPTION,
    LOCK_WAIT_OPTION,
    { name: 'json', description: 'Print the outcome as JSON.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'restored' },
    { code: 1, meaning: 'error (database unreachable, a row that cannot be loaded: the transaction is rolled back)' },
    {
      code: 3,
      meaning:
        'refused, nothing loaded: no backup of VERSION, a table not in it, a file changed (sha256), an object that does not exist (again)',
    },
  ],
});

export const historySpec = defineCommand({
  name: 'history',
  summary: 'List the versions recorded in the ledger, newest first',
  usage: 'pgreconcile history [--json] [--database-url URL]',
  description:
    'Prints every version the ledger (schema pgreconcile) records, newest first: the plan id, kind (apply, baseline, or "rollback → VERSION" naming the version a rollback returned to), ' +
    'status (running, applied, failed), steps applied / total, when it started, how long it took, who ran it (database ' +
    "role, OS user and host) and the plan's checksum; a failed version also shows the failing step and error. " +
    'Below them, the data changes (data_changes: in the schema file) the ledger records: id, status, rows affected, batches, when, how long, who, the version that ran it and its checksum. ' +
    '--json prints every recorded field.',
  maxPositionals: 0,
  options: [DATABASE_URL_OPTION, { name: 'json', description: 'Print the versions as JSON.' }],
  exitCodes: [
    { code: 0, meaning: 'printed (also when nothing is recorded yet)' },
    { code: 1, meaning: 'error (database unreachable)' },
  ],
});

export const statusSpec = defineCommand({
  name: 'status',
  summary: 'The current version, and whether schema.yaml has pending changes (exit codes for health checks)',
  usage: 'pgreconcile status [--json] [--schema FILE] [--database-url URL]',
  description:
    'Prints the current version (the newest applied or baseline version in the ledger), when and by whom it was ' +
    'recorded, the last attempt when that failed or is still running, and whether the desired state has pending changes ' +
    '(a plan against --schema; skipped when no --schema is given and schema.yaml does not exist). The exit code tells ' +
    'a health check where the database stands. A warning on stderr names every role other than the one asking that ' +
    'can change the ledger (its owner, writers of its tables, CREATE on its schema; superusers aside).',
  maxPositionals: 0,
  options: [SCHEMA_OPTION, DATABASE_URL_OPTION, { name: 'json', description: 'Print the status as JSON.' }],
  exitCodes: [
    { code: 0, meaning: 'up to date: the last version applied and no pending changes' },
    { code: 2, meaning: 'pending changes: the desired state differs from the database' },
    {
      code: 3,
      meaning:
        'the last apply failed, is still running (or was interrupted), or ran every step but left the database different (status mismatch)',
    },
    { code: 4, meaning: 'no ledger yet: nothing was applied or baselined in this database' },
    { code: 1, meaning: 'error (database unreachable, invalid schema file)' },
  ],
});

export const baselineSpec = defineCommand({
  name: 'baseline',
  summary: 'Record an existing database as a version in the ledger without executing anything',
  usage: 'pgreconcile baseline [--schema FILE] [--database-url URL] [--force] [--lock-wait SECONDS] [--json]',
  description:
    'The adoption path for a database that already exists: under the deployment lock, plans against --schema and, ' +
    "when the plan is empty, records the live state as a version of kind baseline (with the desired state's snapshot " +
    "and the live schema's fingerprint) in the ledger, creating the ledger if needed. Nothing in the schema is changed.\n\n" +
    'When the database differs from the desired state, baseline refuses: the ledger would claim a state the database ' +
    'is not in. Apply the differences first, or pass --force to record the version anyway (the ledger row then says how ' +
    'many steps were pending).',
  maxPositionals: 0,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    { name: 'force', description: 'Record the baseline even though a plan against --schema is not empty.' },
    LOCK_WAIT_OPTION,
    { name: 'json', description: 'Print the outcome as JSON.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'the baseline version is recorded' },
    { code: 1, meaning: 'error (database unreachable, invalid schema file, deployment lock not free)' },
    { code: 3, meaning: 'refused: the database differs from the desired state (use --force to record it anyway)' },
  ],
});

const IGNORE_OPTION = {
  name: 'ignore',
  arg: 'GLOB',
  multiple: true,
  description:
    'Leave objects matching this glob over "schema.name" out of the file and list it under `ignore` (e.g. "public.tmp_*", "audit.*"); repeatable.',
} as const;

export const pullSpec = defineCommand({
  name: 'pull',
  summary: 'Write the desired-state file (schema.yaml) of an existing database',
  usage: 'pgreconcile pull [--database-url URL] [--out FILE] [--ignore GLOB ...]',
  description:
    'Introspects the live database and writes the desired-state file (format version 1) that declares it, so that ' +
    '`pgreconcile plan` against the same database is empty. The output is deterministic (the same database gives the same ' +
    'bytes) and leaves out what PostgreSQL does by default: generated constraint names, nullable columns, btree, ' +
    'ascending keys, NO ACTION, volatile invoker functions, sequence defaults; serial columns are written as serial.\n\n' +
    'What the format cannot declare (rules, statistics objects, grants, inheritance, …) is named ' +
    'in a warning on stderr, never dropped silently. Nothing in the database is changed.\n\n' +
    'Without --database-url and DATABASE_URL, the embedded PGlite database under .pgreconcile/ is used.',
  maxPositionals: 0,
  options: [
    DATABASE_URL_OPTION,
    { name: 'out', short: 'o', arg: 'FILE', description: 'Write the file here instead of to stdout.' },
    IGNORE_OPTION,
  ],
  exitCodes: [
    { code: 0, meaning: 'the file is written (warnings, if any, on stderr)' },
    { code: 1, meaning: 'error (database unreachable, file not writable)' },
  ],
});

export const importSpec = defineCommand({
  name: 'import',
  summary: 'Turn a SQL schema script (init.sql, pg_dump --schema-only) into schema.yaml',
  usage: 'pgreconcile import FILE.sql [--out FILE] [--ignore GLOB ...]',
  description:
    'Runs the SQL script statement by statement in a throwaway in-memory PGlite database (PostgreSQL with pgvector and ' +
    'pgcrypto) and writes the desired-state file of the result, as `pgreconcile pull` would. psql meta-commands ' +
    '(\\connect, \\restrict, …) are skipped, and so are OWNER TO and GRANT statements naming roles that do not exist there.\n\n' +
    "A statement that fails is reported as FILE:line:column with PostgreSQL's message, and nothing is written.",
  positionals: [{ name: 'FILE.sql', description: 'The SQL script to import.' }],
  maxPositionals: 1,
  options: [{ name: 'out', short: 'o', arg: 'FILE', description: 'Write the file here instead of to stdout.' }, IGNORE_OPTION],
  exitCodes: [
    { code: 0, meaning: 'the file is written (warnings, if any, on stderr)' },
    { code: 1, meaning: 'error: a statement of the script failed (FILE:line:column on stderr), file unreadable' },
  ],
});

export const driftSpec = defineCommand({
  name: 'drift',
  summary: 'Detect changes made outside pgreconcile since the last apply, and pending declared changes; once or on a schedule',
  usage:
    'pgreconcile drift [--schema FILE] [--database-url URL] [--json | --format markdown] [--every INTERVAL | --cron EXPR] [--webhook URL] [--exec CMD] [--record] [--history]',
  description:
    'Compares the live database with the desired state the last successful apply (or baseline) recorded in the ledger, ' +
    'and the schema file with that same state. "drifted": the database was changed outside pgreconcile (which objects, ' +
    'what changed, before and after); "pending": the file declares changes not applied yet. Both can hold at once and ' +
    'are reported separately. With no ledger yet it says so and compares the file with the live database (every ' +
    'difference is pending). Ignored objects and objects owned by extensions never count. Expressions are ' +
    'judged by the server as in plan, with the same cache (.pgreconcile/cache), so a check on a schedule ' +
    'creates no temporary tables while nothing changes.\n\n' +
    'With --every (30s, 5m, 1h) or --cron (5 fields, UTC) it keeps running: one check at a time, one line per check, ' +
    'and a notification only when the state changes (the first check: when not in sync) — --webhook POSTs the JSON ' +
    'report (3 attempts with backoff; a failure is logged), --exec runs a command with the JSON report on stdin. A ' +
    'check that fails (lost connection) reports the state "error" and the next check reconnects. SIGINT or SIGTERM ' +
    'ends the loop with exit code 0.\n\n' +
    '--record stores every check (time, state, counts, digest) in the ledger table pgreconcile.drift_checks; ' +
    '--history lists the recorded checks. The --json shape is documented in docs/drift.md.',
  maxPositionals: 0,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    { name: 'json', description: 'Print the report as JSON (state, checked_at, database, last_version, pending[], drifted[]).' },
    { name: 'format', arg: 'text|json|markdown', description: 'Output format (default text; markdown for a ticket).' },
    { name: 'every', arg: 'INTERVAL', description: 'Check on an interval (30s, 5m, 1h) until SIGINT/SIGTERM.' },
    { name: 'cron', arg: 'EXPR', description: 'Check on a 5-field cron schedule (UTC), e.g. "*/5 * * * *".' },
    { name: 'webhook', arg: 'URL', description: 'Scheduled mode: POST the JSON report here when the state changes.' },
    { name: 'exec', arg: 'CMD', description: 'Scheduled mode: run this shell command, the JSON report on stdin, when the state changes.' },
    { name: 'record', description: 'Store each check in the ledger (pgreconcile.drift_checks).' },
    { name: 'history', description: 'List the recorded checks, newest first, and exit.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'in sync (scheduled mode: ended by SIGINT/SIGTERM)' },
    { code: 2, meaning: 'pending only: the schema file declares changes not applied yet' },
    { code: 3, meaning: 'drifted: the database changed outside pgreconcile (pending changes may be reported too)' },
    { code: 1, meaning: 'error (database unreachable, invalid schema file)' },
  ],
});

export const diffSpec = defineCommand({
  name: 'diff',
  summary: 'Compare two databases, or a database and a file: the plan that would make --from match --to',
  usage: 'pgreconcile diff --from URL|FILE --to URL|FILE [--sql | --json] [--no-color]',
  description:
    'Each side is a database (a postgres:// URL or pglite:DIR, introspected) or a desired-state file. Prints the plan ' +
    'that would make --from match --to; a database given as --to is used as the desired side through its model. ' +
    'Nothing is executed.',
  maxPositionals: 0,
  options: [
    { name: 'from', arg: 'URL|FILE', description: 'The side to change.' },
    { name: 'to', arg: 'URL|FILE', description: 'The side to match.' },
    { name: 'sql', description: 'Print the plan as plain SQL.' },
    { name: 'json', description: 'Print the plan as JSON.' },
    { name: 'no-color', description: 'Never colour the summary.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'no differences' },
    { code: 2, meaning: 'differences: the plan is printed' },
    { code: 1, meaning: 'error (unreachable database, invalid file)' },
  ],
});
