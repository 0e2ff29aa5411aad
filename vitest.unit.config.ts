import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the tests that need no PostgreSQL server, run with none. No global
 * set-up (it looks for a server); test databases are PGlite; a connection to port 5432 fails
 * with a clear message (test/support/no-server.ts). `npm test` runs these files too, with the rest.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      // Outside test/unit/ but server-free (checked with nothing on 127.0.0.1:5432). Also
      // server-free, left to `npm test` for its time (about 75 s): test/drift-pglite.test.ts.
      'test/apply-units.test.ts',
      'test/cli-exit-codes.test.ts',
      'test/desired-fast-path.test.ts',
      'test/desired-invalid.test.ts',
      'test/desired-load.test.ts',
      'test/drift-cron.test.ts',
      'test/fixture-coverage.test.ts',
      'test/pull-yaml.test.ts',
    ],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    setupFiles: ['test/support/no-server.ts'],
    env: { PGRECONCILE_TEST_PGLITE: '1' },
  },
});
