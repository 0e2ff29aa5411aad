/**
 * Issue 12, item 6: a table with no columns at all (PostgreSQL allows `CREATE TABLE t ()`, and
 * dropping a table's last column makes one) works in every command: plan, apply with
 * `columns: {}`, pull, drift, status, history, and a drop of one that holds rows (backed up).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listVersions } from '../src/ledger/ledger-store.js';
import { pendingSteps, runCli, useWorkFolder } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();
const work = useWorkFolder();

const FILE = (tables: string): string => `version: 1\nschemas:\n  public:\n    tables:\n${tables}`;
const EMPTY_NEW = '      made_empty:\n        columns: {}\n';
const LIVE_EMPTY = '      born_empty:\n        columns: {}\n      emptied:\n        columns: {}\n';

describe('tables without columns', () => {
  it('apply creates one from `columns: {}`; plan, pull, drift, status and history read the live ones', async () => {
    const { url, db } = database();
    await db.exec(
      'CREATE TABLE born_empty (); CREATE TABLE emptied (a int); ALTER TABLE emptied DROP COLUMN a; INSERT INTO born_empty DEFAULT VALUES',
    );
    const cli = (args: readonly string[]) => runCli([...args, '--database-url', url], work.dir);
    const schema = join(work.dir, 'schema.yaml');
    await writeFile(schema, FILE(LIVE_EMPTY + EMPTY_NEW));

    const validate = await cli(['plan', '--sql']);
    expect(validate.code, validate.stderr).toBe(2);
    expect(validate.stdout).toContain('CREATE TABLE "public"."made_empty" ();');
    const applied = await cli(['apply', '--approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('The database matches the desired state.');
    expect((await listVersions(db))[0]).toMatchObject({ status: 'applied', stepsApplied: 1 });
    expect(await pendingSteps(db, schema)).toEqual([]);

    for (const command of [['plan'], ['drift'], ['status'], ['history']] as const) {
      const r = await cli(command);
      expect(r.code, `${command[0]}: ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toContain('Cannot read properties');
    }

    const pulled = await cli(['pull', '--out', 'pulled.yaml']);
    expect(pulled.code, pulled.stderr).toBe(0);
    const text = await readFile(join(work.dir, 'pulled.yaml'), 'utf8');
    expect(text).toMatch(/born_empty:\n\s+columns: \{\}/);
    expect(text).toMatch(/made_empty:\n\s+columns: \{\}/);
    const replan = await cli(['plan', '--schema', 'pulled.yaml']);
    expect(replan.code, replan.stderr + replan.stdout).toBe(0);

    // Dropping one that holds rows: its (empty) rows are backed up, and the drop goes through.
    await writeFile(schema, FILE(EMPTY_NEW));
    const dropped = await cli(['apply', '--approve', '--allow-hazards', 'all']);
    expect(dropped.code, dropped.stderr + dropped.stdout).toBe(0);
    expect(await pendingSteps(db, schema)).toEqual([]);
  });
});
