/**
 * The README's "Adoption guide", run as written: its `$ pgreconcile …` commands, in order,
 * against a PGlite database loaded from the Slidefactory fixture's init.sql and served on a
 * local port (the fixture needs pgvector), in a temp folder. Only the URL and the plan file's
 * timestamped name are substituted. `$ echo $?` lines check the exit code of the command before;
 * the pasted output must still be what the commands print (timestamps, durations and hashes
 * aside). The schema edits of step 4 are made with string replacements on the pulled file and
 * must match the guide's diff. The guide ends with an empty re-plan and two versions in history.
 *
 * Also the exact CLI forms that scripts use: `pull --database-url URL --out FILE`,
 * `plan --database-url URL --schema FILE --out PLANFILE` (exit 0 none / 2 changes) and
 * `apply PLANFILE --database-url URL --approve --allow-hazards all`.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, servePglite } from '../src/db/pglite-db.js';
import type { PgliteDb, ServedPglite } from '../src/db/pglite-db.js';
import { pendingSteps, root, runCli, workFolder } from './support/apply-cli.js';
import type { CliRun } from './support/apply-cli.js';
import { SLIDEFACTORY_INIT_SQL } from './support/fixtures.js';

const fixtureSql = SLIDEFACTORY_INIT_SQL;
const GUIDE_URL = 'postgres://deploy:secret@db.internal/slidefactory';
const GUIDE_URL_REDACTED = 'postgres://deploy:***@db.internal/slidefactory';
const PLAN_FILE = /^plans\/\d{8}T\d{6}Z_[a-z0-9-]+\.plan\.yaml$/;

/** One `$ command` of the guide and the output pasted under it. */
interface GuideCommand {
  readonly command: string;
  readonly output: readonly string[];
}

/** The text of the README section `## Adoption guide` (up to the next `## `). */
function guideSection(readme: string): string {
  const start = readme.indexOf('\n## Adoption guide\n');
  if (start < 0) throw new Error('README.md has no "## Adoption guide" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of `lang` in `text`, each as its lines. */
function fencedBlocks(text: string, lang: string): string[][] {
  const blocks: string[][] = [];
  const fence = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  for (const m of text.matchAll(fence)) blocks.push((m[1] ?? '').replace(/\n$/, '').split('\n'));
  return blocks;
}

/** The guide's console commands in order, each with the output lines under it. */
function guideCommands(section: string): GuideCommand[] {
  const commands: { command: string; output: string[] }[] = [];
  for (const block of fencedBlocks(section, 'console')) {
    for (const line of block) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
      else commands.at(-1)?.output.push(line);
    }
  }
  return commands;
}

/**
 * A line of output with what differs from run to run made uniform: timestamps in version
 * names, ISO dates, durations, checksums, runs of spaces (column widths).
 */
function normalize(line: string): string {
  return line
    .replace(/\d{8}T\d{6}Z/g, '<T>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<DATE>')
    .replace(/\b\d+(?:\.\d+)? m?s\b/g, '<DURATION>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<HASH>')
    .replace(/\s+/g, ' ')
    .trimEnd();
}

/**
 * The guide's edits of step 4, made on the pulled file: every `timestamp` column made
 * `timestamptz`; app_workflow_meta_files.workflow_folder nullable, with its foreign key to
 * app_workflow_meta(folder) ON DELETE SET NULL; the ivfflat index made hnsw.
 */
const BLOCK_EDITS: readonly { readonly from: string; readonly to: string }[] = [
  {
    from: [
      '      app_workflow_meta_files:',
      '        columns:',
      '          id: { type: serial }',
      '          workflow_folder: { type: varchar(255), nullable: false }',
    ].join('\n'),
    to: [
      '      app_workflow_meta_files:',
      '        columns:',
      '          id: { type: serial }',
      '          workflow_folder: { type: varchar(255) }',
    ].join('\n'),
  },
  {
    from: `            expression: "engine_type IN ('n8n', 'prefect', 'windmill')"\n`,
    to: [
      `            expression: "engine_type IN ('n8n', 'prefect', 'windmill')"`,
      '        foreign_keys:',
      '          - columns: [workflow_folder]',
      '            references: { table: app_workflow_meta, columns: [folder] }',
      '            on_delete: set null',
      '',
    ].join('\n'),
  },
  {
    from: [
      '            using: ivfflat',
      '            columns: [{ column: embedding, opclass: vector_cosine_ops }]',
      '            with: { lists: 100 }',
    ].join('\n'),
    to: [
      '            using: hnsw',
      '            columns: [{ column: embedding, opclass: vector_cosine_ops }]',
      '            with: { m: 16, ef_construction: 64 }',
    ].join('\n'),
  },
];

/** Counts and replaces every occurrence of `from` in `text`. */
function replaceAll(text: string, from: string, to: string): { text: string; count: number } {
  const parts = text.split(from);
  return { text: parts.join(to), count: parts.length - 1 };
}

/** The pulled file with the guide's edits; throws when an edit no longer applies. */
function fixSchema(pulled: string): string {
  const ts1 = replaceAll(pulled, '{ type: timestamp,', '{ type: timestamptz,');
  const ts2 = replaceAll(ts1.text, '{ type: timestamp }', '{ type: timestamptz }');
  // The nine `timestamp` columns of init.sql.
  expect(ts1.count + ts2.count).toBe(9);
  let text = ts2.text;
  for (const edit of BLOCK_EDITS) {
    const r = replaceAll(text, edit.from, edit.to);
    expect(r.count, `edit not found in the pulled file:\n${edit.from}`).toBe(1);
    text = r.text;
  }
  return text;
}

/** A PGlite database loaded from the fixture's init.sql, served on 127.0.0.1. */
async function fixtureDatabase(): Promise<{ db: PgliteDb; served: ServedPglite; stop: () => Promise<void> }> {
  const db = await openPglite();
  await db.exec(await readFile(fixtureSql, 'utf8'));
  const served = await servePglite(db);
  return {
    db,
    served,
    stop: async () => {
      await served.stop();
      await db.close();
    },
  };
}

describe('the README adoption guide, run as written', () => {
  let fixture: Awaited<ReturnType<typeof fixtureDatabase>>;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    fixture = await fixtureDatabase();
    ({ dir, cleanup } = await workFolder());
  }, 300_000);
  afterAll(async () => {
    await fixture?.stop();
    await cleanup?.();
  });

  it('takes the fixture database from pull to the fixed schema, with the hazards allowed explicitly', { timeout: 300_000 }, async () => {
    const section = guideSection(await readFile(join(root, 'README.md'), 'utf8'));
    const commands = guideCommands(section);
    expect(commands.map((c) => c.command.split(' ').slice(0, 2).join(' '))).toEqual([
      'pgreconcile pull',
      'pgreconcile plan',
      'echo $?',
      'pgreconcile baseline',
      'pgreconcile status',
      'echo $?',
      'pgreconcile plan',
      'echo $?',
      'pgreconcile apply',
      'echo $?',
      'pgreconcile approve',
      'pgreconcile apply',
      'pgreconcile plan',
      'echo $?',
      'pgreconcile history',
    ]);

    // The guide's diff shows the test's edits.
    const diff = fencedBlocks(section, 'diff').flat();
    for (const edit of BLOCK_EDITS) {
      const from = edit.from.split('\n').filter((l) => l !== '');
      const to = edit.to.split('\n').filter((l) => l !== '');
      for (const line of from.filter((l) => !to.includes(l))) expect(diff).toContain(`-${line}`);
      for (const line of to.filter((l) => !from.includes(l))) expect(diff).toContain(`+${line}`);
    }
    expect(diff).toContain('-          created_at: { type: timestamp, default: now() }');
    expect(diff).toContain('+          created_at: { type: timestamptz, default: now() }');

    const url = fixture.served.url;
    let last: CliRun | undefined;
    let planFile: string | undefined;
    let linesChecked = 0;
    for (const { command, output } of commands) {
      if (command === 'echo $?') {
        expect(last?.code, `exit code of the command before "$ echo $?"`).toBe(Number(output[0]));
        continue;
      }
      let args = command.split(' ').slice(1);
      args = args.map((a) => (a === GUIDE_URL ? url : PLAN_FILE.test(a) ? (planFile ?? a) : a));
      // Step 4: the edits, made after the baseline and before the plan into plans/.
      if (args[0] === 'plan' && args.includes('--out')) {
        const pulled = await readFile(join(dir, 'schema.yaml'), 'utf8');
        await writeFile(join(dir, 'schema.yaml'), fixSchema(pulled));
      }
      last = await runCli(args, dir);
      const printed = `${last.stderr}${last.stdout}`;
      // PGRECONCILE_GUIDE_DUMP=FILE: what each command really printed, to refresh the guide's output.
      if (process.env['PGRECONCILE_GUIDE_DUMP']) await appendFile(process.env['PGRECONCILE_GUIDE_DUMP'], `$ ${command}\n${printed}\n`);
      expect(printed, command).not.toMatch(/\n\s+at /);
      if (args[0] === 'plan' && args.includes('--out')) {
        planFile = /Plan written to (\S+)/.exec(printed)?.[1];
        expect(planFile).toMatch(/^plans\/\d{8}T\d{6}Z_[a-z0-9-]+\.plan\.yaml$/);
      }

      // The pasted output is what the command prints (lines elided with … and dated lines aside).
      const actual = new Set(printed.split('\n').map(normalize));
      for (const line of process.env['PGRECONCILE_GUIDE_DUMP'] ? [] : output) {
        if (line.includes('…') || /\d{4}-\d\d-\d\dT/.test(line) || line.trim() === '') continue;
        const expected = normalize(line.split(GUIDE_URL_REDACTED).join(url).split(GUIDE_URL).join(url));
        expect(actual.has(expected), `"${command}" no longer prints:\n${line}\n\nit printed:\n${printed}`).toBe(true);
        linesChecked++;
      }
    }

    expect(linesChecked).toBeGreaterThan(60);

    // One plan, one checksum: where the guide shows a version's checksum twice (applying it, and
    // in history), it is the same one, as the commands print it.
    const shown = new Map<string, Set<string>>();
    const note = (version: string, hash: string): void => void shown.set(version, (shown.get(version) ?? new Set()).add(hash.slice(0, 12)));
    for (const m of section.matchAll(/Applying plan (\S+) \(\d+ steps?, sha256:([0-9a-f]{12,})\)/g)) note(m[1]!, m[2]!);
    for (const m of section.matchAll(/^(\d{8}T\d{6}Z_[a-z0-9-]+) .* sha256:([0-9a-f]{12})…$/gm)) note(m[1]!, m[2]!);
    expect(shown.size).toBeGreaterThan(0);
    for (const [version, hashes] of shown) expect([...hashes], `checksums the guide shows for ${version}`).toHaveLength(1);

    // The ending: an empty re-plan (checked above through `echo $?`), two versions in history.
    const history = await runCli(['history', '--json', '--database-url', url], dir);
    expect(history.code).toBe(0);
    const versions = (
      JSON.parse(history.stdout) as {
        versions: { version: string; kind: string; status: string; steps_applied: number; steps_total: number }[];
      }
    ).versions;
    expect(versions.map((v) => [v.kind, v.status])).toEqual([
      ['apply', 'applied'],
      ['baseline', 'applied'],
    ]);
    expect(versions[0]?.steps_applied).toBe(versions[0]?.steps_total);
    expect(await pendingSteps(fixture.db, join(dir, 'schema.yaml'))).toEqual([]);

    // The database has what the guide promised.
    const { rows: timestamps } = await fixture.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'`,
    );
    expect(timestamps[0]?.n).toBe(0);
    const { rows: fk } = await fixture.db.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'app_workflow_meta_files_workflow_folder_fkey'`,
    );
    expect(fk[0]?.def).toBe('FOREIGN KEY (workflow_folder) REFERENCES app_workflow_meta(folder) ON DELETE SET NULL');
    const { rows: index } = await fixture.db.query<{ def: string }>(
      `SELECT pg_get_indexdef('public.context_chunks_embedding_cosine_idx'::regclass) AS def`,
    );
    expect(index[0]?.def).toMatch(/USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?16'?, ef_construction='?64'?\)$/);
  });
});

describe('the CLI forms scripts use, on the fixture database', () => {
  let fixture: Awaited<ReturnType<typeof fixtureDatabase>>;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    fixture = await fixtureDatabase();
    ({ dir, cleanup } = await workFolder());
  }, 300_000);
  afterEach(async () => {
    await fixture?.stop();
    await cleanup?.();
  });

  it(
    'pull --out FILE; plan --schema FILE --out PLANFILE exits 0 then 2; apply PLANFILE --approve --allow-hazards all',
    { timeout: 300_000 },
    async () => {
      const url = fixture.served.url;
      const pull = await runCli(['pull', '--database-url', url, '--out', 'pulled.yaml'], dir);
      expect(pull.stderr).toContain('Wrote pulled.yaml');
      expect(pull.code).toBe(0);

      const none = await runCli(['plan', '--database-url', url, '--schema', 'pulled.yaml', '--out', 'none.plan.yaml'], dir);
      expect(none.stderr).not.toMatch(/\n\s+at /);
      expect(none.code).toBe(0);

      await writeFile(join(dir, 'pulled.yaml'), fixSchema(await readFile(join(dir, 'pulled.yaml'), 'utf8')));
      const changes = await runCli(['plan', '--database-url', url, '--schema', 'pulled.yaml', '--out', 'fix.plan.yaml'], dir);
      expect(changes.stderr).toContain('Plan written to fix.plan.yaml');
      expect(changes.code).toBe(2);

      const apply = await runCli(['apply', 'fix.plan.yaml', '--database-url', url, '--approve', '--allow-hazards', 'all'], dir);
      expect(apply.stderr).not.toMatch(/\n\s+at /);
      expect(apply.stdout).toMatch(/Applied 13 steps in [^;]+; version \S+ recorded in the ledger\./);
      expect(apply.code).toBe(0);

      const after = await runCli(['plan', '--database-url', url, '--schema', 'pulled.yaml', '--out', 'after.plan.yaml'], dir);
      expect(after.stdout).toContain('No changes. The database matches the desired state.');
      expect(after.code).toBe(0);
    },
  );
});
