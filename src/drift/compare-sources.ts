/**
 * `diff`: the plan that would make one side (a database or a desired-state file) match another.
 * A database used as the side to match is read through its model, as if it were a file.
 */
import type { Db } from '../db/db.js';
import { openDatabase } from '../db/open.js';
import { isUrlForm } from '../db/redact.js';
import { loadDesiredState } from '../desired/index.js';
import { diffSchemas } from '../diff/index.js';
import type { Change } from '../diff/changes.js';
import { introspect, type LiveSchema } from '../introspect/index.js';
import { withoutDefaultOpclasses } from '../model/normalize.js';
import type { DesiredState } from '../model/types.js';
import { countRemovedEnumValues, gatherDataFacts } from '../plan-database.js';
import { buildPlan, type Plan } from '../plan/build-plan.js';
import { initParser } from '../sql/parser.js';

/** One side of a comparison: a database (URL or pglite:DIR) or a schema file. */
export type Source =
  | { readonly kind: 'database'; readonly url: string; readonly db: Db; readonly live: LiveSchema }
  | { readonly kind: 'file'; readonly path: string; readonly desired: DesiredState };

/** Whether the argument names a database rather than a file. */
export function isDatabaseArgument(value: string): boolean {
  return isUrlForm(value) || /^pglite:/i.test(value);
}

/**
 * Opens (and introspects) a database, or loads a file. Close a database source with `closeSource`.
 *
 * @example const from = await openSource('postgres://app@staging/app', process.cwd());
 */
export async function openSource(value: string, cwd: string): Promise<Source> {
  if (!isDatabaseArgument(value)) return { kind: 'file', path: value, desired: await loadDesiredState(value) };
  const db = await openDatabase({ databaseUrl: value, cwd });
  try {
    return { kind: 'database', url: db.description, db, live: await introspect(db) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

export async function closeSource(source: Source): Promise<void> {
  if (source.kind === 'database') await source.db.close();
}

/**
 * The changes and plan that would make `from` match `to`.
 *
 * @example
 * const { plan } = await compareSources(await openSource(stagingUrl, cwd), await openSource(prodUrl, cwd));
 */
export async function compareSources(from: Source, to: Source): Promise<{ readonly plan: Plan; readonly changes: readonly Change[] }> {
  await initParser();
  const opclasses =
    from.kind === 'database' ? from.live.defaultOpclasses : to.kind === 'database' ? to.live.defaultOpclasses : new Map<string, string>();
  const target: DesiredState =
    to.kind === 'database'
      ? { model: to.live.model, ignore: [], external: [] }
      : { ...to.desired, model: withoutDefaultOpclasses(to.desired.model, opclasses) };
  const current = from.kind === 'database' ? from.live.model : withoutDefaultOpclasses(from.desired.model, opclasses);
  const changes = diffSchemas(target, current);
  const removedEnumValueRows =
    from.kind === 'database' ? await countRemovedEnumValues(from.db, changes, from.live) : new Map<string, number>();
  const dataFacts = from.kind === 'database' ? await gatherDataFacts(from.db, changes, from.live, target) : undefined;
  const plan = buildPlan(
    target,
    {
      model: current,
      stats: from.kind === 'database' ? from.live.stats : new Map(),
      serverVersion: from.kind === 'database' ? from.live.serverVersion : to.kind === 'database' ? to.live.serverVersion : 150000,
      removedEnumValueRows,
      ...(from.kind === 'database' && from.live.lockSettings !== undefined ? { lockSettings: from.live.lockSettings } : {}),
      ...(dataFacts !== undefined ? { dataFacts } : {}),
    },
    changes,
  );
  return { plan, changes };
}
