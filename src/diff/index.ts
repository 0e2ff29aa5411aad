/**
 * The diff: desired model × live model → typed changes. Pure: no database, no SQL.
 * Each kind's diff (`ObjectKind.diff`, src/kinds/<kind>/diff.ts) does the work; this file decides
 * what is managed at all (ignore globs, the ledger schema), matches tables and sequences and runs
 * the function diff for the shared rename context, calls the top-level kinds' diffs in registry
 * order (the table kind's calls those under a table), and fixes the order.
 */
import { matchesIgnore } from '../introspect/index.js';
import { KINDS } from '../kinds/registry.js';
import { modelLists } from '../kinds/models.js';
import type { DesiredState, Index, Partition, QualifiedName, SchemaModel, Sequence, Table } from '../model/types.js';
import type { Change } from './changes.js';
import { sortChanges } from './change-order.js';
import { LEDGER_SCHEMA, type DiffContext } from './context.js';
import type { KindDiff, ModelDiffInput, TableKindDiff } from './kind-diff.js';
import { diffFunctions, functionsInUse } from '../kinds/function/diff.js';
import { nameKey, type Matching } from './match.js';
import { matchSequences } from '../kinds/sequence/diff.js';
import { matchTables, type TableMatching } from '../kinds/table/diff.js';
import { domainRenames } from '../kinds/domain/renames.js';
import type { Judge } from '../judge/slots.js';
import { typesAfterRenames } from '../kinds/composite-type/renames.js';

export type { Change, ChangeKind, ChangeOf, ColumnAttribute, CommentTarget, ConstraintKind } from './changes.js';
export { changeObjectKey, sortChanges } from './change-order.js';

/**
 * Every change that turns the live schema into the desired one, in a deterministic order
 * (kind, then object name). Both models must be normalised (`normalizeModel`); the SQL
 * parser must be initialised (`initParser`) because expressions are compared as parse trees.
 *
 * Never touched: objects matched by `desired.ignore`, the `pgreconcile` schema, the `public`
 * schema's existence, the `plpgsql` extension.
 *
 * @example
 * await initParser();
 * const changes = diffSchemas(await loadDesiredState('schema.yaml'), (await introspect(db)).model);
 * // [] when the database already matches the file
 *
 * `judge`: PostgreSQL's verdicts on the file's expressions (src/judge); where it judged, its
 * verdict decides, elsewhere the parse-tree comparison does.
 */
export function diffSchemas(desired: DesiredState, live: SchemaModel, judge?: Judge): Change[] {
  const patterns = desired.ignore;
  const isIgnored = (schema: string, name: string): boolean =>
    schema === LEDGER_SCHEMA || (patterns.length > 0 && matchesIgnore(patterns, schema, name));
  const want = managedModel(desired.model, isIgnored, patterns.length > 0);
  const have = typesAfterRenames(want, managedModel(live, isIgnored, patterns.length > 0), desired.externalTypes);

  const tables = matchTables(want.tables, have.tables, judge);
  const tableCtx = diffContext(isIgnored, tables);
  const sequences = matchSequences(want.sequences, have.sequences, tableCtx);
  const ctx: DiffContext = {
    ...tableCtx,
    renamedSequences: sequenceRenames(sequences),
    renamedTypes: domainRenames(want.domains, have.domains),
  };
  const functions = diffFunctions(want.functions, have.functions, functionsInUse(want, live, isIgnored));
  const input: ModelDiffInput = {
    want,
    have,
    live,
    ctx,
    impliedSchemas: impliedSchemas(want, have),
    keptSchema: (schema) => keptSchema(schema, patterns, desired, live, isIgnored),
    tables,
    sequences,
    functions,
    ...(judge !== undefined ? { judge } : {}),
    externalTypes: desired.externalTypes ?? [],
    underTable: KIND_DIFFS.filter((d): d is TableKindDiff => d.scope === 'table'),
    ...(judge !== undefined ? { judge } : {}),
    earlier: [],
  };
  const changes: Change[] = [];
  for (const d of KIND_DIFFS) if (d.scope === 'model') changes.push(...d.run({ ...input, earlier: changes }));
  return sortChanges(changes);
}

/** Every kind's diff, in registry order. */
const KIND_DIFFS: readonly KindDiff[] = KINDS.map((kind) => kind.diff);

/**
 * The model without unmanaged objects (ignored, or in the ledger schema). Indexes are
 * schema-level names too, so `ignore` applies to them; `withPatterns` false skips that walk.
 */
function managedModel(model: SchemaModel, isIgnored: (schema: string, name: string) => boolean, withPatterns: boolean): SchemaModel {
  const managed = <T extends QualifiedName>(objects: readonly T[]): readonly T[] =>
    objects.some((o) => isIgnored(o.schema, o.name)) ? objects.filter((o) => !isIgnored(o.schema, o.name)) : objects;
  const withoutIgnoredIndexes = (table: Table): Table => {
    const ignoredIndex = (index: Index): boolean => isIgnored(table.schema, index.name);
    // A partition's own indexes too (src/kinds/table/partition-members.ts).
    const inPartitions = (list: readonly Partition[]): readonly Partition[] =>
      list.map((p) => {
        const indexes = p.indexes?.some(ignoredIndex) === true ? { indexes: p.indexes.filter((i) => !ignoredIndex(i)) } : {};
        const partitions = p.partitions !== undefined ? { partitions: inPartitions(p.partitions) } : {};
        return { ...p, ...indexes, ...partitions };
      });
    const partitioned = table.partitions !== undefined ? { ...table, partitions: inPartitions(table.partitions) } : table;
    return partitioned.indexes.some(ignoredIndex)
      ? { ...partitioned, indexes: partitioned.indexes.filter((i) => !ignoredIndex(i)) }
      : partitioned;
  };
  const lists: Record<string, readonly unknown[]> = { ...model };
  for (const list of schemaListNames()) lists[list] = managed(model[list] as readonly QualifiedName[]);
  const out = lists as unknown as SchemaModel;
  return {
    ...out,
    schemas: model.schemas.filter((s) => s.name !== LEDGER_SCHEMA && !isIgnored(s.name, '*')),
    tables: withPatterns ? out.tables.map(withoutIgnoredIndexes) : out.tables,
  };
}

/** The lists of the model whose objects live in a schema (their kinds' `inSchemas`), in registry order. */
function schemaListNames(): readonly (keyof SchemaModel)[] {
  return modelLists().flatMap(({ list }) => (list.inSchemas ? [list.property] : []));
}

function schemaLists(model: SchemaModel): readonly (readonly QualifiedName[])[] {
  return schemaListNames().map((list) => model[list] as readonly QualifiedName[]);
}

/** Schemas the file uses without declaring them: where its objects and extensions live. */
function impliedSchemas(want: SchemaModel, have: SchemaModel): Set<string> {
  const implied = new Set<string>();
  for (const list of schemaLists(want)) {
    for (const object of list) implied.add(object.schema);
  }
  const declaredExtensions = new Map<string, string | undefined>();
  for (const extension of want.extensions) {
    declaredExtensions.set(extension.name, extension.schema);
    if (extension.schema !== undefined) implied.add(extension.schema);
  }
  implied.delete(LEDGER_SCHEMA);
  // A kept extension stays where it is unless the file moves it: its schema stays too.
  const kept = new Set<string>();
  for (const extension of have.extensions) {
    const stays = declaredExtensions.has(extension.name) && declaredExtensions.get(extension.name) === undefined;
    if (stays && extension.schema !== undefined) kept.add(extension.schema);
  }
  for (const schema of kept) if (!implied.has(schema) && have.schemas.some((s) => s.name === schema)) implied.add(schema);
  return implied;
}

/**
 * An undeclared live schema that must not be dropped: it holds unmanaged objects (ignored,
 * possibly hidden from the live model by introspection), tables the file references as external,
 * or types listed under external_types.
 */
function keptSchema(
  schema: string,
  patterns: readonly string[],
  desired: DesiredState,
  live: SchemaModel,
  isIgnored: (schema: string, name: string) => boolean,
): boolean {
  // Any glob matches its own text, so a pattern's name part tests whether its schema part matches.
  for (const pattern of patterns) {
    const dot = pattern.indexOf('.');
    if (dot >= 0 && matchesIgnore([pattern], schema, pattern.slice(dot + 1))) return true;
  }
  if (desired.external.some((t) => t.schema === schema)) return true;
  if ((desired.externalTypes ?? []).some((t) => t.schema === schema)) return true;
  for (const list of schemaLists(live)) {
    if (list.some((o) => o.schema === schema && isIgnored(o.schema, o.name))) return true;
  }
  return false;
}

/** The names live tables and columns have after the plan's renames, and what it drops (sequence renames come next). */
function diffContext(isIgnored: (schema: string, name: string) => boolean, tables: TableMatching): DiffContext {
  const renamedTables = new Map<string, QualifiedName>();
  const renamedColumns = new Map<string, Map<string, string>>();
  const droppedTables = new Set<string>();
  const droppedColumns = new Set<string>();
  for (const pair of tables.pairs) {
    const liveKey = nameKey(pair.live.schema, pair.live.name);
    if (pair.renamed) renamedTables.set(liveKey, pair.scope.table);
    for (const column of pair.columns.pairs) {
      if (!column.renamed) continue;
      let renames = renamedColumns.get(liveKey);
      if (renames === undefined) {
        renames = new Map();
        renamedColumns.set(liveKey, renames);
      }
      renames.set(column.live.name, column.desired.name);
    }
    for (const column of pair.columns.removed) droppedColumns.add(nameKey(liveKey, column.name));
  }
  for (const table of tables.removed) droppedTables.add(nameKey(table.schema, table.name));
  return { isIgnored, renamedTables, renamedColumns, renamedSequences: new Map(), droppedTables, droppedColumns };
}

/** Live sequence key → desired name, for the sequences `matchSequences` found renamed. */
function sequenceRenames(sequences: Matching<Sequence, Sequence>): Map<string, QualifiedName> {
  const renames = new Map<string, QualifiedName>();
  for (const pair of sequences.pairs) {
    if (pair.renamed) renames.set(nameKey(pair.live.schema, pair.live.name), { schema: pair.desired.schema, name: pair.desired.name });
  }
  return renames;
}
