/**
 * `npm run test:unit` has no PostgreSQL server: a unit test that still reaches for one on
 * 127.0.0.1:5432 fails at once, saying so (test/support/no-server.ts, loaded first by
 * vitest.unit.config.ts; installed here too, for this file's run under `npm test`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectPostgres } from '../../src/db/pg-db.js';
import { installNoServerGuard } from '../support/no-server.js';

let removeGuard: () => void = () => undefined;
beforeAll(() => {
  removeGuard = installNoServerGuard();
});
afterAll(() => {
  removeGuard();
});

describe('unit tests run with no server', () => {
  it('fails a connection to 127.0.0.1:5432 with a message naming the rule', async () => {
    await expect(connectPostgres('postgres://postgres@127.0.0.1:5432/postgres')).rejects.toThrow(
      /npm run test:unit runs with no PostgreSQL server, but this test connects to 127\.0\.0\.1:5432/,
    );
  });

  it('fails a bare pg.Client on the default port too', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/no PostgreSQL server/);
  });
});
