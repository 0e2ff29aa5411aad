/**
 * Every command's documentation and options as data: what `--help` prints and what the parser
 * accepts. The commands' code is loaded only when one runs (see ./main.ts).
 */
import type { CommandSpec } from './args.js';
import { DATABASE_URL_OPTION, SCHEMA_OPTION } from './commands/common.js';

export const validateSpec: CommandSpec = {
  name: 'validate',
  summary: 'Check schema.yaml without a database: format, types, SQL fragments, references',
  usage: 'pgreconcile validate [FILE]',
  description:
    'Loads the desired-state file and checks it without touching a database: the JSON Schema of format version 1, ' +
    'type names, every SQL fragment (defaults, checks, index expressions and predicates, trigger WHEN, function bodies) ' +
    'parsed with PostgreSQL\'s own parser, references (FK targets, trigger functions, enum types, index and constraint ' +
    'columns) and duplicate names. Every error is printed as `file:line:column path: message`; all errors are reported at once.',
  positionals: [{ name: 'FILE', description: 'The desired-state file (default: schema.yaml).' }],
  maxPositionals: 1,
  options: [{ name: 'quiet', short: 'q', description: 'Print nothing when the file is valid.' }],
  exitCodes: [
    { code: 0, meaning: 'the file is valid' },
    { code: 1, meaning: 'the file is invalid (errors printed to stderr)' },
    { code: 2, meaning: 'usage error' },
  ],
  usageExitCode: 2,
};

export const planSpec: CommandSpec = {
  name: 'plan',
  summary: 'Compare the database with schema.yaml and show the ordered steps, with hazards',
  usage: 'pgreconcile plan [--schema FILE] [--database-url URL] [--out FILE|DIR] [--sql | --json]',
  description:
    'Introspects the live database, compares it with the desired state, and prints the dependency-ordered plan that ' +
    'would make the database match: a summary grouped by object (+ create, ~ alter, - drop) with every hazard ' +
    '(deletes_data, table_rewrite, access_exclusive_lock, index_build, index_dropped, non_transactional, ' +
    'validates_constraint, has_untrackable_dependencies) and why. Nothing is executed.\n\n' +
    'With --out the plan is also written as a plan file (YAML: the SQL of every step as written, hazards, transaction ' +
    'groups, timeouts, the desired state\'s hash, the live schema\'s fingerprint, and a checksum) for review and for ' +
    '`pgreconcile apply PLANFILE`. When --out names a folder (existing, or ending in /), the file is named ' +
    '<UTC timestamp>_<slug>.plan.yaml in it.\n\n' +
    'Without --database-url and DATABASE_URL, the embedded PGlite database under .pgreconcile/ is used.',
  maxPositionals: 0,
  options: [
    SCHEMA_OPTION,
    DATABASE_URL_OPTION,
    { name: 'out', short: 'o', arg: 'FILE|DIR', description: 'Also write the plan file here (a folder: plans/<UTC timestamp>_<slug>.plan.yaml).' },
    { name: 'sql', description: 'Print the plan as plain SQL instead of the summary.' },
    { name: 'json', description: 'Print the plan as JSON instead of the summary.' },
    { name: 'no-color', description: 'Never colour the summary (colour is used only on a terminal).' },
  ],
  exitCodes: [
    { code: 0, meaning: 'no changes: the database matches the desired state' },
    { code: 2, meaning: 'changes planned' },
    { code: 1, meaning: 'error (invalid schema file, database unreachable, a change that cannot be planned, usage error)' },
  ],
  usageExitCode: 1,
};
