/**
 * The judge's cache, beside the desired-state cache (src/desired/cache.ts) in
 * `.pgreconcile/cache/`: normal forms are a pure function of the server's version, the
 * temporary table's SQL (the desired columns and expressions) and the catalog objects that SQL
 * names, so a hit is exactly what asking the server again would give.
 *
 * - `judge-shapes.json`: shape key → normal forms of one temporary table (the most recent
 *   `MAX_SHAPES` kept);
 * - `judge-run-<key>.json`: for one whole-run key (server version, catalog digest, desired-state
 *   hash), the shape key of every table judged: a re-plan with nothing changed reads this file
 *   and the shapes, and asks the server nothing but the catalog digest.
 *
 * A missing, unreadable or foreign entry is a miss; a cache that cannot be written is no error.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TableForms } from './slots.js';

const MAX_SHAPES = 20_000;
const MAX_RUNS = 16;

export interface RunEntry {
  /** `schema\0table` → the shape keys of the table with its own and with the live expressions, space-separated. */
  readonly tables: Readonly<Record<string, string>>;
  /** The live schema's fingerprint (`liveFingerprint`) the run was judged against. */
  readonly live?: string;
  /** The run's warnings (the declared expressions the server rejects), for a run that is read back whole. */
  readonly warnings?: readonly string[];
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, file);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value));
  await rename(temporary, target);
}

export async function readRun(dir: string, key: string): Promise<RunEntry | undefined> {
  const value = (await readJson(join(dir, `judge-run-${key}.json`))) as RunEntry | undefined;
  return value !== undefined && typeof value === 'object' && value !== null && typeof value.tables === 'object' ? value : undefined;
}

export async function readShapes(dir: string): Promise<Map<string, TableForms>> {
  const value = (await readJson(join(dir, 'judge-shapes.json'))) as { shapes?: Record<string, TableForms> } | undefined;
  const shapes = value?.shapes;
  return shapes !== undefined && typeof shapes === 'object' && shapes !== null ? new Map(Object.entries(shapes)) : new Map();
}

/** Writes the shapes (the newest `MAX_SHAPES`) and the run entry. */
export async function writeCache(dir: string, runKey: string, run: RunEntry, shapes: ReadonlyMap<string, TableForms>): Promise<void> {
  try {
    const entries = [...shapes];
    const kept = entries.length > MAX_SHAPES ? entries.slice(entries.length - MAX_SHAPES) : entries;
    await writeJson(dir, 'judge-shapes.json', { shapes: Object.fromEntries(kept) });
    await writeJson(dir, `judge-run-${runKey}.json`, run);
    const runs = (await readdir(dir)).filter((f) => /^judge-run-[0-9a-f]{64}\.json$/.test(f));
    if (runs.length > MAX_RUNS) {
      const dated = await Promise.all(runs.map(async (f) => ({ f, t: (await stat(join(dir, f))).mtimeMs })));
      dated.sort((a, b) => a.t - b.t);
      for (const { f } of dated.slice(0, dated.length - MAX_RUNS)) await rm(join(dir, f), { force: true });
    }
  } catch {
    // The next plan asks the server again.
  }
}
