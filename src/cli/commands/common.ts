import type { OptionSpec } from '../args.js';

export const SCHEMA_OPTION: OptionSpec = {
  name: 'schema',
  short: 's',
  arg: 'FILE',
  description: 'The desired-state file (default: schema.yaml).',
};

export const DATABASE_URL_OPTION: OptionSpec = {
  name: 'database-url',
  short: 'd',
  arg: 'URL',
  description:
    'The database: a postgres:// URL, or pglite:DIR for an embedded PGlite database. Default: $DATABASE_URL, else the embedded PGlite database in .pgreconcile/pglite.',
};
