/**
 * @pgkit/migra (a TypeScript port of migra) as the benchmark's point of comparison: it diffs two
 * databases, so it is run on `live` → `target` as a user runs it, through its own CLI
 * (`migra FROM_URL TARGET_URL --unsafe`, which prints the SQL).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runChild, type ChildRun } from './measure.js';

/**
 * The path of migra's CLI script, or undefined when `@pgkit/migra` is not installed
 * (it is a devDependency of pgreconcile).
 *
 * @example migraCliPath() // '/…/node_modules/@pgkit/migra/dist/command.js'
 */
export function migraCliPath(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('@pgkit/migra/package.json')), 'dist', 'command.js');
  } catch {
    return undefined;
  }
}

/** One migra run: the child process and the number of SQL statements it printed. */
export interface MigraRun extends ChildRun {
  readonly statements: number;
}

/**
 * Runs migra's CLI once on two databases, timed wall clock from spawn to exit.
 *
 * @example
 * const run = await runMigra(cli, liveUrl, targetUrl, 600_000);
 * run.statements; // 30 at 1,000 tables
 */
export async function runMigra(cli: string, fromUrl: string, targetUrl: string, timeoutMs: number): Promise<MigraRun> {
  const run = await runChild(process.execPath, [cli, fromUrl, targetUrl, '--unsafe'], { timeoutMs });
  return { ...run, statements: countStatements(run.stdout) };
}

/**
 * Counts the statements in migra's output: text ending in `;` at the end of a line.
 *
 * @example countStatements('create table "t" (\n  "id" integer\n);\n\nalter table "t" add column "x" text;\n') // 2
 */
export function countStatements(sql: string): number {
  return sql.split('\n').filter((line) => line.trimEnd().endsWith(';')).length;
}
