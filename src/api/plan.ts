/**
 * The `plan` flow: the desired state (or its file, loaded while the catalog queries run) planned
 * against a database, optionally rehearsed, optionally written as a plan file for review.
 */
import type { Db } from '../db/db.js';
import { loadDesiredState } from '../desired/index.js';
import { fetchCatalog, isUnmanagedObject, unmanagedLabel, type CatalogSnapshot, type UnmanagedObject } from '../introspect/index.js';
import { objectFingerprints } from '../model/fingerprint.js';
import type { DesiredState } from '../model/types.js';
import { planDatabase, type DatabasePlan } from '../plan-database.js';
import type { PlanOptions } from '../plan/build-plan.js';
import { newPlanDocument, writePlanFile, type PlanDocument } from '../plan/plan-file.js';
import { initParser } from '../sql/parser.js';
import { rehearseFor, type RehearsalEvent, type RehearsalResult, type RehearseFlowOptions } from './rehearse.js';

/** Where the desired state comes from: a model already loaded, or a file. */
export type DesiredSource =
  | { readonly desired: DesiredState }
  | {
      /** The desired-state file (schema.yaml). */
      readonly schema: string;
      /** A folder for the parsed-file cache (default: none). */
      readonly cacheDir?: string;
    };

export type PlanFlowOptions = DesiredSource & {
  readonly db: Db;
  /** The project's cache folder: parsed files, and the normal forms PostgreSQL gave the judge (docs/judge.md). */
  readonly cacheDir?: string;
  /** A catalog fetch already started on `db` (`fetchCatalog(db)`), e.g. before the rest of the caller's code loaded. */
  readonly catalog?: Promise<CatalogSnapshot>;
  /** Rehearse the plan on a scratch copy of the database's schema. */
  readonly rehearse?: RehearseFlowOptions;
  /** Write the plan file here (a file, or a folder: `<UTC timestamp>_<slug>.plan.yaml` in it); not when a rehearsal failed. */
  readonly out?: string;
  /** The planner's options (lock timeouts of the steps, …). */
  readonly planOptions?: PlanOptions;
  /**
   * The coverage contract: fail (`coverage.failure`; no rehearsal, no plan file) when the
   * database holds objects of kinds the format does not manage that no `ignore` pattern covers.
   */
  readonly strict?: boolean;
  /** The plan file's creation time (default now). */
  readonly now?: Date;
  readonly onEvent?: (event: RehearsalEvent) => void;
};

/** What the plan leaves unmanaged, and whether `strict` fails on it. */
export interface PlanCoverage {
  /** The objects of kinds the format does not manage, not matched by `ignore` (kind, schema, name). */
  readonly unmanaged: readonly UnmanagedObject[];
  /** With `strict` and unmanaged objects: why the plan fails, naming them. */
  readonly failure?: string;
}

export interface PlanResult extends DatabasePlan {
  readonly desired: DesiredState;
  readonly coverage: PlanCoverage;
  /** The rehearsal, when one was asked for and the plan was not empty. */
  readonly rehearsed?: RehearsalResult;
  /** The plan document written with `out`. */
  readonly doc?: PlanDocument;
  /** Where `out` wrote it. */
  readonly planFile?: string;
}

/**
 * Loads the desired-state file while the catalog queries run on the server (the ignore patterns
 * it names are applied to the rows afterwards) and the parser's WebAssembly compiles.
 */
async function desiredAndCatalog(options: PlanFlowOptions): Promise<{ desired: DesiredState; catalog?: Promise<CatalogSnapshot> }> {
  if ('desired' in options) return { desired: options.desired, ...(options.catalog !== undefined ? { catalog: options.catalog } : {}) };
  const catalog = options.catalog ?? fetchCatalog(options.db);
  const parser = initParser();
  catalog.catch(() => undefined);
  parser.catch(() => undefined);
  try {
    return {
      desired: await loadDesiredState(options.schema, options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      catalog,
    };
  } catch (error) {
    // The queries must end before the caller closes the connection.
    await catalog.catch(() => undefined);
    throw error;
  }
}

/** The end of a `strict` failure's message. */
export const STRICT_ADVICE = 'Add an `ignore` pattern for each (or drop it) to plan with --strict.';

/**
 * The objects the plan leaves unmanaged (not the settings of managed ones, which only `pull`
 * warns about), and with `strict` the failure naming them.
 *
 * @example
 * coverageOf([{ kind: 'view', schema: 'public', name: 'v' }], true).failure
 * // 'the database holds 1 object of a kind the format does not manage, not matched by `ignore`: view public.v. …'
 */
export function coverageOf(unmanaged: readonly UnmanagedObject[], strict: boolean): PlanCoverage {
  const objects = unmanaged.filter(isUnmanagedObject);
  if (!strict || objects.length === 0) return { unmanaged: objects };
  const what = objects.length === 1 ? '1 object of a kind' : `${objects.length} objects of kinds`;
  return {
    unmanaged: objects,
    failure:
      `the database holds ${what} the format does not manage, not matched by \`ignore\`: ${objects.map(unmanagedLabel).join(', ')}. ` +
      STRICT_ADVICE,
  };
}

/**
 * Plans the way from the database to the desired state: what `pgreconcile plan` runs. Nothing is
 * executed. With `rehearse`, the plan first runs on a scratch copy of the schema; with `out`, the
 * plan file is written (with the rehearsal), unless the rehearsal failed. `coverage` counts what
 * the plan leaves unmanaged; with `strict` and any such object, `coverage.failure` says so, and
 * nothing is rehearsed or written.
 *
 * @example
 * import { openDatabase, plan, renderSummary } from 'pgreconcile';
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, cwd: process.cwd() });
 * try {
 *   const result = await plan({ db, schema: 'schema.yaml', out: 'plans/' });
 *   console.log(renderSummary(result.plan), result.planFile);
 * } finally {
 *   await db.close();
 * }
 */
export async function plan(options: PlanFlowOptions): Promise<PlanResult> {
  const { db } = options;
  const { desired, catalog } = await desiredAndCatalog(options);
  const planned = await planDatabase(db, desired, {
    ...options.planOptions,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(catalog !== undefined ? { catalog } : {}),
  });
  const coverage = coverageOf(planned.live.unmanaged, options.strict === true);
  if (coverage.failure !== undefined) return { ...planned, desired, coverage };
  const rehearsed =
    options.rehearse !== undefined
      ? await rehearseFor(db, planned.plan, desired, options.rehearse, options.onEvent, planned.live)
      : undefined;
  const result = { ...planned, desired, coverage, ...(rehearsed !== undefined ? { rehearsed } : {}) };
  if (options.out === undefined || rehearsed?.failure !== undefined) return result;
  const rehearsal = rehearsed?.rehearsal;
  const doc = newPlanDocument(planned.plan, db.description, options.now ?? new Date(), {
    objectFingerprints: objectFingerprints(planned.live.model),
    desired,
    ...(rehearsal !== undefined ? { rehearsal } : {}),
  });
  return { ...result, doc, planFile: await writePlanFile(doc, options.out) };
}
