/**
 * `import`: a SQL script into the desired-state file through an embedded PGlite database.
 * The Slidefactory fixture's init.sql imports to a file that plans empty against a database
 * init.sql built (PGlite: the server lacks pgvector) and reads back as the same model as the
 * root schema.yaml; SQL errors are reported as FILE:line:column with exit code 1; pg_dump's
 * psql meta-commands and ownership statements are skipped with warnings.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { openPglite } from '../src/db/pglite-db.js';
import {
  importSql,
  importSqlFile,
  ImportError,
  loadDesiredState,
  planDatabase,
  renderSql,
  SCHEMA_COMMENT,
  validateFile,
} from '../src/index.js';
import { initParser } from '../src/sql/parser.js';
import { blankMetaCommands, lineColumnAt, splitStatements } from '../src/import/index.js';
import { createTestDatabase } from './support/harness.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const root = join(import.meta.dirname, '..');
const fixtureSql = SLIDEFACTORY_INIT_SQL;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgr-import-'));
  await initParser();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function captureIo(cwd: string): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), isTTY: false, cwd, env: {}, stdout: () => out, stderr: () => err };
}

/** importSql into a fresh PGlite database (from the harness's template: faster than a new one). */
async function importInto(script: string, fileName = 'schema.sql'): Promise<Awaited<ReturnType<typeof importSql>>> {
  const database = await createTestDatabase({ pglite: true });
  try {
    return await importSql(script, { fileName, db: database.db });
  } finally {
    await database.drop();
  }
}

async function importError(script: string, fileName = 'schema.sql'): Promise<ImportError> {
  try {
    await importInto(script, fileName);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the import should have failed');
}

describe('import of the Slidefactory init.sql', () => {
  let imported: string;

  beforeAll(async () => {
    const io = captureIo(root);
    const code = await main(['import', 'fixtures/slidefactory/init.sql', '--out', join(work, 'imported.yaml')], io);
    expect(io.stderr()).not.toContain('warning');
    expect(code).toBe(0);
    imported = await readFile(join(work, 'imported.yaml'), 'utf8');
  }, 300_000);

  it('writes a valid file that plans empty against a database init.sql built', async () => {
    expect(imported.startsWith(`${SCHEMA_COMMENT}\nversion: 1\nextensions:\n  pgcrypto: {}\n  vector: {}\n`)).toBe(true);
    const validated = await validateFile(join(work, 'imported.yaml'));
    expect(validated.ok).toBe(true);
    const db = await openPglite();
    try {
      await db.exec(await readFile(fixtureSql, 'utf8'));
      const { plan } = await planDatabase(db, await loadDesiredState(join(work, 'imported.yaml')));
      expect(plan.steps.length, renderSql(plan)).toBe(0);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('reads back as the same model as the root schema.yaml', async () => {
    const fromImport = await loadDesiredState(join(work, 'imported.yaml'));
    const fromRoot = await loadDesiredState(join(root, 'schema.yaml'));
    expect(fromImport.model).toEqual(fromRoot.model);
    expect(fromImport.ignore).toEqual(fromRoot.ignore);
    expect(fromImport.external).toEqual(fromRoot.external);
  });

  it('gives the same bytes as importing through the library again', async () => {
    const again = await importSqlFile(fixtureSql);
    expect(again.yaml).toBe(imported);
    expect(again.warnings).toEqual([]);
  }, 300_000);
});

describe('import errors', () => {
  it('reports a failing statement at its line and column, and the CLI exits 1 without writing', async () => {
    const script = 'CREATE TABLE a (id int PRIMARY KEY);\n\n-- the next one fails\nCREATE TABLE b (\n  a_id int REFERENCES nope (id)\n);\n';
    await writeFile(join(work, 'broken.sql'), script);
    const io = captureIo(work);
    const code = await main(['import', 'broken.sql', '--out', 'never.yaml'], io);
    expect(code).toBe(1);
    // PostgreSQL gives no position here: the place is where the statement names the missing table.
    expect(io.stderr()).toContain('broken.sql:5:23: ERROR 42P01: relation "nope" does not exist\n');
    expect(io.stderr()).not.toMatch(/\n\s+at /);
    await expect(readFile(join(work, 'never.yaml'), 'utf8')).rejects.toThrow();
  }, 300_000);

  it('points inside the statement where PostgreSQL gives a position', async () => {
    const error = await importError('CREATE TABLE a (id int);\nCREATE TABLE b (\n    x int,\n    y nosuchtype\n);\n');
    expect(error.format()).toBe('schema.sql:4:7: ERROR 42704: type "nosuchtype" does not exist');
  }, 300_000);

  it('reports a syntax error at its place, counting characters, not bytes', async () => {
    const error = await importError("CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'é'; CREATE TABLE é (id int,, x int);\n");
    expect([error.line, error.column]).toEqual([2, 51]);
    expect(error.message).toBe('syntax error at or near ","');
  }, 300_000);

  it('reports an object that already exists (no position from the server) where the statement names it', async () => {
    const error = await importError('CREATE TABLE a (id int);\n  CREATE TABLE a (id int);\n');
    expect(error.format()).toBe('schema.sql:2:16: ERROR 42P07: relation "a" already exists');
  }, 300_000);

  it('reports a failing statement at its start when the message names nothing in it', async () => {
    const error = await importError('CREATE TABLE a (id int);\n  INSERT INTO a VALUES (1), (1);\n  CREATE UNIQUE INDEX u ON a (id);\n');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^ERROR 23505: could not create unique index "u"\nDETAIL: Key \(id\)=\(1\) is duplicated\.$/);
  }, 300_000);

  it('exits 1 naming a file that does not exist', async () => {
    const io = captureIo(work);
    expect(await main(['import', 'missing.sql'], io)).toBe(1);
    expect(io.stderr()).toContain('cannot read missing.sql: it does not exist');
    const none = captureIo(work);
    expect(await main(['import'], none)).toBe(64);
    expect(none.stderr()).toContain('the SQL file to import is missing');
  }, 300_000);
});

describe('import of pg_dump output', () => {
  it('blanks pg_dump\'s \\restrict line whatever its key (one starting with a digit is "trailing junk" to the scanner), and only meta-command lines', () => {
    const script = "\\restrict 9Qz1\nSELECT 'a\n\\b';\nCREATE FUNCTION f() RETURNS int AS $$\n\\x\n$$ LANGUAGE sql;\n\\unrestrict 0x1G\n";
    const { sql, lines } = blankMetaCommands(script);
    expect(lines).toEqual([1, 7]);
    expect(sql).toHaveLength(script.length);
    expect(sql).toContain("SELECT 'a\n\\b';");
    expect(sql).toContain('$$\n\\x\n$$');
    expect(sql).not.toContain('restrict');
  });

  it('skips psql meta-commands; makes the roles ownership and grants name, with warnings, so that they reach the file', async () => {
    const script = [
      '--',
      '-- PostgreSQL database dump',
      '--',
      '\\restrict k3Y',
      "SET client_encoding = 'UTF8';",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'CREATE TABLE public.items (',
      '    id integer NOT NULL,',
      '    name text',
      ');',
      'ALTER TABLE public.items OWNER TO app_owner;',
      'CREATE SEQUENCE public.items_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;',
      'ALTER SEQUENCE public.items_id_seq OWNER TO app_owner;',
      'ALTER SEQUENCE public.items_id_seq OWNED BY public.items.id;',
      "ALTER TABLE ONLY public.items ALTER COLUMN id SET DEFAULT nextval('public.items_id_seq'::regclass);",
      'ALTER TABLE ONLY public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id);',
      'GRANT SELECT ON TABLE public.items TO reader;',
      '\\unrestrict k3Y',
      '',
    ].join('\n');
    const { yaml, warnings } = await importInto(script, 'dump.sql');
    expect(warnings).toEqual([
      'dump.sql:4: psql meta-command skipped',
      'dump.sql:18: psql meta-command skipped',
      'dump.sql:11:1: role "app_owner" made in the embedded database; the file names it, and it must exist where the file is planned',
      'dump.sql:17:1: role "reader" made in the embedded database; the file names it, and it must exist where the file is planned',
    ]);
    expect(yaml).toContain('        grants:\n          reader: [select]\n');
    // One owner for every object: pull writes no owners (docs/format.md, "Grants and owners").
    expect(yaml).not.toContain('owner:');
    expect(yaml).toContain('        columns:\n          id: { type: serial }\n          name: { type: text }\n        primary_key: [id]\n');
  }, 300_000);

  it('imports an empty script as version 1', async () => {
    const { yaml } = await importSql('-- nothing here\n');
    expect(yaml).toBe(`${SCHEMA_COMMENT}\nversion: 1\nschemas:\n  public:\n    comment: standard public schema\n`);
  }, 300_000);
});

describe('script helpers', () => {
  it('splits statements with their positions, keeping bodies with semicolons whole', () => {
    const script =
      '-- head\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n  ALTER TABLE a OWNER TO x';
    const statements = splitStatements(script, 's.sql');
    expect(statements.map((s) => [s.kind, lineColumnAt(script, s.start)])).toEqual([
      ['CreateStmt', { line: 2, column: 1 }],
      ['CreateFunctionStmt', { line: 3, column: 1 }],
      ['AlterTableStmt', { line: 4, column: 3 }],
    ]);
    expect(statements[1]?.text).toBe('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END');
    expect(statements[2]?.ownerOnly).toBe(true);
  });

  it('blanks psql meta-commands to the end of their line, and nothing inside strings', () => {
    const script = "\\connect db\nSELECT '\\not a command';\n  \\set x 1\n";
    const { sql, lines } = blankMetaCommands(script);
    expect(sql).toBe("           \nSELECT '\\not a command';\n          \n");
    expect(lines).toEqual([1, 3]);
  });
});
