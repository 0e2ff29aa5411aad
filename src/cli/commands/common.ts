import { isAbsolute, resolve } from 'node:path';
import { requireReadableFile } from '../../util/files.js';
import type { OptionSpec } from '../args.js';
import type { Io } from '../io.js';

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

/**
 * Checks that a file the command line names can be read, before anything connects: the same
 * message (`cannot read FILE: it does not exist`, exit 1) in every command.
 *
 * @example await requireFile(io, schemaPath);
 */
export async function requireFile(io: Io, path: string): Promise<void> {
  await requireReadableFile(isAbsolute(path) ? path : resolve(io.cwd, path), path);
}
