/**
 * A serial column turned into an identity, and an identity turned into a serial (issue 15,
 * class 12): the new sequence takes the name the old one had, and goes on past the values the
 * column holds, so that the next insert does not collide with them. Every apply re-plans empty.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, loadDesiredState, planDatabase } from '../src/index.js';
import type { Db } from '../src/index.js';
import { useWorkFolder } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const work = useWorkFolder();

const items = (id: string): string => `version: 1
schemas:
  public:
    tables:
      items:
        columns:
          id: ${id}
          name: { type: text }
        primary_key: [id]
`;

async function applyFile(db: Db, name: string, yaml: string): Promise<void> {
  await writeFile(join(work.dir, name), yaml);
  const desired = await loadDesiredState(join(work.dir, name));
  await executePlan(db, (await planDatabase(db, desired)).plan);
  expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
}

async function insertId(db: Db): Promise<string | undefined> {
  return (await db.query<{ id: string }>("INSERT INTO items (name) VALUES ('next') RETURNING id::text AS id")).rows[0]?.id;
}

async function sequences(db: Db): Promise<string[]> {
  return (await db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'S' ORDER BY 1")).rows.map((r) => r.relname);
}

describe('serial ⇄ identity', () => {
  const database = useTestDatabase();

  it('serial → identity → serial keeps numbering past the rows, under the same sequence name', async () => {
    const { db } = database();
    await db.exec("CREATE TABLE items (id serial PRIMARY KEY, name text); INSERT INTO items (name) VALUES ('a'), ('b'), ('c')");

    await applyFile(db, 'identity.yaml', items('{ type: integer, identity: { kind: by default } }'));
    expect(await sequences(db)).toEqual(['items_id_seq']);
    expect(await insertId(db)).toBe('4');

    await applyFile(db, 'serial.yaml', items('{ type: serial }'));
    expect(await sequences(db)).toEqual(['items_id_seq']);
    expect(await insertId(db)).toBe('5');
  });
});
