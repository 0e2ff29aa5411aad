/**
 * Issue 12, item 4 (and the read-only folder of item 9): backups on a file system that cannot
 * take them. Small file systems of their own are mounted for this (a 1 MB tmpfs, and a read-only
 * one), so the shared disk is never filled; mounting needs root, and without it these tests are
 * skipped (and say so).
 *
 * - The free space is checked against the estimate before anything runs: refused, nothing run.
 * - A disk that fills up while the COPY runs (filled by the test right before the step) ends the
 *   step with an error naming the file: rolled back, its locks released, the row failed, the
 *   half-written file removed; after space is freed, apply --resume finishes.
 * - A read-only folder is refused before anything runs, as read-only (not "no such file").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlanDocument, type ApplyOutcome } from '../src/apply/apply-plan.js';
import { resumeApply } from '../src/apply/resume.js';
import { loadDesiredStateFromText } from '../src/desired/index.js';
import { listVersions } from '../src/ledger/ledger-store.js';
import { objectFingerprints } from '../src/model/fingerprint.js';
import { planDatabase } from '../src/plan-database.js';
import { newPlanDocument } from '../src/plan/plan-file.js';
import { startCli, useWorkFolder, writeSchema } from './support/apply-cli.js';
import { useTestDatabase } from './support/harness.js';

const database = useTestDatabase();
const work = useWorkFolder();

/** Mounts a tmpfs (as root); undefined when that is not possible here. */
function mountTmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pgr-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Mounted when the file loads, so that the suite knows whether to skip (and unmounted after it).
const small = mountTmpfs('size=1m');
const readOnly = mountTmpfs('size=1m,ro');
/** Room for the estimate of a table larger than the socket buffers between server and client. */
const medium = mountTmpfs('size=64m');
afterAll(() => {
  unmount(small);
  unmount(readOnly);
  unmount(medium);
});
const mountable = (): boolean => small !== undefined && readOnly !== undefined && medium !== undefined;

/** Rows of random hex (`width` × 32 characters): neither TOAST nor gzip shrinks them much. */
const FILL = (rows: number, width = 16): string => `
  CREATE TABLE doomed (id int PRIMARY KEY, payload text);
  ALTER TABLE doomed ALTER COLUMN payload SET STORAGE EXTERNAL;
  INSERT INTO doomed SELECT g, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, ${width}) i) FROM generate_series(1, ${rows}) g;
  ANALYZE doomed;
  CREATE TABLE kept (id int PRIMARY KEY);`;
const KEPT = 'kept:\n  columns:\n    id: { type: integer }\n  primary_key: [id]\n';
const KEPT_DOC = `version: 1\nschemas:\n  public:\n    tables:\n      kept:\n        columns:\n          id: { type: integer }\n        primary_key: [id]\n`;

/** Runs `pgreconcile args`, killing it if it has not ended after `ms` (a hang is a failure, not a stuck run). */
async function runWithin(
  args: readonly string[],
  cwd: string,
  ms: number,
): Promise<{ code: number; stdout: string; stderr: string; hung: boolean }> {
  const child = startCli(args, cwd);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.child.kill('SIGKILL');
  }, ms);
  const done = await child.done;
  clearTimeout(timer);
  return { ...done, hung };
}

async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return Number(fs.bavail) * Number(fs.bsize);
}

describe.skipIf(!mountable())('backups on a small or read-only file system', () => {
  it('checks the free space against the estimate before anything runs, and refuses', async () => {
    const { url, db } = database();
    await db.exec(FILL(3000));
    const estimate = Number((await db.query<{ n: string }>("SELECT pg_table_size('doomed')::text AS n")).rows[0]!.n);
    expect(estimate).toBeGreaterThan(await freeBytes(small!));
    await writeSchema(work.dir, KEPT);
    const run = await runWithin(
      ['apply', '--approve', '--allow-hazards', 'all', '--backup-dir', small!, '--database-url', url],
      work.dir,
      60_000,
    );
    expect(run.hung, 'apply did not end').toBe(false);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('is free where they go');
    expect(run.stderr).toContain('table public.doomed');
    expect(run.stderr).toContain('nothing was run');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM doomed')).rows[0]!.n).toBe(3000);
    expect(await readdir(small!)).toEqual([]);
  });

  it('a disk that fills up during the COPY fails the step: rolled back, locks released, the row failed, the file named; a resume then finishes', async () => {
    const { url, db } = database();
    // About 25 MB: far more than the socket buffers hold, so the server is still sending when the
    // file stops taking data (a reader that gives up without cancelling the COPY leaves it blocked).
    await db.exec(FILL(24_000, 32));
    const estimate = Number((await db.query<{ n: string }>("SELECT pg_table_size('doomed')::text AS n")).rows[0]!.n);
    expect(estimate).toBeGreaterThan(16 * 1024 * 1024);
    expect(estimate).toBeLessThan(await freeBytes(medium!));
    const desired = await loadDesiredStateFromText(KEPT_DOC, 'schema.yaml');
    const { plan, live } = await planDatabase(db, desired);
    const doc = newPlanDocument(plan, db.description, new Date(), { objectFingerprints: objectFingerprints(live.model), desired });
    const drop = plan.steps.find((s) => s.deletes?.kind === 'table')!;
    expect(drop).toBeDefined();
    const filler = join(medium!, 'filler');

    let outcome: ApplyOutcome | 'hung' = 'hung';
    const run = applyPlanDocument(db, doc, {
      desired,
      allowHazards: 'all',
      backup: { dir: medium!, cwd: work.dir },
      onEvent: (event) => {
        // Right before the step's backup starts (after the free-space check passed): the disk fills up.
        if (event.kind === 'step_start' && event.step.n === drop.n) {
          try {
            writeFileSync(filler, Buffer.alloc(66 * 1024 * 1024));
          } catch {
            // ENOSPC: full, as wanted
          }
        }
      },
    }).then((o) => (outcome = o));
    await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 60_000))]);
    expect(outcome, 'apply hung on the full disk').not.toBe('hung');
    const failed = outcome as unknown as ApplyOutcome;
    expect(failed.kind).toBe('failed');
    if (failed.kind !== 'failed') return;
    expect(failed.step.n).toBe(drop.n);
    expect(failed.error).toContain(medium!);
    expect(failed.error).toContain('no space left on the device');

    // Rolled back, and the SHARE lock the backup took is gone: a write goes through at once.
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM doomed')).rows[0]!.n).toBe(24_000);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query("SET lock_timeout = '2s'");
      await writer.query('INSERT INTO doomed VALUES (100000, $1)', ['written after the failure']);
    } finally {
      await writer.end();
    }
    const [row] = await listVersions(db);
    expect(row).toMatchObject({ version: doc.id, status: 'failed', failedStep: drop.n });
    expect(row!.error).toContain('no space left on the device');
    // The half-written file is gone (it held the space others need).
    const version = await readdir(join(medium!, doc.id)).catch(() => [] as string[]);
    expect(version.filter((f) => f.endsWith('.copy.gz'))).toEqual([]);

    await rm(filler, { force: true });
    const resumed = await resumeApply(db, { doc, allowHazards: 'all', backup: { dir: medium!, cwd: work.dir } });
    expect(resumed.kind, JSON.stringify(resumed)).toBe('applied');
    if (resumed.kind !== 'applied') return;
    expect(resumed.remaining.steps).toEqual([]);
    expect(resumed.backups).toMatchObject({ kind: 'taken' });
    expect((await planDatabase(db, desired)).plan.steps).toEqual([]);
  });

  it('refuses a read-only backup folder before anything runs, saying it is read-only', async () => {
    const { url, db } = database();
    await db.exec(FILL(10));
    await writeSchema(work.dir, KEPT);
    const run = await runWithin(
      ['apply', '--approve', '--allow-hazards', 'all', '--backup-dir', join(readOnly!, 'backups'), '--database-url', url],
      work.dir,
      60_000,
    );
    expect(run.hung).toBe(false);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('read-only');
    expect(run.stderr).not.toContain('ENOENT');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM doomed')).rows[0]!.n).toBe(10);
  });
});

if (!mountable()) console.warn('test/backup-disk.test.ts: skipped, a tmpfs could not be mounted here (mount -t tmpfs needs root)');
