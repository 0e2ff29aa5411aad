/**
 * The real schemas the tests load, from the repository's `fixtures/` (copies of the team's shared
 * fixtures, with their provenance in fixtures/README.md): a fresh clone has them, and nothing in
 * the suite reads the shared folder beside the repository except test/fixture-copies.test.ts,
 * which checks the copies.
 */
import { join } from 'node:path';

/** The repository's root. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The repository's fixtures folder. */
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');

/** Slidefactory's init.sql (it needs pgvector). */
export const SLIDEFACTORY_INIT_SQL = join(FIXTURES_DIR, 'slidefactory', 'init.sql');

/** Pagila's schema.sql. */
export const PAGILA_SCHEMA_SQL = join(FIXTURES_DIR, 'pagila', 'schema.sql');
