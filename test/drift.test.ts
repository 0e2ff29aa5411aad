/**
 * Drift against a real server: in sync after an apply, changes made by hand (drifted, exit 3),
 * declared changes not applied (pending, exit 2), both at once; each kind of manual change
 * named; no ledger; --record and --history; the --json and markdown shapes.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { checkDrift, driftOfDatabase } from '../src/drift/check-drift.js';
import type { DriftItem } from '../src/drift/describe-change.js';
import { loadDesiredState } from '../src/desired/index.js';
import { useTestDatabase } from './support/harness.js';
import { useWorkFolder } from './support/apply-cli.js';

const database = useTestDatabase();
const work = useWorkFolder();

/** Runs the CLI in-process in `work.dir`; returns exit code and output. */
async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => (stdout += t), err: (t) => (stderr += t), isTTY: false, cwd: work.dir, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const SCHEMA = `version: 1
schemas:
  public:
    enums:
      mood:
        values: [happy, sad]
    functions:
      touch:
        returns: trigger
        language: plpgsql
        body: |
          BEGIN
            NEW.updated_at = now();
            RETURN NEW;
          END;
    tables:
      teams:
        columns:
          id: { type: serial }
          name: { type: text, nullable: false }
        primary_key: [id]
      users:
        comment: people
        columns:
          id: { type: serial }
          team_id: { type: integer }
          email: { type: text, nullable: false }
          score: { type: integer, default: "0" }
          nick: { type: varchar(20) }
          feeling: { type: mood }
          updated_at: { type: timestamptz }
        primary_key: [id]
        checks:
          - name: score_positive
            expression: score >= 0
        foreign_keys:
          - name: users_team_fk
            columns: [team_id]
            references: { table: teams, columns: [id] }
            on_delete: cascade
        indexes:
          users_email_idx: { columns: [email] }
        triggers:
          users_touch:
            timing: before
            events: [update]
            for_each: row
            function: touch
          users_touch_again:
            timing: before
            events: [insert]
            for_each: row
            function: touch
`;

async function applySchema(url: string, text = SCHEMA): Promise<void> {
  await writeFile(join(work.dir, 'schema.yaml'), text);
  const r = await cli(['apply', '--approve', '--database-url', url]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
}

function find(items: readonly DriftItem[], object: string, change?: RegExp): DriftItem | undefined {
  return items.find((i) => i.object === object && (change === undefined || change.test(i.change)));
}

describe('drift after an apply', () => {
  it('in sync (0); a manual ADD COLUMN is drift (3) naming the column; an unapplied edit is pending (2); both are both', async () => {
    const { url, db } = database();
    await applySchema(url);
    let r = await cli(['drift', '--database-url', url]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^In sync/);

    await db.exec('ALTER TABLE users ADD COLUMN nickname text');
    // Trust auth accepts any password: the report must not show it.
    r = await cli(['drift', '--database-url', url.replace('//postgres@', '//postgres:s3cret@'), '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain('s3cret');
    const drifted = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(drifted).toMatchObject({ state: 'drifted', exit_code: 3, pending: [], database: expect.stringContaining('***') });
    expect(drifted['last_version']).toMatchObject({ kind: 'apply' });
    expect(drifted['drifted']).toEqual([
      {
        object: 'public.users.nickname',
        kind: 'column',
        change: 'added',
        before: null,
        after: { name: 'nickname', type: 'text', nullable: true },
      },
    ]);
    expect(typeof drifted['checked_at']).toBe('string');
    const human = await cli(['drift', '--database-url', url]);
    expect(human.stdout).toContain('column public.users.nickname: added');

    await db.exec('ALTER TABLE users DROP COLUMN nickname');
    await writeFile(
      join(work.dir, 'schema.yaml'),
      SCHEMA.replace('updated_at: { type: timestamptz }', 'updated_at: { type: timestamptz }\n          bio: { type: text }'),
    );
    r = await cli(['drift', '--database-url', url, '--json']);
    expect(r.code).toBe(2);
    const pending = JSON.parse(r.stdout) as { state: string; pending: DriftItem[]; drifted: DriftItem[] };
    expect(pending.state).toBe('pending');
    expect(pending.drifted).toEqual([]);
    expect(pending.pending).toEqual([
      { object: 'public.users.bio', kind: 'column', change: 'added', before: null, after: { name: 'bio', type: 'text', nullable: true } },
    ]);

    await db.exec('DROP INDEX users_email_idx');
    r = await cli(['drift', '--database-url', url, '--format', 'markdown']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('## Drift check: drifted_and_pending');
    expect(r.stdout).toContain('### Drifted (1)');
    expect(r.stdout).toContain('| `public.users.users_email_idx` | index | dropped |');
    expect(r.stdout).toContain('### Pending (1)');
    expect(r.stdout).toContain('| `public.users.bio` | column | added |');
  });

  it('names each manual change: column type, default, nullability, indexes, FK action, check, triggers, function body, enum value, comment', async () => {
    const { url, db } = database();
    await applySchema(url);
    await db.exec(`
      ALTER TABLE users ALTER COLUMN nick TYPE varchar(40);
      ALTER TABLE users ALTER COLUMN score SET DEFAULT 5;
      ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
      DROP INDEX users_email_idx;
      CREATE INDEX users_nick_idx ON users (nick);
      ALTER TABLE users DROP CONSTRAINT users_team_fk, ADD CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;
      ALTER TABLE users DROP CONSTRAINT score_positive, ADD CONSTRAINT score_positive CHECK (score >= 10);
      ALTER TABLE users DISABLE TRIGGER users_touch;
      DROP TRIGGER users_touch_again ON users;
      CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = clock_timestamp(); RETURN NEW; END; $$;
      ALTER TYPE mood ADD VALUE 'angry';
      COMMENT ON TABLE users IS 'humans';
    `);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.state).toBe('drifted');
    const d = report.drifted;
    expect(find(d, 'public.users.nick', /type/)).toMatchObject({
      kind: 'column',
      before: { type: 'varchar(20)' },
      after: { type: 'varchar(40)' },
    });
    expect(find(d, 'public.users.score', /default/)).toMatchObject({ kind: 'column', before: { default: '0' }, after: { default: '5' } });
    expect(find(d, 'public.users.email', /nullable/)).toMatchObject({
      kind: 'column',
      before: { nullable: false },
      after: { nullable: true },
    });
    expect(find(d, 'public.users.users_email_idx')).toMatchObject({ kind: 'index', change: 'dropped', after: null });
    expect(find(d, 'public.users.users_nick_idx')).toMatchObject({ kind: 'index', change: 'added', before: null });
    expect(find(d, 'public.users.users_team_fk')).toMatchObject({
      kind: 'foreign_key',
      change: 'on_delete changed',
      before: { on_delete: 'cascade' },
      after: { on_delete: 'set null' },
    });
    expect(find(d, 'public.users.score_positive')).toMatchObject({ kind: 'check', change: 'expression changed' });
    expect(find(d, 'public.users.users_touch')).toMatchObject({
      kind: 'trigger',
      change: 'enabled changed',
      before: { enabled: true },
      after: { enabled: false },
    });
    expect(find(d, 'public.users.users_touch_again')).toMatchObject({ kind: 'trigger', change: 'dropped', after: null });
    expect(find(d, 'public.touch()')).toMatchObject({ kind: 'function', change: 'body changed' });
    expect(find(d, 'public.mood')).toMatchObject({
      kind: 'enum',
      change: 'values changed',
      before: { values: ['happy', 'sad'] },
      after: { values: ['happy', 'sad', 'angry'] },
    });
    expect(find(d, 'public.users')).toMatchObject({
      kind: 'table',
      change: 'comment changed',
      before: { comment: 'people' },
      after: { comment: 'humans' },
    });
    expect(d).toHaveLength(12);
    // The file still declares the recorded state: nothing is pending.
    expect(report.pending).toEqual([]);
  });

  it('names a view made by hand, and a declared view whose query was replaced by hand (issue 16)', async () => {
    const { url, db } = database();
    const text = SCHEMA.replace(
      /\nschemas:\n {2}public:\n/,
      '\nschemas:\n  public:\n    views:\n      user_emails:\n        query: SELECT id, email FROM users\n',
    );
    expect(text).toContain('user_emails');
    await applySchema(url, text);
    await writeFile(join(work.dir, 'schema.yaml'), text);
    expect((await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')))).state).toBe('in_sync');
    await db.exec(`
      CREATE VIEW hand_made AS SELECT 1 AS one;
      CREATE OR REPLACE VIEW user_emails AS SELECT id, email FROM users WHERE email IS NOT NULL;
    `);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.state).toBe('drifted');
    expect(find(report.drifted, 'public.user_emails')).toMatchObject({
      kind: 'view',
      change: 'query changed',
      before: { query: 'SELECT id, email FROM users' },
    });
    expect(find(report.drifted, 'public.user_emails')?.after).toEqual({ query: expect.stringContaining('WHERE users.email IS NOT NULL') });
    expect(find(report.drifted, 'public.hand_made')).toMatchObject({ kind: 'view', change: 'added', before: null });
  });

  it("names a partition's own index and foreign key made or dropped by hand (issue 17)", async () => {
    const { url, db } = database();
    const text = SCHEMA.replace(
      /\n {4}tables:\n/,
      [
        '',
        '    tables:',
        '      events:',
        '        columns:',
        '          at: { type: date, nullable: false }',
        '          team_id: { type: integer }',
        '        partition_by: RANGE (at)',
        '        partitions:',
        '          events_2024:',
        "            bounds: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        '            indexes:',
        '              events_2024_team_own: { columns: [team_id] }',
        "          events_2025: { bounds: \"FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')\" }",
        '',
      ].join('\n'),
    );
    expect(text).toContain('events_2024_team_own');
    await applySchema(url, text);
    await writeFile(join(work.dir, 'schema.yaml'), text);
    expect((await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')))).state).toBe('in_sync');
    await db.exec(`
      DROP INDEX events_2024_team_own;
      CREATE INDEX events_2025_at_own ON events_2025 (at);
      ALTER TABLE events_2025 ADD CONSTRAINT events_2025_team_fk FOREIGN KEY (team_id) REFERENCES teams (id);
    `);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.state).toBe('drifted');
    const objects = report.drifted.map((i) => `${i.kind} ${i.object} ${i.change}`);
    expect(objects.sort()).toEqual([
      'foreign_key public.events_2025.events_2025_team_fk added',
      'index public.events_2024.events_2024_team_own dropped',
      'index public.events_2025.events_2025_at_own added',
    ]);
  });

  it('names a policy changed, a policy made and row-level security switched off by hand (issue 18)', async () => {
    const { url, db } = database();
    const text = SCHEMA.replace(
      /\n {8}triggers:\n {10}users_touch:\n/,
      `\n        row_level_security: { enabled: true }\n        policies:\n          users_self:\n            using: "email = current_user"\n        triggers:\n          users_touch:\n`,
    );
    expect(text).toContain('users_self');
    await applySchema(url, text);
    await writeFile(join(work.dir, 'schema.yaml'), text);
    expect((await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')))).state).toBe('in_sync');
    await db.exec(`
      ALTER POLICY users_self ON users USING (true);
      CREATE POLICY hand_made ON users FOR SELECT USING (score > 0);
      ALTER TABLE users DISABLE ROW LEVEL SECURITY;
    `);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.state).toBe('drifted');
    const policies = report.drifted.filter((i) => i.kind === 'policy');
    expect(policies.find((i) => i.object.includes('users_self'))).toMatchObject({ change: expect.stringMatching(/using/) });
    expect(policies.find((i) => i.object.includes('hand_made'))).toMatchObject({ change: 'added', before: null });
    expect(report.drifted.find((i) => i.kind === 'row level security')).toMatchObject({
      object: 'users',
      before: { enabled: true },
      after: { enabled: false },
    });
  });

  it('names a constraint made NOT VALID by hand as validated changed', async () => {
    const { url, db } = database();
    await applySchema(url);
    await db.exec(`
      ALTER TABLE users DROP CONSTRAINT score_positive, ADD CONSTRAINT score_positive CHECK (score >= 0) NOT VALID;
      ALTER TABLE users DROP CONSTRAINT users_team_fk,
        ADD CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;
    `);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.state).toBe('drifted');
    expect(report.drifted).toEqual([
      {
        object: 'public.users.score_positive',
        kind: 'check',
        change: 'validated changed',
        before: { validated: true },
        after: { validated: false },
      },
      {
        object: 'public.users.users_team_fk',
        kind: 'foreign_key',
        change: 'validated changed',
        before: { validated: true },
        after: { validated: false },
      },
    ]);
  });

  it('sees no drift after applying validated: false (the constraints recorded NOT VALID)', async () => {
    const { url, db } = database();
    await applySchema(
      url,
      SCHEMA.replace('expression: score >= 0\n', 'expression: score >= 0\n            validated: false\n').replace(
        'on_delete: cascade\n',
        'on_delete: cascade\n            validated: false\n',
      ),
    );
    const { rows } = await db.query<{ conname: string; convalidated: boolean }>(
      `SELECT conname, convalidated FROM pg_constraint WHERE conname IN ('score_positive', 'users_team_fk') ORDER BY conname`,
    );
    expect(rows).toEqual([
      { conname: 'score_positive', convalidated: false },
      { conname: 'users_team_fk', convalidated: false },
    ]);
    const report = await driftOfDatabase(db, await loadDesiredState(join(work.dir, 'schema.yaml')));
    expect(report.drifted).toEqual([]);
    expect(report.pending).toEqual([]);
  });
});

describe('drift without a ledger, --record and --history, the library', () => {
  it('says there is no ledger and compares the file with the live database (pending)', async () => {
    const { url, db } = database();
    await db.exec('CREATE TABLE teams (id serial PRIMARY KEY, name text NOT NULL)');
    await writeFile(join(work.dir, 'schema.yaml'), SCHEMA);
    const r = await cli(['drift', '--database-url', url]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Note: no ledger yet');
    expect(r.stdout).toContain('table public.users: added');
    const report = await checkDrift({ databaseUrl: url, schemaPath: join(work.dir, 'schema.yaml') });
    expect(report.state).toBe('pending');
    expect(report.lastVersion).toBeUndefined();
    expect(report.note).toMatch(/no ledger yet/);
  });

  it('keeps the judge cache in .pgreconcile/cache as plan does: a second check reads it and reports the same', async () => {
    const { url, db } = database();
    // Written otherwise than the server stores it: the judge runs for this check.
    await db.exec(`CREATE TABLE items (id integer PRIMARY KEY, code varchar(10), CONSTRAINT items_code_check CHECK (code <> 'x'))`);
    await writeFile(
      join(work.dir, 'schema.yaml'),
      `version: 1\nschemas:\n  public:\n    tables:\n      items:\n        columns:\n          id: { type: integer, nullable: false }\n          code: { type: varchar(10) }\n        primary_key: [id]\n        checks:\n          - { name: items_code_check, expression: "code <> 'x'" }\n`,
    );
    const first = await cli(['drift', '--database-url', url]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const cached = (await readdir(join(work.dir, '.pgreconcile', 'cache'))).filter((f) => f.startsWith('judge-'));
    expect(cached.length).toBeGreaterThan(0);
    const second = await cli(['drift', '--database-url', url]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const desired = await loadDesiredState(join(work.dir, 'schema.yaml'));
    const report = await driftOfDatabase(db, desired, { cacheDir: join(work.dir, '.pgreconcile', 'cache') });
    expect(report.state).toBe('in_sync');
  });

  it('records checks in the ledger and lists them', async () => {
    const { url, db } = database();
    await applySchema(url);
    expect((await cli(['drift', '--database-url', url, '--record'])).code).toBe(0);
    await db.exec('ALTER TABLE teams ADD COLUMN city text');
    expect((await cli(['drift', '--database-url', url, '--record'])).code).toBe(3);
    const h = await cli(['drift', '--history', '--json', '--database-url', url]);
    expect(h.code).toBe(0);
    const checks = JSON.parse(h.stdout) as { state: string; counts: { drifted: number; pending: number }; digest: string }[];
    expect(checks.map((c) => c.state)).toEqual(['drifted', 'in_sync']);
    expect(checks[0]?.counts).toEqual({ drifted: 1, pending: 0 });
    expect(checks[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
    const text = await cli(['drift', '--history', '--database-url', url]);
    expect(text.stdout).toMatch(/drifted\s+1 drifted\s+0 pending/);
    // The library returns the same structure.
    const report = await checkDrift({ databaseUrl: url, schemaPath: join(work.dir, 'schema.yaml') });
    expect(report.state).toBe('drifted');
    expect(report.drifted.map((i) => i.object)).toEqual(['public.teams.city']);
  });

  it('documents the exit codes in --help and rejects bad schedules', async () => {
    const help = await cli(['drift', '--help']);
    expect(help.stdout).toMatch(/0\s+in sync/);
    expect(help.stdout).toMatch(/2\s+pending only/);
    expect(help.stdout).toMatch(/3\s+drifted/);
    expect(help.stdout).toMatch(/1\s+error/);
    const bad = await cli(['drift', '--cron', '*/5 * *']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('expected 5 fields');
  });
});
