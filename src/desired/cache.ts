/**
 * A cache of loaded desired states, keyed by the file's bytes and the build of pgreconcile
 * that validated them. Loading is a pure function of those two, so a hit is exactly what a
 * fresh load would give; it only saves the work (YAML, JSON Schema, PostgreSQL's parser on
 * every fragment), which dominates `plan` on a large schema. Entries live in
 * `.pgreconcile/cache/` of the working directory; a missing, unreadable or foreign entry is
 * simply a miss. Used by the CLI; without a build id (the TypeScript sources) it is off.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesiredState } from '../model/types.js';

const MAX_ENTRIES = 16;

let buildId: string | null | undefined;

/** The build id written by scripts/build-validator.mjs, or null when there is none. */
function currentBuildId(): string | null {
  if (buildId === undefined) {
    try {
      buildId = readFileSync(new URL('../build-id.txt', import.meta.url), 'utf8').trim() || null;
    } catch {
      buildId = null;
    }
  }
  return buildId;
}

export function cacheKey(bytes: Uint8Array): string | undefined {
  const id = currentBuildId();
  if (id === null) return undefined;
  return createHash('sha256').update(id).update('\0').update(bytes).digest('hex');
}

export async function readCached(dir: string, key: string, path: string): Promise<DesiredState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(dir, `desired-${key}.json`), 'utf8')) as DesiredState;
    if (state.source === undefined) return undefined;
    // A data change read from a file beside schema.yaml: that file may have changed, the key does not see it.
    if (state.dataChanges?.some((d) => d.file !== undefined) === true) return undefined;
    return { ...state, source: { ...state.source, path } };
  } catch {
    return undefined;
  }
}

export async function writeCached(dir: string, key: string, state: DesiredState): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const target = join(dir, `desired-${key}.json`);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, target);
    const entries = (await readdir(dir)).filter((f) => /^desired-[0-9a-f]{64}\.json$/.test(f));
    if (entries.length > MAX_ENTRIES) {
      const dated = await Promise.all(entries.map(async (f) => ({ f, t: (await stat(join(dir, f))).mtimeMs })));
      dated.sort((a, b) => a.t - b.t);
      for (const { f } of dated.slice(0, dated.length - MAX_ENTRIES)) await rm(join(dir, f), { force: true });
    }
  } catch {
    // A cache that cannot be written is no error: the next load validates again.
  }
}
