/**
 * Planning against a database: introspect, bring the desired state into the catalog's
 * canonical form, diff, build the plan. The CLI and the library both call this.
 */
import type { Db } from './db/db.js';
import { diffSchemas } from './diff/index.js';
import type { Change } from './diff/changes.js';
import { fetchCatalog, introspect, liveFromCatalog, type CatalogSnapshot, type LiveSchema } from './introspect/index.js';
import { loadDesiredState } from './desired/index.js';
import { withoutDefaultOpclasses } from './model/normalize.js';
import type { DesiredState } from './model/types.js';
import { buildPlan, type Plan, type PlanOptions } from './plan/build-plan.js';
import type { ColumnStats, DataFacts, UnmanagedConstraint } from './plan/plan-context.js';
import { initParser } from './sql/parser.js';
import { quoteIdent, quoteLiteral, qualify } from './model/ident.js';

export interface DatabasePlan {
  readonly plan: Plan;
  readonly live: LiveSchema;
  readonly changes: readonly Change[];
  /** What the plan leaves alone because the format cannot declare it (exclusion constraints of managed tables), one sentence each. */
  readonly warnings: readonly string[];
}

/**
 * The desired state in the live catalog's canonical form: what only the catalog knows (which
 * operator class is a type's default) applied to the file's model.
 */
export function canonicalDesired(desired: DesiredState, live: LiveSchema): DesiredState {
  const model = withoutDefaultOpclasses(desired.model, live.defaultOpclasses);
  return model === desired.model ? desired : { ...desired, model };
}

/**
 * Introspects the database and plans the way to the desired state.
 *
 * @example
 * const { plan } = await planDatabase(db, await loadDesiredState('schema.yaml'));
 * if (plan.steps.length === 0) console.log('in sync');
 */
export async function planDatabase(db: Db, desired: DesiredState, options: PlanOptions = {}): Promise<DatabasePlan> {
  // The parser's WebAssembly compiles in the background while the catalog queries run.
  const parser = initParser();
  parser.catch(() => undefined);
  const live = await introspect(db, { ignore: desired.ignore });
  await parser;
  return planFromLive(db, desired, live, options);
}

/**
 * The plan from a live schema already read: canonical desired state, diff, the rows holding
 * enum values the diff removes (counted on `db`), the plan.
 *
 * @example
 * const { plan } = await planFromLive(db, desired, await introspect(db));
 */
export async function planFromLive(db: Db, desired: DesiredState, live: LiveSchema, options: PlanOptions = {}): Promise<DatabasePlan> {
  await initParser();
  const target = canonicalDesired(desired, live);
  const changes = diffSchemas(target, live.model);
  const removedEnumValueRows = await countRemovedEnumValues(db, changes, live);
  const dataFacts = await gatherDataFacts(db, changes, live, target);
  const plan = buildPlan(
    target,
    {
      model: live.model,
      stats: live.stats,
      serverVersion: live.serverVersion,
      removedEnumValueRows,
      dataFacts,
      ...(live.lockSettings !== undefined ? { lockSettings: live.lockSettings } : {}),
    },
    changes,
    options,
  );
  return { plan, live, changes, warnings: unmanagedWarnings(dataFacts.unmanagedConstraints ?? []) };
}

/** One warning per constraint the format cannot declare: the plan neither drops nor creates it. */
function unmanagedWarnings(constraints: readonly UnmanagedConstraint[]): string[] {
  return constraints.map(
    (u) => `${u.kind} ${u.schema}.${u.table}.${u.name} (${u.definition}) is not managed: exclusion constraints are not part of the format; the plan leaves it as it is (a build from the file lacks it)`,
  );
}

/**
 * Exclusion constraints (pg_constraint.contype `x`) of the managed live tables: the format
 * cannot declare them (pull names them in a warning), so the plan warns and never drops them.
 * Constraint triggers (`t`) are read with the triggers; `p`, `u`, `c` and `f` are managed.
 */
async function unmanagedConstraints(db: Db, live: LiveSchema): Promise<UnmanagedConstraint[]> {
  if (live.model.tables.length === 0) return [];
  const { rows } = await db.query<{ schema: string; table: string; name: string; definition: string; columns: string[] | null }>(
    `SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS definition,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = con.conrelid AND a.attnum > 0
                AND (a.attnum = ANY (con.conkey) OR EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_constraint'::regclass AND d.objid = con.oid
                        AND d.refobjid = con.conrelid AND d.refobjsubid = a.attnum))) AS columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'x' AND n.nspname <> 'pgreconcile'
      ORDER BY 1, 2, 3`,
  );
  const managed = new Set(live.model.tables.map((t) => `${t.schema}.${t.name}`));
  return rows
    .filter((r) => managed.has(`${r.schema}.${r.table}`))
    .map((r) => ({ schema: r.schema, table: r.table, name: r.name, kind: 'exclusion constraint', definition: r.definition, columns: r.columns ?? [] }));
}

/**
 * What the data says about the steps that fail on existing rows, read only for the tables and
 * columns the changes touch that way: whether a table that gets a NOT NULL column without a
 * default holds a row (one `EXISTS` each, stopping at the first row), and the statistics
 * (pg_stats, as of the last ANALYZE; never a scan) of the columns that become NOT NULL, a
 * primary key, or a one-column unique key.
 *
 * @example
 * const facts = await gatherDataFacts(db, changes, live, desired);
 * facts.tablesWithRows.has('public.users') // true
 */
export async function gatherDataFacts(db: Db, changes: readonly Change[], live: LiveSchema, desired: DesiredState): Promise<DataFacts> {
  const liveName = (table: { schema: string; name: string }): string | undefined => {
    const same = live.model.tables.find((t) => t.schema === table.schema && t.name === table.name);
    if (same) return `${same.schema}.${same.name}`;
    const renamed = desired.model.tables.find((t) => t.schema === table.schema && t.name === table.name)?.renamedFrom;
    return renamed !== undefined && live.model.tables.some((t) => t.schema === table.schema && t.name === renamed) ? `${table.schema}.${renamed}` : undefined;
  };
  const probeRows = new Set<string>();
  const columns: { schema: string; table: string; column: string }[] = [];
  const ask = (table: { schema: string; name: string }, column: string): void => {
    const name = liveName(table);
    if (name === undefined) return;
    const [schema, ...rest] = name.split('.');
    columns.push({ schema: schema!, table: rest.join('.'), column });
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'add_column': {
        const col = c.column;
        const fills = col.default !== undefined || col.identity !== undefined || col.generated !== undefined;
        const name = liveName(c.table);
        if (!col.nullable && !fills && name !== undefined) probeRows.add(name);
        break;
      }
      case 'alter_column':
        if (c.attributes.includes('nullable') && !c.to.nullable) ask(c.table, c.from.name);
        break;
      case 'add_primary_key':
        for (const column of c.primaryKey.columns) ask(c.table, column);
        break;
      case 'add_unique':
        if (c.unique.columns.length === 1) ask(c.table, c.unique.columns[0]!);
        break;
      case 'create_index':
      case 'replace_index': {
        const index = c.kind === 'create_index' ? c.index : c.to;
        if (c.kind === 'create_index' && c.tableIsNew) break;
        if (index.unique && index.where === undefined && index.keys.length === 1 && index.keys[0]!.column !== undefined) ask(c.table, index.keys[0]!.column);
        break;
      }
      default:
        break;
    }
  }
  const tablesWithRows = new Set<string>();
  for (const name of probeRows) {
    const table = live.model.tables.find((t) => `${t.schema}.${t.name}` === name)!;
    const { rows } = await db.query<{ has: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${qualify(table)}) AS has`);
    if (rows[0]?.has === true) tablesWithRows.add(name);
  }
  const stats = new Map<string, ColumnStats>();
  if (columns.length > 0) {
    const { rows } = await db.query<{ schema: string; table: string; column: string; null_frac: number; top: number | null }>(
      `SELECT DISTINCT ON (s.schemaname, s.tablename, s.attname)
              s.schemaname::text AS schema, s.tablename::text AS table, s.attname::text AS column,
              s.null_frac::float8 AS null_frac, (s.most_common_freqs)[1]::float8 AS top
         FROM pg_stats s
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS w(schema, tbl, col)
           ON s.schemaname = w.schema AND s.tablename = w.tbl AND s.attname = w.col
        ORDER BY s.schemaname, s.tablename, s.attname, s.inherited`,
      [columns.map((c) => c.schema), columns.map((c) => c.table), columns.map((c) => c.column)],
    );
    for (const r of rows) {
      stats.set(`${r.schema}.${r.table}.${r.column}`, { nullFraction: Number(r.null_frac), ...(r.top !== null ? { topValueFraction: Number(r.top) } : {}) });
    }
  }
  return { tablesWithRows, columns: stats, unmanagedConstraints: await unmanagedConstraints(db, live) };
}

/**
 * How many rows hold enum values that the changes remove, per live column (`schema.table.column`).
 * One count per affected column, and only when a plan removes enum values.
 */
export async function countRemovedEnumValues(db: Db, changes: readonly Change[], live: LiveSchema): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const change of changes) {
    if (change.kind !== 'replace_enum' || change.removedValues.length === 0) continue;
    const values = change.removedValues.map(quoteLiteral).join(', ');
    for (const { table, column } of change.columns) {
      const liveTable = live.model.tables.find((t) => t.schema === table.schema && t.name === table.name);
      if (!liveTable?.columns.some((c) => c.name === column.name)) continue;
      const c = quoteIdent(column.name);
      const where = column.type.endsWith('[]') ? `${c}::text[] && ARRAY[${values}]::text[]` : `${c}::text IN (${values})`;
      const { rows } = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${qualify(table)} WHERE ${where}`);
      counts.set(`${table.schema}.${table.name}.${column.name}`, Number(rows[0]?.n ?? 0));
    }
  }
  return counts;
}

/**
 * Loads the desired-state file, introspects the database and plans: what `pgreconcile plan` runs.
 * The catalog queries start first and run on the server while the file is read and checked
 * (the ignore patterns it names are applied to the rows afterwards), and the parser's
 * WebAssembly compiles meanwhile too. `catalog`: a fetch the caller started already
 * (`fetchCatalog(db)`), e.g. before loading the rest of its code.
 *
 * @example
 * const { plan, desired } = await planFile(db, 'schema.yaml');
 */
export async function planFile(
  db: Db,
  schemaPath: string,
  options: PlanOptions & { readonly cacheDir?: string; readonly catalog?: Promise<CatalogSnapshot> } = {},
): Promise<DatabasePlan & { readonly desired: DesiredState }> {
  const catalog = options.catalog ?? fetchCatalog(db);
  const parser = initParser();
  catalog.catch(() => undefined);
  parser.catch(() => undefined);
  let desired: DesiredState;
  try {
    desired = await loadDesiredState(schemaPath, options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {});
  } catch (error) {
    // The queries must end before the caller closes the connection.
    await catalog.catch(() => undefined);
    throw error;
  }
  const live = liveFromCatalog(await catalog, desired.ignore);
  await parser;
  return { ...(await planFromLive(db, desired, live, options)), desired };
}
