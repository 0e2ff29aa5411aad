/**
 * Measuring tools for the benchmark: medians, an RSS sampler for this process, and timed
 * child processes with their peak RSS (through `/usr/bin/time` when it exists).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The median of some numbers (the mean of the middle two for an even count).
 *
 * @example median([5, 1, 3]) // 3
 * @example median([4, 1, 3, 2]) // 2.5
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs `fn` and returns its result with the elapsed wall-clock milliseconds.
 *
 * @example const { value, ms } = await timed(() => introspect(db));
 */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ readonly value: T; readonly ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Runs a full garbage collection when node was started with `--expose-gc`; a no-op otherwise. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

/**
 * Peak resident set size of this process, sampled every `intervalMs` and on demand
 * (`sample()` at phase boundaries catches what a timer cannot see during synchronous work).
 *
 * @example
 * const rss = new RssSampler(10);
 * await work(); rss.sample();
 * rss.stop(); rss.peakBytes;
 */
export class RssSampler {
  #peak = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 10) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
  }

  get peakBytes(): number {
    return this.#peak;
  }

  stop(): void {
    this.sample();
    clearInterval(this.#timer);
  }
}

/** A finished child process: exit code, wall-clock time, peak RSS when known, and its output. */
export interface ChildRun {
  /** Exit code; `null` when it was killed (see `timedOut`). */
  readonly code: number | null;
  readonly ms: number;
  /** Peak resident set size in bytes, from `/usr/bin/time` (undefined when that is not available). */
  readonly maxRssBytes?: number;
  /** User + system CPU ms, from `/usr/bin/time`: unlike wall clock, barely moved by other load on the machine. */
  readonly cpuMs?: number;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** Whether children's peak RSS can be measured (GNU time is installed). */
export function canMeasureChildRss(): boolean {
  return existsSync(GNU_TIME);
}

/**
 * Spawns `command args` and times it wall clock, from spawn to exit. When GNU time exists the
 * child runs under `/usr/bin/time` to learn its peak RSS and CPU time (the wrapper adds about
 * a millisecond). A child still running after `timeoutMs` is killed and reported `timedOut`.
 *
 * @example
 * const run = await runChild('node', ['bin/pgreconcile.js', 'plan', '--json'], { timeoutMs: 60_000 });
 * run.code; // 2 = changes planned
 */
export async function runChild(
  command: string,
  args: readonly string[],
  opts: { readonly timeoutMs: number; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv },
): Promise<ChildRun> {
  const scratch = canMeasureChildRss() ? await mkdtemp(join(tmpdir(), 'pgr-bench-time-')) : undefined;
  const rssFile = scratch === undefined ? undefined : join(scratch, 'maxrss');
  const [file, argv] = rssFile === undefined ? [command, [...args]] : [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]];
  try {
    const start = performance.now();
    const result = await new Promise<Omit<ChildRun, 'ms' | 'maxRssBytes' | 'cpuMs'>>((resolve, reject) => {
      const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        // Only the child this function started, by its pid.
        child.kill('SIGKILL');
      }, opts.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${command}: ${error.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({
          code: timedOut ? null : code,
          timedOut,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    });
    const ms = performance.now() - start;
    const usage = rssFile === undefined || result.timedOut ? undefined : await readUsage(rssFile);
    return { ...result, ms, ...usage };
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

/** GNU time's `%M %U %S` (kilobytes, seconds, seconds) as bytes and ms; undefined when unreadable. */
async function readUsage(file: string): Promise<{ maxRssBytes: number; cpuMs: number } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  // With a non-zero exit, GNU time writes "Command exited with non-zero status N" first.
  const last = text.trim().split('\n').pop() ?? '';
  const [kb, user, sys] = last.trim().split(/\s+/).map(Number);
  if (kb === undefined || user === undefined || sys === undefined || ![kb, user, sys].every(Number.isFinite)) return undefined;
  return { maxRssBytes: kb * 1024, cpuMs: (user + sys) * 1000 };
}
