/**
 * Planning against a database: introspect, bring the desired state into the catalog's
 * canonical form, diff, build the plan. `planDatabase` is the one planning entry point: the CLI,
 * the application layer (src/api) and apply's own re-plans all call it.
 */
import type { Db } from './db/db.js';
import { diffSchemas } from './diff/index.js';
import type { Change } from './diff/changes.js';
import { introspect, liveFromCatalog, type CatalogSnapshot, type LiveSchema } from './introspect/index.js';
import { readLiveSchema, type LiveReadOptions } from './apply/live-schema.js';
import { withoutDefaultOpclasses } from './model/normalize.js';
import type { DesiredState, Table } from './model/types.js';
import { columnKey, functionKey, nameKey, refKey } from './model/object-ref.js';
import { buildPlan, type Plan, type PlanOptions } from './plan/build-plan.js';
import { castKey, type CastLevel, type ColumnStats, type DataFacts, type UnmanagedConstraint } from './plan/plan-context.js';
import { initParser } from './sql/parser.js';
import { displayIdent, quoteIdent, quoteLiteral, qualify } from './model/ident.js';
import { functionSignatureSql } from './plan/sql-text.js';
import { judgeDesired } from './judge/index.js';
import { missingPolicyRoles } from './kinds/policy/roles.js';
import { missingRoles } from './kinds/role/exists.js';
import { readLiveRoles } from './kinds/role/introspect.js';
import { DesiredStateError, formatPath, positionInFile } from './desired/index.js';
import type { Diagnostic } from './desired/index.js';
import { DataChangeEditedError, listDataChanges, pendingDataChanges } from './data-changes/ledger.js';
import type { DataChange } from './data-changes/model.js';

export interface DatabasePlan {
  readonly plan: Plan;
  readonly live: LiveSchema;
  readonly changes: readonly Change[];
  /**
   * Warnings, one sentence each: what the judge (src/judge) could not judge or the server rejects,
   * and what the plan leaves alone because the format cannot declare it (exclusion constraints).
   */
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

/** How `planDatabase` reads the live schema, and the planner's options. */
export interface PlanDatabaseOptions extends PlanOptions {
  /** A live schema already read from `db`: planned against as it is, nothing is introspected. */
  readonly live?: LiveSchema;
  /**
   * A catalog fetch already started on `db` (`fetchCatalog(db)`), e.g. before the desired-state
   * file was loaded: its rows are filtered by the desired state's ignore patterns.
   */
  readonly catalog?: Promise<CatalogSnapshot>;
  /**
   * Read the catalog on the one connection under a lock_timeout, retried with backoff, failing
   * with a `CatalogLockedError` that names the sessions holding ACCESS EXCLUSIVE locks (see
   * `readLiveSchema`): what apply, rollback, resume, status and rehearsal do, since a catalog read
   * can wait on a table lock without end while the deployment lock is held. Without it, the
   * catalog queries run in parallel with no lock_timeout (what `plan` does).
   */
  readonly liveRead?: LiveReadOptions;
  /** The project's cache folder: the judge keeps the server's normal forms there (src/judge). */
  readonly cacheDir?: string;
  /** Whether PostgreSQL judges expression equivalence (docs/judge.md); default true. */
  readonly judge?: boolean;
  /**
   * Whether the desired state's data changes that the ledger does not record are planned
   * (default true). False where no ledger tells (the re-plan of a rehearsal's scratch copy, on
   * which the plan's data changes ran unrecorded).
   */
  readonly dataChanges?: boolean;
}

/**
 * Plans the way from the database to the desired state: reads the live schema (unless
 * `options.live` or `options.catalog` already has it), brings the desired state into the
 * catalog's canonical form, diffs, reads the data facts the hazards need (rows holding removed
 * enum values, whether a table has rows, column statistics) and builds the plan. The one planning
 * entry point: the CLI, the application layer (src/api) and apply's verifying re-plan all call it.
 *
 * @example
 * const { plan } = await planDatabase(db, await loadDesiredState('schema.yaml'));
 * if (plan.steps.length === 0) console.log('in sync');
 * const underLock = await planDatabase(db, desired, { liveRead: { lockTimeoutMs: 2000, retries: 5 } });
 */
export async function planDatabase(db: Db, desired: DesiredState, options: PlanDatabaseOptions = {}): Promise<DatabasePlan> {
  const { live: given, catalog, liveRead, cacheDir, judge, dataChanges, ...planOptions } = options;
  await checkExternalTypes(db, desired);
  await checkRoles(db, desired);
  await checkPolicyRoles(db, desired);
  const pendingData = dataChanges === false ? [] : await pendingOf(db, desired);
  // The parser's WebAssembly compiles in the background while the catalog queries run.
  const parser = initParser();
  parser.catch(() => undefined);
  const live =
    given ??
    (catalog !== undefined
      ? liveFromCatalog(await catalog, desired.ignore)
      : liveRead !== undefined
        ? await readLiveSchema(db, desired.ignore, liveRead)
        : await introspect(db, { ignore: desired.ignore }));
  await parser;
  const target = canonicalDesired(desired, live);
  const judged = judge === false ? undefined : await judgeDesired(db, target, live, cacheDir !== undefined ? { cacheDir } : {});
  // Roles a file manages are read for the diff only: the live schema (and its fingerprint) holds none.
  const managedRoles = target.model.roles.filter((r) => r.managed === true);
  const diffLive = managedRoles.length > 0 ? { ...live.model, roles: await readLiveRoles(db, managedRoles) } : live.model;
  const changes = diffSchemas(target, diffLive, judged?.judge);
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
      ...(pendingData.length > 0 ? { pendingDataChanges: pendingData } : {}),
    },
    changes,
    planOptions,
  );
  return { plan, live, changes, warnings: [...(judged?.warnings ?? []), ...unmanagedWarnings(dataFacts.unmanagedConstraints ?? [])] };
}

/**
 * The desired state's data changes the ledger does not record as applied. One that was applied
 * with other SQL (its checksum changed) is a `DesiredStateError` at its place in the file.
 */
export async function pendingOf(db: Db, desired: DesiredState): Promise<DataChange[]> {
  const declared = desired.dataChanges ?? [];
  if (declared.length === 0) return [];
  try {
    return pendingDataChanges(declared, await listDataChanges(db));
  } catch (error) {
    if (!(error instanceof DataChangeEditedError)) throw error;
    const file = desired.source?.path ?? 'schema.yaml';
    const path = ['data_changes', error.id];
    const { line, column } = await positionInFile(file, path);
    throw new DesiredStateError([{ file, line, column, path: formatPath(path), message: error.message }]);
  }
}

/** One warning per constraint the format cannot declare: the plan neither drops nor creates it. */
function unmanagedWarnings(constraints: readonly UnmanagedConstraint[]): string[] {
  return constraints.map(
    (u) =>
      `${u.kind} ${u.schema}.${u.table}.${u.name} (${u.definition}) is not managed: constraints of this kind are not part of the format; the plan leaves it as it is (a build from the file lacks it)`,
  );
}

/**
 * Constraints of the managed live tables of a kind the format cannot declare: `p`, `u`, `c`, `f`
 * and `x` (exclusion) are managed, constraint triggers (`t`) are read with the triggers, NOT NULL
 * constraints (`n`, which newer servers and PGlite record in pg_constraint) are the columns'
 * `nullable`; any other pg_constraint.contype (none on PostgreSQL 15; a later server's) is warned
 * about and never dropped (pull names it too).
 */
async function unmanagedConstraints(db: Db, live: LiveSchema): Promise<UnmanagedConstraint[]> {
  if (live.model.tables.length === 0) return [];
  const { rows } = await db.query<{
    schema: string;
    table: string;
    name: string;
    contype: string;
    definition: string;
    columns: string[] | null;
  }>(
    `SELECT n.nspname AS schema, con.contype::text AS contype, c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS definition,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = con.conrelid AND a.attnum > 0
                AND (a.attnum = ANY (con.conkey) OR EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_constraint'::regclass AND d.objid = con.oid
                        AND d.refobjid = con.conrelid AND d.refobjsubid = a.attnum))) AS columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype NOT IN ('p', 'u', 'c', 'f', 'x', 't', 'n') AND con.conrelid <> 0 AND n.nspname <> 'pgreconcile'
      ORDER BY 1, 2, 3`,
  );
  const managed = new Set(live.model.tables.map((t) => `${t.schema}.${t.name}`));
  return rows
    .filter((r) => managed.has(`${r.schema}.${r.table}`))
    .map((r) => ({
      schema: r.schema,
      table: r.table,
      name: r.name,
      kind: `constraint (contype ${r.contype})`,
      definition: r.definition,
      columns: r.columns ?? [],
    }));
}

/**
 * The types the file lists under `external_types` exist in the database: a `DesiredStateError`
 * naming each missing one where the file lists it (the plan would otherwise fail at apply, on the
 * first column or function that uses it). One catalog query, only when the file lists any.
 *
 * @example
 * await checkExternalTypes(db, desired)
 * // throws: schema.yaml:3:5 external_types[0]: type "public.year" is listed under external_types but does not exist in the database: …
 */
export async function checkExternalTypes(db: Db, desired: DesiredState): Promise<void> {
  const types = desired.externalTypes ?? [];
  if (types.length === 0) return;
  const { rows } = await db.query<{ i: number }>(
    `SELECT x.i FROM json_to_recordset($1::json) AS x(i integer, schema text, name text)
      WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                         WHERE n.nspname = x.schema AND t.typname = x.name)
      ORDER BY x.i`,
    [JSON.stringify(types.map((t, i) => ({ i, schema: t.schema, name: t.name })))],
  );
  if (rows.length === 0) return;
  const file = desired.source?.path ?? 'schema.yaml';
  const diagnostics: Diagnostic[] = [];
  for (const { i } of rows) {
    const type = types[i];
    if (type === undefined) continue;
    const path = ['external_types', i];
    const { line, column } = await positionInFile(file, path);
    diagnostics.push({
      file,
      line,
      column,
      path: formatPath(path),
      message:
        `type "${type.schema}.${type.name}" is listed under external_types but does not exist in the database: ` +
        'create it there first (pgreconcile never creates, alters or drops an external type)',
    });
  }
  throw new DesiredStateError(diagnostics);
}

/**
 * The roles the file's policies name exist in the database: a `DesiredStateError` naming each
 * missing role and the policy that names it, where the file lists the policy's roles (apply
 * would otherwise fail on the CREATE POLICY).
 *
 * @example
 * await checkPolicyRoles(db, desired)
 * // throws: schema.yaml:12:11 schemas.public.tables.notes.policies.notes_read.roles: role "app_reader" (policy notes_read on public.notes) does not exist in the database: …
 */
export async function checkPolicyRoles(db: Db, desired: DesiredState): Promise<void> {
  const missing = await missingPolicyRoles(db, desired.model);
  if (missing.length === 0) return;
  const file = desired.source?.path ?? 'schema.yaml';
  const diagnostics: Diagnostic[] = [];
  for (const m of missing) {
    const path = ['schemas', m.schema, 'tables', m.table, 'policies', m.policy, 'roles'];
    const { line, column } = await positionInFile(file, path);
    diagnostics.push({
      file,
      line,
      column,
      path: formatPath(path),
      message:
        `role ${displayIdent(m.role)} (policy ${displayIdent(m.policy)} on ${displayIdent(m.schema)}.${displayIdent(m.table)}) does not exist in the database: ` +
        'create the role first, or declare it under roles: with manage_roles: true (roles are cluster objects)',
    });
  }
  throw new DesiredStateError(diagnostics);
}

/**
 * Fails, naming each role and what the file uses it as, when a role the file names (under
 * `roles:`, as an owner, a grantee or the role of default privileges) does not exist: roles are
 * cluster objects, which pgreconcile does not create.
 */
export async function checkRoles(db: Db, desired: DesiredState): Promise<void> {
  const missing = await missingRoles(db, desired.model);
  if (missing.length === 0) return;
  const file = desired.source?.path ?? 'schema.yaml';
  const diagnostics: Diagnostic[] = [];
  for (const m of missing) {
    const path = m.declared ? ['roles', m.role] : m.schema !== undefined ? ['schemas', m.schema] : [];
    const { line, column } = await positionInFile(file, path);
    const used = m.uses.length > 0 ? `, used as ${m.uses.join('; ')}` : '';
    diagnostics.push({
      file,
      line,
      column,
      path: formatPath(path),
      message: `role ${quoteIdent(m.role)} does not exist on the server${used}: create it first, or declare it under roles: with manage_roles: true`,
    });
  }
  throw new DesiredStateError(diagnostics);
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
 * facts.tablesWithRows.has(nameKey('public', 'users')) // true
 */
export async function gatherDataFacts(db: Db, changes: readonly Change[], live: LiveSchema, desired: DesiredState): Promise<DataFacts> {
  const liveName = (table: { schema: string; name: string }): Table | undefined => {
    const same = live.model.tables.find((t) => t.schema === table.schema && t.name === table.name);
    if (same) return same;
    const renamed = desired.model.tables.find((t) => t.schema === table.schema && t.name === table.name)?.renamedFrom;
    return renamed !== undefined ? live.model.tables.find((t) => t.schema === table.schema && t.name === renamed) : undefined;
  };
  const probeRows = new Map<string, Table>();
  const columns: { schema: string; table: string; column: string }[] = [];
  const castPairs = new Map<string, [string, string, string?]>();
  const uses: DependedOn[] = [];
  const column = (table: { schema: string; name: string }, name: string): void => {
    const found = liveName(table);
    if (found !== undefined) uses.push({ key: columnKey(table, name), kind: 'column', schema: found.schema, name: found.name, sub: name });
  };
  const ask = (table: { schema: string; name: string }, column: string): void => {
    const found = liveName(table);
    if (found === undefined) return;
    columns.push({ schema: found.schema, table: found.name, column });
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'add_column': {
        const col = c.column;
        const fills = col.default !== undefined || col.identity !== undefined || col.generated !== undefined;
        const found = liveName(c.table);
        if (!col.nullable && !fills && found !== undefined) probeRows.set(nameKey(found.schema, found.name), found);
        break;
      }
      case 'drop_column':
        column(c.table, c.column.name);
        break;
      case 'drop_table':
        uses.push({
          key: refKey({ kind: 'table', schema: c.table.schema, name: c.table.name }),
          kind: 'table',
          schema: c.table.schema,
          name: c.table.name,
        });
        break;
      case 'replace_enum':
      case 'drop_enum': {
        const type = c.kind === 'replace_enum' ? c.from : c.enum;
        uses.push({
          key: refKey({ kind: 'type', schema: type.schema, name: type.name }),
          kind: 'type',
          schema: type.schema,
          name: type.name,
        });
        if (c.kind === 'replace_enum') for (const u of c.columns) column(u.table, u.column.name);
        break;
      }
      case 'drop_composite_type':
      case 'drop_range_type':
        uses.push({
          key: refKey({ kind: 'type', schema: c.type.schema, name: c.type.name }),
          kind: 'type',
          schema: c.type.schema,
          name: c.type.name,
        });
        break;
      case 'drop_function':
        uses.push({ key: functionKey(c.fn), kind: 'function', schema: c.fn.schema, name: c.fn.name, sub: functionSignatureSql(c.fn) });
        break;
      case 'alter_column':
        if (
          c.attributes.includes('type') ||
          c.attributes.includes('collation') ||
          (c.attributes.includes('generated') && c.to.generated !== undefined)
        )
          column(c.table, c.from.name);
        if (c.attributes.includes('nullable') && !c.to.nullable) ask(c.table, c.from.name);
        if (c.attributes.includes('type') && c.to.using === undefined)
          castPairs.set(castKey(c.from.type, c.to.type), [c.from.type, c.to.type, newDomainBase(desired, live, c.to.type)]);
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
        if (index.unique && index.where === undefined && index.keys.length === 1 && index.keys[0]!.column !== undefined)
          ask(c.table, index.keys[0]!.column);
        break;
      }
      default:
        break;
    }
  }
  const tablesWithRows = new Set<string>();
  for (const [name, table] of probeRows) {
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
      stats.set(columnKey({ schema: r.schema, name: r.table }, r.column), {
        nullFraction: Number(r.null_frac),
        ...(r.top !== null ? { topValueFraction: Number(r.top) } : {}),
      });
    }
  }
  return {
    tablesWithRows,
    columns: stats,
    unmanagedConstraints: await unmanagedConstraints(db, live),
    dependents: withoutViewsTakenOff(await readDependents(db, uses), changes),
    casts: await readCastLevels(db, [...castPairs.values()]),
  };
}

/**
 * The dependents without the views and policies the plan itself drops or replaces before the
 * step (managed views and policies: src/kinds/view/diff.ts and src/kinds/policy/diff.ts take them
 * off around what changes under them).
 */
function withoutViewsTakenOff(found: Map<string, string[]>, changes: readonly Change[]): Map<string, string[]> {
  const off = new Set<string>();
  for (const c of changes) {
    const v = c.kind === 'drop_view' ? c.view : c.kind === 'replace_view' ? c.from : undefined;
    if (v !== undefined) off.add(`${v.materialized ? 'materialized view' : 'view'} ${displayIdent(v.schema)}.${displayIdent(v.name)}`);
    // A managed policy the plan drops (to create it again after the change, or for good).
    if (c.kind === 'drop_policy' || c.kind === 'replace_policy') {
      const name = c.kind === 'drop_policy' ? c.policy.name : c.from.name;
      off.add(`policy ${displayIdent(name)} on ${displayIdent(c.table.schema)}.${displayIdent(c.table.name)}`);
    }
  }
  if (off.size === 0) return found;
  const out = new Map<string, string[]>();
  for (const [k, labels] of found) {
    const kept = labels.filter((l) => !off.has(l));
    if (kept.length > 0) out.set(k, kept);
  }
  return out;
}

/** Something a step changes the type of or drops, asked about in `readDependents`; `key` as the step generator looks it up. */
interface DependedOn {
  readonly key: string;
  readonly kind: 'table' | 'column' | 'type' | 'function';
  readonly schema: string;
  readonly name: string;
  /** The column (live name); for a function, its signature as SQL (`public.f(integer)`). */
  readonly sub?: string;
}

/**
 * The objects the format does not manage that depend on each of `uses` (one query, none when
 * `uses` is empty): views and materialized views (their `_RETURN` rule), other rules, and policies
 * with a normal dependency (pg_depend `n`) on the column, on any column of the table or the table
 * itself, on the type, or on the function. PostgreSQL refuses `ALTER COLUMN … TYPE`, `DROP COLUMN`,
 * `DROP TABLE`, `DROP TYPE` and `DROP FUNCTION` while they exist (without CASCADE, which the plan
 * never writes): the steps carry `blocked_by_dependents` naming them (src/plan/hazards.ts).
 * Indexes, constraints and triggers are managed and ordered by the plan, so only rules and policies
 * are read; a dropped table's own rules and policies go with it, so for a table only those of other
 * relations are named (a column's are: PostgreSQL refuses to drop a column its own table's policy uses).
 */
async function readDependents(db: Db, uses: readonly DependedOn[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (uses.length === 0) return found;
  const { rows } = await db.query<{
    i: number;
    kind: string;
    schema: string;
    name: string;
    on_schema: string | null;
    on_name: string | null;
  }>(
    `WITH w AS (SELECT * FROM json_to_recordset($1::json) AS w(i integer, kind text, schema text, name text, sub text)),
          r AS (SELECT w.i, w.kind, 'pg_catalog.pg_class'::regclass AS classid, c.oid AS objid, a.attnum AS subid
                  FROM w JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema
                  JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.name
                  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = w.sub
                 WHERE w.kind = 'table' OR (w.kind = 'column' AND a.attnum IS NOT NULL)
                UNION ALL
                SELECT w.i, w.kind, 'pg_catalog.pg_type'::regclass, t.oid, NULL
                  FROM w JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema
                  JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = w.name
                 WHERE w.kind = 'type'
                UNION ALL
                SELECT f.i, f.kind, 'pg_catalog.pg_proc'::regclass, f.oid, NULL
                  FROM (SELECT w.i, w.kind, CASE WHEN w.kind = 'function' THEN to_regprocedure(w.sub)::oid END AS oid FROM w) f
                 WHERE f.oid IS NOT NULL),
          d AS (SELECT DISTINCT r.i, r.kind, r.objid AS used, dep.classid, dep.objid
                  FROM r JOIN pg_catalog.pg_depend dep
                    ON dep.refclassid = r.classid AND dep.refobjid = r.objid AND (r.subid IS NULL OR dep.refobjsubid = r.subid)
                 WHERE dep.deptype = 'n')
     SELECT d.i, CASE WHEN rw.rulename <> '_RETURN' THEN 'rule' WHEN vc.relkind = 'm' THEN 'materialized view' ELSE 'view' END AS kind,
            vn.nspname AS schema, CASE WHEN rw.rulename = '_RETURN' THEN vc.relname ELSE rw.rulename END AS name,
            CASE WHEN rw.rulename <> '_RETURN' THEN vn.nspname END AS on_schema, CASE WHEN rw.rulename <> '_RETURN' THEN vc.relname END AS on_name
       FROM d JOIN pg_catalog.pg_rewrite rw ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND rw.oid = d.objid
       JOIN pg_catalog.pg_class vc ON vc.oid = rw.ev_class JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace
      WHERE d.kind <> 'table' OR vc.oid <> d.used
     UNION
     SELECT d.i, 'policy', pn.nspname, p.polname, pn.nspname, pc.relname
       FROM d JOIN pg_catalog.pg_policy p ON d.classid = 'pg_catalog.pg_policy'::regclass AND p.oid = d.objid
       JOIN pg_catalog.pg_class pc ON pc.oid = p.polrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE d.kind <> 'table' OR pc.oid <> d.used
     ORDER BY 1, 2, 3, 4`,
    [JSON.stringify(uses.map((u, i) => ({ i, kind: u.kind, schema: u.schema, name: u.name, sub: u.sub ?? null })))],
  );
  for (const r of rows) {
    const use = uses[Number(r.i)];
    if (use === undefined) continue;
    // Always schema-qualified: the object is not in the file, so the reader has no other place to learn its schema.
    const qualified = (schema: string, name: string): string => `${displayIdent(schema)}.${displayIdent(name)}`;
    const label =
      r.on_schema !== null && r.on_name !== null
        ? `${r.kind} ${displayIdent(r.name)} on ${qualified(r.on_schema, r.on_name)}`
        : `${r.kind} ${qualified(r.schema, r.name)}`;
    const list = found.get(use.key) ?? [];
    if (!list.includes(label)) list.push(label);
    found.set(use.key, list);
  }
  return found;
}

/**
 * The base type of a domain this plan creates (`year` → `integer`), asked of the server in its
 * place (a value converts to a domain as to its base type); undefined for any other type.
 */
function newDomainBase(desired: DesiredState, live: LiveSchema, type: string): string | undefined {
  if (type.endsWith('[]')) return undefined;
  const exists = (d: { schema: string; name: string }): boolean =>
    live.model.domains.some((l) => l.schema === d.schema && l.name === d.name);
  return desired.model.domains.find((d) => !exists(d) && displayQualifiedType(d) === type)?.type;
}

/** A type's text as columns carry it (unqualified in public, quoted where needed). */
function displayQualifiedType(d: { schema: string; name: string }): string {
  return d.schema === 'public' ? displayIdent(d.name) : `${displayIdent(d.schema)}.${displayIdent(d.name)}`;
}

/**
 * How the server converts values between each pair of types (one query): PostgreSQL's own rules
 * (find_coercion_pathway): domains by their base type, a typmod change of one type, pg_cast
 * (castcontext 'i' and 'a' convert by themselves, 'e' only with `::`), arrays by their elements,
 * and the I/O conversions (to a string type by assignment, from one explicitly). An array is a type
 * with typlen -1 and an element type (PostgreSQL 13's test; 14's subscript handler agrees for these). A type this plan
 * creates (an enum) is not resolved: from a string type it converts explicitly, else not at all.
 */
async function readCastLevels(db: Db, pairs: readonly (readonly [string, string, string?])[]): Promise<Map<string, CastLevel>> {
  const levels = new Map<string, CastLevel>();
  if (pairs.length === 0) return levels;
  const { rows } = await db.query<{ i: number; source_category: string | null; level: string | null }>(
    `WITH r AS (SELECT w.i, to_regtype(w.src) AS s0, to_regtype(w.dst) AS d0 FROM unnest($1::int[], $2::text[], $3::text[]) AS w(i, src, dst)),
          b AS (SELECT r.i, r.s0, r.d0, coalesce(nullif(st.typbasetype, 0), r.s0) AS s, coalesce(nullif(dt.typbasetype, 0), r.d0) AS d
                  FROM r LEFT JOIN pg_catalog.pg_type st ON st.oid = r.s0 LEFT JOIN pg_catalog.pg_type dt ON dt.oid = r.d0),
          e AS (SELECT b.*, st.typcategory AS sc, dt.typcategory AS dc,
                       CASE WHEN st.typlen = -1 AND st.typelem <> 0 THEN st.typelem END AS se,
                       CASE WHEN dt.typlen = -1 AND dt.typelem <> 0
                             AND b.d NOT IN ('pg_catalog.oidvector'::regtype, 'pg_catalog.int2vector'::regtype) THEN dt.typelem END AS de
                  FROM b LEFT JOIN pg_catalog.pg_type st ON st.oid = b.s LEFT JOIN pg_catalog.pg_type dt ON dt.oid = b.d)
     SELECT e.i, e.sc::text AS source_category,
            CASE WHEN e.s0 IS NULL OR e.d0 IS NULL THEN NULL
                 WHEN e.s = e.d THEN 'a'
                 WHEN c.castcontext IS NOT NULL THEN c.castcontext::text
                 WHEN e.se IS NOT NULL AND e.de IS NOT NULL THEN
                   CASE WHEN e.se = e.de THEN 'a' WHEN ce.castcontext IS NOT NULL THEN ce.castcontext::text
                        WHEN det.typcategory = 'S' THEN 'a' WHEN sett.typcategory = 'S' THEN 'e' ELSE 'n' END
                 WHEN e.dc = 'S' THEN 'a'
                 WHEN e.sc = 'S' THEN 'e'
                 ELSE 'n' END AS level
       FROM e
       LEFT JOIN pg_catalog.pg_cast c ON c.castsource = e.s AND c.casttarget = e.d
       LEFT JOIN pg_catalog.pg_cast ce ON ce.castsource = e.se AND ce.casttarget = e.de
       LEFT JOIN pg_catalog.pg_type sett ON sett.oid = e.se
       LEFT JOIN pg_catalog.pg_type det ON det.oid = e.de`,
    [pairs.map((_, i) => i), pairs.map((p) => p[0]), pairs.map((p) => p[2] ?? p[1])],
  );
  for (const r of rows) {
    const [from, to] = pairs[Number(r.i)]!;
    const level = r.level ?? (r.source_category === null ? undefined : r.source_category === 'S' ? 'e' : 'n');
    if (level === undefined) continue;
    levels.set(castKey(from, to), level === 'i' || level === 'a' ? 'assignment' : level === 'e' ? 'explicit' : 'none');
  }
  return levels;
}

/**
 * How many rows hold enum values that the changes remove, per live column (`columnKey`).
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
      counts.set(columnKey(table, column.name), Number(rows[0]?.n ?? 0));
    }
  }
  return counts;
}
